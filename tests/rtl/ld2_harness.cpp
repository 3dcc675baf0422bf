// ld2_harness.cpp - the v2 loader's request side (rtl_templates/pk_ld2.v)
// against the v2 model's event trace (sim/pk_v2.h pk_v2_timing_trace,
// ARCHITECTURE.md V2-6, V2-7.1, V2-11.4 items 3, 5, 6).
//
// `ld2_<set> --seeds N [--seed0 S] [--zoo K]` compiles the (first K of 4) zoo networks on the set's config (not
// for a set of random configs only, PK_ZOO 0: those with its R and word bits)
// and N seeded random configs (tests/test_v2_random.h, their latency set to the
// set's LAT; those with another PB are skipped), runs the model with a
// trace, and replays every layer pk_ld2 builds (WS and IS; global pools and EW layers with
// operand B included: core/pk_v2ldconst) through it: `start` in the cycle before the
// layer's first unit may issue (max(U_desc, S_L + 1, the descriptor's issue
// + 1) - 1, and not before lay_start, V2-7.5), the layer constants from pk_v2_ldconst, COMPUTE's a_free from
// the model's steps (a row fetch is free from the end of the last step that
// read it), IS: w_free from the model's steps (weight block b is free from the end of its
// last step), and a read port as ARCHITECTURE_V1.md 7.1 (first beat of a request
// at max(I + LAT, the previous request's D)).  Every request must have the
// model's address and length, in the model's order (the layer's units, then
// the next layer's descriptor), and its first beat in the model's cycle (V2-11.4
// item 3: issue may lag, data never); a_done / w_done must count the model's
// rows and weight units from their usable cycles (D + 1 + RING_WR_LAT, D +
// 1).
// The beat side: DRAM holds pseudo-random bytes (mem(a), a hash of the
// address), the harness serves each beat's bytes, and every word pk_ld2
// writes is checked against a reference computed from the model's layouts,
// in order and in its cycle: ring words (bank, address, data) against
// core/pk_v2ringwr's placement and a reference unpacking of the row's bytes
// (layers pk_ld2a builds, within RWL words a beat, on the set's R and word
// bits), weight-buffer words (column, address, data) against V2-3.2's unit
// layout (pk_v2_weight_index, pk_q_widen, the records after
// ceil(UNIT_BYTES * nc / Ct) bytes; IS: block b's n-tile j from byte j * UNIT_TOTAL of its
// run, at word (b mod 2) * wbuf_depth + j * Wu, V2-11.4 item 8; layers within WWL words a beat),
// descriptor-RAM writes (row, lane, data of every beat of the next layer's
// descriptor) and the per-tensor record words to POST.  Operand B (EW layers
// with res_en): every B request, b_done in every cycle (b_free from the model's
// steps as a_free) and every B ring word (V2-3.1's B half: raw bytes, Jr words
// a pixel, from DA_A).  A layer in channel groups (V2-5 item 2, V2-11.4 item
// 11: l_jin, and l_wbo = WB || cgroups as pk_core2 drives it): a pass over the
// needed rows per block, fetch q in pass q div (needed rows), its ring words
// block b's chunks (core/pk_v2ringwr.c pk_v2_ring_row_words_pass: block-local
// address, absolute bank, none past the pixel).  A CONV's channel slice (CSL, V2-6.1): in_w runs
// a row at the pixel stride, pixel x's ring words from x * PS_in.  A channel-wise multiply
// (RES_MUL): its one B row of one pixel, read by every step (b_free from the model's steps).
// `--net CFG NET` replays one more network first (it must
// have a layer of the set's shape).  Prints the first mismatch and exits 1.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iterator>
#include <string>
#include <vector>

#include "Vpk_ld2.h"
#include "harness_clock.h"
#include "verilated.h"

extern "C" {
#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_quant.h"
#include "pk_v2.h"
#include "pk_v2desc.h"
#include "pk_v2ldconst.h"
#include "pk_v2ringwr.h"
}
#include "../test_v2_random.h"
#include "harness_v2net.h"

#ifndef PK_ZOO
#define PK_ZOO 1 // the zoo on hw_configs/PK_CFG.yaml, then random configs
#endif
#ifndef PK_WFL
#define PK_WFL PK_WWL // pk_ld2 WFL: lanes of whole words; the others carry 8-bit DW codes
#endif
#ifndef PK_SET
#define PK_SET PK_CFG // the set's name (a set of PK_CFG with other parameters)
#endif
#ifndef PK_PB
#error "PK_PB, PK_MB, PK_LAT, PK_CFG come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t NEVER = INT64_MAX / 4;
static const int NW = PK_WBITS / 32, WBY = PK_WBITS / 8;
static int64_t layers_run, reqs_run, lagged, max_lag;
static int64_t ring_layers, ring_words, ring_skipped, w_layers, w_words, w_skipped, d_beats, p_words;
static int64_t w_max_col;  // most weight words one beat puts into one column (checked layers)
static int64_t late_start;                // n-tiles starting on a code lane past WFL (ww_ovf)
static int64_t w_narrow, w_wide_over;     // words checked on the code lanes (>= WFL); layers
                                          // with a whole word past them (ww_ovf expected)
static int64_t w_skip_beat, w_skip_col;  // the same and the most words a beat, unchecked layers
static int64_t pre_layers;  // WB with a resident prefix (--prefix 0)
static int64_t ring_not_built, ring_other_set, ring_lanes;  // why a layer's ring words are not checked
static int64_t fold_layers, fold_ring, glob_layers, glob_ring, glob_passes;  // x-fold, global pool
static int64_t w_pair[2][16];
// whole lanes past lane 0 (V2-11.5 "Scaling, step 11"): words checked there, the most data bits
// one had, and (PK_WMODES) weight layers of a (w_bits, m) pair the set does not build
static int64_t w_late, w_late_bits, w_mode_skip;
static int64_t b_layers, b_rows_n, b_ring_layers, b_words, b_max_beat;  // operand B (EW with res_en)
static int64_t is_layers, is_blocks, is_w_layers, is_words, is_half_waits;  // the IS order
static int64_t ns_layers, ns_blocks, ns_w_layers, ns_words, ns_waits;  // NS (in the IS counts)
static int64_t wb_layers, wb_afetch, wb_slot_waits, wb_ring;  // WB (also counted as IS above)
static int64_t cg_layers, cg_ring, cg_words;  // channel groups (V2-5 item 2; WB or NS)
static int64_t cgs_layers, cgs_ring, cgs_words, cgs_reqs;  // ... in block slices (CGS)
static int64_t is_mid;  // IS n-tiles (checked) whose first byte is inside a beat, not its first
static int64_t b_space_waits;  // B fetches the model issues in the cycle their slot is released  // weight words checked per (CONV 0 / DW 1, 4 * log2 w_bits + log2 m)

