/* test_v2_timing.c - sim/pk_v2 (the v2 cycle model) against core/pk_plan
 * (the closed-form timing of docs/ARCHITECTURE.md V2-7) and the v2 memory
 * image of core/pk_compile_v2.
 *
 * The model executes the descriptors of the image; the plan computes the
 * same layers analytically.  Per layer they must agree exactly on start,
 * end, COMPUTE cycles, steps, tiles, DRAM bytes and requests (read and
 * write), on every zoo network on edge and cloud and on random configs and
 * networks (seeded).  Also: the image's descriptors decode back to the plan
 * and the layer, and the image is byte-identical from run to run. *
 * No Criterion .timeout on these tests (ctest's TIMEOUT 600 bounds the
 * binary): under ASan, Criterion 2.4's runner leaked 48 bytes (a calloc in
 * libcriterion, reported at the runner's exit, failing the sanitizer suite)
 * when two tests with .timeout ran at once in its two workers (Dec 5: with
 * the resident-prefix tests; without their timeouts, or with --jobs 1, no
 * leak in repeated runs).
 */
#include "test_sim_util.h"

#include <dirent.h>

#include "pk_compile_v2.h"
#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_plan.h"
#include "pk_v2.h"
#include "pk_v2desc.h"
#include "test_v2_util.h"

/* Layers seen per loop order (WS, IS, WB, KC, NS) and global pools; WB
 * layers with a resident prefix. */
static int seen[6], seen_pre, seen_gsl;

/* The model against the plan, layer by layer. */
static void compare(const fx_t *f, const char *what)
{
    int n = f->hw->n_layers;
    for (int i = 0; i < n; i++) {
        const pk_plan_layer_t *L = pk_plan_layer(f->plan, i);
        seen[L->global_pool ? 5 : (int)L->order]++;
        seen_pre += L->pre > 0;
        seen_gsl += L->gsl;
    }
    pk_layer_timing_t *T = calloc((size_t)n, sizeof *T);
    pk_counters_t tot;
    cr_assert(T);
    pk_error_t e;
    cr_assert_eq(pk_v2_timing_run(f->cfg, NULL, n, pk_v2img_descriptor(f->img, 0), T, &tot, &e),
                 0);
    for (int i = 0; i < n; i++) {
        const pk_plan_layer_t *L = pk_plan_layer(f->plan, i);
        const char *ln = f->hw->layers[i].name;
        cr_expect_eq(T[i].start, L->start, "%s %s: start %lld, plan %lld", what, ln,
                     (long long)T[i].start, (long long)L->start);
        cr_expect_eq(T[i].end, L->end, "%s %s: end %lld, plan %lld", what, ln,
                     (long long)T[i].end, (long long)L->end);
        cr_expect_eq(T[i].steps, L->steps, "%s %s: steps", what, ln);
        cr_expect_eq(T[i].tiles, L->tiles, "%s %s: tiles", what, ln);
        const pk_counters_t *c = &T[i].cnt;
        cr_expect_eq((int64_t)c->v[PK_CNT_BUSY], L->busy, "%s %s: busy", what, ln);
        cr_expect_eq((int64_t)c->v[PK_CNT_DRAM_RD_BYTES], L->rd_bytes, "%s %s: rd bytes %llu, plan %lld",
                     what, ln, (unsigned long long)c->v[PK_CNT_DRAM_RD_BYTES], (long long)L->rd_bytes);
        cr_expect_eq((int64_t)c->v[PK_CNT_DRAM_RD_REQS], L->rd_reqs, "%s %s: rd reqs", what, ln);
        cr_expect_eq((int64_t)c->v[PK_CNT_DRAM_WR_BYTES], L->wr_bytes, "%s %s: wr bytes", what, ln);
        cr_expect_eq((int64_t)c->v[PK_CNT_DRAM_WR_REQS], L->wr_reqs, "%s %s: wr reqs", what, ln);
        cr_expect_eq((int64_t)c->v[PK_CNT_CYCLES], L->cycles, "%s %s: cycles", what, ln);
        cr_expect_eq(c->v[PK_CNT_OUT_ELEMS],
                     (uint64_t)f->hw->layers[i].out_h * f->hw->layers[i].out_w *
                         f->hw->layers[i].out_c,
                     "%s %s: out_elems", what, ln);
    }
    cr_expect_eq((int64_t)tot.v[PK_CNT_CYCLES], pk_plan_totals(f->plan)->cycles, "%s: total",
                 what);
    free(T);
}

/* Every zoo network (networks/NAME.yaml) on edge and cloud: all map (V2-5
 * item 2: a DW or pool layer whose band does not fit the ring runs in
 * channel groups; before, PikeLPN-2x and -3x on edge and -3x on cloud were
 * refused at dw12). */
static void zoo(const char *cfgname)
{
    char cp[512], dp[512];
    snprintf(cp, sizeof cp, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cfgname);
    snprintf(dp, sizeof dp, "%s/networks", PIKE_SOURCE_ROOT);
    DIR *dir = opendir(dp);
    cr_assert(dir);
    struct dirent *de;
    int ran = 0, total = 0;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".yaml"))
            continue;
        char np[768], what[600];
        snprintf(np, sizeof np, "%s/%s", dp, de->d_name);
        snprintf(what, sizeof what, "%s/%s", cfgname, de->d_name);
        fx_t f;
        pk_error_t e;
        total++;
        int rc = fx_make(&f, cp, np, 0, &e);
        cr_expect_eq(rc, 0, "%s: %s: %s", what, e.field, e.msg);
        if (!rc) {
            compare(&f, what);
            ran++;
        }
        fx_free(&f);
    }
    closedir(dir);
    cr_expect_eq(ran, total, "%s: %d of %d zoo networks mapped", cfgname, ran, total);
    cr_expect_geq(total, 20);
}

