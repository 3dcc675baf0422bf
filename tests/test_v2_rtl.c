/* test_v2_rtl.c - pk_core2's parameters (core/pk_v2_rtl.c pk_v2_rtl_params)
 * against the values V2-11.6 measured with and the harnesses typed by hand
 * (ice40: AW 8, XW 10, pk_ld2a MODES 16'h0460; edge: AW 10, XW 16, MODES
 * 16'h8CEF, the rtl_ld2_edge set's QA 5, WA 10, RWL 8), the weight
 * buffer's sub-banks WI and the loader's weight lanes WWL (V2-11.6: the most
 * words a beat completes for one column and in all, over the full n-tiles of
 * every width pair), and the weight-beat rule pk_v2_rtl_wbeat on units worked
 * by hand; and pk_v2_rtl_check (the network compiled and the parameters
 * computed once) answering as pk_v2_rtl_supported for every layer; a flat pixel
 * of a whole ring bank (SJ, LD_SJW held modulo 2^AW) built; the depthwise
 * widths of a config setting the lanes, and the mapper refusing the others. */
#include "test_v2_util.h"
#include "gen/gen_test_util.h" /* gt_read */

#include <string.h>

#include "pk_imath.h"
#include "pk_v2_consts.h"
#include "pk_v2_rtl.h"

#define P(cfg, name) pk_v2_rtl_param((cfg), (name))

Test(v2_rtl, ice40_params)
{
    pk_config_t *c = tsu_cfg(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml");
    cr_expect_eq(P(c, "AW"), 8);
    cr_expect_eq(P(c, "XW"), 10);
    cr_expect_eq(P(c, "DA"), 256);
    cr_expect_eq(P(c, "LD_MODES"), 0x0460);
    cr_expect_eq(P(c, "LD_WMODES"), 0x0460); /* (2, 2), (2, 4), (4, 4) */
    cr_expect_eq(P(c, "RA"), 1);
    cr_expect_eq(P(c, "CA"), 2);
    cr_expect_eq(P(c, "WBITS"), 32);
    cr_expect_eq(P(c, "YW"), 18);
    /* x-fold up to fx = 8 (VP 16 at 2 bits), global pools (avg pooling) */
    cr_expect_eq(P(c, "FXL"), 3);
    cr_expect_eq(P(c, "FPX"), 2);
    cr_expect_eq(P(c, "GLOB"), 1);
    /* min_depthwise_weight_bits 4: 4-bit DW codes on a 2-byte beat, 4 words over
     * Cd = 4 columns (2-bit ones, 8 words, would need WI 2 and 8 lanes) */
    cr_expect_eq(P(c, "WI"), 1);
    cr_expect_eq(P(c, "WWL"), 4);
    /* whole words (CONV, records) on lanes 0 and 1 only: the other 2 lanes
     * carry 8-bit DW codes */
    cr_expect_eq(P(c, "WFL"), 2);
    /* counters: 41 + clog2(R C VP = 64) bits; increments up to a request's
     * MAX_BURST = 256 bytes at once, more than 64 events: 9 bits */
    cr_expect_eq(P(c, "CNT_BITS"), 47);
    cr_expect_eq(P(c, "CNT_IW"), 9);
    cr_expect_eq(P(c, "NO_SUCH"), -1);
    pk_config_free(c);
}

/* The descriptor load's read row (V2-7.5, pk_v2_desc_load_lanes): two beats
 * of words, at least one, at most 8; DL = ND + 1 at one word a row, NR + 2
 * at more (every word but the last in its register a cycle before lay_start). */
Test(v2_rtl, desc_load_rows)
{
    const char *cf[] = {"ice40", "ecp5", "edge", "cloud"};
    const int64_t dlw[] = {1, 2, 4, 8}, rows[] = {64, 32, 16, 8}, dl[] = {65, 34, 18, 10};
    for (int i = 0; i < 4; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cf[i]);
        pk_config_t *c = tsu_cfg(path);
        int64_t pb = c->offchip.bytes_per_cycle;
        cr_expect_eq(P(c, "DLW"), dlw[i], "%s", cf[i]);
        cr_expect_eq(pk_v2_desc_load_lanes(pb), dlw[i], "%s", cf[i]);
        cr_expect_eq(pk_v2_desc_load_rows(pb), rows[i], "%s", cf[i]);
        cr_expect_eq(pk_v2_desc_load_cycles(pb), dl[i], "%s", cf[i]);
        pk_config_free(c);
    }
    cr_expect_eq(pk_v2_desc_load_lanes(1), 1);
    cr_expect_eq(pk_v2_desc_load_lanes(16), 8);
    cr_expect_eq(pk_v2_desc_load_cycles(16), 10);
}

