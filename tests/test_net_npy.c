/* test_net_npy.c - parameter files: the .npy reader (dtypes, versions,
 * refusals) and its use by the network loader (shape checks with
 * FILE:LINE: layer NAME:, values through pk_net_layer_weights/params). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_net.h"
#include "pk_npy.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/pk_npy_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

/* Write a .npy file by hand: header dict padded to a multiple of 64. */
static void write_npy(const char *name, int major, const char *descr, const char *fortran,
                      const char *shape, const void *data, size_t bytes, size_t cut)
{
    char path[256], dict[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }",
                     descr, fortran, shape);
    int pre = major == 1 ? 10 : 12;
    int total = ((pre + n + 1 + 63) / 64) * 64;
    int hlen = total - pre;
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite("\x93NUMPY", 1, 6, f);
    fputc(major, f);
    fputc(0, f);
    fputc(hlen & 0xff, f);
    fputc((hlen >> 8) & 0xff, f);
    if (major != 1) {
        fputc(0, f);
        fputc(0, f);
    }
    fwrite(dict, 1, (size_t)n, f);
    for (int i = n; i < hlen - 1; i++)
        fputc(' ', f);
    fputc('\n', f);
    fwrite(data, 1, bytes - cut, f);
    fclose(f);
}

static void write_text(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static int header(const char *name, pk_npy_t *h, pk_error_t *e)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return pk_npy_header(path, h, e);
}

TestSuite(net_npy, .init = setup, .fini = teardown);

Test(net_npy, dtypes_and_versions)
{
    const int8_t a8[6] = { -1, 2, -3, 4, -5, 6 };
    const unsigned char a16[4] = { 0x01, 0x80, 0xff, 0x7f }; /* -32767, 32767 */
    const unsigned char a32[4] = { 0xfe, 0xff, 0xff, 0xff }; /* -2 */
    const float f32[2] = { -3.0f, 7.0f };
    write_npy("i8.npy", 1, "|i1", "False", "(2, 3)", a8, 6, 0);
    write_npy("i16.npy", 2, "<i2", "False", "(2,)", a16, 4, 0);
    write_npy("i32.npy", 3, "<i4", "False", "(1,)", a32, 4, 0);
    write_npy("f32.npy", 1, "<f4", "False", "(2,)", f32, 8, 0);
    pk_npy_t h;
    pk_error_t e = { 0 };
    int32_t v[6];
    char path[256];

    cr_assert_eq(header("i8.npy", &h, &e), 0, "%s", e.msg);
    cr_expect(h.ndim == 2 && h.shape[0] == 2 && h.shape[1] == 3 && h.count == 6);
    snprintf(path, sizeof path, "%s/i8.npy", dir);
    cr_assert_eq(pk_npy_read_i32(path, &h, v, 6, &e), 0);
    for (int i = 0; i < 6; i++)
        cr_expect_eq(v[i], a8[i]);

    cr_assert_eq(header("i16.npy", &h, &e), 0, "%s", e.msg);
    snprintf(path, sizeof path, "%s/i16.npy", dir);
    cr_assert_eq(pk_npy_read_i32(path, &h, v, 2, &e), 0);
    cr_expect(v[0] == -32767 && v[1] == 32767);

    cr_assert_eq(header("i32.npy", &h, &e), 0, "%s", e.msg);
    snprintf(path, sizeof path, "%s/i32.npy", dir);
    cr_assert_eq(pk_npy_read_i32(path, &h, v, 1, &e), 0);
    cr_expect_eq(v[0], -2);

    cr_assert_eq(header("f32.npy", &h, &e), 0, "%s", e.msg);
    snprintf(path, sizeof path, "%s/f32.npy", dir);
    cr_assert_eq(pk_npy_read_i32(path, &h, v, 2, &e), 0);
    cr_expect(v[0] == -3 && v[1] == 7);
}

