/* test_sim_roofline.c - the roofline bound of docs/SIM.md, layers computed by hand.
 *
 * Config: R = 2, C = 8, V = 8, widths {4, 8} so L = 8; PB = 8 bytes per
 * cycle.  Mode 8: VP = 8, CONV peak R*C*VP = 128, others R*min(C, VP) = 16.
 * Mode 4: VP = 16, CONV peak 256, others R*min(8, 16) = 16.
 * Network (input 4 x 4 x 16, 8-bit):
 *   c  conv 3x3 pad 1 -> 4x4x8, w8, out 4-bit, per-channel quantnorm + relu
 *      ops 4*4*8 * 9*16 = 18432 -> 18432/128 = 144 cycles
 *      bytes: weights 8*144 = 1152, records 8*32 = 256, input 4*4*16 = 256,
 *      output 4*4*ceil(8*4/8) = 64: 1728 -> 216 cycles.  Bound 216 (memory).
 *   p  maxpool 2x2 s2 -> 2x2x8 (4-bit, mode 4): ops 2*2*8*4 = 128 -> 8;
 *      bytes 64 + 16 = 80 -> 10.  Bound 10 (memory).
 *   d  depthwise 3x3 pad 1, w4, out 8-bit, per-tensor quantnorm: ops
 *      2*2*8*9 = 288 -> 288/16 = 18; bytes: weights ceil(8*9*4/8) = 36, one
 *      record 32, input 16, output 2*2*8 = 32: 116 -> ceil(14.5) = 15.
 *      Bound 18 (compute).
 *   a  add [d, d] (8-bit, mode 8), per-tensor dq + relu, out 4-bit: ops 32
 *      -> 2; bytes: record 32, input 32, residual 32, output 2*2*4 = 16: 112
 *      -> 14.  Bound 14 (memory).
 *   f  fc 10 on a's 2x2x8 4-bit (K = 32, w4, mode 4, peak 256), per-channel
 *      dq, out 8-bit: ops 320 -> ceil(1.25) = 2; bytes: weights 160,
 *      records 320, input 16, output 10: 506 -> ceil(63.25) = 64.  Bound 64.
 * Network: 216 + 10 + 18 + 14 + 64 = 322.
 */
#include "test_sim_util.h"

#include "pk_roofline.h"
#include "pk_sim.h"

static const char *CFG =
    "name: t\nclock_mhz: 100\narray: {rows: 2, cols: 8, lanes: 8}\n"
    "precision: {weight_bits: [4, 8], act_bits: [4, 8], acc_bits: 32, max_reduction: 4096}\n"
    "postproc: {lanes: 8, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24,"
    " qn_shift_bits: 5, dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8,"
    " act_shift_bits: 4, activations: [relu], residual: true, residual_shift_bits: 4,"
    " pooling: [max]}\n"
    "buffers: {weights: 4096, activations: 4096}\n"
    "offchip: {bytes_per_cycle: 8, latency: 4, addr_bits: 32}\nfpga: {family: generic}\n";

static const char *NET =
    "name: t\ninput: {h: 4, w: 4, c: 16, bits: 8, signed: true}\nlayers:\n"
    "  - {name: c, op: conv, out_c: 8, kernel: 3, stride: 1, padding: 1, w_bits: 8,"
    " out_bits: 4, out_signed: false, quant: per_channel, norm: quantnorm, act: relu}\n"
    "  - {name: p, op: maxpool, kernel: 2, stride: 2}\n"
    "  - {name: d, op: conv, groups: 8, out_c: 8, kernel: 3, stride: 1, padding: 1, w_bits: 4,"
    " out_bits: 8, quant: per_tensor, norm: quantnorm}\n"
    "  - {name: a, op: add, inputs: [d, d], out_bits: 4, out_signed: false, scale: dq,"
    " act: relu}\n"
    "  - {name: f, op: fc, out_c: 10, w_bits: 4, out_bits: 8, scale: dq}\n";

typedef struct expect {
    const char *name;
    int64_t ops, peak, w, par, in, res, out, comp, mem, bound;
} expect_t;

static const expect_t EXP[] = {
    { "c", 18432, 128, 1152, 256, 256, 0, 64, 144, 216, 216 },
    { "p", 128, 16, 0, 0, 64, 0, 16, 8, 10, 10 },
    { "d", 288, 16, 36, 32, 16, 0, 32, 18, 15, 18 },
    { "a", 32, 16, 0, 32, 32, 32, 16, 2, 14, 14 },
    { "f", 320, 256, 160, 320, 16, 0, 10, 2, 64, 64 },
};
#define N_EXP ((int)(sizeof EXP / sizeof EXP[0]))

static pk_config_t *cfg;
static pk_net_t *net;

static void setup(void)
{
    cfg = tsu_cfg(tsu_write("r.yaml", CFG));
    net = tsu_net(tsu_write("rn.yaml", NET));
}

