// ld2a_harness.cpp - the loader's ring-word unpacker (rtl_templates/
// pk_ld2a.v) against the ring's write side (core/pk_v2ringwr.c: each word's
// bank, address and completing beat, ARCHITECTURE.md V2-3.1) and a
// reference unpacking of the row's bytes (codes of a_bits, widened to m-bit
// slots, sign-extended when a_signed, zero slots past in_c).
//
// `ld2a_<set> --seeds N` compiles the zoo networks on edge and N seeded
// random configs (tests/test_v2_random.h) and, for every layer (windowed,
// x-folded, flat, global) on a config with the set's R, word bits and PB,
// streams up to 12 of its input rows of random bytes (a global pool: its
// fetches in order, the image again for each pass when the ring does not
// hold it, up to in_h + 12 rows, so that the word stream's restart is
// reached; junk past a row's end in its last beat) through pk_ld2a, beats
// back to back or with random gaps.  An x-folded word (V2-4.2) is fx
// sub-pixels of cp slots: pixel x in sub-pixel (x + pad) mod fx, channels
// past in_c and sub-pixels outside the row zero.  Layers over WL words a
// beat, or (x-fold) over WL pixels a beat, are skipped and counted.  Every word must come in its beat, on the next
// lane, with the reference's bank, address and data.  A layer whose codes
// are widened (m > a_bits) runs again with a_signed flipped, so that both
// sign- and zero-extension are exercised.  Exit 1 on the first mismatch.
//
// A layer in channel groups (V2-5 item 2, V2-11.4 item 11: l_jin) streams
// every block's pass (up to 6 needed rows each, pass0 with the beats of a
// pass's first row): pass b's words are block b's chunks of each pixel
// (core/pk_v2ringwr.c pk_v2_ring_row_words_pass: block-local address,
// absolute bank; a shorter last block none past the pixel).
//
// `--net CFG NET` runs one more network first (it must have a layer of the
// set's shape); `--zoo K` the first K of the 4 zoo networks (default 4).
//
// `--shape`: the random configs get the set's R, PB and word bits (as
// --lowbit, without narrowing), so that every seed runs (x-folded first
// layers, global pools of several passes).
//
// `--modes 0xHHHH` (the set Verilates pk_ld2a with MODES = 16'hHHHH, as a config's
// pk_ld2 does): layers whose (a_bits, m) pair is not in it are skipped and
// counted (rtl_ld2a_ecp5: ecp5.yaml's one pair, (4, 4); rtl_ld2a_raw8: (8, 8),
// pk_ld2's operand-B instance's; so that pk_ld2a's iterations past what a
// pixel of several words reaches are built).
//
// `--fold` (rtl_ld2a_ecp5_fold): the seeds' networks are few-channel ones
// (fold_net: two convolutions of 1 .. 8 input channels, strides 2, 4, 8,
// 4-bit codes) compiled for hw_configs/ecp5.yaml itself, so that the plan
// x-folds them (V2-4.2: fx up to 8) in ecp5's one pair, (4, 4), at its shape
// (FXL 3, FPX 8, WL 8, 64-bit words, PB 8).  Exit 1 when no layer is
// x-folded.
//
// `--lowbit` (the bit-offset sets, rtl_ld2a_w32p1 ...): no valid config has
// a chunk cbits = VP * a_bits that is not a multiple of 8 (pk_config's rule
// lanes * narrowest width = whole bytes makes VP * a_bits = lanes * a_bits *
// (slot_bits / m) whole bytes), so pk_ld2a's bit offset (MODES' default
// enables every pair) is reached only by forcing it: the random configs get
// the set's R, PB and word bits (lanes = WBITS / 8, 8-bit slots), and every
// layer of the set's shape also runs with its activation codes narrowed to
// each a_bits < m whose chunk is not whole bytes (32-bit words: 1-bit codes
// in 8-bit slots; 16-bit words: (1, 8), (2, 8), (1, 4)): VP and Jw stay the
// layer's, the pixel becomes ceil(in_c * a_bits / 8) bytes.  Exit 1 also
// when no layer reaches the bit offset.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_ld2a.h"
#include "harness_clock.h"
#include "verilated.h"

extern "C" {
#include "pk_imath.h"
#include "pk_v2desc.h"
#include "pk_v2ldconst.h"
#include "pk_v2ringwr.h"
}
#include "../test_v2_random.h"
#include "harness_rng.h"
#include "harness_v2net.h"

