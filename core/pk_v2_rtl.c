/* pk_v2_rtl.c - pk_core2's parameters and the layers it builds (see pk_v2_rtl.h). */
#include "pk_v2_rtl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_compile_v2.h"
#include "pk_contract.h"
#include "pk_fnv1a.h"
#include "pk_imath.h"
#include "pk_v2_consts.h"
#include "pk_v2desc.h"
#include "pk_v2ringwr.h"

static int clog2(int64_t x)
{
    int n = 0;
    while (((int64_t)1 << n) < x)
        n++;
    return n;
}

static int min1_clog2(int64_t x)
{
    int n = clog2(x);
    return n < 1 ? 1 : n;
}

/* pk_ld2a's (a_bits, m) pairs: bit 4 log2 a + log2 m, m = max(w, a). */
static unsigned ld_modes(const pk_config_t *cfg)
{
    unsigned mask = 0;
    for (int i = 0; i < cfg->precision.weight_bits_count; i++)
        for (int j = 0; j < cfg->precision.act_bits_count; j++) {
            int w = cfg->precision.weight_bits[i], a = cfg->precision.act_bits[j];
            mask |= 1u << (4 * clog2(a) + clog2(w > a ? w : a));
        }
    return mask;
}

/* pk_ld2's WMODES: the (w_bits, m) pairs of the config's width pairs, bit
 * 4 log2 w_bits + log2 m, m = max(w_bits, a_bits) as ld_modes (the weight
 * unpacker builds one widening per pair). */
static unsigned ld_wmodes(const pk_config_t *cfg)
{
    unsigned mask = 0;
    for (int i = 0; i < cfg->precision.weight_bits_count; i++)
        for (int j = 0; j < cfg->precision.act_bits_count; j++) {
            int w = cfg->precision.weight_bits[i], a = cfg->precision.act_bits[j];
            mask |= 1u << (4 * clog2(w) + clog2(w > a ? w : a));
        }
    return mask;
}

/* The widest compact record (V2-3.2) any layer on cfg can have: QuantNorm,
 * requant and the widest activation's parameters (pk_v2_record_fields),
 * rounded up to a power of two of bytes. */
static int64_t max_record_bytes(const pk_config_t *cfg)
{
    int64_t apb = cfg->postproc.act_param_bits, act = 0;
    int64_t bits = cfg->postproc.qn_mult_bits + cfg->postproc.qn_shift_bits +
                   cfg->postproc.qn_bias_bits + cfg->postproc.dq_mant_bits +
                   cfg->postproc.dq_exp_bits;
    if (cfg->d.act_mask & (1u << PK_ACT_PRELU))
        act = apb;
    if ((cfg->d.act_mask & (1u << PK_ACT_DPRELU)) && 2 * apb > act)
        act = 2 * apb;
    if ((cfg->d.act_mask & (1u << PK_ACT_RPRELU)) && apb + 32 > act)
        act = apb + 32;
    int64_t bytes = pk_cdiv(bits + act, 8), r = 1;
    while (r < bytes)
        r *= 2;
    return r;
}

/* The most weight-buffer words one read-port beat completes for one column
 * (*per_col) and in all (*per_beat), over the full n-tiles of the layers the
 * config can have (V2-3.2): for each supported pair (w, a), m = max(w, a), VP =
 * V * L / m, a DW unit (one w-bit code a word, Cd = min(C, VP) columns; w at
 * least precision.min_depthwise_weight_bits) and a CONV unit (VP * w bits a
 * word, C columns), each with the widest per-channel record and without one,
 * over k-steps enough for the steady state of the beats.  A last n-tile of fewer columns can exceed them:
 * pk_v2_rtl_supported refuses it. */
static void wbeat_unit_max(int64_t pb, int64_t nc, int64_t ks, int64_t wcb, int64_t rec,
                           int64_t wby, int dw, int64_t *per_col, int64_t *per_beat,
                           int64_t *wide);

static void wbeat_max(const pk_config_t *cfg, int64_t rec, int64_t *per_col, int64_t *per_beat,
                      int64_t *wide)
{
    int64_t C = cfg->array.cols, pb = cfg->offchip.bytes_per_cycle, wby = cfg->d.word_bytes;
    int64_t seen[2][PK_WIDTH_MAX_COUNT * PK_WIDTH_MAX_COUNT][2];
    int nseen[2] = {0, 0};
    *per_col = *per_beat = *wide = 1;
    for (int i = 0; i < cfg->precision.weight_bits_count; i++)
        for (int j = 0; j < cfg->precision.act_bits_count; j++) {
            int64_t w = cfg->precision.weight_bits[i], a = cfg->precision.act_bits[j];
            int64_t vp = cfg->array.lanes * cfg->d.slot_bits / (w > a ? w : a);
            for (int dw = 0; dw < 2; dw++) {
                if (dw && !pk_config_has_dw_wbits(cfg, (int)w))
                    continue; /* no depthwise layer of w-bit codes */
                /* the walks depend on (nc, wcb) only: pairs (w, a) that give the
                 * same are walked once */
                int64_t nc = dw ? pk_min2(C, vp) : C, wcb = dw ? w : vp * w;
                int dup = 0;
                for (int k = 0; k < nseen[dw]; k++)
                    dup |= seen[dw][k][0] == nc && seen[dw][k][1] == wcb;
                if (dup)
                    continue;
                seen[dw][nseen[dw]][0] = nc, seen[dw][nseen[dw]++][1] = wcb;
                /* two beats' k-steps and more: every alignment of a beat is seen */
                int64_t ks = 2 * pk_cdiv(8 * pb, wcb * nc) + 2;
                wbeat_unit_max(pb, nc, ks, wcb, rec, wby, dw, per_col, per_beat, wide);
            }
        }
}

/* DA: ring words a bank (both halves; core/pk_v2ringwr.c) */
static int64_t ring_da(const pk_config_t *cfg)
{
    return 2 * cfg->buffers.activations / (cfg->array.rows * cfg->d.word_bytes);
}