Test(v2_timing, zoo_edge)
{
    zoo("edge");
}

Test(v2_timing, zoo_cloud)
{
    zoo("cloud");
}

/* The v2 features the zoo does not have: word 13's left pads and column
 * strides (geom.yaml), grouped convs' channel slices (groups.yaml) and the
 * channel-wise multiply (se.yaml), on tiny2 and edge: the model equals the
 * plan layer by layer (compare). */
Test(v2_timing, word13_and_multiply)
{
    static const char *const nets[] = { "tests/data/check/v2/geom.yaml",
                                        "tests/data/check/v2/groups.yaml",
                                        "tests/data/check/layers/se.yaml" };
    static const char *const cfgs[] = { "tests/data/check/v2/tiny2.yaml", "hw_configs/edge.yaml" };
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < 3; k++) {
            char cp[512], np[512];
            snprintf(cp, sizeof cp, "%s/%s", PIKE_SOURCE_ROOT, cfgs[c]);
            snprintf(np, sizeof np, "%s/%s", PIKE_SOURCE_ROOT, nets[k]);
            fx_t f;
            pk_error_t e;
            cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s: %s", np, e.msg);
            compare(&f, np);
            fx_free(&f);
        }
}

/* The channel-group layers of V2-5 item 2, with the numbers the spec
 * quotes: PikeLPN-2x on edge (dw12: 14 x 14 x 1,024 -> 7 x 7, stride 2, a
 * pixel tile reads 7 rows, the ring holds 4 rows of all channels; dw13: 7 x
 * 7 x 2,048, 5 of 4) in NS blocks (both weight halves: fewer passes than
 * WB's one half) and PikeLPN-3x on cloud (dw12: 14 of 10) in WB blocks.
 * Each block of nb n-tiles has a ring of Jw = nb words a pixel and reads
 * the input again (in_refetch); the model agrees with the plan (compare). */
typedef struct cg_case {
    const char *cfg, *net, *layer;
    pk_plan_order_t order;
    int64_t nb, jw, cap, nblocks, span, in_bytes, cycles;
} cg_case_t;

static void channel_groups(const cg_case_t *c)
{
    char what[256];
    snprintf(what, sizeof what, "%s/%s", c->cfg, c->net);
    fx_t f;
    pk_error_t e;
    char cp[512], np[512];
    snprintf(cp, sizeof cp, "%s/%s.yaml", PIKE_SOURCE_ROOT, c->cfg);
    snprintf(np, sizeof np, "%s/%s.yaml", PIKE_SOURCE_ROOT, c->net);
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    o.prefix = -1;
    o.cgslice = -1; /* the re-streaming blocks (the default fetches block slices since V2-11.4
                     * item 14: group_slice below) */
    cr_assert_eq(fx_make_opts(&f, cp, np, 0, &o, &e), 0, "%s: %s: %s", what, e.field, e.msg);
    compare(&f, what);
    int found = 0;
    for (int i = 0; i < f.hw->n_layers; i++) {
        const pk_hwlayer_t *h = &f.hw->layers[i];
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
        if (strcmp(h->name, c->layer))
            continue;
        found = 1;
        cr_expect_eq(L->order, c->order, "%s %s: order %s", what, h->name,
                     pk_plan_order_name(L->order));
        cr_expect_eq(L->nb, c->nb, "%s %s: nb %lld", what, h->name, (long long)L->nb);
        cr_expect_eq(L->jw, c->jw, "%s %s: Jw %lld", what, h->name, (long long)L->jw);
        cr_expect_lt(L->jw * h->vp, h->in_c, "%s %s: the ring holds a group", what, h->name);
        cr_expect_eq(L->ring_rows, c->cap, "%s %s: cap %lld", what, h->name,
                     (long long)L->ring_rows);
        cr_expect_eq(L->span_rows, c->span, "%s %s: span %lld", what, h->name,
                     (long long)L->span_rows);
        cr_expect_geq(L->ring_rows, L->span_rows, "%s %s: the group's band fits", what, h->name);
        cr_expect_eq(L->nblocks, c->nblocks, "%s %s: blocks %lld", what, h->name,
                     (long long)L->nblocks);
        cr_expect_eq(L->in_refetch, (c->nblocks - 1) * c->in_bytes, "%s %s: in_refetch %lld", what,
                     h->name, (long long)L->in_refetch);
        cr_expect_eq(L->w_refetch, 0, "%s %s: weights once", what, h->name);
        cr_expect_eq(L->cycles, c->cycles, "%s %s: cycles %lld", what, h->name,
                     (long long)L->cycles);
    }
    cr_expect(found, "%s: no layer %s", what, c->layer);
    fx_free(&f);
}