#ifndef PK_ROWS
#error "PK_SET_NAME, PK_ROWS, PK_RA, PK_WBITS, PK_AW, PK_PB, PK_WL come from tests/rtl/CMakeLists.txt"
#endif

static const int R = PK_ROWS, NW = (PK_WBITS + 31) / 32; // 32-bit pieces of a word (16-bit: 1)
static int64_t layers_run, words_run, widened, signed_widened, zero_slots, flat_layers;
static int64_t fold_layers, fold_words, glob_layers, glob_words, glob_restart;
static int64_t hazard_layers, hazard_words, glob_refetch;  // global pools re-fetched in passes
static int64_t skip_words, skip_pixels;  // layers skipped: over WL words / pixels a beat
static int64_t pre_layers, pre_words;  // WB with a resident prefix (--prefix 0)
static int64_t cgs_layers, cgs_words;  // ... in block slices (CGS): layers, words
static int64_t csl_layers, csl_words, csl_sub;  // a CONV's channel slices (CSL): layers, words,
                                                // layers whose runs end inside a beat
static int64_t cg_layers, cg_passes, cg_words, cg_short;  // channel groups (V2-5 item 2): layers,
                                        // passes, words, layers whose last block is shorter
static int64_t boff_layers, boff_words; // --lowbit: layers whose chunk is not whole bytes
static int64_t boff_pair[4][4];         // of them per (log2 a_bits, log2 m)
static int64_t skip_modes;              // layers skipped: their (a_bits, m) not in --modes
static bool lowbit, shape, fold;
static int64_t fold_fx[4];               // x-folded layers per log2 fx
static int64_t nets_bad;                // networks that did not compile (--fold)
static unsigned modes = 0xFFFF;         // --modes: the (a_bits, m) pairs built (pk_ld2a MODES)

static RegClock<Vpk_ld2a> clk2;  // pk_ld2a_regin's cycle (harness_clock.h)

static void tick(Vpk_ld2a *m) { clk2.tick(m); }

static void drive(Vpk_ld2a *m, const pk_v2_ldconst_t &k, const pk_v2_desc_t &d)
{
    m->l_flat = k.flat;
    m->l_alog = k.alog;
    m->l_asigned = k.asigned;
    m->l_mlog = k.mlog;
    m->l_in_w = (uint16_t)k.in_w;
    m->l_jw = (uint16_t)k.jw;
    m->l_cbits = (uint16_t)k.cbits;
    m->l_lbits = (uint16_t)k.lbits;
    m->l_lnch = (uint16_t)k.lnch;
    m->l_pskip = (uint16_t)k.pskip;
    m->l_sp = (uint8_t)k.sp;
    m->l_sjw = (uint32_t)(k.sjw & ((1 << PK_AW) - 1)); // an AW-bit port: s'Jw mod 2^AW (FIT L)
    m->l_u0 = (uint8_t)k.u0;
    m->l_q0 = (uint8_t)k.q0;
    m->l_g0 = (uint32_t)k.g0;
    m->l_a0 = (uint32_t)k.a0;
    m->l_awrap = (uint32_t)(k.awrap & ((1 << PK_AW) - 1)); // an AW-bit port: 0 = 2^AW
    m->l_fxlog = (uint8_t)k.fxlog;
    m->l_cplog = (uint8_t)k.cplog;
    m->l_fu0 = (uint8_t)k.fu0;
    m->l_glob = k.glob;
    m->l_jin = (uint16_t)k.jin;
    m->l_pre = k.pre > 0;
    m->l_prun = k.csl;  // (a CONV's channel slice: a run per pixel, V2-11.4 item 17)
    m->l_wb = (uint32_t)k.wb;
    m->l_cap_wb = (uint32_t)k.cap_wb;
    m->l_rb0 = (uint8_t)k.rb0;
    m->l_owm = (uint8_t)k.owm;
    m->l_ym0 = (uint8_t)k.ym0;
    m->l_s = (uint8_t)d.s;
    m->l_kh = (uint8_t)d.kh;
}

struct Word {
    int64_t beat, bank, addr;
    uint32_t data[NW];
};