// DRAM content: a byte per address, a hash of it (rows, weights, records, descriptors).
static uint8_t mem(uint64_t a)
{
    uint64_t z = (a + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (uint8_t)(z >> 56);
}

// A written word: cycle, where (bank / column / row, address / lane), data.
struct Wr {
    int64_t cycle, where, addr;
    uint32_t data[NW > 16 ? NW : 16];
    bool operator!=(const Wr &o) const
    {
        return cycle != o.cycle || where != o.where || addr != o.addr ||
               memcmp(data, o.data, sizeof data);
    }
};
static void bytes_to(Wr &w, uint64_t a, int64_t n)
{
    memset(w.data, 0, sizeof w.data);
    for (int64_t i = 0; i < n; i++)
        w.data[i / 4] |= (uint32_t)mem(a + (uint64_t)i) << (8 * (i % 4));
}

// The reference ring word of pixel x, chunk jc of the row at DRAM address a.
static void ref_ring_word(const pk_v2_desc_t &d, const pk_v2_ringgeom_t &g, int mlog, uint64_t a,
                          int64_t x, int64_t jc, uint32_t *out)
{
    // (a global pool's channel slice, V2-4.4: pixel x's slice at x * PS_in of the run's row,
    // its channels R * Cd)
    int64_t cin = d.gsl ? d.gs_bytes * 8 / d.a_bits : d.in_c, ps = d.gsl ? d.gs_ps : g.ps;
    if (d.cgs) { // (channel groups in block slices, V2-5 item 2: pixel x's block slice at x *
                 // PS_in of the run's row, nb * Cd channels; the block's chunk jc mod Jw)
        cin = d.nb * d.ct;
        ps = d.row_bytes / d.in_w;
        jc %= d.jw;
    }
    if (d.csl) // (a CONV's channel slice, V2-6.1: pixel x's slice at x * PS_in of the row)
        ps = d.gs_ps;
    int64_t m = 1 << mlog, nch = std::min<int64_t>(g.vp, cin - jc * g.vp);
    memset(out, 0, sizeof(uint32_t) * 16);
    for (int64_t e = 0; e < nch; e++) {
        int64_t bit = x * ps * 8 + (jc * g.vp + e) * d.a_bits;
        uint32_t code = 0;
        for (int b = 0; b < d.a_bits; b++)
            code |= (uint32_t)((mem(a + (uint64_t)((bit + b) / 8)) >> ((bit + b) % 8)) & 1) << b;
        bool neg = d.a_signed && ((code >> (d.a_bits - 1)) & 1);
        for (int b = 0; b < m; b++) {
            int v = b < d.a_bits ? (code >> b) & 1 : neg;
            int64_t o = e * m + b;
            out[o / 32] |= (uint32_t)v << (o % 32);
        }
    }
}

// Bytes of an A row's unit: the row, or (a channel-slice fetch, V2-4.4) in_w slices of a pass,
// or (channel groups in block slices, V2-5 item 2; blocks of one size where built) in_w slices
// of a block, or (a CONV's channel slice, V2-6.1) in_w slices.
static int64_t a_unit_bytes(const pk_v2_desc_t &d)
{
    return d.gsl ? d.in_w * d.gs_bytes : d.cgs ? d.in_w * d.nb * d.ct * d.a_bits / 8
         : d.csl ? d.in_w * d.cs_bytes : d.row_bytes;
}

// Code e (bits wide) of the dense bytes at a.
static uint32_t code_at(uint64_t a, int64_t e, int bits)
{
    uint64_t off = (uint64_t)e * (uint64_t)bits;
    return (uint32_t)(mem(a + (off >> 3)) >> (off & 7)) & ((1u << bits) - 1u);
}

// Compare two write lists; false (printed) on the first difference.
static bool same(const char *what, const char *kind, const std::vector<Wr> &got,
                 const std::vector<Wr> &want)
{
    for (size_t i = 0; i < std::max(got.size(), want.size()); i++) {
        if (i >= got.size() || i >= want.size()) {
            fprintf(stderr, "FAIL %s: %zu %s writes, reference %zu\n", what, got.size(), kind,
                    want.size());
            return false;
        }
        if (got[i] != want[i]) {
            const Wr &a = got[i], &e = want[i];
            fprintf(stderr, "FAIL %s: %s write %zu: cycle %" PRId64 " at %" PRId64 "/%" PRId64
                    " data %08x%08x; reference cycle %" PRId64 " at %" PRId64 "/%" PRId64
                    " data %08x%08x\n", what, kind, i, a.cycle, a.where, a.addr, a.data[1],
                    a.data[0], e.cycle, e.where, e.addr, e.data[1], e.data[0]);
            return false;
        }
    }
    return true;
}

static RegClock<Vpk_ld2> clk2;  // pk_ld2_regin's cycle (harness_clock.h)

static void eval_low(Vpk_ld2 *m) { clk2.eval_low(m); }

static void tick(Vpk_ld2 *m) { clk2.tick(m); }

static void drive(Vpk_ld2 *m, const pk_v2_ldconst_t &k, int64_t whalf)
{
    m->l_is = k.is;
    m->l_wbo = k.wbo;
    m->l_pre = (uint8_t)k.pre;
    m->l_jin = (uint16_t)k.jin;
    m->l_ns = k.ns;
    m->l_nb = (uint16_t)k.nb;
    m->l_nbl1 = (uint16_t)k.nbl1;
    m->l_blk_bytes = (uint32_t)k.blk_bytes;
    m->l_whalf = (uint32_t)(whalf & ((1 << PK_WA) - 1));
    m->l_nt = (uint16_t)k.nt;
    m->l_has_w = k.has_w;
    m->l_wu_bytes = (uint32_t)k.wu_bytes;
    m->l_wu_last = (uint32_t)k.wu_last;
    m->l_addr_w = k.addr_w;
    m->l_row_bytes = (uint32_t)k.row_bytes;
    m->l_cap = (uint16_t)k.cap;
    m->l_ymax = (uint16_t)k.ymax;
    m->l_y0 = (uint16_t)k.y0;
    m->l_addr_y0 = k.addr_y0;
    m->l_ym0 = (uint8_t)k.ym0;
    m->l_s = (uint8_t)k.s;
    m->l_kh = (uint8_t)k.kh;
    m->l_jump = (uint16_t)k.jump;
    m->l_jump_bytes = (uint32_t)k.jump_bytes;
    m->l_y1_0 = (uint16_t)k.y1_0;
    m->l_prec = (uint8_t)k.prec;
    m->l_addr_param = k.addr_param;
    m->l_has_next = k.has_next;
    m->l_desc_addr = k.desc_addr;
    m->l_desc_entry = k.desc_entry;
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
    m->l_passes = (uint16_t)k.passes;
    m->l_fxlog = (uint8_t)k.fxlog;
    m->l_cplog = (uint8_t)k.cplog;
    m->l_fu0 = (uint8_t)k.fu0;
    m->l_glob = k.glob;
    m->l_gsl = k.gsl;
    m->l_gps = (uint16_t)k.gs_ps;
    m->l_cgs = k.cgs;
    m->l_csl = k.csl;
    m->l_wb = (uint32_t)k.wb;
    m->l_cap_wb = (uint32_t)k.cap_wb;
    m->l_rb0 = (uint8_t)k.rb0;
    m->l_owm = (uint8_t)k.owm;
    m->l_dw = k.dw;
    m->l_wlog = k.wlog;
    m->l_ks = (uint16_t)k.ks;
    m->l_ct = (uint16_t)k.ct;
    m->l_nc_last = (uint16_t)k.nc_last;
    m->l_wcb = (uint16_t)k.wcb;
    m->l_wskip = (uint16_t)k.wskip;
    m->l_wskip_last = (uint16_t)k.wskip_last;
    m->l_rw = (uint8_t)k.rw;
    m->l_rbits = (uint8_t)k.rbits;
    m->l_wu = (uint32_t)k.wu;
    m->l_has_b = k.has_b;
    m->l_addr_b = k.addr_b;
    m->l_b_row_bytes = (uint32_t)k.b_row_bytes;
    m->l_cap_b = (uint16_t)k.cap_b;
    m->l_rdiv = (uint16_t)k.rdiv;
    m->l_rmod = (uint16_t)k.rmod;
    m->l_ox1_0 = (uint16_t)k.ox1_0;
    m->l_b_jw = (uint16_t)(k.cgs || k.csl ? k.gs_ps : k.b_jw);  // (CGS, CSL: PS_in, LD_B_JW)
    m->l_b_lbits = (uint16_t)k.b_lbits;
    m->l_b_lnch = (uint16_t)k.b_lnch;
    m->l_b_awrap = (uint32_t)((k.cgs || k.csl ? k.cs_bytes : k.b_awrap) & ((1 << PK_AW) - 1));
                                                    // (CGS: SB, CSL: SL)
    m->l_b_base = (uint32_t)(k.b_base & ((1 << PK_AW) - 1));
}

// Bytes of weight run r: WS n-tile r's unit; IS block r (nb units, the last block's fewer).
static int64_t w_run_bytes(const pk_v2_ldconst_t &k, int64_t r)
{
    if (!k.is)
        return r + 1 == k.nt ? k.wu_last : k.wu_bytes;
    return (r + 1) * k.nb >= k.nt ? k.wu_last + k.nbl1 * k.wu_bytes : k.blk_bytes;
}

// A fetch unit of the model's program: its kind, address, bytes and the cycles of its beats.
struct Unit {
    int kind;
    uint64_t addr;
    int64_t bytes, got;
    std::vector<int64_t> beat;
};

// One layer's replay; false on the first mismatch (printed).
static bool replay(Vpk_ld2 *m, const pk_v2_desc_t &d, const pk_v2_ldconst_t &k,
                   const pk_v2_ringgeom_t &g, int64_t word_bits, int64_t whalf,
                   const std::vector<pk_v2_event_t> &ev, const std::vector<pk_v2_event_t> &next,
                   int64_t R, const char *what)
{
    std::vector<pk_v2_event_t> want, reqs;
    int64_t S = 0, P = 0, u_desc = 0, i_desc = 0, d_prev = 0, last_end = 0;
    std::vector<int64_t> step_end;
    for (const pk_v2_event_t &e : ev) {
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_DESC) {
            u_desc = e.end + 1;
            i_desc = e.cycle;
            d_prev = e.end;
        } else if (e.kind == PK_V2_EV_REQ) {
            want.push_back(e);
        } else if (e.kind == PK_V2_EV_STEP) {
            step_end.push_back(e.end);
        } else if (e.kind == PK_V2_EV_LAYER) {
            S = e.cycle;
            P = e.ps;
        }
    }
    reqs = want;
    for (const pk_v2_event_t &e : next)
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_DESC)
            want.push_back(e);
    for (const pk_v2_event_t &e : want)
        last_end = std::max(last_end, e.end);
    // a_done / w_done: rows and weight units in fetch order
    std::vector<int64_t> a_rows, a_use, w_use, b_use;
    {
        uint64_t off = 0;
        for (const pk_v2_event_t &e : reqs)  // B rows: fetch q is row q (WS fetches each once)
            if (e.unit == PK_V2_U_B) {
                if (off == 0)
                    b_use.push_back(0);
                b_use.back() = e.end + 1 + PK_RING_WR_LAT;
                off = (off + (uint64_t)e.len) % (uint64_t)d.b_row_bytes;
            }
        off = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_A) {
                if (off == 0) {
                    a_use.push_back(0);
                    a_rows.push_back((int64_t)((e.addr - d.addr_in) / (uint64_t)d.row_bytes));
                }
                a_use.back() = e.end + 1 + PK_RING_WR_LAT;
                off = (off + (uint64_t)e.len) % (uint64_t)a_unit_bytes(d);
            }
        off = 0;
        int64_t run = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_W) {
                if (off == 0)
                    w_use.push_back(0);
                w_use.back() = e.end + 1;
                off += (uint64_t)e.len;
                if ((int64_t)off == w_run_bytes(k, run)) {
                    off = 0;
                    run++;
                }
            }
    }
    // a_free: fetch q is free from the end of the last step that read its row (WB: pass b's
    // fetch of row y is b * na + its fetch in pass 0, read by block b's steps)
    std::vector<int64_t> fetch_of((size_t)d.in_h, -1), rel(a_rows.size(), NEVER);
    int64_t na = 0;
    for (size_t q = 0; q < a_rows.size(); q++) {
        if (fetch_of[(size_t)a_rows[q]] >= 0)
            break;
        fetch_of[(size_t)a_rows[q]] = (int64_t)q;
        na++;
    }
    if (!k.wbo)
        for (size_t q = 0; q < a_rows.size(); q++)
            fetch_of[(size_t)a_rows[q]] = (int64_t)q;
    for (size_t s = 0; s < step_end.size() && d.global; s++)  // step s reads one row (V2-4.4)
        rel[k.passes > 1 ? s : s % (size_t)d.in_h] = step_end[s];
    // the steps' pixel tiles: WS pixel tile, n-tile; IS per block b pixel tile, its n-tiles;
    // w_free: IS block b is free from the end of its last step
    std::vector<int64_t> step_mt(step_end.size(), 0), step_b(step_end.size(), 0), rel_w;
    for (size_t s = 0, b = 0; s < step_end.size(); b++) {
        int64_t nbb = k.is ? std::min(k.nb, d.nt - (int64_t)b * k.nb) : d.nt;
        if (nbb < 1 || d.mt < 1)
            break;
        for (int64_t mt = 0; mt < d.mt && s < step_end.size(); mt++)
            for (int64_t j = 0; j < nbb && s < step_end.size(); j++) {
                step_b[s] = (int64_t)b;
                step_mt[s++] = mt;
            }
        rel_w.push_back(step_end[s - 1]);
    }
    for (size_t s = 0; s < step_end.size() && !d.global; s++) {
        int64_t mt = step_mt[s], p0 = mt * R, p1 = std::min(d.out_h * d.out_w, p0 + R) - 1;
        int64_t y0 = std::max<int64_t>(0, p0 / d.out_w * d.s - d.pad);
        int64_t y1 = std::min(d.in_h - 1, p1 / d.out_w * d.s + d.kh - 1 - d.pad);
        // (a resident prefix: pass b >= 1 fetches rows >= P only, row y at b * (na - P) + y)
        int64_t base = k.wbo ? step_b[s] * (na - k.pre) : 0;
        for (int64_t y = y0; y <= y1; y++)
            if (fetch_of[(size_t)y] >= 0 && (step_b[s] == 0 || y >= k.pre) &&
                (size_t)(base + fetch_of[(size_t)y]) < rel.size())
                rel[(size_t)(base + fetch_of[(size_t)y])] = step_end[s];
    }
    // (a resident prefix, V2-11.4 item 12: pk_seq2's a_free leaves the P prefix fetches, never
    // released, out of its count)
    rel.erase(rel.begin(), rel.begin() + std::min<int64_t>(k.pre, (int64_t)rel.size()));
    pre_layers += k.pre > 0;
    if (k.wbo) {
        wb_layers++;
        wb_afetch += (int64_t)a_rows.size();
        // fetches the model issues in the cycle their slot is released (fetch q - cap's last
        // reader ends): where the slot rule across passes binds
        uint64_t off = 0;
        int64_t q = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_A) {
                if (off == 0 && q >= d.cap && rel[(size_t)(q - d.cap)] == e.cycle)
                    wb_slot_waits++;
                q += off == 0;
                off = (off + (uint64_t)e.len) % (uint64_t)a_unit_bytes(d);
            }
    }
    // b_free: B fetch q (row q) is free from the end of the last step that read its row
    std::vector<int64_t> rel_b(b_use.size(), NEVER);
    for (size_t s = 0; s < step_end.size() && k.has_b; s++) {
        int64_t mt = (int64_t)s / d.nt, p0 = mt * R, p1 = std::min(d.out_h * d.out_w, p0 + R) - 1;
        if (d.res_mul) // (a multiply's steps all read its one B row, row 0)
            p0 = p1 = 0;
        for (int64_t y = p0 / d.out_w; y <= p1 / d.out_w && y < (int64_t)rel_b.size(); y++)
            rel_b[(size_t)y] = step_end[s];
    }
    // B fetches gated by the space rule: the model issues fetch q in the cycle fetch q - cap_b's
    // last reader ends (a copy of pk_ld2 without the rule fails only where this count is > 0)
    {
        uint64_t off = 0;
        int64_t q = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_B) {
                if (off == 0 && q >= d.cap_b && rel_b[(size_t)(q - d.cap_b)] == e.cycle)
                    b_space_waits++;
                q += off == 0;
                off = (off + (uint64_t)e.len) % (uint64_t)d.b_row_bytes;
            }
    }
    // IS: blocks the model issues in the cycle their half is released (block r - 2's last
    // step ends; NS: both halves, block r - 1's): where a copy of pk_ld2 with the w_free rule
    // off by one fails
    if (k.is) {
        int64_t back = k.ns ? 1 : 2;
        uint64_t off = 0;
        int64_t r = 0;
        for (const pk_v2_event_t &e : reqs)
            if (e.unit == PK_V2_U_W) {
                if (off == 0 && r >= back && rel_w[(size_t)(r - back)] == e.cycle) {
                    is_half_waits++;
                    ns_waits += k.ns;
                }
                off += (uint64_t)e.len;
                if ((int64_t)off == w_run_bytes(k, r)) {
                    off = 0;
                    r++;
                }
            }
        is_blocks += r;
        ns_blocks += k.ns ? r : 0;
    }
    // the loader starts with the engines, at lay_start (V2-7.5: the LAYER event's ps)
    int64_t x0 = std::max(std::max(std::max(u_desc, S + 1), i_desc + 1) - 1, P);
    drive(m, k, whalf);
    m->l_b_mul = k.has_b && d.res_mul;  // (a channel-wise multiply: its one B pixel, V2-6.1)
    std::deque<std::pair<int64_t, uint64_t>> beats;  // cycle, DRAM address
    std::vector<Wr> g_ring, g_w, g_d, g_p;
    bool ovf = false;
    std::vector<int64_t> got_i, got_first;
    std::vector<uint64_t> got_addr;
    std::vector<int64_t> got_len;
    for (int64_t x = x0; x <= last_end + PK_RING_WR_LAT + 4; x++) {
        int64_t fr = 0;
        while ((size_t)fr < rel.size() && rel[(size_t)fr] <= x)
            fr++;
        m->a_free = (uint16_t)fr;
        int64_t frb = 0;
        while ((size_t)frb < rel_b.size() && rel_b[(size_t)frb] <= x)
            frb++;
        m->b_free = (uint16_t)frb;
        int64_t frw = 0;
        while (k.is && (size_t)frw < rel_w.size() && rel_w[(size_t)frw] <= x)
            frw++;
        m->w_free = (uint16_t)frw;
        m->start = x == x0;
        m->rd_req_ready = 1;
        m->rd_data_valid = !beats.empty() && beats.front().first == x;
        for (int i = 0; i < PK_PB; i++)
            put(m->rd_data, 8 * i, 8, m->rd_data_valid ? mem(beats.front().second + i) : 0);
        if (m->rd_data_valid)
            beats.pop_front();
        eval_low(m);
        for (int l = 0; l < PK_RWL; l++)
            if ((m->r_valid >> l) & 1) {
                Wr w{x, (int64_t)get(m->r_bank, l * PK_RA, PK_RA),
                     (int64_t)get(m->r_addr, l * PK_AW, PK_AW), {}};
                for (int j = 0; j < NW; j++)
                    w.data[j] = (uint32_t)get(m->r_data, l * PK_WBITS + 32 * j, 32);
                g_ring.push_back(w);
            }
        for (int l = 0; l < PK_WWL; l++)
            if ((m->ww_valid >> l) & 1) {
                Wr w{x, (int64_t)get(m->ww_col, l * PK_CA, PK_CA),
                     (int64_t)get(m->ww_addr, l * PK_WA, PK_WA), {}};
                for (int j = 0; j < NW && l < PK_WFL; j++)
                    w.data[j] = (uint32_t)get(m->ww_data, l * PK_WBITS + 32 * j, 32);
                if (l >= PK_WFL)  // a code lane: 8 bits
                    w.data[0] = (uint32_t)get(m->ww_data, PK_WFL * PK_WBITS + (l - PK_WFL) * 8, 8);
                g_w.push_back(w);
            }
        ovf = ovf || m->ww_ovf;
        if (m->d_we) {
            Wr w{x, (int64_t)m->d_wrow, (int64_t)m->d_wlane, {}};
            for (int j = 0; j < (PK_PB + 3) / 4; j++)
                w.data[j] = (uint32_t)get(m->d_wdata, 32 * j, std::min(32, 8 * PK_PB));
            g_d.push_back(w);
        }
        if (m->prec_we) {
            Wr w{x, 0, (int64_t)m->prec_idx, {}};
            for (int j = 0; j < NW; j++)
                w.data[j] = (uint32_t)get(m->prec_data, 32 * j, 32);
            g_p.push_back(w);
        }
        int64_t ad = std::count_if(a_use.begin(), a_use.end(), [x](int64_t u) { return u <= x; });
        int64_t wd = std::count_if(w_use.begin(), w_use.end(), [x](int64_t u) { return u <= x; });
        int64_t bd = std::count_if(b_use.begin(), b_use.end(), [x](int64_t u) { return u <= x; });
        if (x > x0 && ((int64_t)m->a_done != ad || (int64_t)m->w_done != wd ||
                       (int64_t)m->b_done != bd)) {
            fprintf(stderr, "FAIL %s: cycle %" PRId64 ": a_done %u w_done %u b_done %u, model %"
                    PRId64 " %" PRId64 " %" PRId64 "\n", what, x, m->a_done, m->w_done,
                    m->b_done, ad, wd, bd);
            return false;
        }
        if (m->rd_req_valid) {
            int64_t nb = pk_cdiv((int64_t)m->rd_req_len, PK_PB);
            int64_t first = std::max(x + PK_LAT, d_prev);
            for (int64_t b = 0; b < nb; b++)
                beats.emplace_back(first + b, (uint64_t)m->rd_req_addr + (uint64_t)(b * PK_PB));
            d_prev = first + nb;
            got_i.push_back(x);
            got_first.push_back(first);
            got_addr.push_back(m->rd_req_addr);
            got_len.push_back((int64_t)m->rd_req_len);
        }
        tick(m);
    }
    m->start = 0;
    for (size_t j = 0; j < std::max(want.size(), got_i.size()); j++) {
        if (j >= want.size() || j >= got_i.size()) {
            fprintf(stderr, "FAIL %s: %zu requests, model %zu\n", what, got_i.size(), want.size());
            return false;
        }
        const pk_v2_event_t &e = want[j];
        int64_t first = e.end - pk_cdiv(e.len, PK_PB);
        if (got_addr[j] != e.addr || got_len[j] != e.len || got_first[j] != first ||
            got_i[j] < e.cycle) {
            fprintf(stderr, "FAIL %s: request %zu (unit %d): issue %" PRId64 " addr %" PRIu64
                    " len %" PRId64 " first beat %" PRId64 "; model issue %" PRId64
                    " addr %" PRIu64 " len %" PRId64 " first beat %" PRId64 "\n", what, j,
                    (int)e.unit, got_i[j], got_addr[j], got_len[j], got_first[j], e.cycle,
                    (uint64_t)e.addr, e.len, first);
            return false;
        }
        if (got_i[j] > e.cycle) {
            lagged++;
            max_lag = std::max(max_lag, got_i[j] - e.cycle);
        }
    }
    clk2.settle(m);  // the last cycle's edge, as the old tick() left the model
    if (m->busy) {
        fprintf(stderr, "FAIL %s: still busy after the last beat\n", what);
        return false;
    }
    // ---- the beat side: the model's units and the cycles of their beats ----
    std::vector<Unit> units;
    {
        int64_t wn = 0;
        for (const pk_v2_event_t &e : want) {
            if (units.empty() || units.back().got == units.back().bytes) {
                int64_t n = e.unit == PK_V2_U_A ? a_unit_bytes(d)
                            : e.unit == PK_V2_U_B ? d.b_row_bytes
                            : e.unit == PK_V2_U_W ? w_run_bytes(k, wn++)
                            : e.unit == PK_V2_U_REC ? k.prec : (int64_t)PK_DESC2_BYTES;
                units.push_back(Unit{(int)e.unit, e.addr, n, 0, {}});
            }
            Unit &u = units.back();
            int64_t nb = pk_cdiv(e.len, PK_PB);
            for (int64_t b = 0; b < nb; b++)
                u.beat.push_back(e.end - nb + b);
            u.got += e.len;
        }
    }
    std::vector<Wr> r_ring, r_w, r_d, r_p, rb_ring;  // rb_ring: B words (merged by cycle below)
    std::vector<bool> r_wide;  // r_w: a whole word (CONV or record), not a depthwise code
    std::vector<bool> r_first; // r_w: an n-tile's first word (the code lanes take one n-tile)
    int64_t lay_max_col = 0;
    // ring words: the layers pk_ld2a builds, on this set's ring
    pk_v2_backlog_t bl{};
    bool ring_chk = k.ring_ok && R == PK_ROWS && word_bits == PK_WBITS &&
                    g.da <= (1 << PK_AW) && !pk_v2_ring_backlog(&g, &d, 4, &bl) &&
                    bl.per_beat <= PK_RWL;
    for (int64_t x = 0, n = 0, at = -1; x < d.in_w && d.fx > 1; x++) {  // pixels a beat <= FPX
        int64_t b = pk_v2_ring_byte_beat(&g, &d, x, g.ps - 1);
        n = b == at ? n + 1 : 1;
        at = b;
        ring_chk = ring_chk && n <= PK_RWL;
    }
    // the weight buffer: WS units nt * Wu .., IS block b's unit j at (b mod 2) * whalf + j * Wu,
    // NS at j * Wu (both halves)
    bool w_chk = word_bits == PK_WBITS && d.ct <= (1 << PK_CA) &&
                 (k.is ? 2 * whalf <= (1 << PK_WA) && k.nb * k.wu <= (k.ns ? 2 : 1) * whalf
                       : k.nt * k.wu <= (1 << PK_WA));