int pk_v2_rtl_params(const pk_config_t *cfg, pk_v2_rtl_param_t *out, int max)
{
    const pk_derived_t *d = &cfg->d;
    int64_t R = cfg->array.rows, C = cfg->array.cols;
    int64_t wbits = d->word_bits, pb = cfg->offchip.bytes_per_cycle;
    int64_t da = ring_da(cfg);
    int64_t wd = 2 * d->wbuf_depth; /* both halves of a column bank */
    /* the narrowest depthwise code (none: 8): a beat completes 8 PB / w of them */
    int64_t amin = cfg->precision.act_bits[0], wmin = 8;
    for (int i = 0; i < cfg->precision.weight_bits_count; i++) /* ascending */
        if (pk_config_has_dw_wbits(cfg, cfg->precision.weight_bits[i])) {
            wmin = cfg->precision.weight_bits[i];
            break;
        }
    int64_t slots = cfg->array.lanes * d->slot_bits / amin;   /* the widest VP */
    int64_t rwl = pb;                      /* every ring word takes >= 1 byte of a beat */
    int64_t wpc, wpb, wfl, wi = 1;
    wbeat_max(cfg, max_record_bytes(cfg), &wpc, &wpb, &wfl);
    while (wi < wpc)
        wi *= 2;
    int64_t wwl = pk_max2(pk_min2(C, pk_cdiv(8 * pb, wmin)), wpb);
    int64_t rec_words = pk_max2(1, pk_cdiv(max_record_bytes(cfg), d->word_bytes));
    /* x-fold (V2-4.2, core/pk_plan.c xfold): fx * cp <= VP with cp >= 1 and
     * fx | stride <= 15, so log2 fx <= min(3, floor(log2 VP)) */
    int64_t fxl = 0;
    while (fxl < 3 && ((int64_t)2 << fxl) <= slots)
        fxl++;
    /* a global pool is a POOLSUM (avg or global_avg) over the whole image */
    int64_t glob = (d->pool_mask & (1u << PK_POOL_AVG | 1u << PK_POOL_GLOBAL_AVG)) != 0;
    /* event counters (ARCHITECTURE.md V2-9 item 8): none may wrap within
     * 2^40 cycles of one run.  After n cycles no counter exceeds n * rate + a
     * bounded backlog, rate the most events one cycle can do: R * C * VP
     * products (macs, pool terms: a global pool's R * Ct <= R * VP too), PB
     * bytes, one request, C weight words read, WWL written, R ring words
     * read, RWL = PB written, PL output elements; the backlog (bytes
     * requested, not yet moved) is below 2^40 * rate: one more bit. */
    int64_t rate = pk_max2(pk_max2(R * C * slots, wwl), pk_max2(pb, cfg->postproc.lanes));
    int64_t cnt_bits = pk_min2(64, 40 + clog2(rate) + 1);
    /* the widest increment one cycle gives one counter: rate, or a DRAM
     * request's whole length (counted when it is taken, <= MAX_BURST) */
    int64_t cnt_iw = clog2(pk_max2(rate, PK_MAX_BURST_DEFAULT) + 1);
    const pk_v2_rtl_param_t t[] = {
        {"MAX_BURST", PK_MAX_BURST_DEFAULT, 0, "bytes: the loader and writer split runs at this (pk_plan_opts_default)"},
        {"QA", clog2(cfg->offchip.latency + 2), 0, "loader request FIFO index bits: 2^QA >= LAT + 2"},
        {"RA", min1_clog2(R), 0, "max(1, clog2 R): ring bank / array row bits"},
        {"CA", min1_clog2(C), 0, "max(1, clog2 C): weight-buffer column bits"},
        {"WBITS", wbits, 0, "buffer word bits V * L"},
        {"DA", da, 0, "ring words per bank: 2 * buffers.activations / (R * word bytes)"},
        {"AW", clog2(da), 0, "ring bank address bits clog2 DA (pk_win2, pk_ring2, pk_ld2)"},
        {"XW", clog2(R * da) + 2, 0, "pk_win2 signed stored-x bits clog2(R * DA) + 2"},
        {"YW", 18, 0, "pk_seq2 A-row count bits: 16-bit in_h + kh + sign"},
        {"WD", wd, 0, "weight-buffer words per column bank: 2 * buffers.weights / (C * word bytes)"},
        {"WA", clog2(wd), 0, "weight-buffer column address bits clog2 WD"},
        {"RWL", rwl, 0, "loader ring write lanes: PB (a ring word takes at least one beat byte)"},
        {"WWL", wwl, 0, "loader weight write lanes: the most words a beat completes (full n-tiles), >= min(C, 8 PB / the narrowest depthwise w_bits)"},
        {"WFL", pk_min2(wfl, wwl), 0, "loader weight lanes of whole words (CONV, records; the others 8-bit depthwise codes): 1 + the highest lane of one (full n-tiles)"},
        {"WI", wi, 0, "weight-buffer sub-banks per column: pow2 of the most words a beat completes for one column (full n-tiles)"},
        {"SLOTS", slots, 0, "pk_win2 slot mask width: the widest VP = V * L / min a_bits"},
        {"WBW", clog2(wbits + 1), 0, "bits of a count of word bits 0 .. WBITS: clog2(WBITS + 1) (pk_par2's LD_*BITS, LD_WCB, LD_LNCH)"},
        {"LD_MODES", ld_modes(cfg), 16, "pk_ld2a MODES: bit 4 log2 a_bits + log2 m of each (a_bits, m)"},
        {"LD_WMODES", ld_wmodes(cfg), 16, "pk_ld2 WMODES: bit 4 log2 w_bits + log2 m of each (w_bits, m)"},
        {"REC_WORDS", rec_words, 0, "pk_post2 record words per column: the widest record / word bytes"},
        {"B_WORDS", pk_max2(1, pk_cdiv(8 * C, wbits)) + 1, 0, "pk_post2 operand-B words: max(1, ceil(8 C / WBITS)) + 1 (V2-11.3)"},
        {"FXL", fxl, 0, "pk_ld2a: largest log2 fx built (fx * cp <= VP, fx | stride <= 15)"},
        {"FPX", rwl, 0, "pk_ld2a: x-folded pixels a beat completes (<= PB: a pixel >= 1 byte)"},
        {"GLOB", glob, 0, "pk_ld2a global-pool layout built: avg or global_avg pooling"},
        {"CNT_BITS", cnt_bits, 0, "event counter bits: min(64, 41 + clog2 of the most events a cycle, max(R C VP, WWL, PB, PL)): none wraps within 2^40 cycles"},
        {"CNT_IW", cnt_iw, 0, "counter increment bits: clog2(max(rate above, MAX_BURST) + 1): the most one counter takes in a cycle (a request's bytes at once)"},
        {"DLW", pk_v2_desc_load_lanes(pb), 0, "descriptor words read a cycle at the layer boundary (pk_desc2's read row, V2-7.5): min(8, max(1, PB / 2))"},
    };
    /* pk_core2's declaration order: the shared array and port rows
     * (core/pk_rtlparam.c), then pk_core2's own */
    pk_v2_rtl_param_t all[PK_RTL_ARRAY_PARAMS + PK_RTL_PORT_PARAMS + sizeof t / sizeof t[0]];
    int n = pk_rtl_params_array(cfg, all);
    n += pk_rtl_params_port(cfg, all + n);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        all[n++] = t[i];
    for (int i = 0; i < n && i < max; i++)
        out[i] = all[i];
    return n;
}