// The reference word of pixel x, chunk jc of a row's bytes.
static void ref_word(const pk_v2_desc_t &d, const pk_v2_ringgeom_t &g, int mlog,
                     const std::vector<uint8_t> &row, int64_t x, int64_t jc, uint32_t *out)
{
    // (a global pool's channel slice, V2-4.4: a fetched pixel is the pass's slice, g.ps bytes)
    int64_t cin = d.gsl ? g.ps * 8 / d.a_bits : d.in_c;
    if (d.cgs) {  // (channel groups in block slices, V2-5 item 2: a fetched pixel is the block's
                  // slice, g.ps bytes, its chunk jc mod Jw)
        cin = g.ps * 8 / d.a_bits;
        jc %= d.jw;
    }
    int64_t m = 1 << mlog, nch = std::min<int64_t>(g.vp, cin - jc * g.vp);
    memset(out, 0, sizeof(uint32_t) * NW);
    for (int64_t e = 0; e < nch; e++) {
        int64_t bit = x * g.ps * 8 + (jc * g.vp + e) * d.a_bits;
        uint32_t code = 0;
        for (int b = 0; b < d.a_bits; b++)
            code |= (uint32_t)((row[(size_t)((bit + b) / 8)] >> ((bit + b) % 8)) & 1) << b;
        bool neg = d.a_signed && ((code >> (d.a_bits - 1)) & 1);
        for (int b = 0; b < m; b++) {
            int v = b < d.a_bits ? (code >> b) & 1 : neg;
            int64_t o = e * m + b;
            out[o / 32] |= (uint32_t)v << (o % 32);
        }
    }
}

// The reference x-folded word of pixels x0 .. x1 (V2-4.2): pixel x's codes
// in slots ((x + pad) mod fx) * cp .., the rest zero.
static void ref_fold_word(const pk_v2_desc_t &d, const pk_v2_ringgeom_t &g, int mlog,
                          const std::vector<uint8_t> &row, int64_t x0, int64_t x1, uint32_t *out)
{
    int64_t m = 1 << mlog, cp = 1;
    while (cp < d.in_c)
        cp *= 2;
    uint32_t px[NW];
    memset(out, 0, sizeof(uint32_t) * NW);
    for (int64_t x = x0; x <= x1; x++) {
        ref_word(d, g, mlog, row, x, 0, px);  // in_c codes in slots 0 .. in_c - 1
        int64_t at = ((x + d.pad) % d.fx) * cp * m;
        for (int64_t b = 0; b < d.in_c * m; b++)
            out[(at + b) / 32] |= ((px[b / 32] >> (b % 32)) & 1u) << ((at + b) % 32);
    }
}

// A row the test streams: input row y in pass b (channel groups: block b's), the pass's first
// (pk_ld2 drives pass0 with its beats).
struct Fetch {
    int64_t y, b;
    bool first;
};

// The rows a layer's test streams, in fetch order: the needed rows (up to
// 12), a global pool's passes (up to in_h + 12 rows), a layer in channel
// groups (V2-5 item 2, k.jin) every block's pass of up to 6 needed rows.
static std::vector<Fetch> fetch_rows(const pk_v2_desc_t &d, const pk_v2_ldconst_t &k)
{
    std::vector<uint8_t> need((size_t)d.in_h);
    pk_v2_ring_needed(&d, need.data());
    std::vector<Fetch> ys;
    if (k.pre > 0) {
        // WB with a resident prefix (V2-11.4 item 12): pass 0 every row, then the passes of
        // blocks 1, 2 (rows P .., each pass's first row with pass0), so that the stream wraps
        // at NP + S and restarts at NP
        int64_t np = std::min<int64_t>(3, pk_cdiv(d.nt, d.nb));
        for (int64_t p = 0; p < np; p++)
            for (int64_t y = p ? k.pre : 0; y < d.in_h; y++)
                ys.push_back(Fetch{y, p, y == (p ? k.pre : 0)});
        return ys;
    }
    bool cg = k.jin || k.cgs;  // (in block slices, CGS: one pass per block too)
    int64_t passes = d.global && (d.cap < d.in_h || d.gsl) ? d.mt
                     : k.jin ? pk_cdiv(k.jin, d.jw) : k.cgs ? pk_cdiv(d.nt, d.nb) : 1;
    int64_t most = d.global ? d.in_h + 12 : 12;
    for (int64_t p = 0; p < passes; p++)
        for (int64_t y = 0, n = 0; y < d.in_h && (cg ? n < 6 : (int64_t)ys.size() < most); y++)
            if (need[(size_t)y]) {
                ys.push_back(Fetch{y, cg ? p : 0, cg && n == 0});
                n++;
            }
    return ys;
}