Test(v2_timing, channel_groups)
{
    /* input bytes: 14 * 14 * channels * 4 / 8 */
    /* cycles: with the parameter load of V2-11.4 item 15 (V2-7.5: DL 18 on edge, 10 on cloud,
     * 34 on tiny2), each layer 47 / 55 / 31 cycles shorter than the tables of V2-5 (DL = 65) */
    static const cg_case_t cases[] = {
        {"hw_configs/edge", "networks/pikelpn_2x", "dw12", PK_ORDER_NS, 73, 73, 7, 2, 7, 100352, 31359},
        {"hw_configs/edge", "networks/pikelpn_2x", "dw13", PK_ORDER_NS, 102, 102, 10, 3, 5, 50176, 28867},
        {"hw_configs/cloud", "networks/pikelpn_3x", "dw12", PK_ORDER_WB, 73, 73, 14, 2, 14, 150528, 6546},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        channel_groups(&cases[i]);
}

/* The ring words the loader writes in channel groups (V2-5 item 2, V2-11.4
 * item 11): block b's chunks of each pixel, no word past the pixel's last
 * chunk, so a shorter last block writes fewer (PBUF_WR; before Dec 5 the
 * model wrote and counted zero words up to Jw, which the RTL did not write).
 * tests/data/check/v2/cgroups2.yaml on tiny2 (R 2, 4-bit codes in 4-bit
 * slots: VP = 64 / 4 = 16, a pixel of 128 channels is Jin = 8 chunks; 4 x
 * 20 input, 3x3 pad 1: every row is needed in every pass):
 *   dw: NS, 8 blocks of 2 n-tiles of 8 channels, Jw = 16 / 16 = 1 chunk:
 *       8 passes x 4 rows x 20 pixels x 1 = 640 words;
 *   mp: WB, 3 blocks of 6 n-tiles, Jw = 48 / 16 = 3: chunks 0-2, 3-5 and
 *       6-7 (the last block's 32 channels: 2 chunks), (3 + 3 + 2) x 4 x 20
 *       = 640 words (with the zero words 3 x 3 x 4 x 20 = 720).
 * cgroups3.yaml (5 x 16 x 120: Jin = 8, every row needed): dw 8 blocks of
 * Jw = 1, 8 x 5 x 16 = 640 (the last block's 8 channels still one chunk);
 * mp (stride 2) 2 blocks of Jw = 4, 2 x 4 x 5 x 16 = 640 (the last block's
 * 56 channels: 4 chunks): no shorter last block in chunks, as before. */
Test(v2_timing, channel_groups_ring_writes)
{
    static const struct {
        const char *net;
        uint64_t wr[2]; /* PBUF_WR of dw, mp */
    } c[] = {{"tests/data/check/v2/cgroups2", {640, 640}},
             {"tests/data/check/v2/cgroups3", {640, 640}}};
    for (size_t k = 0; k < sizeof c / sizeof *c; k++) {
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make_src(&f, "tests/data/check/v2/tiny2", c[k].net, -1, &e), 0, "%s: %s: %s",
                     c[k].net, e.field, e.msg);
        int n = f.hw->n_layers;
        cr_assert_eq(n, 2, "%s: %d layers", c[k].net, n);
        pk_layer_timing_t T[2];
        pk_counters_t tot;
        cr_assert_eq(pk_v2_timing_run(f.cfg, NULL, n, pk_v2img_descriptor(f.img, 0), T, &tot, &e),
                     0);
        for (int i = 0; i < n; i++) {
            pk_v2_desc_t d;
            pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d);
            cr_expect(pk_v2_desc_cgroups(&d, f.cfg->array.lanes, f.cfg->d.slot_bits),
                      "%s %s: in channel groups", c[k].net, f.hw->layers[i].name);
            cr_expect_eq(T[i].cnt.v[PK_CNT_PBUF_WR], c[k].wr[i], "%s %s: PBUF_WR %llu, want %llu",
                         c[k].net, f.hw->layers[i].name,
                         (unsigned long long)T[i].cnt.v[PK_CNT_PBUF_WR],
                         (unsigned long long)c[k].wr[i]);
        }
        fx_free(&f);
    }
}

/* WB with a resident prefix (V2-5 item 3): the flat WB layers whose rows
 * do not fit the ring keep rows 0 .. P - 1 for the layer and stream the
 * rest through cs = CAP - P slots; P by the closed form (the largest P <=
 * min(PK_PRE_MAX, in_h - 1) with cs(P) = floor(floor((capP - P in_w) / R) R
 * / in_w) >= span + PK_PRE_SLACK, capP = floor(floor(DA R / Jw) / R) R), and
 * each block after the first reads rows P .. in_h - 1 again: in_refetch =
 * (blocks - 1) (in_h - P) row_bytes.  The numbers V2-5 item 3 quotes, and
 * tests/data/check/v2/prefix.yaml on tiny2 (2,484 cycles, 3,561 in plain
 * WB: the plan keeps the prefix only where it ends earlier), planned without
 * NS with passes (nspass -1: the rule now runs these layers so, below). */
/* A layer of passes per weight block (WB, NS with passes): its blocks, and rows P .. in_h - 1
 * read again by every block after the first, the weights once. */
static void expect_passes(const char *what, const pk_hwlayer_t *h, const pk_plan_layer_t *L,
                          int64_t nblocks, int64_t P)
{
    cr_expect_eq(L->nblocks, nblocks, "%s %s: blocks %lld", what, h->name, (long long)L->nblocks);
    cr_expect_eq(L->in_refetch, (L->nblocks - 1) * (h->in_h - P) * L->row_bytes,
                 "%s %s: in_refetch %lld", what, h->name, (long long)L->in_refetch);
    cr_expect_eq(L->w_refetch, 0, "%s %s: weights once", what, h->name);
}

typedef struct pre_case {
    const char *cfg, *net, *layer;
    int64_t pre, cap, nblocks, cycles, rd_bytes;
} pre_case_t;

