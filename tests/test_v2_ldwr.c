/* test_v2_ldwr.c - the loader's side of the v2 ring and fetch program,
 * worked by hand: where a row's words go and in which beat each is complete
 * (core/pk_v2ringwr, ARCHITECTURE.md V2-3.1 "write side"), the write-FIFO
 * backlog rule of V2-11.4 item 4, and the loader's layer constants
 * (core/pk_v2ldconst, V2-6.1).  The RTL checks against the same functions
 * run in tests/rtl (rtl_ring2_*, rtl_ld2_*).  And pk_v2_ring_backlog (one
 * row pattern rotated per row, rows met again in the same queue state not
 * walked again) against the plain walk of every row's words, on the zoo and
 * random networks. *
 * No Criterion .timeout on these tests (ctest's TIMEOUT 600 bounds the
 * binary): under ASan, Criterion 2.4's runner leaked 48 bytes (a calloc in
 * libcriterion, reported at the runner's exit, failing the sanitizer suite)
 * when two tests with .timeout ran at once in its two workers (Dec 5: with
 * the resident-prefix tests; without their timeouts, or with --jobs 1, no
 * leak in repeated runs).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "test_v2_util.h"

#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_plan.h"
#include "pk_v2desc.h"
#include "pk_v2ldconst.h"
#include "pk_v2ringwr.h"

/* A windowed 3x3 conv, stride 1, pad 1, on 3 x 4 x 8 channels at 8 bits: one
 * 8-slot word per pixel (VP 8), 8 bytes per pixel, PB 8: word x is complete
 * in beat x.  R = 2: Wst = max(1 + 4, 3 * 1 + 3) = 6, Gx = ceil(6 / 2) = 3,
 * WB = 3; bank(Y, X') = (Y * 4 + X') mod 2, addr = slot * 3 + floor(X' / 2). */
static pk_v2_desc_t conv3(void)
{
    pk_v2_desc_t d;
    memset(&d, 0, sizeof d);
    d.in_h = 3;
    d.in_w = 4;
    d.in_c = 8;
    d.out_h = 3;
    d.out_w = 4;
    d.out_c = 8;
    d.kh = d.kw = 3;
    d.s = d.sw = 1;
    d.pad = d.pad_l = 1;
    d.a_bits = 8;
    d.fx = 1;
    d.sf = 1;
    d.gx = 3;
    d.jw = 1;
    d.wbw = 3;
    d.cap = 4;
    d.row_bytes = 4 * 8;
    d.order = PK_ORDER_WS;
    d.mt = 6;
    d.nt = 1;
    d.ct = 8;
    d.unit_bytes = 9 * 8 * 8;
    d.addr_in = 1000;
    d.addr_w = 5000;
    return d;
}

Test(v2_ldwr, windowed_row_words)
{
    pk_v2_desc_t d = conv3();
    pk_v2_ringgeom_t g;
    pk_v2_ring_geom(&d, 2, 8, 128, 8, 8, &g);
    cr_expect_eq(g.da, 16); /* 2 * 128 / (2 * 8) */
    cr_expect_eq(g.ps, 8);
    pk_v2_ringword_t w[8];
    cr_assert_leq(4, pk_v2_ring_row_words_max(&d));
    /* row 0 (Y = 1), fetch 1 (slot 1): X' = 1 .. 4 */
    cr_assert_eq(pk_v2_ring_row_words(&g, &d, 0, 1, w), 4);
    int64_t bank[4] = {1, 0, 1, 0}, addr[4] = {3, 4, 4, 5};
    for (int k = 0; k < 4; k++) {
        cr_expect_eq(w[k].beat, k, "word %d", k);
        cr_expect_eq(w[k].bank, bank[k], "word %d", k);
        cr_expect_eq(w[k].addr, addr[k], "word %d", k);
        cr_expect_eq(w[k].x0, k);
    }
    /* one word per beat, bank writes in the next cycle: no backlog, no lag */
    pk_v2_backlog_t b;
    cr_assert_eq(pk_v2_ring_backlog(&g, &d, 100, &b), 0);
    cr_expect_eq(b.occ, 1);
    cr_expect_eq(b.lag, 0);
    cr_expect_eq(b.per_beat, 1);
}