// Words of a global pool's fetches (all passes) that land on a ring word whose
// row the slot rule of V2-6.1 still keeps (fetch q may overwrite fetches <=
// q - cap only).  V2-3.1 numbers the words by the fetch stream, so there are
// none (numbered by the image's pixel, as an earlier model did, a pass's
// first rows landed on the previous pass's last rows whenever the image's
// words do not divide DA * R: every re-fetching global pool of rtl_ld2a_s4 /
// _s2).  A layer with one fails the test.
static int64_t glob_hazards(const pk_v2_desc_t &d, const pk_v2_ringgeom_t &g)
{
    if (!d.global || (d.cap >= d.in_h && !d.gsl) || d.mt < 2)
        return 0;
    glob_refetch++;
    std::vector<int64_t> owner((size_t)(g.R * g.da), -1);
    std::vector<pk_v2_ringword_t> rw((size_t)pk_v2_ring_row_words_max(&d));
    int64_t q = 0, bad = 0;
    for (int64_t p = 0; p < d.mt; p++)
        for (int64_t y = 0; y < d.in_h; y++, q++) {
            int64_t n = pk_v2_ring_row_words(&g, &d, y, q, rw.data());
            for (int64_t i = 0; i < n; i++) {
                int64_t &o = owner[(size_t)(rw[(size_t)i].bank * g.da + rw[(size_t)i].addr)];
                bad += o >= 0 && o != q && o > q - d.cap;
                o = q;
            }
        }
    return bad;
}

// The most pixels (ends of a pixel's bytes) one beat of a row holds.
static int64_t pixels_per_beat(const pk_v2_desc_t &d, const pk_v2_ringgeom_t &g)
{
    int64_t most = 0, n = 0, at = -1;
    for (int64_t x = 0; x < d.in_w; x++) {
        int64_t b = pk_v2_ring_byte_beat(&g, &d, x, g.ps - 1);
        n = b == at ? n + 1 : 1;
        at = b;
        most = std::max(most, n);
    }
    return most;
}

