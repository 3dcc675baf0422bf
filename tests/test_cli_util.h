/* test_cli_util.h - running a command line from a test (header-only, for the
 * test_*.c files that drive Pike's programs; Criterion asserts). */
#ifndef TEST_CLI_UTIL_H
#define TEST_CLI_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
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

#endif
