/* test_v2rtl_trace.c - the v2 model's event trace (sim/pk_v2.h
 * pk_v2_timing_trace), the oracle the v2 RTL engines are tested against
 * (docs/ARCHITECTURE.md V2-11).
 *
 * A one-tile layer worked by hand (the same layer as plan/single_tile: every
 * request, the step, the tile event with its PPU pass, the group's writes);
 * then on zoo networks and random configs the trace must agree with the
 * model's own counters and with the rules of V2-11.3: requests one per cycle
 * with D = max(D, I + LAT) + beats, steps back to back in order, a tile
 * event V2_ARRAY_LAT - 1 cycles after its last step with ppu = ceil(nr / k) *
 * ceil(nc / PL) issue cycles (k rows per read, V2-7.4), an accumulator bank reused only after its PPU pass, a
 * group's first beat after its last tile's PPU end + PPU_LAT, and the layer
 * ending at its last group's write end.
 */
#include "test_sim_util.h"

#include <dirent.h>

#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_v2.h"
#include "pk_v2desc.h"
#include "test_v2_util.h"

#define MAXEV 400000

typedef struct trace {
    pk_v2_event_t *ev;
    int n;
} trace_t;

static void record(void *ctx, const pk_v2_event_t *e)
{
    trace_t *t = ctx;
    cr_assert_lt(t->n, MAXEV);
    t->ev[t->n++] = *e;
}

/* Run f's image through the model with a trace; per-layer timings in *T
 * (freed by the caller). */
static void run(const fx_t *f, trace_t *t, pk_layer_timing_t **T)
{
    int n = f->hw->n_layers;
    t->ev = malloc(MAXEV * sizeof *t->ev);
    t->n = 0;
    *T = calloc((size_t)n, sizeof **T);
    cr_assert(t->ev && *T);
    pk_counters_t tot;
    pk_error_t e;
    pk_v2_trace_t tr = {record, t};
    cr_assert_eq(pk_v2_timing_trace(f->cfg, NULL, n, pk_v2img_descriptor(f->img, 0), &tr, *T,
                                    &tot, &e),
                 0);
}

static const char *cfg_text(void)
{
    return "name: t\nclock_mhz: 100\narray: {rows: 2, cols: 8, lanes: 8}\n"
           "precision: {weight_bits: [8], act_bits: [8], acc_bits: 32, max_reduction: 4096}\n"
           "postproc: {lanes: 8, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24,"
           " qn_shift_bits: 5, dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8,"
           " act_shift_bits: 4, activations: [relu], residual: true, residual_shift_bits: 4,"
           " pooling: [max, global_avg]}\n"
           "buffers: {weights: 4096, activations: 4096}\n"
           "offchip: {bytes_per_cycle: 8, latency: 4, addr_bits: 32}\nfpga: {family: generic}\n";
}

/* 1x1 conv, 1 x 2 x 8 -> 8 channels, one tile (plan/single_tile's
 * numbers): descriptor I = 1, D = 1 + 4 + 32 = 37, usable 38; lay_start
 * 38 + 18 = 56 (V2-7.5: PB = 8, 16 rows of DLW = 4 words); weights 64 B at
 * I = 57, D = 69; row 0 16 B at I = 58, D = 71, usable 71 + 1 + RING_WR_LAT
 * (3) = 75; step 75..76; tile event 76 + V2_ARRAY_LAT (3) - 1 = 78, PPU
 * 79..81 (2 rows x 1 group); writes: 2 beats from 81 + 5 = 86, end 88. */
