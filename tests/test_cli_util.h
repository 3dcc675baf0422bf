/* test_cli_util.h - running a command line from a test (header-only, for the
 * test_*.c files that drive Pike's programs; Criterion asserts). */
#ifndef TEST_CLI_UTIL_H
#define TEST_CLI_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Run the shell command line cmd with stderr into stdout; *out gets the
 * output (a static buffer, overwritten by the next call).  Returns the exit
 * status, or -1 when the command did not exit. */
static inline int pk_test_sh(const char *cmd, char **out)
{
    static char buf[1 << 16];
    char full[8192];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert(p, "popen: %s", cmd);
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = 0;
    int st = pclose(p);
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#ifdef PIKE_BIN_DIR
/* pikecheck's line when every output, cycle count and counter is equal. */
#define PK_TEST_CHECK_PASS "PASS: every output element, cycle count and counter is equal"

/* pikecheck ARGS (the build tree's) with the suite's shared Verilator model
 * cache: $PIKE_CACHE_DIR, else the build tree's check-cache.  *out and the
 * result as pk_test_sh. */
static inline int pk_test_pikecheck(const char *args, char **out)
{
    char cmd[4096];
    const char *cache = getenv("PIKE_CACHE_DIR");
    snprintf(cmd, sizeof cmd, "PIKE_CACHE_DIR='%s' '%s' %s",
             cache ? cache : PIKE_BIN_DIR "/check-cache", PIKE_BIN_DIR "/check/pikecheck", args);
    return pk_test_sh(cmd, out);
}

/* pikecheck --arch v2 on config x network passes, and its output names
 * `layers` (e.g. "3 hardware layers, arch v2"); *out gets the output. */
static inline void pk_test_v2_pass(const char *config, const char *network, const char *layers,
                                   char **out)
{
    char args[2048];
    snprintf(args, sizeof args, "--arch v2 --config '%s' --network '%s'", config, network);
    cr_assert_eq(pk_test_pikecheck(args, out), 0, "%s", *out);
    cr_assert(strstr(*out, PK_TEST_CHECK_PASS), "%s", *out);
    cr_assert(strstr(*out, layers), "%s", *out);
}
#endif

#endif