#ifdef PK_WMODES  // pk_ld2 WMODES: the widenings built (bit 4 log2 w_bits + log2 m)
    if (w_chk && k.has_w && !((PK_WMODES >> (4 * k.wlog + k.mlog)) & 1)) {
        w_mode_skip++;
        w_chk = false;
    }
#endif
    {
        std::vector<pk_v2_ringword_t> rw((size_t)pk_v2_ring_row_words_max(&d));
        std::vector<uint8_t> need((size_t)d.in_h);
        // channel groups (V2-5 item 2): pass b (every needed row again) keeps block b's chunks
        int64_t nneed = std::max<int64_t>(1, pk_v2_ring_needed(&d, need.data()));
        int64_t seq = 0, wnt = 0, wrun = 0, mlog = k.mlog, mb = 1 << mlog;
        for (const Unit &u : units) {
            if (u.kind == PK_V2_U_A && ring_chk) {
                int64_t y = (int64_t)(u.addr - d.addr_in) / d.row_bytes;
                int64_t n = pk_v2_ring_row_words_pass(&g, &d, y, seq,
                                                      k.jin || k.cgs ? seq / nneed : 0,
                                                      rw.data());
                for (int64_t i = 0; i < n; i++) {
                    const pk_v2_ringword_t &r = rw[(size_t)i];
                    Wr w{u.beat[(size_t)r.beat], r.bank, r.addr, {}};
                    for (int64_t x = r.x0; x <= r.x1 && d.fx > 1; x++) {  // x-fold (V2-4.2)
                        uint32_t px[16];
                        int64_t at = ((x + d.pad) % d.fx) << k.cplog << mlog;
                        ref_ring_word(d, g, k.mlog, u.addr, x, 0, px);
                        for (int64_t b = 0; b < d.in_c * mb; b++)
                            w.data[(at + b) / 32] |= ((px[b / 32] >> (b % 32)) & 1u) << ((at + b) % 32);
                    }
                    if (d.fx == 1)
                        ref_ring_word(d, g, k.mlog, u.addr, r.x0, r.jc, w.data);
                    r_ring.push_back(w);
                }
            }
            seq += u.kind == PK_V2_U_A;
            if (u.kind == PK_V2_U_B) {  // V2-3.1: raw bytes, flat in the B half, Jr words a pixel
                // (a multiply's B row is its one pixel, V2-6.1)
                int64_t bpx = pk_v2_desc_b_pixels(&d);
                int64_t y = (int64_t)(u.addr - d.addr_res) / d.b_row_bytes;
                int64_t psb = d.b_row_bytes / bpx, capw = k.b_awrap / k.b_jw;  // capPB / R
                for (int64_t x = 0; x < bpx; x++)
                    for (int64_t jb = 0; jb < k.b_jw; jb++) {
                        int64_t n = y * bpx + x, nby = std::min<int64_t>(WBY, psb - jb * WBY);
                        int64_t last = x * psb + jb * WBY + nby - 1;
                        Wr w{u.beat[(size_t)(last / PK_PB)], (n + jb) % R,
                             k.b_base + (n / R % capw) * k.b_jw + jb, {}};
                        bytes_to(w, u.addr + (uint64_t)(x * psb + jb * WBY), nby);
                        rb_ring.push_back(w);
                    }
            }
            // V2-3.2: per n-tile of the run (WS one, IS a block's) weights [k][c][slot], then
            // the records; IS: block b's n-tile j from byte j * wu_bytes of the run
            std::vector<int64_t> per(u.kind == PK_V2_U_W ? u.beat.size() * (size_t)d.ct : 0);
            for (int64_t j = 0; u.kind == PK_V2_U_W && j < (k.is ? k.nb : 1) && wnt < d.nt; j++) {
                int64_t nc = std::min(d.ct, d.out_c - wnt * d.ct);
                int64_t base = k.ns ? j * k.wu : k.is ? (wrun % 2) * whalf + j * k.wu : wnt * k.wu;
                int64_t uo = j * k.wu_bytes;  // the unit's first byte in the run
                is_mid += k.is && w_chk && uo % PK_PB != 0;
                int64_t wof = pk_cdiv(d.unit_bytes * nc, d.ct), vp = k.dw ? 0 : g.vp;
                for (int64_t kk = 0; kk < d.ks; kk++)
                    for (int64_t c = 0; c < nc; c++) {
                        int64_t end = kk + 1 == d.ks && c + 1 == nc
                                          ? wof : pk_cdiv((kk * nc + c + 1) * k.wcb, 8);
                        int64_t bi = (uo + end - 1) / PK_PB;
                        Wr w{u.beat[(size_t)bi], c, base + kk, {}};
                        for (int64_t v = 0; v < (vp ? vp : 1); v++) {
                            uint32_t code = code_at(u.addr + (uint64_t)uo,
                                                    pk_v2_weight_index(vp, nc, kk, c, v), d.w_bits);
                            uint32_t sl = pk_q_widen(code, d.w_bits, 1, (int)mb);
                            for (int64_t b = 0; b < mb; b++)
                                w.data[(v * mb + b) / 32] |= ((sl >> b) & 1) << ((v * mb + b) % 32);
                        }
                        r_w.push_back(w);
                        r_wide.push_back(!k.dw);
                        r_first.push_back(kk == 0 && c == 0);
                        lay_max_col = std::max(lay_max_col, ++per[(size_t)(bi * d.ct + c)]);
                    }
                for (int64_t c = 0; c < nc; c++)
                    for (int64_t i = 0; i < k.rw; i++) {
                        int64_t rb = k.rbits / 8, at = uo + wof + c * d.rec + i * rb;
                        int64_t bi = (at + rb - 1) / PK_PB;
                        Wr w{u.beat[(size_t)bi], c, base + d.ks + i, {}};
                        bytes_to(w, u.addr + (uint64_t)at, rb);
                        r_w.push_back(w);
                        r_wide.push_back(true);
                        r_first.push_back(false);
                        lay_max_col = std::max(lay_max_col, ++per[(size_t)(bi * d.ct + c)]);
                    }
                wnt++;
            }
            wrun += u.kind == PK_V2_U_W;
            if (u.kind == PK_V2_U_DESC) {  // pk_desc2: rows of max(PB, 4) bytes
                int64_t rowb = std::max(PK_PB, 4), lanes = rowb / PK_PB;
                for (size_t b = 0; b < u.beat.size(); b++) {
                    Wr w{u.beat[b], k.desc_entry * (PK_DESC2_BYTES / rowb) + (int64_t)b / lanes,
                         lanes > 1 ? (int64_t)b % lanes : 0, {}};
                    bytes_to(w, u.addr + b * PK_PB, PK_PB);
                    r_d.push_back(w);
                }
            }
            if (u.kind == PK_V2_U_REC)  // word i in the i-th cycle after the last beat
                for (int64_t i = 0; i < std::max<int64_t>(1, k.prec / WBY); i++) {
                    Wr w{u.beat.back() + 1 + i, 0, i, {}};
                    bytes_to(w, u.addr + (uint64_t)(i * WBY), std::min<int64_t>(WBY, k.prec));
                    r_p.push_back(w);
                }
        }
    }
    // B words: beats of B rows never share a cycle with A rows, so the lists merge by cycle
    int64_t lay_b_beat = 0;
    {
        int64_t at = -1, n = 0;
        for (const Wr &w : rb_ring) {
            n = w.cycle == at ? n + 1 : 1;
            at = w.cycle;
            lay_b_beat = std::max(lay_b_beat, n);
        }
    }
    bool b_chk = k.has_b && ring_chk && lay_b_beat <= PK_RWL;
    if (b_chk) {
        std::vector<Wr> mg;
        std::merge(r_ring.begin(), r_ring.end(), rb_ring.begin(), rb_ring.end(),
                   std::back_inserter(mg), [](const Wr &a, const Wr &b) { return a.cycle < b.cycle; });
        r_ring.swap(mg);
    } else if (k.has_b) {  // A words only
        std::vector<Wr> ga;
        for (const Wr &w : g_ring)
            if (w.addr < k.b_base)
                ga.push_back(w);
        g_ring.swap(ga);
    }
    b_layers += k.has_b;
    b_rows_n += (int64_t)b_use.size();
    b_ring_layers += b_chk;
    b_words += b_chk ? (int64_t)rb_ring.size() : 0;
    b_max_beat = std::max(b_max_beat, lay_b_beat);
    // a layer whose beats complete more weight words than the lanes is not checked
    // (or a whole word, CONV or record, on a code lane: lanes WFL .. carry 8 data bits)
    int64_t lay_max_beat = 0, lay_narrow = 0;
    bool wide_over = false;
    {
        int64_t at = -1, n = 0;
        for (size_t i = 0; i < r_w.size(); i++) {
            n = r_w[i].cycle == at ? n + 1 : 1;
            at = r_w[i].cycle;
            lay_max_beat = std::max(lay_max_beat, n);
            // (or an n-tile starting on a code lane past lane WFL: V2-11.5 "Lean control,
            // step 6", pk_v2_rtl_supported refuses both)
            wide_over = wide_over || (r_wide[i] && n > PK_WFL) || (r_first[i] && n > PK_WFL + 1);
            late_start += r_first[i] && n > PK_WFL + 1 && n <= PK_WWL;
            lay_narrow += n > PK_WFL;
        }
    }
    w_chk = w_chk && lay_max_beat <= PK_WWL && !wide_over;
    // a whole lane l >= 1 carries a word that lies in its beat from beat bit 1 on: a CONV word
    // (WBITS bits) only when its wcb < 8 PB, else a record word of at most PB - 1 bytes (8 min(rq,
    // WBY) bits, rq a power of two) or a depthwise code (8 bits); pk_ld2 builds only those bits
    // (LWB), so the reference's words there must have none above
    if (w_chk) {
        int64_t lb = 8;
        for (int64_t q = 1; q <= WBY; q *= 2)
            if (q <= PK_PB - 1)
                lb = std::max<int64_t>(lb, 8 * q);
        if (WBY <= PK_PB - 1)
            lb = std::max<int64_t>(lb, 8 * WBY);
        if (!k.dw && k.wcb < 8 * PK_PB)
            lb = PK_WBITS;
        int64_t at = -1, n = 0;
        for (size_t i = 0; i < r_w.size(); i++) {
            n = r_w[i].cycle == at ? n + 1 : 1;
            at = r_w[i].cycle;
            if (n < 2 || n > PK_WFL)
                continue;
            int64_t top = 0;
            for (int64_t b = 0; b < PK_WBITS; b++)
                if ((r_w[i].data[b / 32] >> (b % 32)) & 1u)
                    top = b + 1;
            w_late++;
            w_late_bits = std::max(w_late_bits, top);
            if (top > lb) {
                fprintf(stderr, "FAIL %s: weight-buffer word %zu on whole lane %" PRId64 " has data"
                        " bit %" PRId64 " set, past the %" PRId64 " bits such a lane carries\n",
                        what, i, n - 1, top - 1, lb);
                return false;
            }
        }
    }
    w_narrow += w_chk ? lay_narrow : 0;
    w_wide_over += word_bits == PK_WBITS && wide_over && lay_max_beat <= PK_WWL;
    if (w_chk)
        w_max_col = std::max(w_max_col, lay_max_col);
    else if (word_bits == PK_WBITS)
        w_skip_beat = std::max(w_skip_beat, lay_max_beat), w_skip_col = std::max(w_skip_col, lay_max_col);
    if (word_bits == PK_WBITS && ovf != (lay_max_beat > PK_WWL || wide_over)) {
        fprintf(stderr, "FAIL %s: ww_ovf %d, but the most weight words a beat is %" PRId64
                ", a whole word past lane %d: %d\n", what, (int)ovf, lay_max_beat, PK_WFL,
                (int)wide_over);
        return false;
    }
    if (ring_chk && !same(what, "ring", g_ring, r_ring))
        return false;
    if (w_chk && !same(what, "weight-buffer", g_w, r_w))
        return false;
    if (!same(what, "descriptor-RAM", g_d, r_d) || (word_bits == PK_WBITS &&
                                                   !same(what, "record", g_p, r_p)))
        return false;
    ring_layers += ring_chk;
    fold_layers += d.fx > 1;
    fold_ring += d.fx > 1 && ring_chk;
    glob_layers += d.global;
    glob_ring += d.global && ring_chk;
    glob_passes += d.global && k.passes > 1;
    ring_skipped += !ring_chk;
    ring_not_built += !k.ring_ok;
    ring_other_set += k.ring_ok && !ring_chk && (R != PK_ROWS || word_bits != PK_WBITS ||
                                                 g.da > (1 << PK_AW));
    ring_lanes += k.ring_ok && R == PK_ROWS && word_bits == PK_WBITS && g.da <= (1 << PK_AW) &&
                  !ring_chk;
    ring_words += ring_chk ? (int64_t)r_ring.size() : 0;
    cg_layers += k.jin != 0;
    cg_ring += k.jin && ring_chk;
    cg_words += k.jin && ring_chk ? (int64_t)r_ring.size() : 0;
    cgs_layers += k.cgs;
    cgs_ring += k.cgs && ring_chk;
    cgs_words += k.cgs && ring_chk ? (int64_t)r_ring.size() : 0;
    for (const pk_v2_event_t &e : want)
        cgs_reqs += k.cgs && e.unit == PK_V2_U_A;
    is_layers += k.is;
    ns_layers += k.ns;
    ns_w_layers += k.ns && w_chk;
    ns_words += k.ns && w_chk ? (int64_t)r_w.size() : 0;
    wb_ring += k.wbo && ring_chk;
    is_w_layers += k.is && w_chk;
    is_words += k.is && w_chk ? (int64_t)r_w.size() : 0;
    w_layers += w_chk && k.has_w;
    w_skipped += !w_chk && k.has_w;
    w_words += w_chk ? (int64_t)r_w.size() : 0;
    if (w_chk && k.has_w)
        w_pair[k.dw ? 1 : 0][4 * k.wlog + k.mlog] += d.ks * d.out_c;
    d_beats += (int64_t)r_d.size();
    p_words += word_bits == PK_WBITS ? (int64_t)r_p.size() : 0;
    layers_run++;
    reqs_run += (int64_t)got_i.size();
    return true;
}