/* The value of parameter `name` in a table of n rows of pk_v2_rtl_params
 * (-1: none). */
static int64_t table_value(const pk_v2_rtl_param_t *p, int n, const char *name)
{
    for (int i = 0; i < n && i < PK_V2_RTL_MAX_PARAMS; i++)
        if (!strcmp(p[i].name, name))
            return p[i].value;
    return -1;
}

int64_t pk_v2_rtl_param(const pk_config_t *cfg, const char *name)
{
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    int n = pk_v2_rtl_params(cfg, p, PK_V2_RTL_MAX_PARAMS);
    return table_value(p, n, name);
}

uint32_t pk_v2_rtl_board_id(const pk_config_t *cfg)
{
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    int n = pk_v2_rtl_params(cfg, p, PK_V2_RTL_MAX_PARAMS);
    uint32_t h = PK_FNV1A32_INIT;
    for (int i = 0; i < n && i < PK_V2_RTL_MAX_PARAMS; i++) {
        char row[160];
        int len = snprintf(row, sizeof row, "%s=%lld/%d;", p[i].name, (long long)p[i].value,
                           p[i].width);
        h = pk_fnv1a32(h, row, len < 0 ? 0 : len < (int)sizeof row ? (size_t)len : sizeof row);
    }
    return 2u << 24 | (h & 0xFFFFFFu);
}

/* The beat walk of pk_v2_rtl_wbeat, over units that follow each other in one
 * run: the counts carry across a unit boundary inside a beat. */
typedef struct {
    int64_t beat, nbeat, ncol[256], mc, mb, mw;
    int64_t cbeat[256]; /* the beat ncol[c] counts in (a new beat resets it) */
    int64_t e0, e1;     /* the last unit walked: its first and last word's end byte */
    int all;            /* walk every word (no period shortcut) */
} wwalk_t;

static void wwalk_init(wwalk_t *s)
{
    memset(s, 0, sizeof *s);
    s->beat = -1;
    memset(s->cbeat, 0xff, sizeof s->cbeat); /* every cbeat[c] -1 */
}

/* mw: 1 + the highest lane (a word's place among its beat's words) of a whole
 * word, a CONV weight word or a record word (dw: the weight words are
 * depthwise codes, 8 data bits, which any lane takes); and the place (from 0)
 * of an n-tile's first word: pk_ld2's code lanes (V2-11.5 "Lean control, step
 * 6") take the codes of the n-tile at lane WFL only, so an n-tile may start on a
 * whole lane or on lane WFL, after the whole words before it */
/* one word of column c ending in beat b: the counts and maxima */
static void wwalk_word(wwalk_t *s, int64_t b, int64_t c, int64_t end, int first, int whole)
{
    if (b != s->beat)
        s->beat = b, s->nbeat = 0;
    if (s->cbeat[c] != b)
        s->cbeat[c] = b, s->ncol[c] = 0;
    s->nbeat++, s->ncol[c]++;
    if (first) /* the n-tile's first word */
        s->e0 = end, s->mw = pk_max2(s->mw, s->nbeat - 1);
    s->e1 = end;
    s->mb = pk_max2(s->mb, s->nbeat), s->mc = pk_max2(s->mc, s->ncol[c]);
    if (whole)
        s->mw = pk_max2(s->mw, s->nbeat);
}

/* Words i .. j - 1 of a unit (j > i, i > 0), all in beat b, none the
 * unit's first or last: what wwalk_word does to them one by one, in
 * min(j - i, nc) steps. nbeat only grows within the run, so its maxima are
 * its last value; column c = i' mod nc takes floor(k / nc) of the k words,
 * one more when it is among the first k mod nc from column i mod nc. */
static void wwalk_run(wwalk_t *s, int64_t i, int64_t j, int64_t b, int64_t nc, int64_t wcb,
                      int whole)
{
    int64_t k = j - i, full = k / nc, rem = k % nc, c = i % nc;
    if (b != s->beat)
        s->beat = b, s->nbeat = 0;
    s->nbeat += k;
    s->e1 = pk_cdiv(j * wcb, 8);
    s->mb = pk_max2(s->mb, s->nbeat);
    if (whole)
        s->mw = pk_max2(s->mw, s->nbeat);
    for (int64_t t = 0; t < k && t < nc; t++, c = c + 1 == nc ? 0 : c + 1) {
        if (s->cbeat[c] != b)
            s->cbeat[c] = b, s->ncol[c] = 0;
        s->ncol[c] += full + (t < rem);
        s->mc = pk_max2(s->mc, s->ncol[c]);
    }
}

/* The records after a unit's n weight words (the last ending at byte
 * wof): rw words of rbits bits for each column, column c's at wof + c rec. */
static void wwalk_records(wwalk_t *s, int64_t base, int64_t pb, int64_t nc, int64_t wof,
                          int64_t n, int64_t rec, int64_t rw, int64_t rbits)
{
    if (rw == 1 && n > 0 && rec > 0 && !s->all) {
        /* one word a column (none the unit's first): the columns whose word
         * ends in beat b together, c .. c1 (end wof + c rec + rbits / 8 <=
         * (b + 1) pb - base), each one more word of b, nbeat k more */
        int64_t m = pk_min2(nc, 256);
        for (int64_t c = 0; c < m;) {
            int64_t end = wof + c * rec + rbits / 8, b = (base + end - 1) / pb;
            int64_t c1 = pk_min2(m - 1, ((b + 1) * pb - base - wof - rbits / 8) / rec);
            if (b != s->beat)
                s->beat = b, s->nbeat = 0;
            s->nbeat += c1 - c + 1;
            s->e1 = wof + c1 * rec + rbits / 8;
            s->mb = pk_max2(s->mb, s->nbeat), s->mw = pk_max2(s->mw, s->nbeat);
            for (; c <= c1; c++) {
                if (s->cbeat[c] != b)
                    s->cbeat[c] = b, s->ncol[c] = 0;
                s->mc = pk_max2(s->mc, ++s->ncol[c]);
            }
        }
        return;
    }
    for (int64_t c = 0; c < nc && c < 256; c++) /* the records */
        for (int64_t r = 0; r < rw; r++) {
            int64_t end = wof + c * rec + (r + 1) * (rbits / 8);
            wwalk_word(s, (base + end - 1) / pb, c, end, n == 0 && c == 0 && r == 0, 1);
        }
}

