/* test_net_geom.c - the geometry of issue 13 item 2 from the network file to
 * the descriptor: per-axis kernel / stride keys and per-side padding (and the
 * scalar keys beside them), shapes and counts inferred from them, a grouped
 * conv lowered to one CONV layer per group with input and output channel
 * slices (descriptor word 13 and word 12), the whole-byte rule of group
 * slices (one clear error, exit status 2), and the v2 refusal naming the
 * layer.  Outputs against independent references: test_onnx_models.c (the
 * geometry models vs onnxruntime / qonnx) and test_check_input.c (RTL). */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_v2_rtl.h"

#define EDGE PIKE_SOURCE_ROOT "/hw_configs/edge.yaml"

static const char *write_net(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/pk_netgeom_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static pk_net_t *load(const char *text)
{
    const char *p = write_net(text);
    pk_net_t *net = NULL;
    pk_error_t e = { 0 };
    int rc = pk_net_load(p, &net, &e);
    cr_assert_eq(rc, 0, "%s:%d: %s: %s", e.file, e.line, e.field, e.msg);
    unlink(p);
    return net;
}

static pk_config_t *edge(void)
{
    pk_config_t *c = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_config_load(EDGE, &c, &e), 0, "%s", e.msg);
    return c;
}

static const char *const GEOM_NET =
    "name: g\n"
    "input: {h: 11, w: 6, c: 8, bits: 8}\n"
    "layers:\n"
    "  - {name: row, op: conv, out_c: 8, kernel_h: 1, kernel_w: 3, pad_left: 1, pad_right: 1,"
    " w_bits: 8, out_bits: 8}\n"
    "  - {name: col, op: conv, out_c: 16, kernel_h: 3, kernel_w: 1, stride_h: 2, stride_w: 1,"
    " pad_top: 1, pad_bottom: 1, groups: 4, w_bits: 4, out_bits: 8}\n"
    "  - {name: same, op: conv, out_c: 16, kernel: 3, stride: 2, pad_top: 0, pad_left: 0,"
    " pad_bottom: 1, pad_right: 1, groups: 2, w_bits: 4, out_bits: 8}\n"
    "  - {name: mp, op: maxpool, kernel_h: 1, kernel_w: 2, stride_w: 1}\n"
    "  - {name: gap, op: global_avgpool}\n"
    "  - {name: sq, op: conv, inputs: [row], out_c: 8, kernel: 3, padding: 1, w_bits: 8,"
    " out_bits: 8}\n";

Test(net_geom, keys_shapes_and_counts)
{
    pk_net_t *net = load(GEOM_NET);
    const pk_layer_t *L = net->layers;
    /* row: 1x3, pads left/right 1: 11x6 -> 11x6 */
    cr_expect(L[0].kh == 1 && L[0].kw == 3 && L[0].pad_l == 1 && L[0].pad_r == 1 &&
              L[0].pad_t == 0 && L[0].pad_b == 0 && L[0].out_h == 11 && L[0].out_w == 6);
    cr_expect_eq(L[0].K, 3 * 8);
    /* col: 3x1, stride (2, 1), pads top/bottom 1, groups 4: (11+2-3)/2+1 = 6 x 6,
     * K = 3 * 8 / 4 */
    cr_expect(L[1].kh == 3 && L[1].kw == 1 && L[1].sh == 2 && L[1].sw == 1 && L[1].out_h == 6 &&
              L[1].out_w == 6 && L[1].groups == 4 && !L[1].depthwise);
    cr_expect_eq(L[1].K, 6);
    cr_expect_eq(L[1].macs, 6 * 6 * 16 * 6);
    cr_expect_eq(L[1].n_weights, 16 * 6);
    /* same: TF SAME pads [0, 0, 1, 1], stride 2: ceil(6/2) x ceil(6/2) = 3 x 3 */
    cr_expect(L[2].out_h == 3 && L[2].out_w == 3 && L[2].pad_b == 1 && L[2].pad_r == 1 &&
              L[2].groups == 2);
    cr_expect_eq(L[2].K, 9 * 8);
    /* mp: window 1x2, stride_h defaults to kernel_h, stride_w 1: 3 x 2 */
    cr_expect(L[3].kh == 1 && L[3].kw == 2 && L[3].sh == 1 && L[3].sw == 1 && L[3].out_h == 3 &&
              L[3].out_w == 2);
    /* gap over 3 x 2 */
    cr_expect(L[4].kh == 3 && L[4].kw == 2 && L[4].K == 6 && L[4].out_h == 1);
    /* scalar keys: all four sides */
    cr_expect(L[5].pad_t == 1 && L[5].pad_l == 1 && L[5].pad_b == 1 && L[5].pad_r == 1 &&
              L[5].kh == 3 && L[5].kw == 3 && L[5].out_h == 11 && L[5].out_w == 6);
    pk_net_free(net);
}