Test(v2rtl_trace, single_tile)
{
    char cp[300];
    snprintf(cp, sizeof cp, "%s", tsu_write("c.yaml", cfg_text()));
    const char *np = tsu_write("n.yaml", "name: t\ninput: {h: 1, w: 2, c: 8, bits: 8, signed: true}\n"
                                         "layers:\n  - {name: c, op: conv, out_c: 8, kernel: 1,"
                                         " stride: 1, padding: 0, w_bits: 8, out_bits: 8}\n");
    fx_t f;
    pk_error_t e;
    cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s", e.msg);
    trace_t t;
    pk_layer_timing_t *T;
    run(&f, &t, &T);
    pk_v2_desc_t d;
    pk_v2_desc_decode(pk_v2img_descriptor(f.img, 0), &d);
    cr_assert_eq(t.n, 7);
    const pk_v2_event_t *v = t.ev;
    cr_expect(v[0].kind == PK_V2_EV_REQ && v[0].unit == PK_V2_U_DESC && v[0].cycle == 1 &&
              v[0].end == 37 && v[0].addr == 0 && v[0].len == 256);
    cr_expect(v[1].kind == PK_V2_EV_REQ && v[1].unit == PK_V2_U_W && v[1].cycle == 57 &&
              v[1].end == 69 && v[1].addr == d.addr_w && v[1].len == 64);
    cr_expect(v[2].kind == PK_V2_EV_REQ && v[2].unit == PK_V2_U_A && v[2].cycle == 58 &&
              v[2].end == 71 && v[2].addr == d.addr_in && v[2].len == 16);
    cr_expect(v[3].kind == PK_V2_EV_STEP && v[3].cycle == 75 && v[3].end == 76 && v[3].nk == 1 &&
              v[3].tail == 0 && v[3].bank == 0);
    cr_expect(v[4].kind == PK_V2_EV_TILE && v[4].cycle == 78 && v[4].ps == 79 && v[4].end == 81 &&
              v[4].p0 == 0 && v[4].nr == 2 && v[4].c0 == 0 && v[4].nc == 8 && v[4].open &&
              v[4].close && v[4].last);
    cr_expect(v[5].kind == PK_V2_EV_GROUP && v[5].cycle == 86 && v[5].end == 88 &&
              v[5].beats == 2 && v[5].runs == 1);
    cr_expect(v[6].kind == PK_V2_EV_LAYER && v[6].cycle == 0 && v[6].ps == 56 &&
              v[6].end == 88);
    free(t.ev);
    free(T);
    fx_free(&f);
}

/* Per-layer sums of the trace. */
typedef struct sums {
    int64_t rd_bytes, rd_reqs, steps, busy, tiles, lasts, groups, closes, wr_reqs;
    int64_t last_group_end;
} sums_t;

/* The read port of V2-7.1: one request per cycle, D recurrence. */
/* V2-7.4 restated: rows per accumulator read, floor(PL / cw) for cw =
 * pow2_ceil(nc) <= PL, else 1. */
static int64_t rows_per_read(int64_t nc, int64_t PL)
{
    int64_t cw = 1;
    while (cw < nc)
        cw <<= 1;
    return cw <= PL ? PL / cw : 1;
}

static void check_req(const fx_t *f, const pk_v2_event_t *e, int64_t *last_i, int64_t *d,
                      const char *what)
{
    int64_t lat = f->cfg->offchip.latency, pb = f->cfg->offchip.bytes_per_cycle;
    cr_expect_gt(e->cycle, *last_i, "%s: request at %lld after one at %lld", what,
                 (long long)e->cycle, (long long)*last_i);
    cr_expect_gt(e->len, 0, "%s", what);
    int64_t want = pk_max2(*d, e->cycle + lat) + pk_cdiv(e->len, pb);
    cr_expect_eq(e->end, want, "%s: request at %lld ends %lld, D recurrence %lld", what,
                 (long long)e->cycle, (long long)e->end, (long long)want);
    *last_i = e->cycle;
    *d = e->end;
}