/* The unit's weight words i = kk nc + c end at byte ceil((i + 1) wcb / 8)
 * (the last at wof), so every q = lcm(nc, 8 pb / gcd(wcb, 8 pb)) words the
 * columns repeat and the ends move by a whole number of beats. Once a beat has
 * begun inside the unit, the counts before word i (the words of the current
 * beat) are those before word i + q moved by that many beats: after one such
 * period the walk (s->all = 0) skips the whole periods before the last word.
 * And it takes the words of one beat together (wwalk_run): the words ending
 * at most E bytes into the unit are those below floor(8 E / wcb). */
static void wwalk_unit(wwalk_t *s, int64_t base, int64_t pb, int64_t nc, int64_t ct, int64_t ks,
                       int64_t wcb, int64_t unit_bytes, int64_t rec, int64_t rw, int64_t rbits,
                       int dw)
{
    /* words in V2-3.2 order end at non-decreasing bytes: walk them, counting
     * the words of the current beat, in all and per column */
    int64_t wof = pk_cdiv(unit_bytes * nc, ct), n = ks * nc;
    int64_t g = 8 * pb / pk_gcd(wcb, 8 * pb), q = nc / pk_gcd(nc, g) * g;
    int64_t b0 = -1, mark = s->all ? n : -1;
    int runs = !s->all && nc <= 256 && n > 1;
    for (int64_t i = 0; i < n; i++) {
        if (mark < 0 && i > 0 && s->beat > b0)
            mark = i; /* a beat began inside the unit before word i */
        else if (mark >= 0 && i == mark + q && i + q < n - 1) {
            int64_t m = (n - 1 - i) / q, db = m * q * wcb / (8 * pb);
            for (int c = 0; c < 256; c++)
                if (s->cbeat[c] == s->beat)
                    s->cbeat[c] += db;
            s->beat += db;
            i += m * q, mark = n;
        }
        int64_t c = i % nc;
        if (c >= 256)
            continue;
        int64_t end = i + 1 == n ? wof : pk_cdiv((i + 1) * wcb, 8);
        int64_t b = (base + end - 1) / pb;
        if (i == 0)
            b0 = b;
        if (runs && i > 0 && i < n - 1) {
            /* words i .. j - 1 of beat b, up to the last word and to where
             * the loop above acts next: mark set at i + 1 when this beat
             * began inside the unit, the skip at mark + q */
            int64_t j = pk_min2(8 * ((b + 1) * pb - base) / wcb, n - 1);
            if (mark < 0 && b > b0)
                mark = i + 1;
            if (mark >= 0 && mark + q > i)
                j = pk_min2(j, mark + q);
            wwalk_run(s, i, j, b, nc, wcb, !dw);
            i = j - 1;
            continue;
        }
        wwalk_word(s, b, c, end, i == 0, !dw);
    }
    wwalk_records(s, base, pb, nc, wof, n, rec, rw, rbits);
}

/* wbeat_max's walks of one unit of nc columns at byte 0 (as
 * pk_v2_rtl_wbeat and pk_v2_rtl_wlanes walk it), without records and with
 * the widest (per_col, per_beat) and with records of every power of two up
 * to it (wide): the weight words walked once (twice for a depthwise unit:
 * dw changes mw), each record size from a copy of that state (a unit's walk
 * is its weight words, then its records). */
static void wbeat_unit_max(int64_t pb, int64_t nc, int64_t ks, int64_t wcb, int64_t rec,
                           int64_t wby, int dw, int64_t *per_col, int64_t *per_beat,
                           int64_t *wide)
{
    int64_t ub = pk_cdiv(ks * nc * wcb, 8), n = ks * nc, m = pk_min2(nc, 256);
    wwalk_t w[3]; /* the weights with dw 0, with dw, and the scratch copy */
    for (int k = 0; k < 1 + dw; k++) {
        wwalk_init(&w[k]);
        wwalk_unit(&w[k], 0, pb, nc, nc, ks, wcb, ub, 0, 0, 0, k);
    }
    wwalk_t *t = &w[2];
    t->all = 0; /* the rest by COPY: the records read and write columns < m only */
#define COPY(src)                                                                              \
    (t->beat = (src)->beat, t->nbeat = (src)->nbeat, t->mc = (src)->mc, t->mb = (src)->mb,     \
     t->mw = (src)->mw, t->e0 = (src)->e0, t->e1 = (src)->e1,                                  \
     memcpy(t->ncol, (src)->ncol, (size_t)m * sizeof t->ncol[0]),                            \
     memcpy(t->cbeat, (src)->cbeat, (size_t)m * sizeof t->cbeat[0]))
    for (int r = 0; r < 2; r++) {
        COPY(&w[0]); /* pk_v2_rtl_wbeat: the counts, dw 0 */
        wwalk_records(t, 0, pb, nc, ub, n, r ? rec : 0, r ? pk_cdiv(rec, wby) : 0,
                      r ? 8 * pk_min2(rec, wby) : 0);
        *per_col = pk_max2(*per_col, t->mc);
        *per_beat = pk_max2(*per_beat, t->mb);
        for (int64_t rq = r ? 1 : rec; rq <= rec; rq *= 2) { /* pk_v2_rtl_wlanes */
            COPY(&w[dw]);
            wwalk_records(t, 0, pb, nc, ub, n, r ? rq : 0, r ? pk_cdiv(rq, wby) : 0,
                          r ? 8 * pk_min2(rq, wby) : 0);
            *wide = pk_max2(*wide, pk_max2(t->mw, 1));
        }
    }
#undef COPY
}

void pk_v2_rtl_wbeat(int64_t pb, int64_t nc, int64_t ct, int64_t ks, int64_t wcb,
                     int64_t unit_bytes, int64_t rec, int64_t rw, int64_t rbits,
                     int64_t *per_col, int64_t *per_beat)
{ /* one unit at byte 0 */
    pk_v2_rtl_wbeat_block(pb, 1, 0, nc, ct, ks, wcb, unit_bytes, rec, rw, rbits, per_col, per_beat);
}

