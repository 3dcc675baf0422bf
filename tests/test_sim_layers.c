/* test_sim_layers.c - every layer type of the functional model against the
 * naive QUANT.md reference (test_sim_util.h), on a tiny config with small
 * buffers (kc_max = 4, so chunking is exercised); timing-only counts equal
 * the counts of a run compiled with data; descriptors and the image agree
 * with the tensors. */
#include "test_sim_util.h"

#include "pk_func.h"
#include "pk_npy.h"
#include "pk_timing.h"

static const char *CFG =
    "name: tiny\nclock_mhz: 100\narray: {rows: 3, cols: 8, lanes: 8}\n"
    "precision: {weight_bits: [1, 2, 4, 8], act_bits: [1, 2, 4, 8], acc_bits: 32, max_reduction: 4096}\n"
    "postproc: {lanes: 4, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24, qn_shift_bits: 5,"
    " dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8, act_shift_bits: 4,"
    " activations: [relu, clip, prelu, dprelu, rprelu], residual: true, residual_shift_bits: 4,"
    " pooling: [max, avg, global_avg]}\n"
    "buffers: {weights: 256, activations: 96}\n"
    "offchip: {bytes_per_cycle: 4, latency: 5, addr_bits: 32}\nfpga: {family: generic}\n";

/* Every layer type: conv (multi-bit, padded), depthwise, max/avg/global pool,
 * binary XNOR conv with sign() requant of its input, 2-bit requant, concat,
 * add with RPReLU, fc; activations relu/prelu/dprelu/clip/rprelu; per-tensor
 * and per-channel parameters. */
static const char *NET =
    "name: every_layer\ninput: {h: 9, w: 9, c: 16, bits: 8, signed: false}\nseed: 7\nlayers:\n"
    "  - {name: c1, op: conv, out_c: 16, kernel: 3, stride: 1, padding: 1, w_bits: 4, out_bits: 4, norm: quantnorm, scale: dq, act: prelu}\n"
    "  - {name: dw, op: conv, inputs: [c1], out_c: 16, kernel: 3, stride: 2, padding: 1, groups: 16, w_bits: 4, out_bits: 4, quant: per_tensor, norm: quantnorm, scale: dq, act: relu}\n"
    "  - {name: mp, op: maxpool, inputs: [c1], kernel: 3, stride: 2, padding: 1}\n"
    "  - {name: bc, op: conv, inputs: [c1], out_c: 16, kernel: 3, stride: 1, padding: 1, w_bits: 1, a_bits: 1, out_bits: 1, norm: quantnorm, act: none}\n"
    "  - {name: b2, op: conv, inputs: [bc], out_c: 16, kernel: 1, w_bits: 1, out_bits: 8, norm: quantnorm, scale: dq, act: dprelu}\n"
    "  - {name: q2, op: conv, inputs: [c1], out_c: 8, kernel: 1, w_bits: 2, a_bits: 2, out_bits: 4, norm: quantnorm, scale: dq, act: clip, clip: [-3, 5]}\n"
    "  - {name: ca, op: conv, inputs: [b2], out_c: 8, kernel: 1, w_bits: 8, out_bits: 4, norm: quantnorm, scale: dq}\n"
    "  - {name: cat, op: concat, inputs: [ca, q2]}\n"
    "  - {name: add, op: add, inputs: [c1, cat], out_bits: 8, scale: dq, act: rprelu}\n"
    "  - {name: ap, op: avgpool, inputs: [add], kernel: 2, stride: 2, out_bits: 8}\n"
    "  - {name: gap, op: global_avgpool, inputs: [ap], out_bits: 8}\n"
    "  - {name: fc, op: fc, inputs: [mp], out_c: 10, w_bits: 8, out_bits: 8, scale: dq}\n";

static uint8_t *rand_input(const pk_net_t *n, uint64_t seed)
{
    int64_t k = (int64_t)n->in_h * n->in_w * n->in_c;
    uint8_t *x = malloc((size_t)k);
    uint64_t s = seed;
    for (int64_t i = 0; i < k; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = (uint8_t)(s >> 56) & (uint8_t)((1u << n->in_bits) - 1);
    }
    return x;
}