/* Flat, one channel of 8 bits on R = 1, PB 8: a 12-pixel row is 12 bytes,
 * two beats (cycles 0 and 1, D = 2), completing 8 and 4 words for the one
 * bank, written in cycles 1 .. 12: the word of pixel 11 waits 11 cycles in
 * the FIFO, the row's last write is 10 cycles after D: outside the rule
 * (WQ 8, RING_WR_LAT 3), so such a layer is refused (V2-11.4 item 4). */
Test(v2_ldwr, flat_backlog)
{
    pk_v2_desc_t d;
    memset(&d, 0, sizeof d);
    d.in_h = d.out_h = 2;
    d.in_w = d.out_w = 12;
    d.in_c = d.out_c = 1;
    d.kh = d.kw = d.s = d.sw = 1;
    d.a_bits = 8;
    d.fx = 1;
    d.jw = 1;
    d.flat = 1;
    d.cap = 1;
    d.row_bytes = 12;
    pk_v2_ringgeom_t g;
    pk_v2_ring_geom(&d, 1, 8, 64, 8, 8, &g); /* DA = 2 * 64 / 8 = 16 words */
    pk_v2_ringword_t w[16];
    cr_assert_leq(12, pk_v2_ring_row_words_max(&d));
    cr_assert_eq(pk_v2_ring_row_words(&g, &d, 1, 1, w), 12);
    for (int k = 0; k < 12; k++) {
        cr_expect_eq(w[k].beat, k / 8);
        cr_expect_eq(w[k].bank, 0);
        cr_expect_eq(w[k].addr, (12 + k) % 16); /* pixel 12 + k of the stream, mod 16 */
    }
    pk_v2_backlog_t b;
    cr_assert_eq(pk_v2_ring_backlog(&g, &d, 1, &b), 0);
    cr_expect_eq(b.occ, 11);
    cr_expect_eq(b.lag, 10);
    cr_expect_eq(b.per_beat, 8);
    cr_expect_eq(b.per_bank_beat, 8);
    cr_expect(b.occ > PK_RING_WQ && b.lag > PK_RING_WR_LAT);
}

/* The loader's constants of conv3 on R = 2 as layer 0 of 2: every row is
 * needed (kh >= s), rows 0 .. 2; pixel tile 0 is pixels 0, 1 of output row 0,
 * which reads rows 0 .. min(2, 0 + 3 - 1 - 1) = 1. */
Test(v2_ldwr, ldconst_conv)
{
    pk_v2_desc_t d = conv3();
    pk_v2_ldconst_t k;
    pk_v2_ringgeom_t g;
    pk_v2_ring_geom(&d, 2, 8, 128, 8, 8, &g);
    cr_assert_eq(pk_v2_ldconst(&d, &g, 64, 0, 2, &k), 0);
    cr_expect_eq(k.ymax, 2);
    cr_expect_eq(k.y0, 0);
    cr_expect_eq(k.ym0, 0);
    cr_expect_eq(k.addr_y0, 1000);
    cr_expect_eq(k.jump, 1);
    cr_expect_eq(k.y1_0, 1);
    cr_expect_eq(k.has_w, 1);
    cr_expect_eq(k.wu_bytes, 9 * 8 * 8);
    cr_expect_eq(k.wu_last, 9 * 8 * 8);
    cr_expect_eq(k.has_next, 1);
    cr_expect_eq(k.desc_addr, PK_DESC2_BYTES);
    cr_expect_eq(k.prec, 0);
    /* the unpacker's: X' = pad = 1 is q 1, u 0, g 0; chunk 64 bits, 8 codes */
    cr_expect(k.ring_ok && !k.flat);
    cr_expect_eq(k.q0, 1);
    cr_expect_eq(k.a0, 0);
    cr_expect_eq(k.cbits, 64);
    cr_expect_eq(k.lnch, 8);
    cr_expect_eq(k.pskip, 0);
    cr_expect_eq(k.mlog, 3);
    cr_expect_eq(k.rb0, 0); /* floor(1 / 1) * 4 mod 2 */
    cr_expect_eq(k.cap_wb, 12);
    cr_expect_eq(k.is, 0);
    /* IS: 8 n-tiles of 8 columns (the last of 4: 56 + 4 = 60) in blocks of 3 */
    d.order = PK_ORDER_IS;
    d.out_c = 60;
    d.nt = 8;
    d.nb = 3;
    cr_assert_eq(pk_v2_ldconst(&d, &g, 64, 0, 2, &k), 0, "IS is built");
    cr_expect_eq(k.is, 1);
    cr_expect_eq(k.nb, 3);
    cr_expect_eq(k.nbl1, 1); /* blocks 0..2 of 3 n-tiles, the last of 2: n-tiles 6, 7 */
    cr_expect_eq(k.blk_bytes, 3 * 9 * 8 * 8);
    cr_expect_eq(k.wu_last, 9 * 8 * 4);
    cr_expect_eq(k.ns, 0);
    /* WB (V2-11.4 item 9) and NS (item 10: blocks in both halves) are built, KC is not */
    d.order = PK_ORDER_WB;
    cr_assert_eq(pk_v2_ldconst(&d, &g, 64, 0, 2, &k), 0, "WB is built");
    cr_expect(k.is && k.wbo && !k.ns);
    d.order = PK_ORDER_NS;
    d.nb = 1;
    cr_assert_eq(pk_v2_ldconst(&d, &g, 64, 0, 2, &k), 0, "NS is built");
    cr_expect(k.is && !k.wbo && k.ns);
    cr_expect_eq(k.nbl1, 0);
    cr_expect_eq(k.blk_bytes, 9 * 8 * 8);
    d.order = PK_ORDER_KC;
    cr_expect_eq(pk_v2_ldconst(&d, &g, 64, 0, 2, &k), 1, "KC is not built");
}

