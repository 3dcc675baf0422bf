/* test_net_errors.c - every bad network in tests/data/net/bad/ is rejected
 * with PK_EINPUT (exit status 2) and a message that starts with the exact
 * "FILE:LINE: FIELD:" prefix, FIELD being "layer NAME" wherever the layer
 * has a name.  Table-driven: one row per file. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, popen */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "pk_net.h"

#define BAD PIKE_SOURCE_ROOT "/tests/data/net/bad/"

typedef struct {
    const char *file;
    int line;           /* 0: no line in the message */
    const char *field;  /* expected FIELD */
    const char *needle; /* a substring the message must contain */
} bad_case_t;

static const bad_case_t cases[] = {
    { "add_shape.yaml", 6, "layer sum", "add of unequal shapes" },
    { "unknown_input.yaml", 5, "layer b", "unknown input 'nope'" },
    { "forward_ref.yaml", 4, "layer a", "defined later" },
    { "self_ref.yaml", 4, "layer a", "cycle" },
    { "bad_op.yaml", 5, "layer a", "'conv2d' is not one of conv," },
    { "bad_act.yaml", 10, "layer a", "'gelu' is not one of" },
    { "bad_rounding.yaml", 10, "layer a", "rounding: 'nearest' is not one of half_up, half_even" },
    { "rounding_maxpool.yaml", 4, "layer p", "'rounding' is not allowed for op maxpool" },
    { "zp_range.yaml", 5, "layer a", "in_zero_point 16 out of range [0, 15] (the values of the 4-bit unsigned input)" },
    { "zp_fc.yaml", 4, "layer f", "'in_zero_point' is not allowed for op fc" },
    { "zp_binary.yaml", 5, "layer b", "in_zero_point 1: a binary (+-1) input has no zero point" },
    { "add_shift_range.yaml", 6, "layer sum", "a_shift 16 out of range [0, 15]" },
    { "shift_conv.yaml", 4, "layer a", "'r_shift' is not allowed for op conv" },
    { "missing_out_c.yaml", 4, "layer a", "missing 'out_c'" },
    { "missing_op.yaml", 4, "layer a", "missing 'op'" },
    { "missing_name.yaml", 5, "layers[1]", "missing 'name'" },
    { "groups_divide.yaml", 10, "layer dw", "groups 3 must divide in_c = 8" },
    { "groups_out_c.yaml", 4, "layer dw", "out_c 6 is not a multiple of groups = 4" },
    { "geom_both_keys.yaml", 8, "layer a", "give 'kernel' or 'kernel_h', not both" },
    { "geom_missing_axis.yaml", 4, "layer a", "missing 'kernel' or 'kernel_w' (required for op conv)" },
    { "geom_pad_right.yaml", 10, "layer a", "pad_right 3 out of range [0, kernel_w - 1 = 2]" },
    { "geom_stride_w.yaml", 4, "layer p", "stride_w 0 out of range [1, " },
    { "geom_fc_pad.yaml", 4, "layer f", "'pad_top' is not allowed for op fc" },
    { "empty.yaml", 0, "file", "empty network file" },
    { "does_not_exist.yaml", 0, "file", "cannot open" },
    { "huge_dim.yaml", 4, "layer a", "out_c 2000000 out of range" },
    { "mac_overflow.yaml", 5, "layer b", "overflows 64 bits" },
    { "bad_width.yaml", 4, "layer a", "w_bits 3" },
    { "bad_padding.yaml", 4, "layer a", "padding 3 out of range" },
    { "kernel_too_big.yaml", 4, "layer a", "does not fit the 8x8 input" },
    { "dup_name.yaml", 5, "layer a", "duplicate layer name (first defined on line 4)" },
    { "a_bits_wider.yaml", 5, "layer b", "a_bits 8 exceeds" },
    { "concat_hw.yaml", 6, "layer c", "concat needs equal h x w" },
    { "fc_kernel.yaml", 4, "layer f", "'kernel' is not allowed for op fc" },
    { "add_one_input.yaml", 5, "layer s", "takes exactly 2 inputs" },
    { "mul_shape.yaml", 6, "layer m", "mul multiplies 'a' (8x8x8) by a per-channel vector: 'b' must be 1x1x8, not 8x8x8" },
    { "mul_shift.yaml", 6, "layer m", "'a_shift' is not allowed for op mul" },
    { "mul_one_input.yaml", 5, "layer m", "op mul takes exactly 2 inputs, got 1" },
    { "unknown_key.yaml", 6, "layers[0].kernal", "unknown key" },
    { "bad_type.yaml", 6, "layers[0].kernel", "Invalid INT value" },
    { "syntax.yaml", 5, "syntax", "" },
    { "clip_no_act.yaml", 4, "layer a", "only meaningful with act: clip" },
    { "input_zero.yaml", 2, "input.h", "out of range" },
    { "no_layers.yaml", 0, "layers", "at least one layer" },
};