Test(sim_layers, every_layer_type_vs_naive_reference)
{
    pk_config_t *cfg = tsu_cfg(tsu_write("tiny.yaml", CFG));
    pk_net_t *net = tsu_net(tsu_write("every.yaml", NET));
    pk_hwnet_t *hw = NULL;
    pk_error_t e;
    pk_error_clear(&e);
    cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0, "%s", e.msg);
    cr_assert(hw->cfg->d.kc_max == 4);
    int kinds = 0;
    for (int i = 0; i < hw->n_layers; i++)
        kinds |= 1 << hw->layers[i].kind;
    cr_assert_eq(kinds, 0x1f, "all five hardware kinds present");

    uint8_t *in = rand_input(net, 3);
    uint8_t **ts = NULL;
    cr_assert_eq(pk_func_run(hw, in, &ts, &e), 0, "%s", e.msg);
    for (int i = 0; i < hw->n_layers; i++) {
        const pk_hwlayer_t *h = &hw->layers[i];
        int64_t n = (int64_t)h->out_h * h->out_w * h->out_c;
        uint8_t *ref = malloc((size_t)n);
        nv_layer(hw, i, ts, ref);
        int64_t bad = 0, distinct = 0, seen[256] = { 0 };
        for (int64_t k = 0; k < n; k++) {
            bad += ref[k] != ts[h->t_out][k];
            distinct += !seen[ref[k]]++;
        }
        cr_expect_eq(bad, 0, "layer %s: %lld of %lld outputs differ", h->name, (long long)bad,
                     (long long)n);
        /* the data must not be degenerate, or the comparison proves little */
        cr_expect(distinct >= 2 || n < 4, "layer %s: all outputs equal", h->name);
        free(ref);
    }
    /* the concat tensor holds both producers' slices */
    int tcat = hw->net_out_tensor[pk_net_find(net, "cat")];
    int tca = hw->net_out_tensor[pk_net_find(net, "ca")], tq2 = hw->net_out_tensor[pk_net_find(net, "q2")];
    for (int px = 0; px < 81; px++) {
        cr_assert_eq(memcmp(ts[tcat] + px * 16, ts[tca] + px * 8, 8), 0);
        cr_assert_eq(memcmp(ts[tcat] + px * 16 + 8, ts[tq2] + px * 8, 8), 0);
    }
    pk_func_free(hw, ts);
    free(in);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}

Test(sim_layers, timing_only_counts_equal_full_counts)
{
    pk_config_t *cfg = tsu_cfg(tsu_write("tiny.yaml", CFG));
    pk_net_t *net = tsu_net(tsu_write("every.yaml", NET));
    pk_hwnet_t *a = NULL, *b = NULL;
    pk_error_t e;
    cr_assert_eq(pk_compile(net, cfg, 1, &a, &e), 0);
    cr_assert_eq(pk_compile(net, cfg, 0, &b, &e), 0);
    pk_counters_t ca, cb;
    pk_timing_run(a, NULL, &ca);
    pk_timing_run(b, NULL, &cb);
    for (int i = 0; i < PK_CNT_COUNT; i++)
        cr_expect_eq(ca.v[i], cb.v[i], "counter %s", pk_counter_name(i));
    cr_assert(ca.v[PK_CNT_MACS] > 0 && ca.v[PK_CNT_STALL] < ca.v[PK_CNT_CYCLES]);
    uint8_t da[64], db[64];
    for (int i = 0; i < a->n_layers; i++) {
        pk_compile_descriptor(a, i, da);
        pk_compile_descriptor(b, i, db);
        cr_expect_eq(memcmp(da, db, 64), 0, "descriptor %d", i);
    }
    pk_hwnet_free(a);
    pk_hwnet_free(b);
    pk_net_free(net);
    pk_config_free(cfg);
}