/* A 1x1 stride-2 layer with pad 1 (kh < s): row y is needed when (y + 1) mod
 * 2 < 1, the odd rows; from one the next is 2 further (s - kh + 1). */
Test(v2_ldwr, ldconst_skipped_rows)
{
    pk_v2_desc_t d = conv3();
    d.kh = d.kw = 1;
    d.s = d.sw = 2;
    d.pad = d.pad_l = 1;
    d.in_h = 7;
    d.out_h = 4;
    d.out_w = 2;
    pk_v2_ldconst_t k;
    pk_v2_ringgeom_t g;
    pk_v2_ring_geom(&d, 2, 8, 128, 8, 8, &g);
    cr_assert_eq(pk_v2_ldconst(&d, &g, 64, 1, 2, &k), 0);
    cr_expect_eq(k.y0, 1);
    cr_expect_eq(k.ym0, 0);
    cr_expect_eq(k.addr_y0, 1000 + 32);
    cr_expect_eq(k.jump, 2);
    cr_expect_eq(k.jump_bytes, 64);
    cr_expect_eq(k.ymax, 5); /* min(6, 3 * 2 + 1 - 1 - 1) */
    cr_expect_eq(k.has_next, 0);
    uint8_t need[7];
    cr_expect_eq(pk_v2_ring_needed(&d, need), 3);
    cr_expect(!need[0] && need[1] && !need[2] && need[3] && need[5] && !need[6]);
}

/* The backlog rule walked plainly: every needed row's words from
 * pk_v2_ring_row_words, one queue per bank in absolute cycles. */
static void backlog_ref(const pk_v2_ringgeom_t *g, const pk_v2_desc_t *d, int64_t max_rows,
                        pk_v2_backlog_t *b)
{
    memset(b, 0, sizeof *b);
    int64_t *next_free = calloc((size_t)g->R, sizeof *next_free);
    int64_t *per_bank = calloc((size_t)g->R, sizeof *per_bank);
    pk_v2_ringword_t *w = malloc((size_t)pk_v2_ring_row_words_max(d) * sizeof *w);
    uint8_t *needed = malloc((size_t)d->in_h + 1);
    cr_assert(next_free && per_bank && w && needed);
    pk_v2_ring_needed(d, needed);
    int64_t t0 = 0, nbeats = pk_cdiv(d->row_bytes, g->pb), seq = 0;
    for (int64_t y = 0; y < d->in_h && seq < max_rows; y++) {
        if (!needed[y])
            continue;
        int64_t n = pk_v2_ring_row_words(g, d, y, seq++, w), cur = -1, nb = 0, last_w = 0;
        for (int64_t k = 0; k < n; k++) {
            int64_t t = t0 + w[k].beat;
            if (t != cur) {
                cur = t, nb = 0;
                memset(per_bank, 0, (size_t)g->R * sizeof *per_bank);
            }
            b->per_beat = pk_max2(b->per_beat, ++nb);
            b->per_bank_beat = pk_max2(b->per_bank_beat, ++per_bank[w[k].bank]);
            int64_t wc = pk_max2(t + 1, next_free[w[k].bank]);
            next_free[w[k].bank] = wc + 1;
            b->occ = pk_max2(b->occ, wc - t);
            last_w = pk_max2(last_w, wc);
        }
        b->lag = pk_max2(b->lag, last_w - (t0 + nbeats));
        t0 += nbeats;
    }
    free(next_free);
    free(per_bank);
    free(w);
    free(needed);
}