Test(net_npy, refusals)
{
    const int32_t z[4] = { 0, 0, 0, 0 };
    const float frac[1] = { 0.5f };
    write_npy("be.npy", 1, ">i4", "False", "(4,)", z, 16, 0);
    write_npy("f64.npy", 1, "<f8", "False", "(2,)", z, 16, 0);
    write_npy("fortran.npy", 1, "<i4", "True", "(2, 2)", z, 16, 0);
    write_npy("short.npy", 1, "<i4", "False", "(4,)", z, 16, 4);
    write_npy("frac.npy", 1, "<f4", "False", "(1,)", frac, 4, 0);
    write_text("text.npy", "not numpy at all\n");
    static const struct { const char *f, *needle; } bad[] = {
        { "be.npy", "dtype '>i4' not supported" },
        { "f64.npy", "dtype '<f8' not supported" },
        { "fortran.npy", "C order" },
        { "short.npy", "bytes" },
        { "text.npy", "magic" },
        { "missing.npy", "cannot open" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pk_npy_t h;
        pk_error_t e = { 0 };
        cr_expect_eq(header(bad[i].f, &h, &e), PK_EINPUT, "%s", bad[i].f);
        cr_expect(strstr(e.msg, bad[i].needle) != NULL, "%s: '%s' lacks '%s'", bad[i].f, e.msg,
                  bad[i].needle);
    }
    pk_npy_t h;
    pk_error_t e = { 0 };
    char path[256];
    snprintf(path, sizeof path, "%s/frac.npy", dir);
    cr_assert_eq(pk_npy_header(path, &h, &e), 0);
    cr_expect_eq(pk_npy_read_i32(path, &h, (int32_t[1]){ 0 }, 1, &e), PK_EINPUT);
    cr_expect(strstr(e.msg, "integer codes") != NULL, "%s", e.msg);
}

static const char *net_yaml =
    "name: files\n"
    "input: {h: 4, w: 4, c: 3, bits: 8}\n"
    "layers:\n"
    "  - name: c1\n"
    "    op: conv\n"
    "    out_c: 2\n"
    "    kernel: 1\n"
    "    w_bits: 4\n"
    "    out_bits: 4\n"
    "    norm: quantnorm\n"
    "    weights: %s\n"
    "    params: %s\n";

static int load_net(const char *w, const char *p, pk_net_t **net, pk_error_t *e, char *ypath)
{
    char text[1024];
    snprintf(text, sizeof text, net_yaml, w, p);
    write_text("net.yaml", text);
    snprintf(ypath, 256, "%s/net.yaml", dir);
    return pk_net_load(ypath, net, e);
}

Test(net_npy, network_files)
{
    const int8_t w[6] = { -8, 7, 0, 1, -1, 3 };       /* [2, 1, 1, 3] */
    int32_t p[18];
    for (int i = 0; i < 18; i++)
        p[i] = i - 4;
    write_npy("w.npy", 1, "|i1", "False", "(2, 1, 1, 3)", w, 6, 0);
    write_npy("p.npy", 1, "<i4", "False", "(2, 9)", p, sizeof p, 0);
    pk_net_t *net;
    pk_error_t e = { 0 };
    char ypath[256];
    cr_assert_eq(load_net("w.npy", "p.npy", &net, &e, ypath), 0, "%s", e.msg);
    int32_t got[6];
    cr_assert_eq(pk_net_layer_weights(net, 0, got, &e), 0, "%s", e.msg);
    for (int i = 0; i < 6; i++)
        cr_expect_eq(got[i], w[i]);
    pk_chan_params_t cp[2];
    pk_layer_params_t lp;
    cr_assert_eq(pk_net_layer_params(net, 0, NULL, cp, &lp, &e), 0, "%s", e.msg);
    cr_expect(cp[0].m == -4 && cp[0].z == 4 && cp[1].m == 5 && cp[1].z == 13);
    pk_net_free(net);

    /* a weight outside the 4-bit range is refused when read */
    const int8_t wbad[6] = { -9, 0, 0, 0, 0, 0 };
    write_npy("wbad.npy", 1, "|i1", "False", "(2, 1, 1, 3)", wbad, 6, 0);
    cr_assert_eq(load_net("wbad.npy", "p.npy", &net, &e, ypath), 0, "%s", e.msg);
    cr_expect_eq(pk_net_layer_weights(net, 0, got, &e), PK_EINPUT);
    cr_expect(strstr(e.msg, "outside the 4-bit range") != NULL, "%s", e.msg);
    pk_net_free(net);
}

Test(net_npy, shape_mismatch_names_the_line)
{
    const int8_t w[6] = { 0 };
    int32_t p[18] = { 0 };
    write_npy("w3.npy", 1, "|i1", "False", "(3, 1, 1, 2)", w, 6, 0);
    write_npy("p.npy", 1, "<i4", "False", "(2, 9)", p, sizeof p, 0);
    write_npy("p8.npy", 1, "<i4", "False", "(2, 8)", p, 64, 0);
    pk_net_t *net;
    pk_error_t e = { 0 };
    char ypath[256], got[2048], want[512];
    cr_expect_eq(load_net("w3.npy", "p.npy", &net, &e, ypath), PK_EINPUT);
    pk_error_format(&e, got, sizeof got);
    snprintf(want, sizeof want, "%s:11: layer c1: weights ", ypath);
    cr_expect(strncmp(got, want, strlen(want)) == 0, "got '%s'", got);
    cr_expect(strstr(got, "shape (3, 1, 1, 2), the layer needs (2, 1, 1, 3)") != NULL, "%s", got);

    pk_error_clear(&e);
    const int8_t w6[6] = { 0 };
    write_npy("w.npy", 1, "|i1", "False", "(2, 1, 1, 3)", w6, 6, 0);
    cr_expect_eq(load_net("w.npy", "p8.npy", &net, &e, ypath), PK_EINPUT);
    pk_error_format(&e, got, sizeof got);
    snprintf(want, sizeof want, "%s:12: layer c1: params ", ypath);
    cr_expect(strncmp(got, want, strlen(want)) == 0, "got '%s'", got);

    pk_error_clear(&e);
    cr_expect_eq(load_net("nope.npy", "p.npy", &net, &e, ypath), PK_EINPUT);
    pk_error_format(&e, got, sizeof got);
    cr_expect(strstr(got, ":11: layer c1: weights") && strstr(got, "cannot open"), "%s", got);
}