Test(net_errors, table)
{
    size_t n = sizeof cases / sizeof cases[0];
    cr_assert(n >= 12);
    for (size_t i = 0; i < n; i++) {
        const bad_case_t *c = &cases[i];
        char path[1024], want[1400], got[2048];
        snprintf(path, sizeof path, "%s%s", BAD, c->file);
        pk_net_t *net = (pk_net_t *)0x1;
        pk_error_t err = { 0 };
        int rc = pk_net_load(path, &net, &err);
        cr_expect_eq(rc, PK_EINPUT, "%s: rc %d", c->file, rc);
        cr_expect_null(net, "%s: *out must be NULL on failure", c->file);
        cr_expect_eq(pk_error_exit_status(rc), 2, "%s: exit status", c->file);
        pk_error_format(&err, got, sizeof got);
        if (c->line)
            snprintf(want, sizeof want, "%s:%d: %s: ", path, c->line, c->field);
        else
            snprintf(want, sizeof want, "%s: %s: ", path, c->field);
        cr_expect(strncmp(got, want, strlen(want)) == 0, "%s:\n  got  '%s'\n  want '%s...'",
                  c->file, got, want);
        cr_expect(strstr(got, c->needle) != NULL, "%s: '%s' lacks '%s'", c->file, got,
                  c->needle);
    }
}

/* Every file in the bad directory is covered by the table (a new bad file
 * without a row would otherwise test nothing). */
Test(net_errors, all_files_listed)
{
    FILE *p = popen("ls " BAD, "r");
    cr_assert_not_null(p);
    char name[256];
    int files = 0;
    while (fgets(name, sizeof name, p)) {
        name[strcspn(name, "\n")] = '\0';
        int found = 0;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            found |= strcmp(cases[i].file, name) == 0;
        cr_expect(found, "%s has no row in the table", name);
        files++;
    }
    pclose(p);
    cr_expect_geq(files, 12);
}

/* Hostile size: more than PK_NET_MAX_LAYERS layers is refused, not loaded. */
Test(net_errors, too_many_layers)
{
#if defined(__SANITIZE_ADDRESS__)
    /* libcyaml grows a sequence by realloc per entry; under ASan every
     * realloc copies, making 100,000 entries quadratic (minutes). */
    cr_skip_test("too slow under AddressSanitizer");
#endif
    char path[] = "/tmp/pk_net_many_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "name: big\ninput: {h: 1, w: 1, c: 1, bits: 8}\nlayers:\n");
    for (int i = 0; i <= PK_NET_MAX_LAYERS; i++)
        fprintf(f, "  - {name: l%d, op: maxpool, kernel: 1}\n", i);
    fclose(f);
    pk_net_t *net;
    pk_error_t err = { 0 };
    int rc = pk_net_load(path, &net, &err);
    remove(path);
    cr_expect_eq(rc, PK_EINPUT);
    char got[2048];
    pk_error_format(&err, got, sizeof got);
    cr_expect(strstr(got, "layers") != NULL, "%s", got);
}