static int64_t backlog_layers, backlog_rows;

static void backlog_net(fx_t *f, const char *what)
{
    const pk_config_t *cfg = f->cfg;
    for (int i = 0; i < f->hw->n_layers; i++) {
        pk_v2_desc_t d;
        pk_v2_ringgeom_t g;
        pk_v2_desc_decode(pk_v2img_descriptor(f->img, i), &d);
        if (d.in_w <= 0 || d.jw <= 0)
            continue;
        pk_v2_ring_geom(&d, cfg->array.rows, cfg->d.word_bytes, cfg->buffers.activations,
                        cfg->offchip.bytes_per_cycle, f->hw->layers[i].vp, &g);
        const int64_t lims[] = {1, 4, 12, d.in_h};
        for (size_t k = 0; k < sizeof lims / sizeof lims[0]; k++) {
            pk_v2_backlog_t a, r;
            cr_assert_eq(pk_v2_ring_backlog(&g, &d, lims[k], &a), 0);
            backlog_ref(&g, &d, lims[k], &r);
            cr_expect(a.occ == r.occ && a.lag == r.lag && a.per_beat == r.per_beat &&
                          a.per_bank_beat == r.per_bank_beat,
                      "%s layer %d (%s), %lld rows: occ %lld / %lld, lag %lld / %lld, per beat "
                      "%lld / %lld, per bank %lld / %lld (fast / plain)",
                      what, i, f->hw->layers[i].name, (long long)lims[k], (long long)a.occ,
                      (long long)r.occ, (long long)a.lag, (long long)r.lag,
                      (long long)a.per_beat, (long long)r.per_beat, (long long)a.per_bank_beat,
                      (long long)r.per_bank_beat);
        }
        backlog_layers++, backlog_rows += d.in_h;
    }
}