/* One network: the trace against the counters and V2-11.3's rules. */
static void consistent(fx_t *f, const char *what)
{
    trace_t t;
    pk_layer_timing_t *T;
    run(f, &t, &T);
    int n = f->hw->n_layers;
    int64_t PL = f->cfg->postproc.lanes, last_i = 0, d = INT64_MIN / 4;
    sums_t *S = calloc((size_t)n, sizeof *S);
    cr_assert(S);
    int64_t step_end = 0, bank_ppu_end[2] = {0, 0}, tile_end = 0, cur_layer = -1;
    pk_v2_desc_t ld;
    memset(&ld, 0, sizeof ld);
    for (int i = 0; i < t.n; i++) {
        const pk_v2_event_t *e = &t.ev[i];
        sums_t *s = &S[e->layer];
        if (e->layer != cur_layer) {
            cur_layer = e->layer;
            bank_ppu_end[0] = bank_ppu_end[1] = INT64_MIN / 4;
            pk_v2_desc_decode(pk_v2img_descriptor(f->img, (int)e->layer), &ld);
        }
        switch (e->kind) {
        case PK_V2_EV_REQ:
            check_req(f, e, &last_i, &d, what);
            s->rd_bytes += e->len;
            s->rd_reqs++;
            break;
        case PK_V2_EV_STEP:
            cr_expect_geq(e->cycle, step_end, "%s: step at %lld before %lld", what,
                          (long long)e->cycle, (long long)step_end);
            cr_expect_geq(e->cycle, bank_ppu_end[e->bank], "%s: step in a busy bank", what);
            cr_expect_eq(e->end - e->cycle, e->nk + e->tail, "%s", what);
            step_end = e->end;
            s->steps++;
            s->busy += e->nk + e->tail;
            break;
        case PK_V2_EV_TILE:
            cr_expect_eq(e->cycle, step_end + PK_V2_ARRAY_LAT - 1, "%s: tile event", what);
            cr_expect_geq(e->ps, e->cycle + 1, "%s", what);
            cr_expect_geq(e->ps, tile_end, "%s: PPU passes overlap", what);
            /* a global pool's chunks pack only when each ends on a byte */
            int64_t k = ld.global && e->nc * ld.out_bits % 8 ? 1 : rows_per_read(e->nc, PL);
            cr_expect_eq(e->end - e->ps, pk_cdiv(e->nr, k) * pk_cdiv(e->nc, PL), "%s: ppu cycles", what);
            bank_ppu_end[e->bank] = e->end;
            tile_end = e->end;
            s->tiles++;
            s->lasts += e->last;
            s->closes += e->close;
            break;
        case PK_V2_EV_GROUP:
            cr_expect_geq(e->cycle, tile_end + PK_PPU_LAT, "%s: group before its PPU", what);
            cr_expect_eq(e->end - e->cycle, e->beats, "%s", what);
            cr_expect_geq(e->cycle, s->last_group_end, "%s: groups overlap", what);
            s->groups++;
            s->wr_reqs += e->runs;
            s->last_group_end = e->end;
            break;
        case PK_V2_EV_LAYER:
            cr_expect_eq(e->cycle, T[e->layer].start, "%s", what);
            cr_expect_eq(e->end, T[e->layer].end, "%s", what);
            cr_expect_eq(e->end, s->last_group_end, "%s: layer %d ends after its writes", what,
                         e->layer);
            break;
        }
    }
    for (int i = 0; i < n; i++) {
        const pk_counters_t *c = &T[i].cnt;
        const char *ln = f->hw->layers[i].name;
        cr_expect_eq(S[i].rd_bytes, (int64_t)c->v[PK_CNT_DRAM_RD_BYTES], "%s %s", what, ln);
        cr_expect_eq(S[i].rd_reqs, (int64_t)c->v[PK_CNT_DRAM_RD_REQS], "%s %s", what, ln);
        cr_expect_eq(S[i].steps, T[i].steps, "%s %s", what, ln);
        cr_expect_eq(S[i].busy, (int64_t)c->v[PK_CNT_BUSY], "%s %s", what, ln);
        cr_expect_eq(S[i].tiles, T[i].tiles, "%s %s", what, ln);
        cr_expect_eq(S[i].lasts, 1, "%s %s: one last tile", what, ln);
        cr_expect_eq(S[i].groups, S[i].closes, "%s %s", what, ln);
        cr_expect_eq(S[i].wr_reqs, (int64_t)c->v[PK_CNT_DRAM_WR_REQS], "%s %s", what, ln);
    }
    free(S);
    free(t.ev);
    free(T);
}

Test(v2rtl_trace, zoo_edge, .timeout = 120)
{
    const char *nets[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x"};
    for (int i = 0; i < 3; i++) {
        char cp[512], np[512];
        snprintf(cp, sizeof cp, "%s/hw_configs/edge.yaml", PIKE_SOURCE_ROOT);
        snprintf(np, sizeof np, "%s/networks/%s.yaml", PIKE_SOURCE_ROOT, nets[i]);
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s: %s", nets[i], e.msg);
        consistent(&f, nets[i]);
        fx_free(&f);
    }
}

Test(v2rtl_trace, random_configs, .timeout = 120)
{
    int ok = random_cases(40, 0, consistent);
    cr_expect_geq(ok, 10, "only %d random configs mapped", ok);
}