static bool layer(Vpk_ld2a *m, Rng &rng, const pk_v2_desc_t &d, const pk_v2_ringgeom_t &g,
                  const pk_v2_ldconst_t &k, const char *what)
{
    std::vector<pk_v2_ringword_t> rw((size_t)pk_v2_ring_row_words_max(&d));
    std::vector<Word> want, got;
    std::vector<std::vector<uint8_t>> beats;
    std::vector<bool> pass0;  // per beat: of a pass's first row
    std::vector<Fetch> ys = fetch_rows(d, k);
    // (g.ps: a slice, V2-4.4; a row of per-pixel runs, V2-11.4 item 17: ceil(PS / PB) beats a
    // pixel, each run's bytes past the pixel's slice random)
    int64_t nbeats = pk_v2_ring_row_beats(&g, &d), seq = 0, bpp = pk_cdiv(g.ps, g.pb);
    bool runs = pk_v2_ring_pixel_runs(&d);
    for (const Fetch &f : ys) {
        std::vector<uint8_t> row((size_t)(nbeats * g.pb));
        for (uint8_t &b : row)
            b = (uint8_t)rng.next();
        int64_t n = pk_v2_ring_row_words_pass(&g, &d, f.y, seq++, f.b, rw.data());
        for (int64_t i = 0; i < n; i++) {
            const pk_v2_ringword_t &r = rw[(size_t)i];
            Word w{(int64_t)beats.size() + r.beat, r.bank, r.addr, {}};
            if (d.fx > 1)
                ref_fold_word(d, g, k.mlog, row, r.x0, r.x1, w.data);
            else
                ref_word(d, g, k.mlog, row, r.x0, r.jc, w.data);
            want.push_back(w);
        }
        for (int64_t b = 0; b < nbeats; b++) {
            if (runs) { // pixel x's run: its slice at x * PS of the row, then random bytes
                int64_t x = b / bpp, o = (b % bpp) * g.pb;
                std::vector<uint8_t> bt((size_t)g.pb);
                for (int64_t i = 0; i < g.pb; i++)
                    bt[(size_t)i] = o + i < g.ps ? row[(size_t)(x * g.ps + o + i)]
                                                 : (uint8_t)rng.next();
                beats.push_back(bt);
            } else
                beats.emplace_back(row.begin() + b * g.pb, row.begin() + (b + 1) * g.pb);
            pass0.push_back(f.first);
        }
    }
    drive(m, k, d);
    m->start = 1;
    m->beat = 0;
    tick(m);
    m->start = 0;
    bool gaps = rng.chance(50);
    for (size_t b = 0; b < beats.size();) {
        bool on = !gaps || rng.chance(70);
        m->beat = on;
        m->pass0 = on && pass0[b];
        for (int i = 0; i < (int)g.pb; i++)
            put(m->beat_data, 8 * i, 8, on ? beats[b][(size_t)i] : 0);
        clk2.eval_low(m);
        for (int l = 0; l < PK_WL; l++) {
            if (!((m->w_valid >> l) & 1))
                continue;
            // (channel groups: a chunk the pass does not keep leaves its lane not valid, V2-11.4
            // item 11, so the kept words' lanes may have gaps: pk_ring2 takes any lanes)
            if (!on || (l > 0 && !k.jin && !((m->w_valid >> (l - 1)) & 1))) {
                fprintf(stderr, "FAIL %s: lane %d without lane %d or a beat\n", what, l, l - 1);
                return false;
            }
            Word w{(int64_t)b, (int64_t)get(m->w_bank, l * PK_RA, PK_RA),
                   (int64_t)get(m->w_addr, l * PK_AW, PK_AW), {}};
            for (int j = 0; j < NW; j++)
                w.data[j] = (uint32_t)get(m->w_data, l * PK_WBITS + 32 * j,
                                          std::min(32, PK_WBITS - 32 * j));
            got.push_back(w);
        }
        tick(m);
        b += on;
    }
    m->beat = 0;
    m->pass0 = 0;
    for (size_t i = 0; i < std::max(want.size(), got.size()); i++) {
        if (i >= want.size() || i >= got.size()) {
            fprintf(stderr, "FAIL %s: %zu words, reference %zu\n", what, got.size(), want.size());
            return false;
        }
        const Word &a = got[i], &e = want[i];
        if (a.beat != e.beat || a.bank != e.bank || a.addr != e.addr ||
            memcmp(a.data, e.data, sizeof a.data)) {
            fprintf(stderr, "FAIL %s: word %zu: beat %" PRId64 " bank %" PRId64 " addr %" PRId64
                    " data %08x; reference beat %" PRId64 " bank %" PRId64 " addr %" PRId64
                    " data %08x\n", what, i, a.beat, a.bank, a.addr, a.data[0], e.beat, e.bank,
                    e.addr, e.data[0]);
            fprintf(stderr, "  layer: in %" PRId64 " x %" PRId64 " x %" PRId64 ", a_bits %d, kh %"
                    PRId64 " s %" PRId64 " pad %" PRId64 ", global %d flat %d gsl %d, fx %" PRId64
                    ", jw %" PRId64 ", cap %" PRId64 ", pre %" PRId64 "; ring R %" PRId64 " DA %"
                    PRId64 " PB %" PRId64 " VP %" PRId64 " PS %" PRId64 "\n",
                    (int64_t)d.in_h, (int64_t)d.in_w, (int64_t)d.in_c, (int)d.a_bits, (int64_t)d.kh,
                    (int64_t)d.s, (int64_t)d.pad, (int)d.global,
                    (int)d.flat, (int)d.gsl, (int64_t)d.fx, (int64_t)d.jw, (int64_t)d.cap, (int64_t)k.pre,
                    (int64_t)g.R, (int64_t)g.da, (int64_t)g.pb, (int64_t)g.vp, (int64_t)g.ps);
            return false;
        }
    }
    layers_run++;
    words_run += (int64_t)got.size();
    widened += k.mlog > k.alog;
    signed_widened += k.mlog > k.alog && k.asigned;
    zero_slots += k.lnch < g.vp;
    flat_layers += k.flat;
    pre_layers += k.pre > 0;
    pre_words += k.pre > 0 ? (int64_t)got.size() : 0;
    fold_layers += d.fx > 1;
    fold_words += d.fx > 1 ? (int64_t)got.size() : 0;
    fold_fx[d.fx >= 8 ? 3 : d.fx / 2] += d.fx > 1; // fx 2, 4, 8 at [1], [2], [3]
    glob_layers += d.global;
    glob_words += d.global ? (int64_t)got.size() : 0;
    glob_restart += d.global && (int64_t)ys.size() > d.in_h;
    cg_layers += k.jin != 0;
    cgs_layers += k.cgs;
    cgs_words += k.cgs ? (int64_t)got.size() : 0;
    csl_layers += k.csl;
    csl_words += k.csl ? (int64_t)got.size() : 0;
    csl_sub += k.csl && g.ps % g.pb != 0;
    cg_passes += k.jin ? pk_cdiv(k.jin, d.jw) : 0;
    cg_words += k.jin ? (int64_t)got.size() : 0;
    cg_short += k.jin && k.jin % d.jw != 0;
    int64_t hz = glob_hazards(d, g);
    hazard_layers += hz > 0;
    hazard_words += hz;
    if (hz) {
        fprintf(stderr, "FAIL %s: %" PRId64 " words overwrite rows the slot rule keeps\n", what, hz);
        return false;
    }
    if (k.cbits % 8) {
        boff_layers++;
        boff_words += (int64_t)got.size();
        boff_pair[k.alog][k.mlog]++;
    }
    return true;
}