/* nb units of one run (unit j at byte j * unit_total, the last of nc_last
 * columns, the others ct) walked once: s->mc, s->mb and s->mw.
 *
 * The same maxima from fewer units (all = 0): beats are absolute (byte / pb),
 * so what a unit's walk adds depends only on where it starts in a beat (its
 * byte mod pb) and on the counts it starts with, which are those of the words
 * of the beat it starts in. When a full unit's words span more than pb bytes
 * (first and last word in different beats wherever it starts), that beat holds
 * words of the unit before it only, so the counts a unit starts with depend
 * only on where the unit before it starts. Where unit j starts repeats with
 * period per = pb / gcd(unit_total, pb): units 1 .. per meet every case of the
 * full units 1 .. nb - 2, and the last unit (nc_last columns) is walked after
 * its predecessor's counts, rebuilt by walking that unit alone. */
static void wwalk_block(wwalk_t *s, int64_t pb, int64_t nb, int64_t unit_total,
                            int64_t nc_last, int64_t ct, int64_t ks, int64_t wcb,
                            int64_t unit_bytes, int64_t rec, int64_t rw, int64_t rbits, int dw,
                            int all)
{
    wwalk_init(s);
    s->all = all;
    int64_t per = pb / pk_gcd(unit_total % pb, pb);
    for (int64_t j = 0; j < nb; j++) {
        if (!all && j == per + 1 && nb > per + 2 && s->e1 - s->e0 >= pb) {
            wwalk_t t; /* the counts after unit nb - 2 */
            wwalk_init(&t);
            t.all = all;
            wwalk_unit(&t, (nb - 2) * unit_total, pb, ct, ct, ks, wcb, unit_bytes, rec, rw, rbits,
                       dw);
            s->beat = t.beat, s->nbeat = t.nbeat;
            memcpy(s->ncol, t.ncol, sizeof s->ncol);
            memcpy(s->cbeat, t.cbeat, sizeof s->cbeat);
            j = nb - 1;
        }
        wwalk_unit(s, j * unit_total, pb, j + 1 == nb ? nc_last : ct, ct, ks, wcb, unit_bytes,
                   rec, rw, rbits, dw);
    }
}

void pk_v2_rtl_wwalk(int64_t pb, int64_t nb, int64_t unit_total, int64_t nc_last, int64_t ct,
                     int64_t ks, int64_t wcb, int64_t unit_bytes, int64_t rec, int64_t rw,
                     int64_t rbits, int dw, int all, int64_t out[3])
{
    wwalk_t s;
    wwalk_block(&s, pb, nb, unit_total, nc_last, ct, ks, wcb, unit_bytes, rec, rw, rbits, dw,
                    all);
    out[0] = s.mc, out[1] = s.mb, out[2] = s.mw;
}

int64_t pk_v2_rtl_wlanes(int64_t pb, int64_t nb, int64_t unit_total, int64_t nc_last, int64_t ct,
                         int64_t ks, int64_t wcb, int64_t unit_bytes, int64_t rec, int64_t rw,
                         int64_t rbits, int dw)
{
    wwalk_t s;
    wwalk_block(&s, pb, nb, unit_total, nc_last, ct, ks, wcb, unit_bytes, rec, rw, rbits, dw, 0);
    return pk_max2(s.mw, 1);
}

void pk_v2_rtl_wbeat_block(int64_t pb, int64_t nb, int64_t unit_total, int64_t nc_last,
                           int64_t ct, int64_t ks, int64_t wcb, int64_t unit_bytes, int64_t rec,
                           int64_t rw, int64_t rbits, int64_t *per_col, int64_t *per_beat)
{
    wwalk_t s;
    wwalk_block(&s, pb, nb, unit_total, nc_last, ct, ks, wcb, unit_bytes, rec, rw, rbits, 0, 0);
    *per_col = s.mc;
    *per_beat = s.mb;
}

static void par2_dims(const pk_v2_rtl_param_t *p, int np, pk_par2_dims_t *d)
{
    d->addr_bits = (int)table_value(p, np, "ADDR_BITS");
    d->aw = (int)table_value(p, np, "AW");
    d->xw = (int)table_value(p, np, "XW");
    d->yw = (int)table_value(p, np, "YW");
    d->ra = (int)table_value(p, np, "RA");
    d->wa = (int)table_value(p, np, "WA");
    d->ca = (int)table_value(p, np, "CA");
    d->wbw = (int)table_value(p, np, "WBW");
}

void pk_v2_rtl_par2_dims(const pk_config_t *cfg, pk_par2_dims_t *d)
{
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    par2_dims(p, pk_v2_rtl_params(cfg, p, PK_V2_RTL_MAX_PARAMS), d);
}

static int par2_fits(const pk_par2_dims_t *dims, const uint8_t *desc, char *why, size_t n);

/* The descriptor bits par2_fits refuses at dims, per 32-bit word: of each
 * PK_PAR2_FIELDS row it judges (read, a full word, narrower than 32 bits),
 * the field's bits from the register's width up (a value fits its register
 * when none of them is set). */
static void par2_bad_bits(const pk_par2_dims_t *dims, uint32_t bad[PK_DESC2_WORDS])
{
    size_t nr, n1, n2;
    const pk_par2_row_t *r = pk_contract_par2(&nr);
    const pk_desc_field_t *f1 = pk_contract_desc_fields(&n1), *f2 = pk_contract_desc2_fields(&n2);
    memset(bad, 0, PK_DESC2_WORDS * sizeof *bad);
    for (size_t i = 0; i < nr; i++) {
        int bits = pk_contract_par2_width(&r[i], dims);
        if (r[i].wbase == PK_PAR2_W_UNREAD || r[i].low || bits >= 32)
            continue; /* as par2_fits: never refuses */
        const pk_desc_field_t *f = (r[i].v2 ? f2 : f1) + r[i].field;
        uint32_t field = f->width >= 32 ? 0xffffffffu : (1u << f->width) - 1u;
        bad[f->word] |= (field & ~((1u << bits) - 1u)) << f->lsb;
    }
}

/* par2_fits by the bits of par2_bad_bits: a refusal (the first row that does
 * not fit) is par2_fits', which writes the reason. */
