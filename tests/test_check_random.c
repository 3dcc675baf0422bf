/* test_check_random.c - pikecheck on randomized hardware configs, each with a
 * randomized network of small layers (seeded; the seed is printed, and a
 * failing case is reproduced with the two YAML files left in
 * PIKE_BIN_DIR/check-random/ or with PIKE_CHECK_SEED=<base seed>).
 *
 * A config draws: array R x C x V, weight and activation width sets (so L,
 * the modes and the packing rules vary), acc/internal widths, every
 * post-processing field width, PPU lanes, activation / pooling / residual
 * sets, buffer depths (kc_max 2..12: chunking), port width PB and latency.
 * Its network: 3 to 5 layers drawn from what the config supports (conv of
 * kernel 1 or 3, stride 1 or 2 and padding drawn per axis and side, so
 * non-square kernels, strides and asymmetric padding; grouped conv where
 * the group slices are whole bytes; depthwise; max pooling of non-square
 * windows, strides and pads; avg / global-average pooling, also over
 * non-square maps; residual add; fc last), random widths from the config's
 * sets, quantizers, norms and activations.
 *
 * Each config is one Verilator model build (about 20-40 s of CPU), so the
 * count is kept at the required 10; `gen_compiles` checks the generators
 * themselves on 300 seeds without Verilator.  PIKE_CHECK_RANDOM_CASES (default
 * 10) runs the first N of them, the others skip: the default suite runs 3
 * (tests/CMakeLists.txt, its time budget); all 10 are the bench of
 * benches/README.md, "Long test runs".
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pk_check.h"
#include "pk_compile.h"
#include "pk_config.h"
#include "pk_net.h"

#define N_RANDOM 10
#define OUT_DIR PIKE_BIN_DIR "/check-random"

static uint64_t rs;
static uint32_t rnd(void)
{
    rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rs >> 33);
}
static int rr(int lo, int hi) { return lo + (int)(rnd() % (uint32_t)(hi - lo + 1)); }
static int pick(const int *v, int n) { return v[rr(0, n - 1)]; }

typedef struct gcfg {
    int ws[4], nw, as[4], na;
    int acts[6], nacts; /* activation names index: 0 none, 1 relu, ... 5 rprelu */
    int pool_max, pool_avg, pool_gap, residual;
    unsigned modes; /* bit b: mode b = max(w, a) of a supported pair exists */
} gcfg_t;

static const char *act_names[] = {"none", "relu", "clip", "prelu", "dprelu", "rprelu"};

static uint64_t base_seed(void)
{
    const char *s = getenv("PIKE_CHECK_SEED");
    return s && *s ? strtoull(s, NULL, 0) : 1;
}

/* A random width set: non-empty subset of {1, 2, 4, 8}. */
static int width_set(int *out)
{
    int n = 0;
    while (!n)
        for (int b = 1; b <= 8; b *= 2)
            if (rr(0, 1))
                out[n++] = b;
    return n;
}