static void resident_prefix(const pre_case_t *c)
{
    char what[256];
    snprintf(what, sizeof what, "%s/%s", c->cfg, c->net);
    fx_t f;
    pk_error_t e;
    /* the prefix's rule (the default), WB only */
    cr_assert_eq(fx_make_src_ns(&f, c->cfg, c->net, 0, -1, &e), 0, "%s: %s: %s", what, e.field,
                 e.msg);
    compare(&f, what);
    int found = 0;
    for (int i = 0; i < f.hw->n_layers; i++) {
        const pk_hwlayer_t *h = &f.hw->layers[i];
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
        if (strcmp(h->name, c->layer))
            continue;
        found = 1;
        int64_t R = f.cfg->array.rows, da = 2 * f.cfg->buffers.activations / (R * f.cfg->d.word_bytes);
        int64_t capP = da * R / L->jw / R * R, P = pk_min2(PK_PRE_MAX, h->in_h - 1), cs = 0;
        for (; P >= 1; P--)
            if ((cs = (capP - P * h->in_w) / R * R / h->in_w) >= L->span_rows + PK_PRE_SLACK)
                break;
        cr_expect(L->flat, "%s %s: not flat", what, h->name);
        cr_expect_eq(L->order, PK_ORDER_WB, "%s %s: order %s", what, h->name,
                     pk_plan_order_name(L->order));
        cr_expect_eq(L->pre, P, "%s %s: P %lld, closed form %lld", what, h->name, (long long)L->pre,
                     (long long)P);
        cr_expect_eq(L->pre, c->pre, "%s %s: P %lld", what, h->name, (long long)L->pre);
        cr_expect_eq(L->ring_rows, P + cs, "%s %s: cap %lld", what, h->name, (long long)L->ring_rows);
        cr_expect_eq(L->ring_rows, c->cap, "%s %s: cap %lld", what, h->name, (long long)L->ring_rows);
        cr_expect_lt(capP / h->in_w, h->in_h, "%s %s: the ring holds the input", what, h->name);
        expect_passes(what, h, L, c->nblocks, P);
        cr_expect_eq(L->cycles, c->cycles, "%s %s: cycles %lld", what, h->name,
                     (long long)L->cycles);
        cr_expect_eq(L->rd_bytes, c->rd_bytes, "%s %s: DRAM read %lld", what, h->name,
                     (long long)L->rd_bytes);
    }
    cr_expect(found, "%s: no layer %s", what, c->layer);
    fx_free(&f);
}

Test(v2_timing, resident_prefix)
{
    /* cycles: with the parameter load of V2-11.4 item 15 (V2-7.5: DL 18 on edge, 10 on cloud,
     * 34 on tiny2), each layer 47 / 55 / 31 cycles shorter than the tables of V2-5 (DL = 65) */
    static const pre_case_t cases[] = {
        {"hw_configs/edge", "networks/pikelpn_3x", "pw5", 8, 12, 5, 190632, 1456392},
        {"hw_configs/edge", "networks/pikelpn_3x", "pw7", 8, 11, 20, 319740, 2556168},
        {"hw_configs/edge", "networks/resnet50_w8a8", "s3b2_c1", 5, 8, 6, 139073, 1110272},
        /* the hand-made net pikecheck --arch v2 runs (tests/data/check/v2) */
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/prefix", "p1", 14, 16, 4, 2453, 8448},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        resident_prefix(&cases[i]);
}

/* NS with passes (V2-5 item 3, the rule: pk_plan_opts_t nspass 0, the default): a flat layer
 * that plain WB would run in blocks of nb = floor(half / Wu) n-tiles runs, when it ends earlier,
 * in NS blocks of floor(2 half / Wu) n-tiles held in both weight halves, each block a pass over
 * the input (with the prefix's rule: rows P .. in_h - 1 again in blocks >= 1, all rows when P is
 * 0), so in_refetch = (blocks - 1) (in_h - P) row_bytes for half as many blocks; the model
 * equals the plan (compare).  Edge's PikeLPN-3x pw5 / pw7 and ResNet-50 w8a8's s3b2_c1 (V2-5 item
 * 3's table), prefix.yaml (NS, P = 14) and nspass.yaml (no prefix: the stream goes on into each
 * pass) on tiny2; pw4 stays WB (NS ends later: its weight load is no longer hidden). */
typedef struct nsp_case {
    const char *cfg, *net, *layer;
    int64_t pre, nblocks, cycles, wb_cycles;
} nsp_case_t;

Test(v2_timing, ns_passes)
{
    static const nsp_case_t cases[] = {
        {"hw_configs/edge", "networks/pikelpn_3x", "pw5", 8, 3, 164913, 190632},
        {"hw_configs/edge", "networks/pikelpn_3x", "pw7", 8, 10, 287505, 319740},
        {"hw_configs/edge", "networks/resnet50_w8a8", "s3b1_c1", 5, 2, 110551, 149607},
        {"hw_configs/edge", "networks/resnet50_w8a8", "s3b2_c1", 5, 3, 94670, 139073},
        {"hw_configs/edge", "networks/resnet50_w8a8", "s4b1_c1", 5, 5, 164252, 252995},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/prefix", "p1", 14, 2, 1687, 2453},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/nspass", "p1", 0, 2, 2937, 6701},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const nsp_case_t *c = &cases[i];
        char what[256];
        snprintf(what, sizeof what, "%s/%s", c->cfg, c->net);
        fx_t f, w;
        pk_error_t e;
        cr_assert_eq(fx_make_src(&f, c->cfg, c->net, 0, &e), 0, "%s: %s", what, e.msg);
        cr_assert_eq(fx_make_src_ns(&w, c->cfg, c->net, 0, -1, &e), 0, "%s: %s", what, e.msg);
        compare(&f, what);
        int found = 0;
        for (int li = 0; li < f.hw->n_layers; li++) {
            const pk_hwlayer_t *h = &f.hw->layers[li];
            const pk_plan_layer_t *L = pk_plan_layer(f.plan, li), *W = pk_plan_layer(w.plan, li);
            if (strcmp(h->name, c->layer))
                continue;
            found = 1;
            cr_expect(L->flat && L->order == PK_ORDER_NS, "%s %s: order %s", what, h->name,
                      pk_plan_order_name(L->order));
            cr_expect(W->order == PK_ORDER_WB, "%s %s: nspass -1 order %s", what, h->name,
                      pk_plan_order_name(W->order));
            /* floor(2 half / Wu) is 2 floor(half / Wu) or one more */
            cr_expect(L->nb == 2 * W->nb || L->nb == 2 * W->nb + 1, "%s %s: nb %lld, WB's %lld",
                      what, h->name, (long long)L->nb, (long long)W->nb);
            cr_expect_eq(L->pre, c->pre, "%s %s: P %lld", what, h->name, (long long)L->pre);
            expect_passes(what, h, L, c->nblocks, L->pre);
            cr_expect_eq(L->cycles, c->cycles, "%s %s: cycles %lld", what, h->name,
                         (long long)L->cycles);
            cr_expect_eq(W->cycles, c->wb_cycles, "%s %s: WB cycles %lld", what, h->name,
                         (long long)W->cycles);
            cr_expect_lt(L->cycles, W->cycles, "%s %s: kept though not earlier", what, h->name);
        }
        cr_expect(found, "%s: no layer %s", what, c->layer);
        fx_free(&w);
        fx_free(&f);
    }
}