// One network on one config (without its IS layers when !with_is); false on a mismatch.
static bool network(Vpk_ld2 *m, const char *cfgpath, const char *netpath, const char *what,
                    bool with_is = true)
{
    V2Net n(cfgpath, netpath);
    std::vector<std::vector<pk_v2_event_t>> lev;
    if (!n.ok || n.cfg->offchip.bytes_per_cycle != PK_PB || n.cfg->offchip.latency != PK_LAT)
        return true; // not mappable here
    if (!n.trace(lev, what))
        return false;
    bool ok = true;
    for (int i = 0; i < n.hw->n_layers && ok; i++) {
        pk_v2_desc_t d;
        pk_v2_ldconst_t k;
        pk_v2_ringgeom_t g;
        pk_v2_desc_decode(pk_v2img_descriptor(n.img, i), &d);
        pk_v2_ring_geom(&d, n.cfg->array.rows, n.cfg->d.word_bytes, n.cfg->buffers.activations,
                        n.cfg->offchip.bytes_per_cycle, n.hw->layers[i].vp, &g);
        if (pk_v2_ldconst(&d, &g, n.cfg->d.word_bits, i, n.hw->n_layers, &k) || (k.is && !with_is))
            continue;
        // channel groups (V2-5 item 2, V2-11.4 item 11): a pass over the rows per block, also in
        // NS (pk_core2 drives l_wbo = WB || cgroups)
        k.wbo = k.wbo || k.jin != 0 || k.cgs;
        std::string w = std::string(what) + " " + n.hw->layers[i].name;
        ok = replay(m, d, k, g, n.cfg->d.word_bits, n.cfg->d.wbuf_depth, lev[(size_t)i],
                    lev[(size_t)i + 1],
                    n.cfg->array.rows, w.c_str());
    }
    return ok;
}