static void write_config(FILE *f, uint64_t seed, gcfg_t *g)
{
    g->nw = width_set(g->ws);
    g->na = width_set(g->as);
    g->modes = 0;
    for (int i = 0; i < g->nw; i++)
        for (int j = 0; j < g->na; j++)
            g->modes |= 1u << (g->ws[i] > g->as[j] ? g->ws[i] : g->as[j]);
    int maxw = g->ws[g->nw - 1], maxa = g->as[g->na - 1], mina = g->as[0];
    int minall = g->ws[0] < mina ? g->ws[0] : mina;
    int L = maxw > maxa ? maxw : maxa;
    /* V * minall % 8 == 0, C * mina % 8 == 0 */
    int V = minall == 1 ? pick((int[]){8, 16}, 2) : minall == 2 ? pick((int[]){4, 8}, 2)
                                                                 : pick((int[]){2, 4, 8}, 3);
    int C = mina == 1 ? 8 : mina == 2 ? pick((int[]){4, 8}, 2) : pick((int[]){2, 4, 6, 8}, 4);
    int R = rr(1, 3);
    int wb = V * L / 8;
    int divs[8], nd = 0;
    for (int d = 1; d <= C; d++)
        if (C % d == 0)
            divs[nd++] = d;
    int PL = pick(divs, nd);
    int maxred = pick((int[]){1024, 4096}, 2);
    int lg = maxred == 1024 ? 10 : 12;
    int acc = maxw + maxa + lg + rr(0, 3);
    int P = acc + rr(0, 4);
    if (P > 40)
        P = 40;
    int pbs[7], np = 0;
    for (int p = 1; p <= 16 && p <= C * wb; p *= 2)
        pbs[np++] = p;
    int PB = pick(pbs, np);
    g->nacts = 0;
    for (int a = 1; a <= 5; a++)
        if (rr(0, 2))
            g->acts[g->nacts++] = a;
    g->pool_max = rr(0, 1);
    g->pool_avg = rr(0, 1);
    g->pool_gap = rr(0, 1);
    g->residual = rr(0, 3) != 0;

    fprintf(f, "# random pikecheck config, seed %llu\n", (unsigned long long)seed);
    fprintf(f, "name: rnd%llu\nclock_mhz: 100\n", (unsigned long long)seed);
    fprintf(f, "array: {rows: %d, cols: %d, lanes: %d}\n", R, C, V);
    fprintf(f, "precision:\n  weight_bits: [");
    for (int i = 0; i < g->nw; i++)
        fprintf(f, "%s%d", i ? ", " : "", g->ws[i]);
    fprintf(f, "]\n  act_bits: [");
    for (int i = 0; i < g->na; i++)
        fprintf(f, "%s%d", i ? ", " : "", g->as[i]);
    fprintf(f, "]\n  acc_bits: %d\n  max_reduction: %d\n", acc, maxred);
    fprintf(f, "postproc:\n  lanes: %d\n  internal_bits: %d\n", PL, P);
    fprintf(f, "  qn_mult_bits: %d\n  qn_bias_bits: %d\n  qn_shift_bits: %d\n", rr(4, 12),
            rr(12, 24), rr(3, 6));
    fprintf(f, "  dq_mant_bits: %d\n  dq_exp_bits: %d\n  act_param_bits: %d\n", rr(4, 12),
            rr(3, 6), rr(4, 10));
    fprintf(f, "  act_shift_bits: %d\n  activations: [", rr(2, 4));
    for (int i = 0; i < g->nacts; i++)
        fprintf(f, "%s%s", i ? ", " : "", act_names[g->acts[i]]);
    fprintf(f, "]\n  residual: %s\n  residual_shift_bits: %d\n", g->residual ? "true" : "false",
            rr(2, 4));
    fprintf(f, "  pooling: [%s%s%s%s%s]\n", g->pool_max ? "max" : "",
            g->pool_max && (g->pool_avg || g->pool_gap) ? ", " : "", g->pool_avg ? "avg" : "",
            g->pool_avg && g->pool_gap ? ", " : "", g->pool_gap ? "global_avg" : "");
    fprintf(f, "buffers: {weights: %d, activations: %d}\n", C * wb * rr(2, 12), R * wb * rr(2, 12));
    fprintf(f, "offchip: {bytes_per_cycle: %d, latency: %d, addr_bits: 24}\n", PB, rr(1, 6));
    fprintf(f, "fpga: {family: generic}\n");
}

typedef struct gt {
    char name[16];
    int h, w, c, bits;
} gt_t;

static void conv_tail(FILE *f, const gcfg_t *g, int out_bits)
{
    int a = rr(0, g->nacts); /* 0: none */
    int act = a ? g->acts[a - 1] : 0;
    fprintf(f, ", w_bits: %d, out_bits: %d, quant: %s, norm: %s, scale: %s, act: %s}\n",
            g->ws[rr(0, g->nw - 1)], out_bits, rr(0, 1) ? "per_channel" : "per_tensor",
            rr(0, 3) ? "quantnorm" : "none", rr(0, 2) ? "dq" : "none", act_names[act]);
}