// A layer and, when widened, the same with the other signedness.
static bool layer2(Vpk_ld2a *m, Rng &rng, pk_v2_desc_t d, const pk_v2_ringgeom_t &g, int i,
                   int n_layers, const std::string &w)
{
    pk_v2_ldconst_t k;
    pk_v2_ldconst(&d, &g, PK_WBITS, i, n_layers, &k);
    if (!((modes >> (4 * k.alog + k.mlog)) & 1)) {
        skip_modes++;
        return true; // a pair the set's MODES does not build
    }
    bool ok = layer(m, rng, d, g, k, w.c_str());
    if (ok && k.mlog > k.alog) { // widened: also with the other signedness
        d.a_signed = !d.a_signed;
        pk_v2_ldconst(&d, &g, PK_WBITS, i, n_layers, &k);
        ok = layer(m, rng, d, g, k, (w + " (a_signed flipped)").c_str());
    }
    return ok;
}

static bool network(Vpk_ld2a *m, Rng &rng, const char *cfgpath, const char *netpath,
                    const char *what)
{
    V2Net n(cfgpath, netpath);
    nets_bad += !n.ok;
    if (!n.ok || n.cfg->array.rows != R || n.cfg->d.word_bits != PK_WBITS ||
        n.cfg->offchip.bytes_per_cycle != PK_PB)
        return true; // not this set's shape
    bool ok = true;
    for (int i = 0; i < n.hw->n_layers && ok; i++) {
        pk_v2_desc_t d;
        pk_v2_ringgeom_t g;
        pk_v2_ldconst_t k;
        pk_v2_desc_decode(pk_v2img_descriptor(n.img, i), &d);
        if (d.in_h <= 0 || d.row_bytes <= 0)
            continue;
        pk_v2_ring_geom(&d, R, n.cfg->d.word_bytes, n.cfg->buffers.activations, PK_PB,
                        n.hw->layers[i].vp, &g);
        pk_v2_ldconst(&d, &g, PK_WBITS, i, n.hw->n_layers, &k);
        pk_v2_backlog_t b;
        if (!k.ring_ok || g.da > (1 << PK_AW) || pk_v2_ring_backlog(&g, &d, 12, &b))
            continue;
        if (b.per_beat > PK_WL || (d.fx > 1 && pixels_per_beat(d, g) > PK_WL)) {
            skip_words += b.per_beat > PK_WL;
            skip_pixels += b.per_beat <= PK_WL;
            continue;
        }
        std::string w = std::string(what) + " " + n.hw->layers[i].name;
        ok = layer2(m, rng, d, g, i, n.hw->n_layers, w);
        // (not a sliced global pool, V2-4.4: its slice bytes GS_BYTES and stride are the
        // plan's for its own a_bits; an a-bit copy would need the plan's rule again)
        for (int a = 1; lowbit && ok && !d.gsl && a < (1 << k.mlog); a <<= 1) {
            if (g.vp * a % 8 == 0)
                continue;
            // the same layer with a-bit codes (same VP and Jw, narrower pixels)
            pk_v2_desc_t dn = d;
            dn.a_bits = a;
            dn.row_bytes = d.in_w * pk_cdiv(d.in_c * a, 8);
            pk_v2_ringgeom_t gn;
            pk_v2_ring_geom(&dn, R, n.cfg->d.word_bytes, n.cfg->buffers.activations, PK_PB,
                            n.hw->layers[i].vp, &gn);
            pk_v2_ldconst_t kn;
            pk_v2_ldconst(&dn, &gn, PK_WBITS, i, n.hw->n_layers, &kn);
            if (!kn.ring_ok || pk_v2_ring_backlog(&gn, &dn, 12, &b) || b.per_beat > PK_WL)
                continue;
            ok = layer2(m, rng, dn, gn, i, n.hw->n_layers,
                        w + " (a_bits " + std::to_string(a) + ")");
        }
    }
    return ok;
}