/* The prefix wherever it exists (pk_plan_opts_t prefix = 1), also where the
 * plan would not keep it: the model (reading PRE from the descriptor)
 * agrees with the plan there too, in particular where the drain of V2-6.1
 * delays a block's first streamed rows (compute-bound layers). */
Test(v2_timing, resident_prefix_forced)
{
    static const char *nets[][2] = {
        {"hw_configs/edge", "networks/pikelpn_3x"},
        {"hw_configs/edge", "networks/pikelpn_3x_fe"},
        {"hw_configs/edge", "networks/resnet50_w8a8"},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/prefix"},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/wb"},
    };
    int pre = 0;
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
        char what[256];
        snprintf(what, sizeof what, "%s/%s (prefix forced)", nets[i][0], nets[i][1]);
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make_src(&f, nets[i][0], nets[i][1], 1, &e), 0, "%s: %s", what, e.msg);
        compare(&f, what);
        for (int l = 0; l < f.hw->n_layers; l++)
            pre += pk_plan_layer(f.plan, l)->pre > 0;
        fx_free(&f);
    }
    /* 7 + 7 (pw4 too) + 7 + p1 + wb.yaml's c2 */
    cr_expect_eq(pre, 23, "%d layers with a prefix", pre);
}

static void timing_case(fx_t *f, const char *what)
{
    compare(f, what);
}

Test(v2_timing, random_configs)
{
    int ok = random_cases(80, 0, timing_case);
    cr_expect_geq(ok, 10, "only %d random configs mapped", ok);
    for (int o = 0; o < 6; o++) /* every loop order and the global pool ran */
        cr_expect_gt(seen[o], 0, "order %d never planned: %d %d %d %d %d %d", o, seen[0],
                     seen[1], seen[2], seen[3], seen[4], seen[5]);
    /* the default plan is the prefix's rule (V2-5 item 3, built: V2-11.4 item 12) */
    cr_expect_eq(seen_pre, 1, "%d layers with a resident prefix in the default plan", seen_pre);
    /* the same configs planned without it (v2plan --prefix -1) */
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    o.prefix = -1;
    cr_expect_eq(random_cases_opts(80, 0, &o, timing_case), ok, "prefix -1 maps other configs");
    cr_expect_eq(seen_pre, 1, "prefix -1 planned %d more prefix layers", seen_pre - 1);
}

/* The global pool's channel-slice fetch (V2-4.4, plan option gslice = 1):
 * every global pool of >= 2 passes whose image the ring does not hold
 * fetches pass t's slice of each pixel (in_w requests a row), reads the
 * input once (in_refetch 0) and holds Js = R words a pixel; the model
 * (reading GSL, GX, WB from the descriptor) agrees with the plan, and the
 * cycles are the ones V2-4.4 quotes.  Layers that the ring holds, or of one
 * pass, are unchanged. */
typedef struct gsl_case {
    const char *cfg, *net;
    int gsl_layers;
    const char *layer;
    int64_t cycles, rd_bytes, rd_reqs;
} gsl_case_t;

