/* test_config_errors.c - every bad hardware config is rejected with the right
 * FILE:LINE: FIELD: and message.
 *
 * Table-driven over tests/data/config/bad_<case>.expect.  Each .expect file
 * holds two lines:
 *     bad_<case>.yaml:LINE: FIELD:      the exact start of the formatted error
 *                                       (directory stripped; no ":LINE" when
 *                                       the error has no line)
 *     <substring>                       must occur in the rest of the message
 * and names bad_<case>.yaml next to it (a case without a .yaml file is the
 * missing-file case).  Adding a case means adding two files, no code.
 */
#define _POSIX_C_SOURCE 200809L /* opendir, strdup */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_config.h"

#define DATA_DIR PIKE_SOURCE_ROOT "/tests/data/config"

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of the bad_*.expect names in DATA_DIR. */
static size_t list_cases(char ***out)
{
    DIR *d = opendir(DATA_DIR);
    cr_assert_not_null(d, "cannot open %s", DATA_DIR);
    char **v = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "bad_", 4) || len < 8 || strcmp(e->d_name + len - 7, ".expect"))
            continue;
        v = realloc(v, (n + 1) * sizeof *v);
        v[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_name);
    *out = v;
    return n;
}

static void chomp(char *s)
{
    s[strcspn(s, "\r\n")] = '\0';
}

/* Run one case; returns 1 if it behaved as expected (and reports why not). */
static int run_case(const char *expect_name)
{
    char path[1024], prefix[512] = "", substr[512] = "";
    snprintf(path, sizeof path, "%s/%s", DATA_DIR, expect_name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    if (!fgets(prefix, sizeof prefix, f) || !fgets(substr, sizeof substr, f)) {
        fclose(f);
        cr_log_error("%s: needs two lines (prefix, substring)", expect_name);
        return 0;
    }
    fclose(f);
    chomp(prefix);
    chomp(substr);

    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%s/%.*s.yaml", DATA_DIR,
             (int)(strlen(expect_name) - strlen(".expect")), expect_name);
    pk_config_t *cfg = (pk_config_t *)0x1; /* must be reset to NULL on failure */
    pk_error_t err;
    pk_error_clear(&err);
    int rc = pk_config_load(yaml, &cfg, &err);
    if (rc == 0) {
        cr_log_error("%s: loaded, but must be rejected", expect_name);
        pk_config_free(cfg);
        return 0;
    }
    char msg[2048];
    pk_error_format(&err, msg, sizeof msg);
    int ok = 1;
    if (rc != PK_EINPUT || err.code != PK_EINPUT || pk_error_exit_status(rc) != 2) {
        cr_log_error("%s: code %d, want PK_EINPUT (exit status 2)", expect_name, rc);
        ok = 0;
    }
    if (cfg != NULL) {
        cr_log_error("%s: *out not reset to NULL on failure", expect_name);
        ok = 0;
    }
    /* strip the directory so the expectation is location-independent */
    const char *shown = msg;
    size_t dl = strlen(DATA_DIR);
    if (strncmp(shown, DATA_DIR, dl) == 0 && shown[dl] == '/')
        shown += dl + 1;
    if (strncmp(shown, prefix, strlen(prefix)) != 0) {
        cr_log_error("%s: got '%s', want it to start with '%s'", expect_name, shown, prefix);
        ok = 0;
    } else if (!strstr(shown + strlen(prefix), substr)) {
        cr_log_error("%s: got '%s', want it to contain '%s'", expect_name, shown, substr);
        ok = 0;
    }
    return ok;
}

Test(config_errors, every_bad_case_is_rejected_with_file_line_field)
{
    char **names;
    size_t n = list_cases(&names);
    cr_assert_geq(n, 15, "only %zu bad-config cases in %s", n, DATA_DIR);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        failed += !run_case(names[i]);
        free(names[i]);
    }
    free(names);
    cr_expect_eq(failed, 0, "%zu of %zu bad-config cases misbehaved (see log)", failed, n);
}

/* Every .yaml in the data directory has an .expect, so no case sits untested. */
Test(config_errors, every_yaml_has_an_expectation)
{
    DIR *d = opendir(DATA_DIR);
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".yaml"))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%.*s.expect", DATA_DIR, (int)(len - 5), e->d_name);
        FILE *f = fopen(p, "r");
        cr_expect_not_null(f, "%s has no .expect file", e->d_name);
        if (f)
            fclose(f);
    }
    closedir(d);
}

/* A message names the key's own line even when libcyaml would not: an unknown
 * key reported by libcyaml carries the previous value's line. */
Test(config_errors, unknown_key_line_is_the_keys_own)
{
    pk_config_t *cfg;
    pk_error_t err;
    pk_error_clear(&err);
    cr_assert_neq(pk_config_load(DATA_DIR "/bad_unknown_key.yaml", &cfg, &err), 0);
    cr_expect_eq(err.line, 8);
    cr_expect_str_eq(err.field, "array.depth");
}

/* err may be NULL (pk_error.h); *out is still reset. */
Test(config_errors, null_out_and_err_are_tolerated)
{
    pk_config_t *cfg;
    cr_expect_eq(pk_config_load(DATA_DIR "/bad_range_rows.yaml", &cfg, NULL), PK_EINPUT);
    cr_expect_null(cfg);
}