Test(sim_layers, image_holds_descriptors_params_and_input)
{
    pk_config_t *cfg = tsu_cfg(tsu_write("tiny.yaml", CFG));
    pk_net_t *net = tsu_net(tsu_write("every.yaml", NET));
    pk_hwnet_t *hw = NULL;
    pk_error_t e;
    cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0);
    uint8_t *in = rand_input(net, 5);
    uint32_t codes[9 * 9 * 16], back[9 * 9 * 16];
    for (int i = 0; i < 9 * 9 * 16; i++)
        codes[i] = in[i];
    uint8_t *img = NULL;
    size_t len = 0;
    cr_assert_eq(pk_compile_image(hw, codes, &img, &len, &e), 0);
    cr_assert_eq(len, hw->image_bytes);
    pk_tensor_unpack(&hw->tensors[0], img, back);
    cr_assert_eq(memcmp(codes, back, sizeof codes), 0);
    for (int i = 0; i < hw->n_layers; i++) {
        const pk_hwlayer_t *h = &hw->layers[i];
        const uint8_t *d = img + hw->cmd_base + 64 * i;
        cr_expect_eq(d[0] & 15, h->kind);
        cr_expect_eq((uint32_t)(d[28] | d[29] << 8 | d[30] << 16 | (uint32_t)d[31] << 24), h->addr_in);
        if (h->uses_params) {
            uint8_t rec[32];
            pk_compile_param_record(&h->params[0], rec);
            cr_expect_eq(memcmp(img + h->addr_param, rec, 32), 0, "layer %s record 0", h->name);
            /* per-tensor: the one record is repeated for every channel */
            if (h->per_tensor)
                cr_expect_eq(memcmp(img + h->addr_param + 32 * (h->out_c - 1), rec, 32), 0);
        }
    }
    free(img);
    free(in);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}

/* A network of tests/data/check/layers/ that uses a feature (rounding,
 * in_zero_point): the model equals the naive reference on every layer, and
 * with the feature switched off (`off` on every layer) the codes differ, so
 * the feature is exercised, not ignored.  `d6` checks descriptor word 6. */
static void feature_vs_naive_and_off(const char *file, void (*off)(pk_hwlayer_t *),
                                     void (*d6)(const pk_hwlayer_t *, uint32_t))
{
    char path[512];
    snprintf(path, sizeof path, PIKE_SOURCE_ROOT "/tests/data/check/layers/%s", file);
    pk_config_t *cfg = tsu_cfg(tsu_write("tiny.yaml", CFG));
    pk_net_t *net = tsu_net(path);
    pk_hwnet_t *hw = NULL;
    pk_error_t e;
    pk_error_clear(&e);
    cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0, "%s", e.msg);
    uint8_t *in = rand_input(net, 7);
    uint8_t **on = NULL, **no = NULL;
    cr_assert_eq(pk_func_run(hw, in, &on, &e), 0, "%s", e.msg);
    for (int i = 0; i < hw->n_layers; i++) {
        pk_hwlayer_t *h = &hw->layers[i];
        uint8_t d[64];
        pk_compile_descriptor(hw, i, d);
        d6(h, (uint32_t)d[24] | (uint32_t)d[25] << 8 | (uint32_t)d[26] << 16 |
                  (uint32_t)d[27] << 24);
        int64_t n = (int64_t)h->out_h * h->out_w * h->out_c;
        uint8_t *ref = malloc((size_t)n);
        nv_layer(hw, i, on, ref);
        cr_expect_eq(memcmp(ref, on[h->t_out], (size_t)n), 0, "layer %s", h->name);
        free(ref);
        off(h);
    }
    cr_assert_eq(pk_func_run(hw, in, &no, &e), 0, "%s", e.msg);
    int64_t differ = 0;
    for (int i = 0; i < hw->n_layers; i++) {
        const pk_hwlayer_t *h = &hw->layers[i];
        int64_t n = (int64_t)h->out_h * h->out_w * h->out_c, dl = 0;
        for (int64_t k = 0; k < n; k++)
            dl += on[h->t_out][k] != no[h->t_out][k];
        cr_log_info("%s layer %s: %lld of %lld codes differ with the feature off", file, h->name,
                    (long long)dl, (long long)n);
        differ += dl;
    }
    cr_expect_gt(differ, 0);
    pk_func_free(hw, on);
    pk_func_free(hw, no);
    free(in);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}