// A random config of the set's shape for --lowbit: R, PB, lanes = WBITS / 8
// (8-bit slots: 8-bit layers have m = 8, 4-bit ones m = 4).
static std::string lowbit_cfg()
{
    std::string c = random_cfg();
    int C = 1 << rr(1, 4);
    char a[160];
    snprintf(a, sizeof a, "array: {rows: %d, cols: %d, lanes: %d}", R, C, PK_WBITS / 8);
    size_t p = c.find("array: {"), e = c.find('}', p);
    c.replace(p, e + 1 - p, a);
    snprintf(a, sizeof a, "postproc: {lanes: %d,", C);
    p = c.find("postproc: {lanes: ");
    e = c.find(',', p);
    c.replace(p, e + 1 - p, a);
    snprintf(a, sizeof a, "bytes_per_cycle: %d,", PK_PB);
    p = c.find("bytes_per_cycle: ");
    e = c.find(',', p);
    c.replace(p, e + 1 - p, a);
    return c;
}

// A few-channel network for --fold: 4-bit codes throughout (ecp5.yaml's one
// pair), two convolutions of 1 .. 8 input channels (fewer than VP = 16 slots)
// with strides 2, 4, 8 (fx = the stride's power of two up to 16 / cp), random
// kernels and pads.
static std::string fold_net()
{
    static const int st[] = {2, 4, 8};
    int h = rr(16, 64), c = rr(1, 8), c1 = rr(1, 8), s0 = st[rr(0, 2)], k0 = rr(1, 7);
    int s1 = st[rr(0, 1)], k1 = rr(1, 3);
    char b[1600];
    const char *q = "w_bits: 4, out_bits: 4, out_signed: false, quant: per_channel, norm: "
                    "quantnorm, scale: dq, act: relu";
    snprintf(b, sizeof b,
             "name: fold\ninput: {h: %d, w: %d, c: %d, bits: 4, signed: %s}\nseed: 3\nlayers:\n"
             "  - {name: c0, op: conv, inputs: [input], out_c: %d, kernel: %d, stride: %d,"
             " padding: %d, %s}\n"
             "  - {name: c1, op: conv, inputs: [c0], out_c: %d, kernel: %d, stride: %d,"
             " padding: %d, %s}\n",
             h, rr(8, 64), c, rr(0, 1) ? "true" : "false", c1, k0, s0, rr(0, k0 / 2), q,
             rr(1, 16), k1, s1, rr(0, k1 / 2), q);
    return b;
}