Test(v2_rtl, edge_params)
{
    pk_config_t *c = tsu_cfg(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml");
    cr_expect_eq(P(c, "AW"), 10);
    cr_expect_eq(P(c, "XW"), 16);
    cr_expect_eq(P(c, "LD_MODES"), 0x8CEF);
    cr_expect_eq(P(c, "LD_WMODES"), 0x8CEF); /* rtl_ld2_edge_lean's WMODES */
    cr_expect_eq(P(c, "QA"), 5);
    cr_expect_eq(P(c, "WA"), 10);
    cr_expect_eq(P(c, "RWL"), 8);
    /* min_depthwise_weight_bits 4: 4-bit DW codes on an 8-byte beat, 16 words
     * (C) over Cd = 16 columns; 2 words of a column at most (CONV and record
     * words); 8 whole-word lanes */
    cr_expect_eq(P(c, "WWL"), 16);
    cr_expect_eq(P(c, "WFL"), 8);
    cr_expect_eq(P(c, "WI"), 2);
    cr_expect_eq(P(c, "SLOTS"), 64);
    /* R C VP = 16 * 16 * 64 = 16384 products a cycle: 15 increment bits (more
     * than a request's 256 bytes) */
    cr_expect_eq(P(c, "CNT_IW"), 15);
    /* every name once, widths only for the masks */
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    int n = pk_v2_rtl_params(c, p, PK_V2_RTL_MAX_PARAMS);
    cr_assert_leq(n, PK_V2_RTL_MAX_PARAMS);
    for (int i = 0; i < n; i++) {
        cr_expect(p[i].what && *p[i].what, "%s", p[i].name);
        for (int j = 0; j < i; j++)
            cr_expect_str_neq(p[i].name, p[j].name);
        if (p[i].width > 0)
            cr_expect_lt(p[i].value, (int64_t)1 << p[i].width, "%s", p[i].name);
    }
    pk_config_free(c);
}

/* A config whose pooling has no avg / global_avg never pools globally: GLOB
 * 0, pk_ld2a's global layout not built. */
Test(v2_rtl, no_global_pool)
{
    pk_config_t *c = tsu_cfg(PIKE_SOURCE_ROOT "/tests/data/gen/ecp5_smoke.yaml");
    cr_expect_eq(P(c, "GLOB"), 0);
    pk_config_free(c);
}

Test(v2_rtl, wi_tiny2_cloud)
{
    pk_config_t *c = tsu_cfg(PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml");
    cr_expect_eq(P(c, "WI"), 4);   /* 32 1-bit codes a 4-byte beat over 8 columns */
    cr_expect_eq(P(c, "WWL"), 32);
    pk_config_free(c);
    /* cloud.yaml's min_depthwise_weight_bits 4: 128 4-bit codes a 64-byte
     * beat, 8 a column of a 16-column last n-tile */
    c = tsu_cfg(PIKE_SOURCE_ROOT "/hw_configs/cloud.yaml");
    cr_expect_eq(P(c, "WI"), 8);
    cr_expect_eq(P(c, "WWL"), 128);
    pk_config_free(c);
}

/* A copy of shipped config NAME (hw_configs/NAME.yaml) with its
 * min_depthwise_weight_bits 4 set to V ('1': every weight width a depthwise
 * one).  Returns the copy's path. */
static const char *with_min_dw(const char *name, char v)
{
    char path[512];
    snprintf(path, sizeof path, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, name);
    char *text = gt_read(path, NULL);
    cr_assert_not_null(text, "%s", path);
    char *k = strstr(text, "min_depthwise_weight_bits: 4");
    cr_assert_not_null(k, "%s has no min_depthwise_weight_bits: 4", path);
    k[strlen("min_depthwise_weight_bits: ")] = v;
    snprintf(path, sizeof path, "%s_dw%c.yaml", name, v);
    const char *copy = tsu_write(path, text);
    free(text);
    return copy;
}

/* Every depthwise width on edge's shape (edge.yaml with
 * min_depthwise_weight_bits 1): 1-bit DW codes on an 8-byte beat, 64 words over
 * Cd = 8 columns (mode 8, VP = 8), 8 a column; a 2-bit depthwise layer is
 * refused by the mapper on edge.yaml and taken on the copy. */
Test(v2_rtl, depthwise_widths)
{
    pk_config_t *all = tsu_cfg(with_min_dw("edge", '1'));
    cr_expect_eq(pk_config_has_dw_wbits(all, 1), 1);
    cr_expect_eq(P(all, "WWL"), 64);
    cr_expect_eq(P(all, "WFL"), 36);
    cr_expect_eq(P(all, "WI"), 8);

    pk_config_t *edge = tsu_cfg(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml");
    pk_net_t *net = tsu_net(tsu_write(
        "dw2.yaml", "name: dw2\ninput: {h: 8, w: 8, c: 16, bits: 4, signed: false}\nlayers:\n"
                    "  - {name: pw, op: conv, out_c: 16, kernel: 1, stride: 1, padding: 0,"
                    " w_bits: 4, out_bits: 4}\n"
                    "  - {name: dw, op: conv, out_c: 16, groups: 16, kernel: 3, stride: 1,"
                    " padding: 1, w_bits: 2, out_bits: 4}\n"));
    pk_hwnet_t *hw = NULL;
    pk_error_t e;
    pk_error_clear(&e);
    cr_expect_eq(pk_compile(net, edge, 0, &hw, &e), PK_EINPUT);
    cr_expect_null(hw);
    cr_expect_str_eq(e.field, "layer dw");
    cr_expect(strstr(e.msg, "w_bits 2 of a depthwise layer is not supported by config 'edge' "
                            "(min_depthwise_weight_bits: 4)") != NULL, "%s", e.msg);
    pk_error_clear(&e);
    cr_expect_eq(pk_compile(net, all, 0, &hw, &e), 0, "%s", e.msg);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_config_free(edge);
    pk_config_free(all);

    /* above every weight width (ice40's [2, 4] from 8): no depthwise layer,
     * the lanes those of CONV units and records (2 whole-word lanes) and the
     * lane floor min(C, 8 PB / 8) = 2: 2, not ice40.yaml's 4 */
    pk_config_t *none = tsu_cfg(with_min_dw("ice40", '8'));
    cr_expect_eq(pk_config_has_dw_wbits(none, 4), 0);
    cr_expect_eq(P(none, "WWL"), 2);
    cr_expect_eq(P(none, "WFL"), 2);
    cr_expect_eq(P(none, "WI"), 1);
    pk_config_free(none);
}

/* Dense 4-bit DW codes (one a word) on an 8-byte beat: 16 words a beat; over
 * 4 columns that is 4 words of one column, over 16 columns one each. */
Test(v2_rtl, wbeat)
{
    int64_t col, beat;
    pk_v2_rtl_wbeat(8, 4, 4, 9, 4, 18, 0, 0, 0, &col, &beat);
    cr_expect_eq(col, 4);
    cr_expect_eq(beat, 16);
    pk_v2_rtl_wbeat(8, 16, 16, 9, 4, 72, 0, 0, 0, &col, &beat);
    cr_expect_eq(col, 1);
    cr_expect_eq(beat, 16);
    /* CONV words of 64 bits on an 8-byte beat: one word a beat; a record
     * word of 8 bytes per column after them */
    pk_v2_rtl_wbeat(8, 4, 4, 3, 64, 96, 8, 1, 64, &col, &beat);
    cr_expect_eq(col, 1);
    cr_expect_eq(beat, 1);
}

/* The lanes a whole word takes (WFL): 4-bit DW codes, 4 columns, 3 k-steps
 * (bytes 0 .. 5), 1-byte records from byte 6: beat 0 completes the 12 codes
 * and the records of columns 0 and 1 as its words 13 and 14; without records
 * no whole word (1, the least); 64-bit CONV words: one word a beat. */
Test(v2_rtl, wlanes)
{
    cr_expect_eq(pk_v2_rtl_wlanes(8, 1, 0, 4, 4, 3, 4, 6, 1, 1, 8, 1), 14);
    cr_expect_eq(pk_v2_rtl_wlanes(8, 1, 0, 4, 4, 3, 4, 6, 0, 0, 0, 1), 1);
    cr_expect_eq(pk_v2_rtl_wlanes(8, 1, 0, 4, 4, 3, 64, 96, 8, 1, 64, 0), 1);
    /* the same DW unit read as CONV words (dw 0): every code is whole, 14 */
    cr_expect_eq(pk_v2_rtl_wlanes(8, 1, 0, 4, 4, 3, 4, 6, 1, 1, 8, 0), 14);
    /* IS blocks of DW n-tiles of 2 codes (1 column, 2 k-steps, 4 bits: 1 byte), no
     * records: n-tile j starts at place 2 j of the 8-byte beat, and the code lanes
     * take the codes of the n-tile at lane WFL only: an n-tile's start counts as its
     * place (1 n-tile: 1, the least; 2: 2; 3: 4; 4: 6) */
    cr_expect_eq(pk_v2_rtl_wlanes(8, 1, 1, 1, 1, 2, 4, 1, 0, 0, 0, 1), 1);
    cr_expect_eq(pk_v2_rtl_wlanes(8, 2, 1, 1, 1, 2, 4, 1, 0, 0, 0, 1), 2);
    cr_expect_eq(pk_v2_rtl_wlanes(8, 3, 1, 1, 1, 2, 4, 1, 0, 0, 0, 1), 4);
    cr_expect_eq(pk_v2_rtl_wlanes(8, 4, 1, 1, 1, 2, 4, 1, 0, 0, 0, 1), 6);
}

/* An IS block: units back to back in one run.  4-bit codes, 4 columns, 3
 * k-steps: a unit is 6 bytes, 12 words, 3 a column, all in one 8-byte beat;
 * in a block of two, unit 1 starts at byte 6 and its k-step 0 (4 words,
 * bytes 6 and 7) completes in beat 0 too: 16 words, 4 of one column. */
Test(v2_rtl, wbeat_block)
{
    int64_t col, beat;
    pk_v2_rtl_wbeat(8, 4, 4, 3, 4, 6, 0, 0, 0, &col, &beat);
    cr_expect_eq(col, 3);
    cr_expect_eq(beat, 12);
    pk_v2_rtl_wbeat_block(8, 1, 6, 4, 4, 3, 4, 6, 0, 0, 0, &col, &beat);
    cr_expect_eq(col, 3);
    cr_expect_eq(beat, 12);
    pk_v2_rtl_wbeat_block(8, 2, 6, 4, 4, 3, 4, 6, 0, 0, 0, &col, &beat);
    cr_expect_eq(col, 4);
    cr_expect_eq(beat, 16);
    /* the last unit of 2 columns (3 bytes): its k-steps 0 and 1 (bytes 6
     * and 7) complete in beat 0: 16 words, 5 of columns 0 and 1 */
    pk_v2_rtl_wbeat_block(8, 2, 6, 2, 4, 3, 4, 6, 0, 0, 0, &col, &beat);
    cr_expect_eq(col, 5);
    cr_expect_eq(beat, 16);
}

/* The weight walk's shortcuts (over units: one period of unit starts and the
 * last unit; within a unit: the whole periods of words before its last word)
 * give the maxima of walking every word: 3,000 random runs (seed 1) of weight
 * and record words on beats of 4 .. 64 bytes, with and without them (a unit
 * of UNIT_TOTAL = weight bytes + records, as the descriptor has it; in a third
 * of the runs with a gap after it). At least a third of the runs take the
 * first (more units than a period, a unit longer than a beat) and a tenth the
 * second (more than four periods of words), so the comparison is not vacuous. */
Test(v2_rtl, wwalk_period)
{
    uint64_t st = 1;
    int took = 0, took_unit = 0, runs = 3000;
    for (int r = 0; r < runs; r++) {
#define RND(n) ((int64_t)((st = st * 6364136223846793005ull + 1442695040888963407ull) >> 33) % (n))
        int64_t pb = (int64_t)4 << RND(5), ct = 1 + RND(40), nc_last = 1 + RND(ct);
        int64_t kmax = RND(2) ? 12 : 60;
        int64_t ks = 1 + RND(kmax), wcb = (int64_t)1 << RND(8), wby = (int64_t)1 << RND(4);
        int64_t unit_bytes = pk_cdiv(ks * ct * wcb, 8), rec = RND(3) ? 0 : 1 + RND(8);
        int64_t rw = rec ? pk_cdiv(rec, wby) : 0, rbits = rec ? 8 * pk_min2(rec, wby) : 0;
        /* pk_v2_unit_total's form, and in a third of the runs a gap after it */
        int64_t unit_total = unit_bytes + ct * rec + (RND(3) ? 0 : RND(2 * pb)), nb = 1 + RND(200);
        int dw = (int)RND(2);
#undef RND
        int64_t fast[3], ref[3];
        pk_v2_rtl_wwalk(pb, nb, unit_total, nc_last, ct, ks, wcb, unit_bytes, rec, rw, rbits, dw,
                        0, fast);
        pk_v2_rtl_wwalk(pb, nb, unit_total, nc_last, ct, ks, wcb, unit_bytes, rec, rw, rbits, dw,
                        1, ref);
        for (int i = 0; i < 3; i++)
            cr_assert_eq(fast[i], ref[i],
                         "run %d (pb %lld nb %lld unit_total %lld nc_last %lld ct %lld ks %lld "
                         "wcb %lld unit_bytes %lld rec %lld rw %lld rbits %lld dw %d): out[%d] "
                         "%lld, every unit walked %lld",
                         r, (long long)pb, (long long)nb, (long long)unit_total,
                         (long long)nc_last, (long long)ct, (long long)ks, (long long)wcb,
                         (long long)unit_bytes, (long long)rec, (long long)rw, (long long)rbits,
                         dw, i, (long long)fast[i], (long long)ref[i]);
        int64_t per = pb / pk_gcd(unit_total % pb, pb), g = 8 * pb / pk_gcd(wcb, 8 * pb);
        took += nb > per + 2 && unit_bytes - pk_cdiv(wcb, 8) >= pb;
        /* within a unit: a period of words after a beat's start, and two more */
        took_unit += ks * ct > 4 * (ct / pk_gcd(ct, g) * g) + 8 * pb / wcb + 2;
    }
    cr_expect_geq(took, runs / 3, "%d of %d runs took the shortcut over units", took, runs);
    cr_expect_geq(took_unit, runs / 10, "%d of %d runs took it within a unit", took_unit, runs);
}

/* pk_par2's sizes (pk_core2's SZ_* parameters) at ice40 and edge: the values
 * tests/rtl/CMakeLists.txt's rtl_par2_sized_{ice40,edge} are Verilated with. */
Test(v2_rtl, par2_dims)
{
    const char *cfgs[] = {"ice40", "edge"};
    const pk_par2_dims_t want[] = {{24, 8, 10, 18, 1, 8, 2, 6}, {32, 10, 16, 18, 4, 10, 4, 7}};
    for (int i = 0; i < 2; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cfgs[i]);
        pk_config_t *c = tsu_cfg(p);
        pk_par2_dims_t d;
        pk_v2_rtl_par2_dims(c, &d);
        cr_expect_eq(memcmp(&d, &want[i], sizeof d), 0, "%s: %d %d %d %d %d %d %d %d", cfgs[i],
                     d.addr_bits, d.aw, d.xw, d.yw, d.ra, d.wa, d.ca, d.wbw);
        pk_config_free(c);
    }
}

/* pk_v2_rtl_par2_fits of the descriptor words w, as the bytes the image holds */
static int fits(const pk_config_t *c, const uint32_t *w, char *why, size_t n)
{
    uint8_t b[PK_DESC2_BYTES];
    for (int k = 0; k < PK_DESC2_WORDS; k++)
        for (int j = 0; j < 4; j++)
            b[4 * k + j] = (uint8_t)(w[k] >> (8 * j));
    return pk_v2_rtl_par2_fits(c, b, why, n);
}

/* A field one past its sized register is refused, naming it; the largest
 * value that fits is not (ice40: Ct <= C = 4 in CA + 1 = 3 bits, so 7 fits
 * and 8 does not; CAP in XW - 1 = 9 bits; the UNREAD ADDR_IN is never
 * judged). */
Test(v2_rtl, par2_fits)
{
    pk_config_t *c = tsu_cfg(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml");
    uint32_t w[PK_DESC2_WORDS] = {0};
    char why[256];
    pk_desc_put(w, PK_DF_ADDR_IN, 0xFFFFFFFFu);
    pk_desc2_put(w, PK_D2_CT, 7);
    pk_desc2_put(w, PK_D2_CAP, 511);
    cr_expect_eq(fits(c, w, why, sizeof why), 0, "%s", why);
    pk_desc2_put(w, PK_D2_CT, 8);
    cr_expect_eq(fits(c, w, why, sizeof why), 1);
    cr_expect(strstr(why, "field CT = 8") && strstr(why, "l_ct register of 3 bits") &&
                  strstr(why, "(PK_PAR2_FIELDS: CA 1;"),
              "%s", why);
    pk_desc2_put(w, PK_D2_CT, 4);
    pk_desc2_put(w, PK_D2_CAP, 512);
    cr_expect_eq(fits(c, w, why, sizeof why), 1);
    cr_expect(strstr(why, "field CAP = 512") && strstr(why, "9 bits") && strstr(why, "XW -1;"), "%s",
              why);
    /* a K row: E_ROWS in 4 bits */
    pk_desc2_put(w, PK_D2_CAP, 4);
    pk_desc2_put(w, PK_D2_E_ROWS, 16);
    cr_expect_eq(fits(c, w, why, sizeof why), 1);
    cr_expect(strstr(why, "field E_ROWS = 16") && strstr(why, "(PK_PAR2_FIELDS: K 4;"), "%s", why);
    pk_config_free(c);
}

/* pk_v2_rtl_check, one checker asked for every layer in turn, gives the
 * answer and reason of pk_v2_rtl_supported (a fresh checker per layer), and
 * holds the parameters pk_v2_rtl_param / pk_v2_rtl_par2_dims compute: PikeLPN-2x on edge
 * (its channel groups built since V2-11.4 item 11) and tiny2's is.yaml have none refused,
 * tiny2's ringrule.yaml one (the ring write rule). */
Test(v2_rtl, check_equals_supported)
{
    const char *cases[][2] = {
        {PIKE_SOURCE_ROOT "/hw_configs/edge.yaml", PIKE_SOURCE_ROOT "/networks/pikelpn_2x.yaml"},
        {PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml",
         PIKE_SOURCE_ROOT "/tests/data/check/v2/is.yaml"},
        {PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml",
         PIKE_SOURCE_ROOT "/tests/data/check/v2/ringrule.yaml"},
    };
    int refused = 0, built = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make(&f, cases[k][0], cases[k][1], 0, &e), 0, "%s", e.msg);
        pk_v2_rtl_check_t chk;
        pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
        cr_assert_not_null(chk.img);
        /* what it computed once is what the one-answer functions compute */
        pk_par2_dims_t d;
        pk_v2_rtl_par2_dims(f.cfg, &d);
        cr_expect_eq(chk.wi, P(f.cfg, "WI"));
        cr_expect_eq(chk.wwl, P(f.cfg, "WWL"));
        cr_expect_eq(chk.wfl, P(f.cfg, "WFL"));
        cr_expect_eq(memcmp(&chk.dims, &d, sizeof d), 0);
        for (int i = 0; i < f.hw->n_layers; i++) {
            char w1[400], w2[400];
            int a = pk_v2_rtl_supported(f.cfg, f.hw, f.plan, i, w1, sizeof w1);
            int b = pk_v2_rtl_check(&chk, i, w2, sizeof w2);
            cr_expect_eq(a, b, "%s layer %d", cases[k][1], i);
            cr_expect_str_eq(w1, w2, "%s layer %d", cases[k][1], i);
            refused += a, built += !a;
        }
        pk_v2_rtl_check_free(&chk);
        fx_free(&f);
    }
    cr_expect_gt(refused, 0);
    cr_expect_gt(built, 0);
}

/* pk_v2_rtl_check keeps the ring rule's and the weight walk's answers per
 * distinct input (the descriptor without its DRAM addresses and VP; the
 * walk's arguments) and borrows the image it is given
 * (pk_v2_rtl_check_init_img): one checker asked for every layer, then again
 * in reverse order (every answer then from what it kept), answers as a
 * fresh checker per layer (and pk_v2_rtl_supported), also with the weight
 * limits lowered so that every layer with weights is refused with the kept
 * walk's numbers in its reason, on networks that repeat
 * their blocks (ResNet-50, MobileNetV2, PokeBNN on cloud) and on layers
 * refused by each rule (KC order: ResNet-50 w8a8 on edge; ring rule:
 * walker_jump on cloud, ringrule and xfold on tiny2; weight lanes: dw, dw1b
 * on cloud with min_depthwise_weight_bits 1, lanes_ecp5 on ecp5 and ice40). */
Test(v2_rtl, check_memo_equals_fresh)
{
    const char *cases[][2] = {
        {"hw_configs/cloud.yaml", "networks/resnet50_w4a4.yaml"},
        {"hw_configs/cloud.yaml", "networks/mobilenetv2_w4a4.yaml"},
        {"hw_configs/cloud.yaml", "networks/pokebnn_1_0.yaml"},
        {"hw_configs/edge.yaml", "networks/resnet50_w8a8.yaml"},
        {"hw_configs/cloud.yaml", "tests/data/check/v2/walker_jump.yaml"},
        {"cloud_alldw", "tests/data/check/v2/dw.yaml"},
        {"cloud_alldw", "tests/data/check/v2/dw1b.yaml"},
        {"hw_configs/ecp5.yaml", "tests/data/check/v2/lanes_ecp5.yaml"},
        {"hw_configs/ice40.yaml", "tests/data/check/v2/lanes_ecp5.yaml"},
        {"tests/data/check/v2/tiny2.yaml", "tests/data/check/v2/ringrule.yaml"},
        {"tests/data/check/v2/tiny2.yaml", "tests/data/check/v2/xfold.yaml"},
    };
    int refused = 0, built = 0, ring = 0, lanes = 0, walked = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char cp[512], np[512];
        if (!strcmp(cases[k][0], "cloud_alldw")) /* 1- and 2-bit depthwise layers */
            snprintf(cp, sizeof cp, "%s", with_min_dw("cloud", '1'));
        else
            snprintf(cp, sizeof cp, "%s/%s", PIKE_SOURCE_ROOT, cases[k][0]);
        snprintf(np, sizeof np, "%s/%s", PIKE_SOURCE_ROOT, cases[k][1]);
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s: %s", np, e.msg);
        int n = f.hw->n_layers, *a = malloc((size_t)n * sizeof *a);
        char(*w1)[400] = malloc((size_t)n * sizeof *w1);
        cr_assert(a && w1);
        /* limits: the parameters' (pk_v2_rtl_check_init), then WFL 0 (every
         * layer with weights refused, its reason naming the walk's lanes),
         * then WI = WWL = 0 (naming its words a column and a beat): the kept
         * walks' values are compared, not only the answers */
        for (int lim = 0; lim < 3; lim++) {
            for (int i = 0; i < n; i++) {
                pk_v2_rtl_check_t one;
                pk_v2_rtl_check_init_img(&one, f.cfg, f.hw, f.plan, f.img);
                if (lim)
                    one.wfl = lim == 1 ? 0 : 1 << 20, one.wi = one.wwl = lim == 2 ? 0 : 1 << 20;
                a[i] = pk_v2_rtl_check(&one, i, w1[i], sizeof w1[i]);
                pk_v2_rtl_check_free(&one);
                if (!lim) { /* pk_v2_rtl_supported (its own image) says the same */
                    char w0[400];
                    cr_expect_eq(pk_v2_rtl_supported(f.cfg, f.hw, f.plan, i, w0, sizeof w0), a[i]);
                    cr_expect_str_eq(w0, w1[i]);
                }
            }
            pk_v2_rtl_check_t chk;
            pk_v2_rtl_check_init_img(&chk, f.cfg, f.hw, f.plan, f.img);
            cr_assert_eq(chk.img, f.img);
            if (lim)
                chk.wfl = lim == 1 ? 0 : 1 << 20, chk.wi = chk.wwl = lim == 2 ? 0 : 1 << 20;
            for (int pass = 0; pass < 2; pass++)
                for (int j = 0; j < n; j++) {
                    int i = pass ? n - 1 - j : j;
                    char w2[400];
                    int b = pk_v2_rtl_check(&chk, i, w2, sizeof w2);
                    cr_expect_eq(a[i], b, "%s on %s layer %d (limits %d, pass %d)", cases[k][1],
                                 cases[k][0], i, lim, pass);
                    cr_expect_str_eq(w1[i], w2, "%s on %s layer %d (limits %d, pass %d)",
                                     cases[k][1], cases[k][0], i, lim, pass);
                }
            pk_v2_rtl_check_free(&chk);
            cr_expect_eq(chk.img, NULL);
            for (int i = 0; i < n && !lim; i++) {
                refused += a[i], built += !a[i];
                ring += a[i] && strstr(w1[i], "ring write rule") != NULL;
                lanes += a[i] && strstr(w1[i], "read-port beat") != NULL;
            }
            for (int i = 0; i < n && lim; i++)
                walked += a[i] && strstr(w1[i], "read-port beat") != NULL;
        }
        free(a);
        free(w1);
        fx_free(&f); /* frees f.img: the checker only borrowed it */
    }
    cr_expect_gt(built, 300);
    cr_expect_geq(ring, 3, "%d ring-rule refusals", ring);
    cr_expect_geq(lanes, 3, "%d weight-lane refusals", lanes);
    cr_expect_gt(walked, 600, "%d refusals at lowered limits", walked);
    cr_log_info("check memo: %d layers built, %d refused (%d ring rule, %d lanes); %d refused "
                "at lowered limits", built, refused, ring, lanes, walked);
}