static void global_slice(const gsl_case_t *c)
{
    char what[256];
    snprintf(what, sizeof what, "%s/%s (gslice)", c->cfg, c->net);
    char cp[512], np[512];
    snprintf(cp, sizeof cp, "%s/%s.yaml", PIKE_SOURCE_ROOT, c->cfg);
    snprintf(np, sizeof np, "%s/%s.yaml", PIKE_SOURCE_ROOT, c->net);
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    fx_t f0, f;
    pk_error_t e;
    o.gslice = -1; /* the re-streaming pool */
    cr_assert_eq(fx_make_opts(&f0, cp, np, 0, &o, &e), 0, "%s: %s", what, e.msg);
    o.gslice = 1;
    cr_assert_eq(fx_make_opts(&f, cp, np, 0, &o, &e), 0, "%s: %s", what, e.msg);
    compare(&f, what);
    int n = 0, found = 0;
    for (int i = 0; i < f.hw->n_layers; i++) {
        const pk_hwlayer_t *h = &f.hw->layers[i];
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i), *L0 = pk_plan_layer(f0.plan, i);
        if (!L->gsl) {
            cr_expect_eq(L->cycles, L0->cycles, "%s %s: not sliced but changed", what, h->name);
            cr_expect_eq(L->rd_bytes, L0->rd_bytes, "%s %s: rd bytes", what, h->name);
            continue;
        }
        n++;
        int64_t R = f.cfg->array.rows;
        cr_expect(L->global_pool && L->mt >= 2 && L0->ring_rows < h->in_h, "%s %s", what, h->name);
        cr_expect_eq(L->jw * h->vp, R * L->ct, "%s %s: Js %lld", what, h->name, (long long)L->jw);
        cr_expect_eq(L->in_refetch, 0, "%s %s: in_refetch %lld", what, h->name,
                     (long long)L->in_refetch);
        cr_expect_eq(L->gs_ps * h->in_w, L->row_bytes, "%s %s: PS_in", what, h->name);
        cr_expect_eq(L->mt, pk_cdiv(L->gs_ps, L->gs_bytes), "%s %s: passes", what, h->name);
        /* the input once: one request a pixel and pass (plus the descriptor's and the
         * per-tensor record's, as before) */
        cr_expect_eq(L->rd_bytes - L0->rd_bytes, -(L0->mt - 1) * h->in_h * L->row_bytes,
                     "%s %s: rd bytes", what, h->name);
        cr_expect_eq(L->rd_reqs - L0->rd_reqs,
                     L->mt * h->in_h * h->in_w * pk_cdiv(L->gs_bytes, o.max_burst) -
                         L0->mt * h->in_h * pk_cdiv(L->row_bytes, o.max_burst),
                     "%s %s: rd reqs %lld, re-streamed %lld", what, h->name,
                     (long long)L->rd_reqs, (long long)L0->rd_reqs);
        cr_expect_lt(L->cycles, L0->cycles, "%s %s: %lld, re-streamed %lld", what, h->name,
                     (long long)L->cycles, (long long)L0->cycles);
        if (!strcmp(h->name, c->layer)) {
            found = 1;
            cr_expect_eq(L->cycles, c->cycles, "%s %s: cycles %lld", what, h->name,
                         (long long)L->cycles);
            cr_log_info("%s %s: cycles %lld (%lld), rd %lld (%lld), reqs %lld (%lld)", what,
                        h->name, (long long)L->cycles, (long long)L0->cycles,
                        (long long)L->rd_bytes, (long long)L0->rd_bytes, (long long)L->rd_reqs,
                        (long long)L0->rd_reqs);
            cr_expect_eq(L->rd_bytes, c->rd_bytes, "%s %s: rd bytes %lld", what, h->name,
                         (long long)L->rd_bytes);
            cr_expect_eq(L->rd_reqs, c->rd_reqs, "%s %s: rd reqs %lld", what, h->name,
                         (long long)L->rd_reqs);
        }
    }
    cr_expect_eq(n, c->gsl_layers, "%s: %d sliced layers", what, n);
    cr_expect(found || !c->layer[0], "%s: no layer %s", what, c->layer);
    fx_free(&f);
    fx_free(&f0);
}