int main(int argc, char **argv)
{
    int seeds = 40, nzoo = 4, is_zoo = 1, seed0 = 1;
    const char *xcfg = nullptr, *xnet = nullptr;  // --net CFG NET: one more network, first
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed0"))
            seed0 = atoi(argv[i + 1]); // the first random config's seed (one config: --seeds 1)
        else if (!strcmp(argv[i], "--prefix"))
            v2_plan_prefix = atoi(argv[i + 1]);  // the plan's prefix option (0: the rule)
        else if (!strcmp(argv[i], "--nspass"))
            v2_plan_nspass = atoi(argv[i + 1]);  // the plan's nspass option (-1: plain WB)
        else if (!strcmp(argv[i], "--gslice"))
            v2_plan_gslice = atoi(argv[i + 1]);  // the plan's gslice option (1: slices)
        else if (!strcmp(argv[i], "--cgslice"))
            v2_plan_cgslice = atoi(argv[i + 1]);  // the plan's cgslice option (0: the rule)
        else if (!strcmp(argv[i], "--zoo"))
            nzoo = atoi(argv[i + 1]); // the first N zoo networks (suite: cloud without resnet50)
        else if (!strcmp(argv[i], "--is-zoo"))
            is_zoo = atoi(argv[i + 1]); // 0: not the zoo's IS layers (suite: edge_lean has them)
        else if (!strcmp(argv[i], "--net") && i + 2 < argc)
            xcfg = argv[i + 1], xnet = argv[i + 2], i++;
    Verilated::commandArgs(argc, argv);
    Vpk_ld2 *m = new Vpk_ld2;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = true;
    if (xcfg) {
        int64_t before = layers_run;
        ok = network(m, xcfg, xnet, xnet);
        if (ok && layers_run == before) {
            fprintf(stderr, "FAIL %s on %s: no layer replayed (config not of this set)\n", xnet, xcfg);
            ok = false;
        }
    }
    const char *zoo[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x", "resnet50_w4a4"};
    for (const char *n : zoo) {
        if (!PK_ZOO || nzoo-- <= 0)
            break;
        std::string cp = std::string(PIKE_SOURCE_ROOT) + "/hw_configs/" + PK_CFG + ".yaml";
        std::string np = std::string(PIKE_SOURCE_ROOT) + "/networks/" + n + ".yaml";
        std::string w = std::string(PK_CFG) + "/" + n;
        if (ok)
            ok = network(m, cp.c_str(), np.c_str(), w.c_str(), is_zoo != 0);
    }
    int64_t zoo_layers = layers_run, zoo_ring = ring_layers, zoo_w = w_layers,
            zoo_max_col = w_max_col, zoo_wskip = w_skipped;
    for (int seed = seed0; seed <= 4000 && ok && seeds > 0; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        std::string cfg = random_cfg(), net = random_net();
        size_t p = cfg.find("latency: ");
        cfg.replace(p, cfg.find(',', p) - p, "latency: " + std::to_string(PK_LAT));
        if (cfg.find("bytes_per_cycle: " + std::to_string(PK_PB) + ",") == std::string::npos)
            continue;
        if (!PK_ZOO && (cfg.find("rows: " + std::to_string(PK_ROWS) + ",") == std::string::npos ||
                        cfg.find("lanes: " + std::to_string(PK_WBITS / 8) + "}") ==
                            std::string::npos))
            continue; // a set of random configs only: their R and word bits
        std::string pre = std::string("ld2_") + PK_SET;
        std::string cp = write_case(pre, "c.yaml", cfg), np = write_case(pre, "n.yaml", net);
        std::string w = "seed " + std::to_string(seed);
        int64_t before = layers_run;
        ok = network(m, cp.c_str(), np.c_str(), w.c_str());
        seeds -= layers_run > before;
    }
    delete m;
    if (!ok)
        return 1;
    printf("ld2 %s: %" PRId64 " layers (%" PRId64 " zoo), %" PRId64
           " requests at the model's address, length and data cycle; %" PRId64
           " issued later than the model (at most %" PRId64 " cycles)\n", PK_SET, layers_run,
           zoo_layers, reqs_run, lagged, max_lag);
    printf("ld2 %s beats: ring words of %" PRId64 " layers (%" PRId64 " words; %" PRId64
           " layers not checked: not pk_ld2a's layout, R / word bits / AW of another set, or more"
           " than %d words a beat), weight-buffer words of %" PRId64 " layers (%" PRId64
           " words, at most %" PRId64 " into one column in one beat; %" PRId64
           " layers not checked: more than %d words a beat, or another word size), %" PRId64
           " descriptor-RAM beats, %" PRId64 " record words: all in their cycle at the"
           " reference's place with its data\n", PK_SET, ring_layers, ring_words, ring_skipped,
           PK_RWL, w_layers, w_words, w_max_col, w_skipped, PK_WWL, d_beats, p_words);
    printf("ld2 %s: weight layers not checked for their lanes: up to %" PRId64 " words a beat, %" PRId64
           " into one column\n", PK_SET, w_skip_beat, w_skip_col);
    printf("ld2 %s: WFL %d: %" PRId64 " weight words checked on the code lanes (8 data bits), %"
           PRId64 " layers with a whole word past lane %d (ww_ovf, not checked)\n", PK_SET, PK_WFL,
           w_narrow, w_wide_over, PK_WFL);
    printf("ld2 %s: %" PRId64 " n-tiles start on a code lane past lane %d (ww_ovf)\n", PK_SET,
           late_start, PK_WFL);
    printf("ld2 %s: %" PRId64 " weight words checked on whole lanes 1 .. %d (at most %" PRId64
           " data bits); %" PRId64 " weight layers of a (w_bits, m) the set does not build\n",
           PK_SET, w_late, PK_WFL - 1, w_late_bits, w_mode_skip);
    printf("ld2 %s: zoo: ring words of %" PRId64 " layers, weight-buffer words of %" PRId64
           " layers (at most %" PRId64 " into one column in one beat; %" PRId64
           " not checked); of all layers, ring not checked: %" PRId64
           " layers not pk_ld2a's layout (x-fold), %" PRId64 " of another R / word / AW, %" PRId64
           " over %d words a beat\n", PK_SET, zoo_ring, zoo_w, zoo_max_col, zoo_wskip, ring_not_built,
           ring_other_set, ring_lanes, PK_RWL);
    printf("ld2 %s: x-folded layers %" PRId64 " (ring words checked in %" PRId64 "), global pools %"
           PRId64 " (ring words checked in %" PRId64 "; %" PRId64 " fetch the image once per pass)\n",
           PK_CFG, fold_layers, fold_ring, glob_layers, glob_ring, glob_passes);
    printf("ld2 %s: operand B: %" PRId64 " EW layers with B, %" PRId64 " B rows (requests and b_done"
           " at the model's cycles), B ring words checked in %" PRId64 " layers (%" PRId64
           " words; at most %" PRId64 " B words a beat); %" PRId64 " B fetches wait for their ring"
           " slot (b_free)\n", PK_SET, b_layers, b_rows_n, b_ring_layers, b_words, b_max_beat,
           b_space_waits);
    printf("ld2 %s: IS order: %" PRId64 " layers, %" PRId64 " weight blocks (requests, w_done"
           " at the model's cycles, w_free from the model's steps; %" PRId64 " blocks issue in"
           " the cycle their half is released), weight-buffer words of %" PRId64 " layers (%"
           PRId64 " words, block b in half b mod 2; %" PRId64 " n-tiles start inside a beat)\n",
           PK_SET, is_layers, is_blocks, is_half_waits, is_w_layers, is_words, is_mid);
    printf("ld2 %s: NS order (in the IS counts above): %" PRId64 " layers, %" PRId64
           " weight blocks (%" PRId64 " issue in the cycle the previous block's last step ends),"
           " weight-buffer words of %" PRId64 " layers (%" PRId64 " words, from word 0 of both"
           " halves)\n", PK_SET, ns_layers, ns_blocks, ns_waits, ns_w_layers, ns_words);
    printf("ld2 %s: WB order and channel groups (in the IS counts above): %" PRId64 " layers, %" PRId64
           " A fetches over their passes (requests, a_done at the model's cycles; %" PRId64
           " issue in the cycle their ring slot is released), ring words checked in %" PRId64
           " layers; %" PRId64 " with a resident prefix\n", PK_SET, wb_layers,
           wb_afetch, wb_slot_waits, wb_ring, pre_layers);
    printf("ld2 %s: channel groups (WB or NS, in the counts above): %" PRId64 " layers, ring words"
           " checked in %" PRId64 " (%" PRId64 " words: block b's chunks of each pixel, none past"
           " the pixel)\n", PK_SET, cg_layers, cg_ring, cg_words);
    printf("ld2 %s: channel groups in block slices (CGS, in the counts above): %" PRId64
           " layers, %" PRId64 " A requests (in_w runs a row at the pixel stride), ring words"
           " checked in %" PRId64 " (%" PRId64 " words)\n", PK_SET, cgs_layers, cgs_reqs, cgs_ring,
           cgs_words);
    printf("ld2 %s: weight words checked per (w_bits, m):", PK_SET);
    for (int dw = 0; dw < 2; dw++)
        for (int p = 0; p < 16; p++)
            if (w_pair[dw][p])
                printf(" %s (%d, %d) %" PRId64, dw ? "DW" : "CONV", 1 << (p / 4), 1 << (p % 4),
                       w_pair[dw][p]);
    printf("\n");
    return 0;
}