/* The global pool's channel-slice fetch (V2-4.4), V2-11.4 item 13: built for slices of one
 * geometry and whole beats: tests/data/check/v2/gslice.yaml on tiny2 (3 slices of 16 bytes) is
 * sliced by the rule (the default, gslice 0) and built; tests/data/check/v2/gpool.yaml (20
 * channels: slices of 8 and 2 bytes) is sliced only with gslice 1, and then refused naming the
 * shorter last slice; with gslice -1 both are the re-streaming pool, built. */
Test(v2_rtl, gslice_supported)
{
    static const char *const nets[] = {"gslice", "gpool"};
    const char *cfg = PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml";
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    cr_assert_eq(o.gslice, 0, "the default is the rule");
    for (int k = 0; k < 2; k++)
        for (int g = -1; g <= 1; g++) {
            char net[512];
            snprintf(net, sizeof net, "%s/tests/data/check/v2/%s.yaml", PIKE_SOURCE_ROOT, nets[k]);
            o.gslice = g;
            fx_t f;
            pk_error_t e;
            char why[400] = "";
            cr_assert_eq(fx_make_opts(&f, cfg, net, 0, &o, &e), 0, "%s", e.msg);
            const pk_plan_layer_t *L = pk_plan_layer(f.plan, 0);
            cr_assert(L->global_pool && L->mt >= 2);
            cr_expect_eq(L->gsl, g > 0 || (g == 0 && k == 0), "%s gslice %d: gsl %d", nets[k], g,
                         L->gsl);
            pk_v2_rtl_check_t chk;
            pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
            int r = pk_v2_rtl_check(&chk, 0, why, sizeof why);
            cr_expect_eq(r, g > 0 && k == 1, "%s gslice %d: %s", nets[k], g, why);
            if (r)
                cr_expect(strstr(why, "shorter last slice"), "%s", why);
            pk_v2_rtl_check_free(&chk);
            fx_free(&f);
        }
}