static int par2_fits_bad(const pk_par2_dims_t *dims, const uint32_t bad[PK_DESC2_WORDS],
                         const uint8_t *desc, char *why, size_t n)
{
    uint32_t w[PK_DESC2_WORDS], any = 0;
    pk_desc_words(desc, PK_DESC2_WORDS, w);
    for (int k = 0; k < PK_DESC2_WORDS; k++)
        any |= w[k] & bad[k];
    if (any)
        return par2_fits(dims, desc, why, n);
    if (n)
        why[0] = '\0';
    return 0;
}

int pk_v2_rtl_par2_fits(const pk_config_t *cfg, const uint8_t *desc, char *why, size_t n)
{
    pk_par2_dims_t dims;
    pk_v2_rtl_par2_dims(cfg, &dims);
    uint32_t bad[PK_DESC2_WORDS];
    par2_bad_bits(&dims, bad);
    return par2_fits_bad(&dims, bad, desc, why, n);
}

static int par2_fits(const pk_par2_dims_t *dims, const uint8_t *desc, char *why, size_t n)
{
    uint32_t w[PK_DESC2_WORDS];
    pk_desc_words(desc, PK_DESC2_WORDS, w);
    size_t np, nf;
    const pk_par2_row_t *p = pk_contract_par2(&np);
    for (size_t i = 0; i < np; i++) {
        if (p[i].wbase == PK_PAR2_W_UNREAD || p[i].low)
            continue;
        int bits = pk_contract_par2_width(&p[i], dims);
        uint32_t v = p[i].v2 ? pk_desc2_get(w, p[i].field) : pk_desc_get(w, p[i].field);
        if (bits < 32 && v >> bits) {
            const pk_desc_field_t *f =
                (p[i].v2 ? pk_contract_desc2_fields(&nf) : pk_contract_desc_fields(&nf)) + p[i].field;
            /* only K and the parameter bases are narrower than the field */
            const char *base = pk_contract_par2_wbase_param(p[i].wbase);
            return snprintf(why, n,
                            "descriptor field %s = %lu does not fit pk_par2's l_%s register of "
                            "%d bits at this config (PK_PAR2_FIELDS: %s %d; V2-11.5 \"Lean "
                            "control, step 5\")",
                            f->name, (unsigned long)v, p[i].port, bits, base ? base : "K",
                            p[i].wadd),
                   1;
        }
    }
    if (n)
        why[0] = '\0';
    return 0;
}

/* The ring write rule of V2-11.4 item 4 for layer i (pk_v2_ring_backlog on
 * its compiled descriptor, decoded in d): 0 within it, else 1 with the
 * backlog in *b. */
static int ring_rule_broken(const pk_config_t *cfg, const pk_hwnet_t *hw, const pk_v2_desc_t *d,
                            int i, pk_v2_backlog_t *b)
{
    pk_v2_ringgeom_t g;
    pk_v2_ring_geom(d, cfg->array.rows, cfg->d.word_bytes, cfg->buffers.activations,
                    cfg->offchip.bytes_per_cycle, hw->layers[i].vp, &g);
    return pk_v2_ring_backlog(&g, d, d->in_h, b) == 0 &&
           (b->occ > PK_RING_WQ || b->lag > PK_RING_WR_LAT);
}

/* What pk_v2_rtl_check walked, per distinct input (pk_v2_rtl_check_t.memo).
 * The ring rule is a function of the config (the checker's), the layer's VP
 * and its decoded descriptor but for the five DRAM addresses: pk_v2_ring_geom
 * and pk_v2_ring_backlog (with pk_v2_ring_row_words_pass, pk_v2_ring_place,
 * pk_v2_ring_needed) read no addr_* field, so a layer of a repeated block
 * (the same shape at other addresses) has its answer.  The weight walk
 * (wwalk_block) is a function of its arguments alone. */
typedef struct {
    pk_v2_desc_t d; /* decoded (pk_v2_desc_decode zeroes the padding), addr_* = 0 */
    int64_t vp;
    int broken;
    pk_v2_backlog_t b;
} ring_seen_t;

#define WALK_ARGS 12
typedef struct {
    int64_t in[WALK_ARGS]; /* wwalk_block's arguments from pb to dw */
    int64_t mw, mc, mb;
} walk_seen_t;

struct pk_v2_rtl_memo {
    ring_seen_t *ring;
    walk_seen_t *walk;
    int nring, cring, nwalk, cwalk;
    uint32_t par2_bad[PK_DESC2_WORDS]; /* par2_bad_bits at the checker's dims */
};

/* Room for one more entry of n (capacity *cap) in *p: 0, or -1 out of
 * memory (the caller then keeps nothing). */
static int memo_room(void **p, int n, int *cap, size_t size)
{
    if (n < *cap)
        return 0;
    int c = *cap ? 2 * *cap : 16;
    void *q = realloc(*p, (size_t)c * size);
    if (!q)
        return -1;
    *p = q, *cap = c;
    return 0;
}

/* ring_rule_broken for layer i of c's network, its descriptor desc: kept
 * per distinct (descriptor without addresses, VP). */
static int ring_rule_seen(const pk_v2_rtl_check_t *c, const uint8_t *desc, int i,
                          pk_v2_backlog_t *b)
{
    struct pk_v2_rtl_memo *m = c->memo;
    ring_seen_t k;
    pk_v2_desc_decode(desc, &k.d);
    if (!m)
        return ring_rule_broken(c->cfg, c->hw, &k.d, i, b);
    k.d.addr_in = k.d.addr_w = k.d.addr_param = k.d.addr_res = k.d.addr_out = 0;
    k.vp = c->hw->layers[i].vp;
    for (int e = 0; e < m->nring; e++)
        if (m->ring[e].vp == k.vp && !memcmp(&m->ring[e].d, &k.d, sizeof k.d)) {
            *b = m->ring[e].b;
            return m->ring[e].broken;
        }
    k.broken = ring_rule_broken(c->cfg, c->hw, &k.d, i, &k.b);
    *b = k.b;
    if (!memo_room((void **)&m->ring, m->nring, &m->cring, sizeof *m->ring))
        memcpy(&m->ring[m->nring++], &k, sizeof k); /* with d's zeroed padding */
    return k.broken;
}

static void check_init(pk_v2_rtl_check_t *c, const pk_config_t *cfg, const pk_hwnet_t *hw,
                       const pk_plan_t *plan)
{
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    int np = pk_v2_rtl_params(cfg, p, PK_V2_RTL_MAX_PARAMS);
    c->cfg = cfg, c->hw = hw, c->plan = plan;
    c->wi = table_value(p, np, "WI"), c->wwl = table_value(p, np, "WWL");
    c->wfl = table_value(p, np, "WFL");
    par2_dims(p, np, &c->dims);
    c->memo = calloc(1, sizeof *c->memo); /* NULL: every layer walked */
    if (c->memo)
        par2_bad_bits(&c->dims, c->memo->par2_bad);
}