/* A group count G > 1 for a conv from c channels of a_bits to outputs of
 * ob bits whose input group slices are whole bytes (pk_compile's rule), or 1;
 * *ocg: output channels per group, also whole bytes. */
static int draw_groups(int c, int a_bits, int ob, int *ocg)
{
    int cand[4], n = 0;
    for (int G = 2; G <= 4; G++)
        if (c % G == 0 && (c / G) * a_bits % 8 == 0)
            cand[n++] = G;
    *ocg = rr(1, 2) * (ob >= 8 ? 1 : 8 / ob);
    return n && rr(0, 1) ? cand[rr(0, n - 1)] : 1;
}

/* "kernel: K" or "kernel_h: KH, kernel_w: KW" (and the same for stride). */
static void pair_keys(FILE *f, const char *key, int h, int w)
{
    if (h == w)
        fprintf(f, ", %s: %d", key, h);
    else
        fprintf(f, ", %s_h: %d, %s_w: %d", key, h, key, w);
}

/* Window geometry of a conv (kernel 1 or 3 per axis, stride 1 or 2) or a
 * max pool (window 2 or 3 per axis, stride up to the window), 1 on an axis
 * shorter than 3; four pads drawn below the kernel; writes the keys and the
 * output size. */
static void draw_window(FILE *f, const gt_t *p, gt_t *o, int conv)
{
    int k[2], st[2], pd[4], in[2] = { p->h, p->w };
    for (int a = 0; a < 2; a++) {
        k[a] = in[a] < 3 ? 1 : conv ? (rr(0, 1) ? 3 : 1) : rr(2, 3);
        st[a] = rr(1, conv ? 2 : k[a]);
    }
    for (int sd = 0; sd < 4; sd++)
        pd[sd] = rr(0, k[sd & 1] - 1);
    o->h = (p->h + pd[0] + pd[2] - k[0]) / st[0] + 1;
    o->w = (p->w + pd[1] + pd[3] - k[1]) / st[1] + 1;
    pair_keys(f, "kernel", k[0], k[1]);
    pair_keys(f, "stride", st[0], st[1]);
    fprintf(f, ", pad_top: %d, pad_left: %d, pad_bottom: %d, pad_right: %d", pd[0], pd[1], pd[2],
            pd[3]);
}