/* The channel groups' strided group fetch (V2-5 item 2, V2-11.4 item 14): built for blocks of
 * one size whose slice is whole beats and whose Jw is a multiple of R, which the rule (cgslice
 * 0) plans: tests/data/check/v2/cgroups2.yaml on tiny2 (R 2): its mp (4 blocks of Jw = 2) carries
 * CGS and is built, its dw (NS blocks of Jw = 1) is re-streamed; with cgslice 1 both are sliced,
 * mp in 3 blocks of 48 channels for 128 (a shorter last block) and dw at Jw = 1, and both are
 * refused with the reason; -1 re-streams both, built. */
Test(v2_rtl, cgslice_supported)
{
    const char *cfg = PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml";
    const char *net = PIKE_SOURCE_ROOT "/tests/data/check/v2/cgroups2.yaml";
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    cr_assert_eq(o.cgslice, 0, "the default is the rule");
    static const int want_cgs[3][2] = {{0, 0}, {0, 1}, {1, 1}}; /* dw, mp at cgslice -1, 0, 1 */
    static const char *const want_why[3][2] = {{"", ""}, {"", ""}, {"multiple of R", "shorter last block"}};
    for (int g = -1; g <= 1; g++) {
        o.cgslice = g;
        fx_t f;
        pk_error_t e;
        cr_assert_eq(fx_make_opts(&f, cfg, net, 0, &o, &e), 0, "%s", e.msg);
        cr_assert_eq(f.hw->n_layers, 2);
        pk_v2_rtl_check_t chk;
        pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
        for (int i = 0; i < 2; i++) {
            char why[400] = "";
            const pk_hwlayer_t *h = &f.hw->layers[i];
            const pk_plan_layer_t *L = pk_plan_layer(f.plan, i);
            cr_expect_eq(L->cgs, want_cgs[g + 1][i], "%s cgslice %d: cgs %d", h->name, g, L->cgs);
            int r = pk_v2_rtl_check(&chk, i, why, sizeof why);
            const char *w = want_why[g + 1][i];
            cr_expect_eq(r, w[0] != 0, "%s cgslice %d: %s", h->name, g, why);
            if (r)
                cr_expect(strstr(why, w), "%s cgslice %d: %s", h->name, g, why);
        }
        pk_v2_rtl_check_free(&chk);
        fx_free(&f);
    }
}