static uint32_t word(const uint8_t *d, int k)
{
    return (uint32_t)d[4 * k] | (uint32_t)d[4 * k + 1] << 8 | (uint32_t)d[4 * k + 2] << 16 |
           (uint32_t)d[4 * k + 3] << 24;
}

Test(net_geom, grouped_conv_lowers_to_slices)
{
    pk_net_t *net = load(GEOM_NET);
    pk_config_t *cfg = edge();
    pk_hwnet_t *hw = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0, "%s", e.msg);
    /* row, col.g0..g3, same.g0..g1, mp, gap, sq */
    cr_assert_eq(hw->n_layers, 10);
    const pk_tensor_t *tin = &hw->tensors[hw->layers[0].t_out];
    const pk_tensor_t *tout = NULL;
    for (int g = 0; g < 4; g++) {
        const pk_hwlayer_t *h = &hw->layers[1 + g];
        char nm[32];
        snprintf(nm, sizeof nm, "col.g%d", g);
        cr_expect_str_eq(h->name, nm);
        cr_expect(h->kind == PK_HW_CONV && h->in_c == 2 && h->out_c == 4 && h->in_c_total == 8 &&
                  h->in_c_base == 2 * g && h->K == 3 * 2);
        cr_expect_eq(h->addr_in, tin->addr + (uint32_t)(2 * g), "group %d reads byte %d", g, 2 * g);
        cr_expect(h->out_c_total == 16 && h->out_c_base == 4 * g, "group %d: %d / %d", g,
                  h->out_c_total, h->out_c_base);
        cr_expect_eq(h->n_param_sets, 4);
        /* its weights: rows 4g .. 4g+3 of the layer's [16][3][1][2] */
        int32_t *all = malloc(16 * 6 * sizeof *all);
        cr_assert(all);
        cr_assert_eq(pk_net_layer_weights(&hw->inet, 1, all, &e), 0, "%s", e.msg);
        for (int i = 0; i < 4 * 6; i++)
            cr_expect_eq(h->weights[i], all[4 * g * 6 + i], "group %d weight %d", g, i);
        free(all);
        uint8_t d[PK_DESC_BYTES];
        pk_compile_descriptor(hw, 1 + g, d);
        /* word 13: stride_w 1, pad_left 0, in_c_total 8; word 4: stride_h 2, pad_top 1 */
        cr_expect_eq(word(d, 13), 1u | 8u << 16, "word 13 = 0x%08x", word(d, 13));
        cr_expect_eq((word(d, 4) >> 16) & 0xff, 2u | 1u << 4);
        tout = &hw->tensors[h->t_out];
        cr_expect(tout->parent >= 0 && tout->ch_base == 4 * g);
    }
    /* the grouped conv's output, read whole by 'same' */
    cr_expect_eq(hw->layers[5].t_in, tout->parent);
    cr_expect(hw->layers[5].in_c == 8 && hw->layers[5].in_c_total == 16 &&
              hw->layers[6].in_c_base == 8);
    /* pools and the rest: no slice, pads of word 13 */
    const pk_hwlayer_t *mp = &hw->layers[7];
    cr_expect(mp->kind == PK_HW_POOLMAX && mp->kh == 1 && mp->kw == 2 && mp->in_c_total == 0);
    cr_expect_eq(hw->layers[0].pad_l, 1);
    cr_expect_eq(hw->layers[0].pad, 0);
    pk_hwnet_free(hw);
    pk_config_free(cfg);
    pk_net_free(net);
}