static void teardown(void)
{
    pk_net_free(net);
    pk_config_free(cfg);
}

static void expect_layer(const pk_roofline_t *r, const expect_t *x)
{
    cr_expect_eq(r->ops, x->ops, "%s ops %lld", x->name, (long long)r->ops);
    cr_expect_eq(r->peak, x->peak, "%s peak %lld", x->name, (long long)r->peak);
    cr_expect_eq(r->weight_bytes, x->w, "%s weights %lld", x->name, (long long)r->weight_bytes);
    cr_expect_eq(r->param_bytes, x->par, "%s records %lld", x->name, (long long)r->param_bytes);
    cr_expect_eq(r->input_bytes, x->in, "%s input %lld", x->name, (long long)r->input_bytes);
    cr_expect_eq(r->residual_bytes, x->res, "%s residual", x->name);
    cr_expect_eq(r->output_bytes, x->out, "%s output %lld", x->name, (long long)r->output_bytes);
    cr_expect_eq(r->compulsory_bytes, x->w + x->par + x->in + x->res + x->out, "%s", x->name);
    cr_expect_eq(r->compute_cycles, x->comp, "%s compute %lld", x->name,
                 (long long)r->compute_cycles);
    cr_expect_eq(r->memory_cycles, x->mem, "%s memory %lld", x->name,
                 (long long)r->memory_cycles);
    cr_expect_eq(r->cycles, x->bound, "%s bound %lld", x->name, (long long)r->cycles);
    cr_expect_eq(pk_roofline_memory_bound(r), x->mem > x->comp, "%s limit", x->name);
}

Test(sim_roofline, hand_computed_layers, .init = setup, .fini = teardown)
{
    pk_hwnet_t *hw = NULL;
    pk_error_t e;
    cr_assert_eq(pk_compile(net, cfg, 0, &hw, &e), 0, "%s", e.msg);
    cr_assert_eq(hw->n_layers, N_EXP);
    for (int i = 0; i < N_EXP; i++) {
        cr_assert_str_eq(hw->layers[i].name, EXP[i].name);
        pk_roofline_t r;
        pk_roofline_layer(hw, i, &r);
        expect_layer(&r, &EXP[i]);
    }
    pk_hwnet_free(hw);
}

/* The simulator's report sums its layers' bounds and multiplies by views. */
Test(sim_roofline, sums_and_views_in_the_sim_result, .init = setup, .fini = teardown)
{
    pk_sim_opts_t o = { .seed = 1, .views = 3, .timing_only = 1, .acev2 = NULL };
    pk_sim_result_t *r = NULL;
    pk_error_t e;
    cr_assert_eq(pk_sim_run(net, cfg, &o, &r, &e), 0, "%s", e.msg);
    int64_t bound = 0, bytes = 0;
    for (int i = 0; i < N_EXP; i++) {
        const pk_roofline_t *l = &r->layers[i].roof;
        cr_expect_eq(l->cycles, 3 * EXP[i].bound, "%s", EXP[i].name);
        cr_expect_eq(l->ops, 3 * EXP[i].ops, "%s", EXP[i].name);
        cr_expect_eq(l->peak, EXP[i].peak, "%s: one hardware layer keeps its peak", EXP[i].name);
        bound += l->cycles;
        bytes += l->compulsory_bytes;
    }
    cr_expect_eq(r->roof.cycles, 3 * 322);
    cr_expect_eq(r->roof.cycles, bound);
    cr_expect_eq(r->roof.compulsory_bytes, bytes);
    cr_expect_eq(r->roof.compute_cycles, 3 * (144 + 8 + 18 + 2 + 2));
    cr_expect_eq(r->roof.memory_cycles, 3 * (216 + 10 + 15 + 14 + 64));
    cr_expect_eq(r->roof.peak, 0, "a sum of layers of different peaks has none");
    /* every output is written once: the simulated writes are the compulsory ones */
    cr_expect_eq((int64_t)r->total.v[PK_CNT_DRAM_WR_BYTES], r->roof.output_bytes);
    /* and no schedule beats the bound */
    for (int i = 0; i < N_EXP; i++)
        cr_expect_geq((int64_t)r->layers[i].cnt.v[PK_CNT_CYCLES], r->layers[i].roof.cycles,
                      "%s", EXP[i].name);
    pk_sim_free(r);
}

/* A conv reading a wider tensor gets an inserted requantization layer
 * (NAME.req); the network layer's bound is the sum of its two hardware
 * layers'.  c8 emits 8-bit codes; q reads them at 4 bits.
 *   q.req  EW, mode 8 (its input is 8-bit): ops 4*4*16 = 256 -> 256/16 = 16;
 *          bytes: record 32, input 4*4*16 = 256, output 4*4*8 = 128: 416 -> 52.
 *   q      conv 1x1 w4 a4 (mode 4, peak 256), per-channel, no parameters:
 *          ops 4*4*8*16 = 2048 -> 8; weights 8*16/2 = 64, input 128, output
 *          4*4*8 = 128: 320 -> 40.  Network layer q: 52 + 40 = 92. */