/* A pixel of a whole ring bank (V2-11.4 item 18): SJ and LD_SJW are held modulo
 * 2^AW (FIT L), so 2^AW and more is never refused (ice40: AW 8); a V row one
 * past its register still is (LD_G0, AW bits). tests/data/check/v2/fc_bank.yaml
 * on wide_v2 (DA 64): the fc's pixel is Jw = 64 words, flat, its descriptor's
 * SJ = LD_SJW = 64, and pk_core2 builds it (refused with SJ's register before). */
Test(v2_rtl, whole_bank_pixel_supported)
{
    pk_config_t *c = tsu_cfg(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml");
    uint32_t w[PK_DESC2_WORDS] = {0};
    char why[400] = "";
    pk_desc2_put(w, PK_D2_SJ, 256);
    pk_desc2_put(w, PK_D2_LD_SJW, 256);
    cr_expect_eq(fits(c, w, why, sizeof why), 0, "%s", why);
    pk_desc2_put(w, PK_D2_LD_G0, 256);
    cr_expect_eq(fits(c, w, why, sizeof why), 1);
    cr_expect(strstr(why, "field LD_G0 = 256"), "%s", why);
    pk_config_free(c);

    fx_t f;
    pk_error_t e;
    cr_assert_eq(fx_make(&f, PIKE_SOURCE_ROOT "/tests/data/onnx/wide_v2.yaml",
                         PIKE_SOURCE_ROOT "/tests/data/check/v2/fc_bank.yaml", 0, &e),
                 0, "%s", e.msg);
    cr_assert_eq(f.hw->n_layers, 1);
    cr_assert_eq(P(f.cfg, "AW"), 6);
    const uint8_t *d = pk_v2img_descriptor(f.img, 0);
    cr_assert(d);
    uint32_t dw[PK_DESC2_WORDS];
    pk_desc_words(d, PK_DESC2_WORDS, dw);
    cr_expect_eq(pk_desc2_get(dw, PK_D2_FLAT), 1);
    cr_expect_eq(pk_desc2_get(dw, PK_D2_JW), 64);
    cr_expect_eq(pk_desc2_get(dw, PK_D2_SJ), 64);
    cr_expect_eq(pk_desc2_get(dw, PK_D2_LD_SJW), 64);
    pk_v2_rtl_check_t chk;
    pk_v2_rtl_check_init(&chk, f.cfg, f.hw, f.plan);
    cr_expect_eq(pk_v2_rtl_check(&chk, 0, why, sizeof why), 0, "%s", why);
    pk_v2_rtl_check_free(&chk);
    fx_free(&f);
}