int main(int argc, char **argv)
{
    int seeds = 40, nzoo = 4;
    const char *xcfg = nullptr, *xnet = nullptr;  // --net CFG NET: one more network, first
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--zoo"))
            nzoo = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--prefix"))
            v2_plan_prefix = atoi(argv[i + 1]);  // the plan's prefix option (0: the rule)
        else if (!strcmp(argv[i], "--nspass"))
            v2_plan_nspass = atoi(argv[i + 1]);  // the plan's nspass option (-1: plain WB)
        else if (!strcmp(argv[i], "--cgslice"))
            v2_plan_cgslice = atoi(argv[i + 1]);  // the plan's cgslice option (-1: re-streamed)
        else if (!strcmp(argv[i], "--net") && i + 2 < argc)
            xcfg = argv[i + 1], xnet = argv[i + 2];
        else if (!strcmp(argv[i], "--modes"))
            modes = (unsigned)strtoul(argv[i + 1], nullptr, 0);
    for (int i = 1; i < argc; i++)
        lowbit = lowbit || !strcmp(argv[i], "--lowbit"), shape = shape || !strcmp(argv[i], "--shape"),
        fold = fold || !strcmp(argv[i], "--fold");
    Verilated::commandArgs(argc, argv);
    Vpk_ld2a *m = new Vpk_ld2a;
    Rng rng(1);
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = true;
    if (xnet) {
        ok = network(m, rng, xcfg, xnet, xnet);
        if (ok && !layers_run) {
            fprintf(stderr, "FAIL %s on %s: no layer run (config not of this set)\n", xnet, xcfg);
            ok = false;
        }
    }
    int64_t net_layers = layers_run;
    const char *zoo[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x", "resnet50_w4a4"};
    for (int zi = 0; zi < nzoo && zi < 4; zi++) {
        const char *z = zoo[zi];
        std::string cp = std::string(PIKE_SOURCE_ROOT) + "/hw_configs/edge.yaml";
        std::string np = std::string(PIKE_SOURCE_ROOT) + "/networks/" + z + ".yaml";
        std::string w = std::string("edge/") + z;
        if (ok)
            ok = network(m, rng, cp.c_str(), np.c_str(), w.c_str());
    }
    int64_t zoo_layers = layers_run - net_layers, zoo_fold = fold_layers, zoo_glob = glob_layers;
    for (int seed = 1; seed <= seeds && ok; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        std::string cfg = lowbit || shape ? lowbit_cfg() : std::string(random_cfg());
        std::string net = fold ? fold_net() : std::string(random_net());
        // one file pair per set: sets of one R (r4, s4, w32p4) run at once under ctest -j
        std::string pre = std::string("ld2a_") + PK_SET_NAME;
        std::string cp = fold ? std::string(PIKE_SOURCE_ROOT) + "/hw_configs/ecp5.yaml"
                              : write_case(pre, "c.yaml", cfg);
        std::string np = write_case(pre, "n.yaml", net);
        std::string w = "seed " + std::to_string(seed);
        ok = network(m, rng, cp.c_str(), np.c_str(), w.c_str());
    }
    delete m;
    if (!ok)
        return 1;
    if (fold && !fold_layers) {
        fprintf(stderr, "FAIL: --fold ran no x-folded layer (%" PRId64 " networks did not compile)\n",
                nets_bad);
        return 1;
    }
    if (lowbit && !boff_layers) {
        fprintf(stderr, "FAIL: --lowbit ran no layer whose chunk is not whole bytes\n");
        return 1;
    }
    printf("ld2a R=%d: %" PRId64 " layers (%" PRId64 " zoo; %" PRId64 " flat, %" PRId64
           " widened, %" PRId64 " of them signed, %" PRId64 " with zero slots), %" PRId64
           " ring words in their beat with the reference's bank, address and data\n", R,
           layers_run, zoo_layers, flat_layers, widened, signed_widened, zero_slots, words_run);
    printf("  x-folded: %" PRId64 " layers (%" PRId64 " zoo), %" PRId64 " words; global pool: %"
           PRId64 " layers (%" PRId64 " zoo, %" PRId64 " streamed past a pass's end), %" PRId64
           " words; skipped: %" PRId64 " layers over %d words a beat, %" PRId64
           " x-folded over %d pixels a beat\n", fold_layers, zoo_fold, fold_words, glob_layers,
           zoo_glob, glob_restart, glob_words, skip_words, PK_WL, skip_pixels, PK_WL);
    printf("  channel groups: %" PRId64 " layers (%" PRId64 " with a shorter last block), %" PRId64
           " passes (pass0), %" PRId64 " words: block b's chunks of each pixel\n", cg_layers,
           cg_short, cg_passes, cg_words);
    printf("  channel groups in block slices (CGS): %" PRId64 " layers, %" PRId64 " words (each run"
           " a pixel of the block's chunks)\n", cgs_layers, cgs_words);
    printf("  a CONV's channel slices (CSL): %" PRId64 " layers (%" PRId64 " of runs that end inside"
           " a beat), %" PRId64 " words (a run per pixel, l_prun)\n", csl_layers, csl_sub, csl_words);
    printf("  WB with a resident prefix: %" PRId64 " layers, %" PRId64 " words (pass 0 and the passes of"
           " blocks 1, 2 from row P)\n", pre_layers, pre_words);
    printf("  global pools re-fetched in passes: %" PRId64 " layers, none overwriting a row the slot"
           " rule keeps\n", glob_refetch);
    if (fold)
        printf("  --fold: %d few-channel networks on ecp5.yaml (%" PRId64 " did not compile);"
               " x-folded layers with fx 2, 4, 8: %" PRId64 ", %" PRId64 ", %" PRId64 "\n", seeds,
               nets_bad, fold_fx[1], fold_fx[2], fold_fx[3]);
    if (modes != 0xFFFF)
        printf("  MODES 0x%04x: %" PRId64 " layers of other (a_bits, m) pairs skipped\n", modes,
               skip_modes);
    if (lowbit)
        printf("  %" PRId64 " of the layers (%" PRId64 " words) with chunks not whole bytes (the"
               " bit offset)", boff_layers, boff_words);
    for (int a = 0; a < 4 && lowbit; a++)
        for (int mm = 0; mm < 4; mm++)
            if (boff_pair[a][mm])
                printf(", (%d, %d): %" PRId64, 1 << a, 1 << mm, boff_pair[a][mm]);
    if (lowbit)
        printf("\n");
    return 0;
}