static void round_off(pk_hwlayer_t *h) { h->round = 0; }
static void round_d6(const pk_hwlayer_t *h, uint32_t w6)
{
    cr_expect_eq(h->round, 1, "layer %s", h->name);
    cr_expect_eq((w6 >> 4) & 1, 1, "layer %s: descriptor ROUND", h->name);
}

Test(sim_layers, rounding_half_even_vs_naive_and_half_up)
{
    feature_vs_naive_and_off("rounding.yaml", round_off, round_d6);
}

static void zp_off(pk_hwlayer_t *h) { h->in_zp = 0; }
static void zp_d6(const pk_hwlayer_t *h, uint32_t w6)
{
    uint32_t code = (uint32_t)h->in_zp & ((1u << h->a_bits) - 1);
    cr_expect_eq((w6 >> 8) & 0xFF, code, "layer %s: descriptor IN_ZP", h->name);
    cr_expect(h->kind == PK_HW_POOLMAX ? h->in_zp == 0 : h->in_zp != 0, "layer %s", h->name);
}

Test(sim_layers, zero_point_padding_vs_naive_and_zero)
{
    feature_vs_naive_and_off("zeropoint.yaml", zp_off, zp_d6);
}

/* An average pool whose record comes from a params file, with QuantNorm:
 * y = rshr(rshr(sum * m + b, s) * M, E), the whole record as written (a
 * 2x2 window sum of 8-bit codes; m 1, b 5, s 2, M 3, E 3: no saturation). */
Test(sim_layers, avgpool_params_file_with_quantnorm)
{
    pk_config_t *cfg = tsu_cfg(tsu_write("tiny.yaml", CFG));
    const char *np = tsu_write("pool.p.npy", "");
    int32_t rec[9] = { 1, 5, 2, 3, 3, 0, 0, 0, 0 }; /* m b s M E an ap g z */
    int64_t shape[2] = { 1, 9 };
    pk_error_t e;
    pk_error_clear(&e);
    cr_assert_eq(pk_npy_write(np, PK_NPY_I32, shape, 2, rec, NULL, &e), 0, "%s", e.msg);
    pk_net_t *net = tsu_net(tsu_write("pool.yaml",
        "name: pool\ninput: {h: 4, w: 4, c: 2, bits: 8, signed: false}\nlayers:\n"
        "  - {name: p, op: avgpool, kernel: 2, out_bits: 8, norm: quantnorm, params: pool.p.npy}\n"));
    pk_hwnet_t *hw = NULL;
    cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0, "%s", e.msg);
    cr_assert_eq(hw->layers[0].qn_en, 1);
    uint8_t *in = rand_input(net, 11);
    uint8_t **ts = NULL;
    cr_assert_eq(pk_func_run(hw, in, &ts, &e), 0, "%s", e.msg);
    const pk_hwlayer_t *h = &hw->layers[0];
    for (int oy = 0; oy < 2; oy++)
        for (int ox = 0; ox < 2; ox++)
            for (int c = 0; c < 2; c++) {
                int64_t sum = 0;
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++)
                        sum += in[((oy * 2 + i) * 4 + ox * 2 + j) * 2 + c];
                int64_t t1 = nv_rnd(sum + 5, 2, 0), t3 = nv_rnd(t1 * 3, 3, 0);
                int64_t y = t3 < -128 ? -128 : t3 > 127 ? 127 : t3; /* out_signed (default) */
                cr_expect_eq(ts[h->t_out][(oy * 2 + ox) * 2 + c], (uint8_t)y, "(%d, %d, %d): %d, want %lld", oy,
                             ox, c, ts[h->t_out][(oy * 2 + ox) * 2 + c], (long long)y);
            }
    pk_func_free(hw, ts);
    free(in);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(cfg);
}