static void write_network(FILE *f, uint64_t seed, const gcfg_t *g)
{
    gt_t t[8];
    int nt = 0;
    gt_t in = {"input", rr(4, 9), rr(4, 9), rr(2, 12), g->as[rr(0, g->na - 1)]};
    t[nt++] = in;
    fprintf(f, "# random pikecheck network, seed %llu\n", (unsigned long long)seed);
    fprintf(f, "name: rnd%llu\nseed: %llu\n", (unsigned long long)seed,
            (unsigned long long)seed);
    fprintf(f, "input: {h: %d, w: %d, c: %d, bits: %d, signed: %s}\n", in.h, in.w, in.c, in.bits,
            in.bits > 1 && rr(0, 1) ? "true" : "false");
    fprintf(f, "layers:\n");
    int n = rr(3, 5);
    for (int i = 0; i < n; i++) {
        gt_t p = t[nt - 1], o = p;
        snprintf(o.name, sizeof o.name, "l%d", i);
        int ob = g->as[rr(0, g->na - 1)];
        int last = i == n - 1;
        int kind = rr(0, 9);
        /* pooling and EW run in mode a_bits: only where that mode exists */
        int ew_ok = (g->modes >> p.bits) & 1;
        /* fc last, when the input pixel is whole bytes */
        if (last && (p.c * p.bits) % 8 == 0 && rr(0, 1)) {
            o.h = o.w = 1;
            o.c = rr(1, 12);
            o.bits = ob;
            fprintf(f, "  - {name: %s, op: fc, out_c: %d", o.name, o.c);
            conv_tail(f, g, ob);
        } else if (kind <= 3 || (p.h < 2 || p.w < 2)) {
            int ocg, grp = draw_groups(p.c, p.bits, ob, &ocg);
            o.c = grp > 1 ? grp * ocg : rr(1, 12);
            o.bits = ob;
            fprintf(f, "  - {name: %s, op: conv, out_c: %d, groups: %d", o.name, o.c, grp);
            draw_window(f, &p, &o, 1);
            conv_tail(f, g, ob);
        } else if (kind <= 5 && p.c >= 2) {
            int k = (p.h >= 3 && p.w >= 3) ? 3 : 1;
            int s = rr(1, 2), pad = k == 3 ? rr(0, 1) : 0;
            o.h = (p.h + 2 * pad - k) / s + 1;
            o.w = (p.w + 2 * pad - k) / s + 1;
            o.bits = ob;
            fprintf(f,
                    "  - {name: %s, op: conv, out_c: %d, groups: %d, kernel: %d, stride: %d, "
                    "padding: %d",
                    o.name, o.c, o.c, k, s, pad);
            conv_tail(f, g, ob);
        } else if (kind == 6 && ew_ok && g->pool_max) {
            fprintf(f, "  - {name: %s, op: maxpool", o.name);
            draw_window(f, &p, &o, 0);
            fprintf(f, "}\n");
        } else if (kind == 7 && ew_ok && g->pool_avg) {
            int k = 2, pad = rr(0, 1);
            o.h = (p.h + 2 * pad - k) / 2 + 1;
            o.w = (p.w + 2 * pad - k) / 2 + 1;
            o.bits = ob;
            fprintf(f, "  - {name: %s, op: avgpool, kernel: 2, padding: %d, out_bits: %d}\n",
                    o.name, pad, ob);
        } else if (kind == 8 && ew_ok && g->pool_gap) {
            o.h = o.w = 1;
            o.bits = ob;
            fprintf(f, "  - {name: %s, op: global_avgpool, out_bits: %d}\n", o.name, ob);
        } else if (ew_ok && g->residual) {
            /* add [prev, an earlier tensor of the same shape], else
             * [a 1x1 conv of prev, prev] */
            const char *b = NULL;
            for (int j = nt - 2; j >= 0 && !b; j--)
                if (t[j].h == p.h && t[j].w == p.w && t[j].c == p.c)
                    b = t[j].name;
            if (!b) {
                fprintf(f, "  - {name: %s_b, op: conv, out_c: %d, kernel: 1", o.name, p.c);
                conv_tail(f, g, p.bits); /* operand A's width is the EW mode */
                b = p.name;
                fprintf(f, "  - {name: %s, op: add, inputs: [%s_b, %s], out_bits: %d", o.name,
                        o.name, b, ob);
            } else
                fprintf(f, "  - {name: %s, op: add, inputs: [%s, %s], out_bits: %d", o.name,
                        p.name, b, ob);
            int a = rr(0, g->nacts);
            fprintf(f, ", scale: %s, act: %s}\n", rr(0, 1) ? "dq" : "none",
                    act_names[a ? g->acts[a - 1] : 0]);
            o.bits = ob;
        } else {
            /* nothing else available: a 1x1 conv */
            o.c = rr(1, 12);
            o.bits = ob;
            fprintf(f, "  - {name: %s, op: conv, out_c: %d, kernel: 1", o.name, o.c);
            conv_tail(f, g, ob);
        }
        t[nt++] = o;
    }
}

static void gen_case(uint64_t seed, char *cfg_path, char *net_path, size_t len)
{
    mkdir(OUT_DIR, 0777);
    snprintf(cfg_path, len, OUT_DIR "/cfg_%llu.yaml", (unsigned long long)seed);
    snprintf(net_path, len, OUT_DIR "/net_%llu.yaml", (unsigned long long)seed);
    rs = seed * 0x9E3779B97F4A7C15ULL + 1;
    gcfg_t g;
    FILE *f = fopen(cfg_path, "w");
    cr_assert(f);
    write_config(f, seed, &g);
    fclose(f);
    f = fopen(net_path, "w");
    cr_assert(f);
    write_network(f, seed, &g);
    fclose(f);
}