/* par2_fits at c's dims by the bits kept in c->memo (no memo: par2_fits). */
static int par2_fits_seen(const pk_v2_rtl_check_t *c, const uint8_t *desc, char *why, size_t n)
{
    const struct pk_v2_rtl_memo *m = c->memo;
    return m ? par2_fits_bad(&c->dims, m->par2_bad, desc, why, n)
             : par2_fits(&c->dims, desc, why, n);
}

void pk_v2_rtl_check_init(pk_v2_rtl_check_t *c, const pk_config_t *cfg, const pk_hwnet_t *hw,
                          const pk_plan_t *plan)
{
    pk_error_t e;
    pk_error_clear(&e);
    check_init(c, cfg, hw, plan);
    c->img = NULL, c->own_img = 1;
    if (pk_v2_compile(hw, plan, &c->img, &e))
        c->img = NULL; /* pikecheck reports the compile error itself */
}

void pk_v2_rtl_check_init_img(pk_v2_rtl_check_t *c, const pk_config_t *cfg, const pk_hwnet_t *hw,
                              const pk_plan_t *plan, struct pk_v2img *img)
{
    check_init(c, cfg, hw, plan);
    c->img = img, c->own_img = 0;
}

void pk_v2_rtl_check_free(pk_v2_rtl_check_t *c)
{
    if (c->own_img)
        pk_v2img_free(c->img);
    c->img = NULL;
    if (c->memo) {
        free(c->memo->ring);
        free(c->memo->walk);
        free(c->memo);
        c->memo = NULL;
    }
}

int pk_v2_rtl_supported(const pk_config_t *cfg, const pk_hwnet_t *hw, const pk_plan_t *plan,
                        int layer, char *why, size_t n)
{
    pk_v2_rtl_check_t c;
    pk_v2_rtl_check_init(&c, cfg, hw, plan);
    int r = pk_v2_rtl_check(&c, layer, why, n);
    pk_v2_rtl_check_free(&c);
    return r;
}

/* wwalk_block(in[0 .. 11], all = 0)'s maxima into *out, kept in m per
 * distinct in (m NULL: walked each time). */
static void walk_seen(struct pk_v2_rtl_memo *m, const int64_t in[WALK_ARGS], walk_seen_t *out)
{
    if (m)
        for (int e = 0; e < m->nwalk; e++)
            if (!memcmp(m->walk[e].in, in, sizeof m->walk[e].in)) {
                *out = m->walk[e];
                return;
            }
    wwalk_t ws;
    wwalk_block(&ws, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9], in[10],
                (int)in[11], 0);
    memcpy(out->in, in, sizeof out->in);
    out->mw = ws.mw, out->mc = ws.mc, out->mb = ws.mb;
    if (m && !memo_room((void **)&m->walk, m->nwalk, &m->cwalk, sizeof *m->walk))
        m->walk[m->nwalk++] = *out;
}