Test(v2_timing, global_slice)
{
    /* cycles: with the parameter load of V2-11.4 item 15 (V2-7.5: DL 18 on edge, 10 on cloud,
     * 34 on tiny2), each layer 47 / 55 / 31 cycles shorter than the tables of V2-5 (DL = 65) */
    static const gsl_case_t cases[] = {
        {"hw_configs/edge", "networks/pokebnn_1_0", 14, "r8_1_se_gap", 25170, 200962, 1570},
        {"hw_configs/edge", "networks/pokebnn_1_0", 14, "r1_1_se_gap", 100476, 803074, 6274},
        {"hw_configs/cloud", "networks/pokebnn_1_0", 0, "", 0, 0, 0},
        /* 20 channels at 4 bits on tiny2: passes of 16 and 4 channels (slices of 8 and 2 of
         * a pixel's 10 bytes) */
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/gpool", 1, "gap", 1345, 4258, 802},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        global_slice(&cases[i]);
    /* random configs and networks with the option on: model = plan */
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    o.gslice = 1;
    int g0 = seen_gsl;
    cr_expect_geq(random_cases_opts(80, 0, &o, timing_case), 10);
    cr_expect_gt(seen_gsl, g0, "no random global pool was sliced");
    cr_log_info("random configs: %d sliced global pools", seen_gsl - g0);
}

/* The channel groups' strided group fetch (V2-5 item 2, plan option
 * cgslice = 0, the rule): block b of a channel-group layer fetches, per
 * needed row, in_w runs of its slice of each pixel (nb * Cd * a_bits / 8
 * bytes: blocks of one size and whole beats) at the pixel stride, so the
 * input is read once (in_refetch 0) and the blocks are WB's where they
 * exist (more blocks cost no bytes); the ring placement is unchanged.  The model (reading CGS from the
 * descriptor) agrees with the plan; the cycles and bytes V2-5 item 2
 * quotes; layers not in channel groups are unchanged. */
typedef struct cgs_case {
    const char *cfg, *net;
    int cgs_layers;
    const char *layer;
    pk_plan_order_t order;
    int64_t nb, nblocks, cap, cycles, rd_bytes;
} cgs_case_t;

static void group_slice(const cgs_case_t *c)
{
    char what[256];
    snprintf(what, sizeof what, "%s/%s (cgslice)", c->cfg, c->net);
    char cp[512], np[512];
    snprintf(cp, sizeof cp, "%s/%s.yaml", PIKE_SOURCE_ROOT, c->cfg);
    snprintf(np, sizeof np, "%s/%s.yaml", PIKE_SOURCE_ROOT, c->net);
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    fx_t f0, f;
    pk_error_t e;
    o.cgslice = -1; /* every block re-streams whole rows */
    cr_assert_eq(fx_make_opts(&f0, cp, np, 0, &o, &e), 0, "%s: %s", what, e.msg);
    o.cgslice = 0;
    cr_assert_eq(fx_make_opts(&f, cp, np, 0, &o, &e), 0, "%s: %s", what, e.msg);
    compare(&f, what);
    int n = 0, found = 0;
    for (int i = 0; i < f.hw->n_layers; i++) {
        const pk_hwlayer_t *h = &f.hw->layers[i];
        const pk_plan_layer_t *L = pk_plan_layer(f.plan, i), *L0 = pk_plan_layer(f0.plan, i);
        if (!L->cgs) {
            cr_expect_eq(L->cycles, L0->cycles, "%s %s: not sliced but changed", what, h->name);
            cr_expect_eq(L->rd_bytes, L0->rd_bytes, "%s %s: rd bytes", what, h->name);
            continue;
        }
        n++;
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d);
        cr_expect(d.cgs && pk_v2_desc_cgroups(&d, f.cfg->array.lanes, f.cfg->d.slot_bits),
                  "%s %s: CGS in channel groups", what, h->name);
        cr_expect_eq(L->in_refetch, 0, "%s %s: in_refetch %lld", what, h->name,
                     (long long)L->in_refetch);
        cr_expect_eq(L->w_refetch, 0, "%s %s: weights once", what, h->name);
        cr_expect_eq(L->gs_ps * h->in_w, L->row_bytes, "%s %s: PS_in", what, h->name);
        cr_expect_eq(L->cs_bytes * 8, L->nb * L->ct * h->a_bits, "%s %s: slice", what, h->name);
        cr_expect_eq(L->nblocks, pk_cdiv(L->gs_ps, L->cs_bytes), "%s %s: blocks", what, h->name);
        /* the input once: the re-streamed plan's bytes less its re-fetch */
        cr_expect_eq(L->rd_bytes, L0->rd_bytes - L0->in_refetch, "%s %s: rd bytes", what,
                     h->name);
        cr_expect_leq(L->cycles, L0->cycles, "%s %s: %lld, re-streamed %lld", what, h->name,
                      (long long)L->cycles, (long long)L0->cycles);
        cr_log_info("%s %s: %s nb %lld, %lld blocks, Jw %lld, cap %lld / span %lld; cycles %lld "
                    "(%s: %lld), rd %lld (%lld), reqs %lld (%lld)",
                    what, h->name, pk_plan_order_name(L->order), (long long)L->nb,
                    (long long)L->nblocks, (long long)L->jw, (long long)L->ring_rows,
                    (long long)L->span_rows, (long long)L->cycles, pk_plan_order_name(L0->order),
                    (long long)L0->cycles, (long long)L->rd_bytes, (long long)L0->rd_bytes,
                    (long long)L->rd_reqs, (long long)L0->rd_reqs);
        if (!strcmp(h->name, c->layer)) {
            found = 1;
            cr_expect_eq(L->order, c->order, "%s %s: order %s", what, h->name,
                         pk_plan_order_name(L->order));
            cr_expect_eq(L->nb, c->nb, "%s %s: nb %lld", what, h->name, (long long)L->nb);
            cr_expect_eq(L->nblocks, c->nblocks, "%s %s: blocks %lld", what, h->name,
                         (long long)L->nblocks);
            cr_expect_eq(L->ring_rows, c->cap, "%s %s: cap %lld", what, h->name,
                         (long long)L->ring_rows);
            cr_expect_eq(L->cycles, c->cycles, "%s %s: cycles %lld", what, h->name,
                         (long long)L->cycles);
            cr_expect_eq(L->rd_bytes, c->rd_bytes, "%s %s: rd bytes %lld", what, h->name,
                         (long long)L->rd_bytes);
        }
    }
    cr_expect_eq(n, c->cgs_layers, "%s: %d sliced group layers", what, n);
    cr_expect(found || !c->layer[0], "%s: no layer %s", what, c->layer);
    fx_free(&f);
    fx_free(&f0);
}