Test(v2_ldwr, backlog_equals_plain_walk)
{
    const char *cfgs[] = {"edge", "cloud"};
    const char *nets[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pokebnn_1_0", "pikelpn_2x"};
    for (size_t c = 0; c < 2; c++)
        for (size_t k = 0; k < sizeof nets / sizeof nets[0]; k++) {
            char cp[512], np[512], what[128];
            fx_t f;
            pk_error_t e;
            snprintf(cp, sizeof cp, PIKE_SOURCE_ROOT "/hw_configs/%s.yaml", cfgs[c]);
            snprintf(np, sizeof np, PIKE_SOURCE_ROOT "/networks/%s.yaml", nets[k]);
            snprintf(what, sizeof what, "%s on %s", nets[k], cfgs[c]);
            cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s: %s", what, e.msg);
            backlog_net(&f, what);
            fx_free(&f);
        }
    int ran = random_cases(150, 0, backlog_net);
    cr_expect_gt(ran, 100);
    cr_log_info("backlog: %lld layers, %lld rows, %d random networks", (long long)backlog_layers,
                (long long)backlog_rows, ran);
}

/* WB with a resident prefix (V2-3.1, V2-6.1): the fetch program of every
 * prefix layer (block 0: rows 0 .. in_h - 1; block b >= 1: rows P .. in_h -
 * 1) written word by word through pk_v2_ring_row_words into a map of the A
 * ring's words, checking the layout's claims: pixel p's word jc is in bank
 * (p + jc) mod R in every block (the compute side reads a tile's R pixels
 * so, conflict-free), below DA_A; no write ever lands on a prefix row's word
 * (they stay for the layer); a streamed row y overwrites, within its
 * block, only words of rows <= y - cs (cs = CAP - P, the slot rule), and a
 * previous block's words only when they are streamed rows (the drain). */
typedef struct occ {
    int32_t y, b; /* row and block of the word's occupant; y -1: none */
} occ_t;

static int prefix_layers;

static void prefix_net(fx_t *f, const char *what)
{
    const pk_config_t *cfg = f->cfg;
    for (int i = 0; i < f->hw->n_layers; i++) {
        pk_v2_desc_t d;
        pk_v2_ringgeom_t g;
        pk_v2_desc_decode(pk_v2img_descriptor(f->img, i), &d);
        if (d.pre == 0)
            continue;
        prefix_layers++;
        pk_v2_ring_geom(&d, cfg->array.rows, cfg->d.word_bytes, cfg->buffers.activations,
                        cfg->offchip.bytes_per_cycle, f->hw->layers[i].vp, &g);
        int64_t R = g.R, P = d.pre, cs = d.cap - d.pre, nb = pk_cdiv(d.nt, d.nb), bad = 0;
        cr_assert(d.flat && (d.order == PK_ORDER_WB || pk_v2_desc_ns_passes(&d)) && cs >= 1 &&
                      P < d.in_h,
                  "%s layer %d", what, i); /* (or NS with passes: the same passes, V2-5 item 3) */
        occ_t *m = malloc((size_t)(R * g.da_a) * sizeof *m);
        pk_v2_ringword_t *w = malloc((size_t)pk_v2_ring_row_words_max(&d) * sizeof *w);
        cr_assert(m && w);
        for (int64_t k = 0; k < R * g.da_a; k++)
            m[k].y = -1;
        for (int64_t b = 0, seq = 0; b < nb && !bad; b++)
            for (int64_t y = b ? P : 0; y < d.in_h && !bad; y++) {
                int64_t n = pk_v2_ring_row_words(&g, &d, y, seq++, w); /* seq: the fetch number */
                for (int64_t k = 0; k < n && !bad; k++) {
                    int64_t p = y * d.in_w + w[k].x0;
                    if (w[k].bank != (p + w[k].jc) % R || w[k].addr < 0 || w[k].addr >= g.da_a) {
                        cr_expect(0, "%s layer %d block %lld row %lld x %lld jc %lld: bank %lld "
                                     "addr %lld (R %lld, DA_A %lld)", what, i, (long long)b,
                                  (long long)y, (long long)w[k].x0, (long long)w[k].jc,
                                  (long long)w[k].bank, (long long)w[k].addr, (long long)R,
                                  (long long)g.da_a);
                        bad = 1;
                        break;
                    }
                    occ_t *o = &m[w[k].addr * R + w[k].bank];
                    int ok = o->y < 0 || (o->y >= P && (o->b < b || o->y <= y - cs));
                    if (o->y >= 0 && o->b == b && o->y == y)
                        ok = 0; /* two words of one row on one place */
                    if (!ok) {
                        cr_expect(0, "%s layer %d block %lld row %lld overwrites row %lld of block "
                                     "%lld (P %lld, cs %lld)", what, i, (long long)b, (long long)y,
                                  (long long)o->y, (long long)o->b, (long long)P, (long long)cs);
                        bad = 1;
                    }
                    o->y = (int32_t)y;
                    o->b = (int32_t)b;
                }
            }
        free(m);
        free(w);
    }
}

Test(v2_ldwr, prefix_placement)
{
    static const char *nets[][2] = {
        {"hw_configs/edge", "networks/pikelpn_3x"},
        {"hw_configs/edge", "networks/resnet50_w8a8"},
        {"tests/data/check/v2/tiny2", "tests/data/check/v2/prefix"},
    };
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
        char what[256];
        snprintf(what, sizeof what, "%s on %s", nets[i][1], nets[i][0]);
        fx_t f;
        pk_error_t e;
        /* the prefix's rule (the default plans none: not built) */
        cr_assert_eq(fx_make_src(&f, nets[i][0], nets[i][1], 0, &e), 0, "%s: %s", what, e.msg);
        prefix_net(&f, what);
        fx_free(&f);
    }
    cr_expect_eq(prefix_layers, 15, "%d layers with a prefix", prefix_layers);
}