int pk_v2_rtl_check(const pk_v2_rtl_check_t *c, int layer, char *why, size_t n)
{
    const pk_config_t *cfg = c->cfg;
    const pk_hwnet_t *hw = c->hw;
    const pk_plan_t *plan = c->plan;
    const pk_hwlayer_t *h = &hw->layers[layer];
    const pk_plan_layer_t *L = pk_plan_layer(plan, layer);
#define NO(...) return snprintf(why, n, __VA_ARGS__), 1
    if (L->order != PK_ORDER_WS && L->order != PK_ORDER_IS && L->order != PK_ORDER_WB &&
        L->order != PK_ORDER_NS)
        NO("loop order %s: pk_core2 builds the WS, IS, WB and NS orders only (pk_seq2, pk_ld2)",
           pk_plan_order_name(L->order));
    /* WB with a resident prefix (V2-5 item 3): built (V2-11.4 item 12); the plan gives it to
     * flat WB layers only (sim/pk_v2.c refuses a descriptor with PRE elsewhere) */
    int64_t R = cfg->array.rows, vp = h->vp;
    if (L->global_pool && (R & (R - 1)))
        NO("global pool on %lld rows: pk_core2's global read splits a word index into "
           "(address, bank) by bits, R must be a power of two (V2-4.4)",
           (long long)R);
    if (L->global_pool && vp % L->ct)
        NO("global pool with Cd = %lld channels a chunk and VP = %lld: a chunk would straddle "
           "two ring words (V2-4.4)",
           (long long)L->ct, (long long)vp);
    if (L->global_pool && h->uses_params && !h->per_tensor)
        NO("global pool with per-channel records (V2-11.4 item 7)");
    /* the channel-slice fetch (V2-4.4, V2-11.4 item 13): built for slices of one geometry
     * (pk_ld2a takes one pixel size a layer) of whole beats (each run's beats hold its slice
     * only) */
    if (L->gsl && h->in_c % (R * L->ct))
        NO("global pool in channel slices with in_c = %d not a multiple of R * Cd = %lld: a "
           "shorter last slice (V2-11.4 item 13)",
           h->in_c, (long long)(R * L->ct));
    if (L->gsl && L->gs_bytes % cfg->offchip.bytes_per_cycle)
        NO("global pool in channel slices of %lld bytes, not a multiple of PB = %d "
           "(V2-11.4 item 13)",
           (long long)L->gs_bytes, cfg->offchip.bytes_per_cycle);
    /* the channel groups' strided group fetch (V2-5 item 2, V2-11.4 item 14): built for blocks
     * of one size (pk_ld2a takes one pixel a layer) whose slice SB is whole beats (each run's
     * beats hold its slice only) and fits pk_ld2's l_b_awrap (AW bits: the operand-B loader
     * word LD_B_AWRAP carries it); the rule (cgslice 0) plans no other */
    if (L->cgs && (h->in_c % (L->nb * L->ct) || L->cs_bytes % cfg->offchip.bytes_per_cycle))
        NO("channel groups in block slices of %lld bytes with in_c = %d: a shorter last block or "
           "a slice of part of a beat (PB = %d; V2-11.4 item 14)",
           (long long)L->cs_bytes, h->in_c, cfg->offchip.bytes_per_cycle);
    if (L->cgs && L->jw % R)
        NO("channel groups in block slices of Jw = %lld words a pixel, not a multiple of R = %lld: "
           "pk_ld2a would rotate each pass's banks by Jw mod R (V2-11.4 item 14)",
           (long long)L->jw, (long long)R);
    int awb = clog2(ring_da(cfg)); /* bits of pk_ld2's run length l_b_awrap */
    if (L->cgs && L->cs_bytes >= (int64_t)1 << awb)
        NO("channel groups in block slices of %lld bytes: pk_ld2's run length l_b_awrap has "
           "clog2 DA = %d bits (V2-11.4 item 14)",
           (long long)L->cs_bytes, awb);
    if (L->fx > 1 && h->mode == 1)
        NO("x-fold fx = %d in mode 1: XNOR counts the zero and masked slots of a folded word "
           "as -1 or +1, not 0 (V2-4.2)",
           L->fx);
    if (h->res_en && (h->kind != PK_HW_EW || !L->flat || L->b_row_bytes <= 0 || L->w_unit_bytes > 0 ||
                      (h->uses_params && !h->per_tensor) ||
                      h->in_w != h->out_w || h->in_h != h->out_h))
        NO("res_en on a %s layer: operand B is built for an EW layer of the output's shape "
           "without per-channel records only (pk_ld2, pk_seq2)", pk_hwkind_name(h->kind));
    /* a CONV's channel slice (V2-6.1, V2-11.4 items 7 and 17): pk_ld2's row of in_w strided
     * runs, as the channel groups' block slices, each a pixel of pk_ld2a (l_prun: a run that
     * ends inside a beat ends the beat), the slice in l_b_awrap's AW bits */
    if (h->in_c_total) {
        int64_t sl = (int64_t)h->in_c * h->a_bits / 8;
        if (sl >= (int64_t)1 << awb)
            NO("input channel slice of %lld bytes: pk_ld2's run length l_b_awrap has clog2 DA = "
               "%d bits (V2-6.1)",
               (long long)sl, awb);
    }
    if (h->in_zp && L->fx > 1 && h->kind != PK_HW_POOLMAX)
        NO("in_zp %d on an x-folded layer: its folded words' sub-pixels in the padding would "
           "need the zero point (V2-6.3; the plan folds none)",
           h->in_zp);
    /* several n-tiles: built and checked for CONV, DW, pools and EW layers (operand
     * B's tail per n-tile: check_v2res); not for global pools (the global read's
     * chunks) */
    if (L->global_pool && L->nt > 1)
        NO("global pool with %lld n-tiles: pk_core2 builds one n-tile a global pool",
           (long long)L->nt);
    if (h->kind != PK_HW_CONV && h->kind != PK_HW_DW && h->uses_params && !h->per_tensor)
        NO("%s with per-channel records: pk_ld2 fetches units only for layers with weights "
           "(LD_HAS_W)", pk_hwkind_name(h->kind));
    if (L->ct > 256)
        NO("Ct %lld columns: over 256", (long long)L->ct);
    /* the rules on the compiled descriptor (no image: pikecheck reports the
     * compile error itself) */
    if (c->img) {
        pk_v2_backlog_t bl;
        const uint8_t *desc = pk_v2img_descriptor(c->img, layer);
        int ring = ring_rule_seen(c, desc, layer, &bl);
        int big = !ring && par2_fits_seen(c, desc, why, n);
        if (ring)
            NO("ring write rule (V2-11.4 item 4): a bank's write FIFO holds %lld words (WQ %d) "
               "and a row's last word is written %lld cycles after its last beat (RING_WR_LAT "
               "%d): %lld words a beat, %lld for one bank",
               (long long)bl.occ, PK_RING_WQ, (long long)bl.lag, PK_RING_WR_LAT,
               (long long)bl.per_beat, (long long)bl.per_bank_beat);
        if (big)
            return 1; /* why names the field */
    }
    if (L->w_unit_bytes > 0) {
        int64_t wi = c->wi, wwl = c->wwl, wfl = c->wfl;
        int64_t wby = cfg->d.word_bytes, pb = cfg->offchip.bytes_per_cycle;
        int per_ch = h->uses_params && !h->per_tensor;
        int64_t rw = per_ch ? pk_cdiv(L->rec, wby) : 0, rbits = per_ch ? 8 * pk_min2(L->rec, wby) : 0;
        int64_t wcb = h->kind == PK_HW_CONV ? (int64_t)h->vp * h->w_bits : h->w_bits;
        int64_t ncs[2] = {L->ct, h->out_c - (L->nt - 1) * L->ct};
        /* IS: a full block and the last one, units back to back in one run */
        int64_t nbs[2] = {L->nb, (L->nt - 1) % pk_max2(L->nb, 1) + 1};
        for (int i = 0; i < 2; i++) {
            /* one walk for both rules: pk_v2_rtl_wlanes' mw and pk_v2_rtl_wbeat(_block)'s
             * counts (the dw flag changes mw only; one unit at byte 0 is
             * pk_v2_rtl_wbeat's walk) */
            int blocks = L->order == PK_ORDER_IS || L->order == PK_ORDER_WB ||
                         L->order == PK_ORDER_NS;
            int64_t in[WALK_ARGS] = {pb,    blocks ? nbs[i] : 1, pk_v2_unit_total(h, L),
                                     ncs[i], L->ct, L->ks, wcb, L->w_unit_bytes, L->rec, rw,
                                     rbits, h->kind != PK_HW_CONV};
            walk_seen_t ws;
            walk_seen(c->memo, in, &ws);
            int64_t pw = pk_max2(ws.mw, 1), pc = ws.mc, pbt = ws.mb;
            if (pw > wfl)
                NO("a read-port beat completes a whole weight or record word as its word %lld, "
                   "or an n-tile's first code as its word %lld + 1 (n-tile of %lld columns): "
                   "the loader's lanes past %lld carry depthwise codes of one n-tile only (WFL: "
                   "V2-11.6, V2-11.5 \"Lean control, step 6\")",
                   (long long)pw, (long long)pw, (long long)ncs[i], (long long)wfl);
            if (pc > wi || pbt > wwl)
                NO("a read-port beat completes %lld weight words of one column, %lld in all "
                   "(n-tile of %lld columns): the weight buffer takes %lld a column, the loader "
                   "%lld a beat (WI, WWL: V2-11.6)",
                   (long long)pc, (long long)pbt, (long long)ncs[i], (long long)wi,
                   (long long)wwl);
        }
    }
#undef NO
    if (n)
        why[0] = '\0';
    return 0;
}