Test(v2_timing, group_slice)
{
    /* cycles: with the parameter load of V2-11.4 item 15 (V2-7.5: DL 18 on edge, 10 on cloud,
     * 34 on tiny2), each layer 47 / 55 / 31 cycles shorter than the tables of V2-5 (DL = 65) */
    static const cgs_case_t cases[] = {
        {"hw_configs/edge", "networks/pikelpn_3x", 2, "dw12", PK_ORDER_WB, 48, 4, 10, 23117, 176896},
        {"hw_configs/edge", "networks/pikelpn_3x", 2, "dw13", PK_ORDER_WB, 48, 8, 21, 17477, 127744},
        {"hw_configs/edge", "networks/pikelpn_2x", 2, "dw12", PK_ORDER_WB, 32, 4, 16, 15429, 118016},
        {"hw_configs/edge", "networks/pikelpn_2x", 2, "dw13", PK_ORDER_WB, 32, 8, 32, 11669, 85248},
        /* cloud's dw12: Jw of one-size blocks (48 of 96 n-tiles) not a multiple of R = 64: the
         * rule re-streams it (cgslice 1: 4,445 cycles, group_slice_bytes) */
        {"hw_configs/cloud", "networks/pikelpn_3x", 0, "", PK_ORDER_WS, 0, 0, 0, 0, 0},
        {"hw_configs/cloud", "networks/pikelpn_2x", 0, "", PK_ORDER_WS, 0, 0, 0, 0, 0},
        /* tiny2's channel-group checks: cgroups' ap (2 WB blocks of Jw = 4), cgroups2's mp in WB
         * blocks of 4 n-tiles (the rule's one size: 128 channels in 4 slices of 16 bytes, Jw =
         * 2), its dw (NS blocks of Jw = 1: odd on R = 2) and cgroups3 (120 channels: no blocks
         * of one size) re-streamed; cgslice.yaml's two 8-bit DW layers, 4 NS blocks each */
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/cgroups", 1, "", PK_ORDER_WS, 0, 0,
         0, 0, 0},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/cgslice", 2, "dw2", PK_ORDER_NS, 2, 4,
         6, 2151, 7200},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/cgroups2", 1, "", PK_ORDER_WS, 0, 0,
         0, 0, 0},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/cgroups3", 0, "", PK_ORDER_WS, 0, 0,
         0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        group_slice(&cases[i]);
    /* (test_v2_random.h's networks make no channel-group layer on its configs: 0 of 80
     * seeds, so the random sets add nothing here) */
}

/* The strided group fetch's addresses (V2-5 item 2, V2-6.1): the model's A-row requests of a
 * CGS layer (its trace) read every byte of the input once and nothing twice, so the blocks'
 * runs start at b * SB within each pixel (a base not advanced per block, or a last block read
 * at full width, reads bytes twice or past the tensor).  tiny2's cgroups2 and PikeLPN-3x on
 * edge (dw12, dw13: every input row needed), with the rule (cgslice 0: cgroups2's mp) and
 * with cgslice 1 (cgroups2's mp: a shorter last block, 32 of 48 channels, and its dw at Jw =
 * 1; PikeLPN-3x dw12: 39 of 51). */
typedef struct cgs_bytes {
    const pk_v2_desc_t *d; /* per layer */
    int n;
    uint8_t **seen;        /* per CGS layer: reads of each input byte */
    int64_t bad;           /* A requests outside the layer's input */
} cgs_bytes_t;

static void cgs_req(void *ctx, const pk_v2_event_t *e)
{
    cgs_bytes_t *c = ctx;
    if (e->kind != PK_V2_EV_REQ || e->unit != PK_V2_U_A || e->layer >= c->n ||
        !c->seen[e->layer])
        return;
    const pk_v2_desc_t *d = &c->d[e->layer];
    int64_t size = d->in_h * d->row_bytes, a = (int64_t)(e->addr - d->addr_in);
    if (e->addr < d->addr_in || a + e->len > size) {
        c->bad++;
        return;
    }
    for (int64_t k = 0; k < e->len; k++)
        c->seen[e->layer][a + k]++;
}

Test(v2_timing, group_slice_bytes)
{
    static const char *const cases[][2] = {
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/cgroups2"},
        {"hw_configs/edge", "networks/pikelpn_3x"},
    };
    for (size_t k = 0; k < 2 * sizeof cases / sizeof *cases; k++) {
        char cp[512], np[512];
        snprintf(cp, sizeof cp, "%s/%s.yaml", PIKE_SOURCE_ROOT, cases[k / 2][0]);
        snprintf(np, sizeof np, "%s/%s.yaml", PIKE_SOURCE_ROOT, cases[k / 2][1]);
        pk_plan_opts_t o;
        pk_plan_opts_default(&o);
        o.cgslice = (int)(k % 2);
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make_opts(&f, cp, np, 0, &o, &e), 0, "%s: %s", np, e.msg);
        int n = f.hw->n_layers, ncgs = 0;
        pk_v2_desc_t *d = calloc((size_t)n, sizeof *d);
        uint8_t **seen = calloc((size_t)n, sizeof *seen);
        cr_assert(d && seen);
        for (int i = 0; i < n; i++) {
            pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d[i]);
            if (d[i].cgs) {
                seen[i] = calloc((size_t)(d[i].in_h * d[i].row_bytes), 1);
                cr_assert(seen[i]);
                ncgs++;
            }
        }
        cr_assert_geq(ncgs, 1, "%s: %d CGS layers", np, ncgs);
        cgs_bytes_t c = {.d = d, .n = n, .seen = seen};
        pk_v2_trace_t tr = {.fn = cgs_req, .ctx = &c};
        pk_counters_t tot;
        cr_assert_eq(pk_v2_timing_trace(f.cfg, NULL, n, pk_v2img_descriptor(f.img, 0), &tr, NULL,
                                        &tot, &e), 0);
        cr_expect_eq(c.bad, 0, "%s: %lld A requests outside their input", np, (long long)c.bad);
        for (int i = 0; i < n; i++) {
            if (!seen[i])
                continue;
            int64_t size = d[i].in_h * d[i].row_bytes, once = 0, more = 0;
            for (int64_t a = 0; a < size; a++) {
                once += seen[i][a] == 1;
                more += seen[i][a] > 1;
            }
            cr_expect(once == size && more == 0, "%s %s: %lld of %lld input bytes read once, %lld "
                      "more than once", np, f.hw->layers[i].name, (long long)once, (long long)size,
                      (long long)more);
            free(seen[i]);
        }
        free(seen);
        free(d);
        fx_free(&f);
    }
}