/* The generators produce configs and networks that load and compile, and
 * the networks use the geometry of descriptor word 13. */
Test(check_random, gen_compiles)
{
    int grouped = 0, nonsquare = 0, asym = 0;
    for (uint64_t s = 1000000; s < 1000300; s++) { /* not the seeds of the cases below */
        char cp[512], np[512], msg[2048];
        gen_case(s, cp, np, sizeof cp);
        pk_config_t *cfg = NULL;
        pk_net_t *net = NULL;
        pk_hwnet_t *hw = NULL;
        pk_error_t err;
        pk_error_clear(&err);
        int rc = pk_config_load(cp, &cfg, &err);
        if (!rc)
            rc = pk_net_load(np, &net, &err);
        if (!rc)
            rc = pk_compile(net, cfg, 1, &hw, &err);
        pk_error_format(&err, msg, sizeof msg);
        cr_assert_eq(rc, 0, "seed %llu: %s", (unsigned long long)s, msg);
        cr_assert_geq(hw->n_layers, 3);
        for (int i = 0; i < hw->n_layers; i++) {
            const pk_hwlayer_t *h = &hw->layers[i];
            grouped += h->in_c_total != 0;
            nonsquare += h->kh != h->kw || h->stride != h->stride_w;
            asym += h->pad != h->pad_l;
        }
        pk_hwnet_free(hw);
        pk_net_free(net);
        pk_config_free(cfg);
        remove(cp);
        remove(np);
    }
    cr_log_info("300 random networks: %d group layers, %d non-square kernel / stride, %d with "
                "pad_top != pad_left", grouped, nonsquare, asym);
    cr_expect(grouped > 0 && nonsquare > 0 && asym > 0, "groups %d, non-square %d, asymmetric %d",
              grouped, nonsquare, asym);
}

/* How many of the N_RANDOM cases run (PIKE_CHECK_RANDOM_CASES). */
static int n_cases(void)
{
    const char *s = getenv("PIKE_CHECK_RANDOM_CASES");
    int n = s && *s ? atoi(s) : N_RANDOM;
    return n < 1 || n > N_RANDOM ? N_RANDOM : n;
}

static void run_random(int i)
{
    if (i >= n_cases())
        cr_skip_test("case %d: PIKE_CHECK_RANDOM_CASES=%d", i, n_cases());
    setenv("PIKE_CACHE_DIR", PIKE_BIN_DIR "/check-cache", 0);
    uint64_t seed = base_seed() * 1000 + (uint64_t)i;
    char cp[512], np[512], msg[2048];
    gen_case(seed, cp, np, sizeof cp);
    printf("check_random: case %d, seed %llu (PIKE_CHECK_SEED=%llu), %s, %s\n", i,
           (unsigned long long)seed, (unsigned long long)base_seed(), cp, np);
    fflush(stdout);
    pk_check_opts_t o;
    memset(&o, 0, sizeof o);
    o.config_path = cp;
    o.network_path = np;
    o.seed = seed;
    pk_error_t err;
    pk_error_clear(&err);
    pk_check_result_t *r = NULL;
    int rc = pk_check_run(&o, &r, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "seed %llu: %s", (unsigned long long)seed, msg);
    pk_check_report(stdout, r);
    fflush(stdout);
    cr_assert(r->pass, "seed %llu: %s", (unsigned long long)seed, r->first_diff);
    cr_assert_geq(r->n_layers, 3);
    pk_check_free(r);
}

#define RCASE(i) \
    Test(check_random, config_##i, .timeout = 900) { run_random(i); }
RCASE(0)
RCASE(1)
RCASE(2)
RCASE(3)
RCASE(4)
RCASE(5)
RCASE(6)
RCASE(7)
RCASE(8)
RCASE(9)