Test(sim_roofline, requant_layer_counted_in_its_consumer)
{
    pk_config_t *c = tsu_cfg(tsu_write("r2.yaml", CFG));
    pk_net_t *n = tsu_net(tsu_write(
        "rn2.yaml", "name: t\ninput: {h: 4, w: 4, c: 16, bits: 8, signed: true}\nlayers:\n"
                    "  - {name: q, op: conv, out_c: 8, kernel: 1, w_bits: 4, a_bits: 4,"
                    " out_bits: 8}\n"));
    pk_sim_opts_t o = { .seed = 1, .views = 1, .timing_only = 1, .acev2 = NULL };
    pk_sim_result_t *r = NULL;
    pk_error_t e;
    cr_assert_eq(pk_sim_run(n, c, &o, &r, &e), 0, "%s", e.msg);
    cr_assert_eq(r->layers[0].hw_count, 2);
    pk_roofline_t a, b;
    pk_roofline_layer(r->hw, 0, &a);
    pk_roofline_layer(r->hw, 1, &b);
    cr_expect_eq(a.cycles, 52, "q.req %lld", (long long)a.cycles);
    cr_expect_eq(a.param_bytes, 32);
    cr_expect_eq(b.cycles, 40, "q %lld", (long long)b.cycles);
    cr_expect_eq(b.param_bytes, 0);
    cr_expect_eq(r->layers[0].roof.cycles, 92);
    cr_expect_eq(r->layers[0].roof.peak, 0, "two hardware layers of different peaks");
    pk_sim_free(r);
    pk_net_free(n);
    pk_config_free(c);
}

Test(sim_roofline, add_and_scale)
{
    pk_roofline_t a = { .ops = 10, .peak = 4, .weight_bytes = 1, .param_bytes = 2,
                        .input_bytes = 3, .residual_bytes = 4, .output_bytes = 5,
                        .compulsory_bytes = 15, .compute_cycles = 3, .memory_cycles = 2,
                        .cycles = 3 };
    pk_roofline_t s = a;
    pk_roofline_add(&s, &a);
    cr_expect_eq(s.peak, 4, "same peak kept");
    pk_roofline_scale(&s, 5);
    cr_expect_eq(s.ops, 100);
    cr_expect_eq(s.compulsory_bytes, 150);
    cr_expect_eq(s.residual_bytes, 40);
    cr_expect_eq(s.cycles, 30);
    cr_expect_eq(s.memory_cycles, 20);
    pk_roofline_t b = a;
    b.peak = 8;
    pk_roofline_add(&s, &b);
    cr_expect_eq(s.peak, 0);
    cr_expect_eq(s.cycles, 33);
}

/* The bound is a lower bound: on every zoo network and both shipped configs
 * that run them, no layer's simulated cycles are below its bound. */
Test(sim_roofline, no_layer_beats_its_bound_on_the_zoo, .timeout = 300)
{
    static const char *const cfgs[] = { "edge", "cloud" };
    static const char *const nets[] = {
        "resnet18_w4a4",    "resnet50_w4a4",  "mobilenetv1_w4a4", "mobilenetv2_w4a4",
        "mobilenetv2_w4a4_prelu_fe", "pikelpn_1x", "pokebnn_1_0", "reactnet_a", "resnet18_w8a8",
    };
    char path[512];
    for (size_t c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++) {
        snprintf(path, sizeof path, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cfgs[c]);
        pk_config_t *cfg = tsu_cfg(path);
        for (size_t k = 0; k < sizeof nets / sizeof nets[0]; k++) {
            snprintf(path, sizeof path, "%s/networks/%s.yaml", PIKE_SOURCE_ROOT, nets[k]);
            pk_net_t *n = tsu_net(path);
            pk_sim_opts_t o = { .seed = 1, .views = 1, .timing_only = 1, .acev2 = NULL };
            pk_sim_result_t *r = NULL;
            pk_error_t e;
            cr_assert_eq(pk_sim_run(n, cfg, &o, &r, &e), 0, "%s: %s", nets[k], e.msg);
            for (int i = 0; i < r->n_layers; i++)
                cr_expect_geq((int64_t)r->layers[i].cnt.v[PK_CNT_CYCLES],
                              r->layers[i].roof.cycles, "%s on %s: layer %s", nets[k], cfgs[c],
                              r->layers[i].L->name);
            cr_expect_gt(r->roof.cycles, 0);
            pk_sim_free(r);
            pk_net_free(n);
        }
        pk_config_free(cfg);
    }
}