/* 4-bit input, 1 channel per group: a group slice is half a byte. */
Test(net_geom, group_slice_not_whole_bytes_is_one_error)
{
    const char *p = write_net("name: g\n"
                              "input: {h: 4, w: 4, c: 4, bits: 4}\n"
                              "layers:\n"
                              "  - {name: a, op: conv, out_c: 8, kernel: 1, groups: 4, w_bits: 4,"
                              " out_bits: 4}\n");
    pk_net_t *net = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_net_load(p, &net, &e), 0, "%s", e.msg);
    pk_config_t *cfg = edge();
    pk_hwnet_t *hw = (pk_hwnet_t *)0x1;
    int rc = pk_compile(net, cfg, 0, &hw, &e);
    cr_expect_eq(pk_error_exit_status(rc), 2);
    cr_expect_null(hw);
    char msg[1024];
    pk_error_format(&e, msg, sizeof msg);
    char want[512];
    snprintf(want, sizeof want, "%s:4: layer a: grouped conv (groups 4): an input group of 1 "
             "channels x 4 bits is not a whole number of bytes", p);
    cr_expect(strncmp(msg, want, strlen(want)) == 0, "got  %s\nwant %s", msg, want);
    unlink(p);
    pk_config_free(cfg);
    pk_net_free(net);
}

/* The v2 model compiles all of word 13 (V2-3.1: layer `row`, pad left 1 and
 * top 0; V2-6.1: the grouped layers' channel slices as rows of strided
 * runs), and pk_core2 builds every layer: a channel slice of whole beats
 * (V2-6.1: `same`'s 2 groups of 8 8-bit channels, one 8-byte beat on edge)
 * and one that ends inside a beat (V2-11.4 item 17: `col`'s 4 groups of 2
 * bytes, refused until pk_ld2a's l_prun). */
Test(net_geom, v2_runs_word13_rtl_builds_every_slice)
{
    pk_net_t *net = load(GEOM_NET);
    pk_config_t *cfg = edge();
    pk_hwnet_t *hw = NULL;
    pk_error_t e = { 0 };
    cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0, "%s", e.msg);
    pk_plan_t *plan = NULL;
    pk_v2img_t *img = NULL;
    cr_assert_eq(pk_plan_make(hw, NULL, &plan, &e), 0, "%s", e.msg);
    cr_assert_eq(pk_v2_compile(hw, plan, &img, &e), 0, "%s", e.msg);
    int sub = 0, built = 0;
    for (int i = 0; i < hw->n_layers; i++) {
        char why[512] = "";
        const pk_hwlayer_t *h = &hw->layers[i];
        int no = pk_v2_rtl_supported(cfg, hw, plan, i, why, sizeof why);
        cr_expect(!no, "%s: %s", h->name, why);
        sub += h->in_c_total && h->in_c * h->a_bits / 8 % cfg->offchip.bytes_per_cycle;
        built += h->in_c_total && !(h->in_c * h->a_bits / 8 % cfg->offchip.bytes_per_cycle);
    }
    cr_expect_eq(sub, 4, "col's 4 groups of 2 bytes");
    cr_expect_eq(built, 2, "same's 2 groups of 8 bytes");
    pk_v2img_free(img);
    pk_plan_free(plan);
    pk_hwnet_free(hw);
    pk_config_free(cfg);
    pk_net_free(net);
}
