/* fuzz_sweep_check.h - the property fuzz_sweep.c checks on every input, shared
 * with the regression replay in tests/test_sweep_spec.c.
 *
 * The input is a sweep spec in a directory that also holds base.yaml (a copy
 * of hw_configs/ice40.yaml, written by pk_fuzz_sweep_base()) and empty
 * a.yaml, b.yaml, so "base: base.yaml" and "networks: [a.yaml]" reach the
 * axes, ranges, constraints and objectives.
 * pk_sweep_spec_load() must return 0, or PK_EINPUT with a file and a message;
 * for an accepted spec the first points are labelled, checked against the
 * constraints and printed as YAML, and its synth choice is a known mode (a
 * list: ascending point numbers in range).  Never a crash, leak or hang. */
#ifndef FUZZ_SWEEP_CHECK_H
#define FUZZ_SWEEP_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_sweep_spec.h"

/* Copy PIKE_SOURCE_ROOT/hw_configs/ice40.yaml to DIR/base.yaml, create
 * DIR/a.yaml and DIR/b.yaml; 0 or -1. */
static int pk_fuzz_sweep_base(const char *dir)
{
    char src[1024], dst[1024], buf[8192];
    snprintf(src, sizeof src, "%s/hw_configs/ice40.yaml", PIKE_SOURCE_ROOT);
    snprintf(dst, sizeof dst, "%s/base.yaml", dir);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    size_t n;
    int rc = in && out ? 0 : -1;
    while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out))
        rc = -1;
    /* networks the corpus names: the spec loader only checks they are readable */
    for (int i = 0; !rc && i < 2; i++) {
        snprintf(dst, sizeof dst, "%s/%c.yaml", dir, 'a' + i);
        out = fopen(dst, "wb");
        rc = out && fclose(out) == 0 ? 0 : -1;
    }
    return rc;
}

/* 0 if the property holds for the spec at path, else -1 (the caller aborts). */
static int pk_fuzz_sweep_check(const char *path)
{
    pk_sweep_spec_t *s = NULL;
    pk_error_t err = { 0 };
    int rc = pk_sweep_spec_load(path, &s, &err);
    if (rc != 0)
        return (s || rc != PK_EINPUT || !err.file[0] || !err.msg[0]) ? -1 : 0;
    int64_t n = pk_sweep_spec_n_points(s);
    if (n < 1)
        rc = -1;
    for (int64_t p = 0; p < n && p < 16 && !rc; p++) {
        char label[512], why[1024];
        char *yaml = NULL;
        pk_sweep_spec_point_label(s, p, label, sizeof label);
        int ok = pk_sweep_spec_point_ok(s, p, why, sizeof why);
        if (ok < -1 || ok > 1 || pk_sweep_spec_point_yaml(s, p, &yaml) || !yaml)
            rc = -1;
        free(yaml);
    }
    int mode = pk_sweep_spec_synth_mode(s), ns = pk_sweep_spec_synth_count(s);
    if (mode < PK_SWEEP_SYNTH_NONE || mode > PK_SWEEP_SYNTH_LIST ||
        (mode == PK_SWEEP_SYNTH_LIST) != (ns > 0))
        rc = -1;
    for (int i = 0; i < ns && !rc; i++) {
        int64_t q = pk_sweep_spec_synth_point(s, i);
        if (q < 0 || q >= n || (i && q <= pk_sweep_spec_synth_point(s, i - 1)))
            rc = -1;
    }
    pk_sweep_spec_free(s);
    return rc;
}

#endif
