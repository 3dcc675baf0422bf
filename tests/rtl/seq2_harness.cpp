// seq2_harness.cpp - the v2 COMPUTE sequencer (rtl_templates/pk_seq2.v)
// against the v2 model's event trace (sim/pk_v2.h pk_v2_timing_trace,
// ARCHITECTURE.md V2-7.3, V2-11).
//
// `seq2_<set> --seeds N` compiles the zoo networks on edge and cloud (as
// many as the set's rows allow: the model's R must equal the RTL's) and N
// seeded random configs with that R (tests/test_v2_random.h), runs the model
// with a trace, and replays every WS layer (operand B: EW layers whose word
// bits are the set's WBITS) and every IS, WB and NS layer (V2-5: weight
// blocks of NB n-tiles; channel groups, V2-5 item 2, a pass over the rows per
// block, l_wbo also in NS, as pk_core2 drives it) through
// pk_seq2: the harness plays the loader (a_done / w_done / b_done count the A
// rows, weight units and B rows whose last beat is written, raised in the
// model's usable cycle D + 1, ring rows RING_WR_LAT later) and POST (bank_free
// in the cycle before each tile's PPU end).  The sequencer's layer constants are the
// descriptor's words (core/pk_v2_consts, V2-11.6); it starts at the model's
// lay_start (V2-7.5).
// Every step must start in the model's cycle, and every tile event must come
// in the model's cycle with the model's fields; every step's tail must last
// the model's cycles, and with operand B its tail_b cycles must be the
// model's bw, reading B words jb0 .. (V2-11.4 item 1).  At every step's first
// k-step the accumulator bank must be the model's and the weight-buffer place
// (w_nt, w_half: the n-tile within its block and the block's half, V2-3.2)
// that of the model's tile; in every cycle a_free and w_free (V2-11.4 item 6)
// must equal what the model's loop nest says: the A fetches, and the weight
// runs (WS n-tiles, IS blocks), whose last reading step has ended (rows of a
// step from the descriptor's geometry as sim/pk_v2.c gen_rows; a_free is not
// checked after the layer's last step: no fetch of the layer is left to gate).
// The exports to pk_core2's glue: in every k-step and tail cycle s_nt_last /
// s_mt_last must say whether the step's tile is of the layer's last n-tile /
// its block's last pixel tile, and in every cycle blk_end must be high
// exactly in the last cycle of an IS block's last step (the model's tile of
// the block's last n-tile in its last pixel tile).
// Prints the first mismatch and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_seq2.h"
#include "verilated.h"

extern "C" {
#include "pk_contract.h"
#include "pk_imath.h"
#include "pk_v2desc.h"
}
#include "v2_nets.h"

#if !defined(PK_ROWS) || !defined(PK_YW) || !defined(PK_WBITS) || !defined(PK_RA) || !defined(PK_CA)
#error "PK_ROWS and PK_YW come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t R = PK_ROWS;
static const int YW = PK_YW; // pk_seq2's A-row count bits (parameter YW)
static const int RA = PK_RA; // pk_seq2's RA: l_rm, l_ox1, l_rde are RA + 1, RA, RA + 4 bits
static const int CA = PK_CA; // pk_seq2's CA: l_ct, l_nc_last are CA + 1 bits (C <= 2^CA)
static int64_t cfg_wide;     // configs of C > 2^CA skipped

// An A-row count for a YW-bit port: two's complement in YW bits; a value
// outside them (what the sized width says cannot happen) fails the run.
// a field of a port narrower than the descriptor's: the value must fit (pk_par2's sized
// register, PK_PAR2_FIELDS, holds no more; pk_v2_rtl_supported refuses a layer otherwise)
static bool port_fits(int64_t v, int bits, const char *field, const char *what)
{
    if (v < 0 || v >= ((int64_t)1 << bits)) {
        fprintf(stderr, "FAIL %s: %s = %" PRId64 " does not fit pk_seq2's %d-bit port\n", what,
                field, v, bits);
        return false;
    }
    return true;
}

static bool yw_fits(int64_t v, const char *field, const char *what, uint32_t *out)
{
    int64_t lo = -((int64_t)1 << (YW - 1)), hi = ((int64_t)1 << (YW - 1)) - 1;
    if (v < lo || v > hi) {
        fprintf(stderr, "FAIL %s: %s = %" PRId64 " does not fit YW = %d bits\n", what, field, v,
                YW);
        return false;
    }
    *out = (uint32_t)((uint64_t)v & (((uint64_t)1 << YW) - 1));
    return true;
}


static void tick(Vpk_seq2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

static int64_t layers_run, steps_run, tiles_run, b_layers, b_tails, b_words, b_other;
static int64_t is_layers, is_steps, is_blocks, free_checks, other_orders, blk_ends, last_checks;
static int64_t pre_layers;  // WB with a resident prefix (--prefix 0)
static int64_t wb_layers, wb_steps, wb_blocks, wb_afetch, cgroup_layers, cgroup_blocks;
static int64_t ns_layers, ns_steps, ns_blocks, ns_pass_layers;

// The loop nest's releases (V2-11.4 item 6), from the model's tiles (one step
// a tile outside global pools): afree[i] / wfree[i] = the A fetches / weight
// runs whose last reading step is step i or earlier.  A fetch is a needed row
// (sim/pk_v2.c mark_needed) in ascending order (one pass: WS and IS; WB and
// channel groups, also in NS, one pass a block, fetch b * nf + the row's
// index in block b); step i reads the
// needed rows of its pixel tile (gen_rows); its weight run is its n-tile (WS)
// or its block (IS, WB).  With a resident prefix (descriptor PRE = P > 0, V2-5 item 3) the
// prefix rows (fetches 0 .. P - 1, never released) are not counted and pass b >= 1 fetches rows
// >= P only: row y >= P of pass b is the released fetch b * (nf - P) + y's index - P (pk_seq2's
// a_free: the loader's slot rule, V2-11.4 item 12).
static void releases(const pk_v2_desc_t &d, bool cg, const std::vector<pk_v2_event_t> &tiles,
                     std::vector<int64_t> &afree, std::vector<int64_t> &wfree)
{
    std::vector<int64_t> fetch_of((size_t)d.in_h, -1);
    int64_t nf = 0;
    for (int64_t y = 0; y < d.in_h; y++)
        for (int64_t i = 0; i < d.kh; i++) {
            int64_t t = y + d.pad - i;
            if (t >= 0 && t % d.s == 0 && t / d.s < d.out_h) {
                fetch_of[(size_t)y] = nf++;
                break;
            }
        }
    bool is = d.order == PK_ORDER_IS || d.order == PK_ORDER_WB || d.order == PK_ORDER_NS;
    int64_t runs = is ? pk_cdiv(d.nt, d.nb) : d.nt;
    int64_t passes = pk_v2_desc_passes(&d, cg) ? runs : 1;  // channel groups, NS with passes too
    int64_t P = d.pre, nfp = nf - P;  // (flat: every row needed, fetch_of[y] = y)
    std::vector<int64_t> a_last((size_t)(nfp * passes), -1), w_last((size_t)runs, -1);
    for (size_t i = 0; i < tiles.size(); i++) {
        int64_t oy0 = tiles[i].p0 / d.out_w;
        int64_t oy1 = std::min((tiles[i].p0 + R - 1) / d.out_w, d.out_h - 1);
        int64_t y0 = std::max<int64_t>(0, oy0 * d.s - d.pad);
        int64_t y1 = std::min(d.in_h - 1, oy1 * d.s + d.kh - 1 - d.pad);
        int64_t nt = tiles[i].c0 / d.ct;
        int64_t pass = passes > 1 ? nt / d.nb : 0;
        for (int64_t y = y0; y <= y1; y++)
            if (fetch_of[(size_t)y] >= P)
                a_last[(size_t)(pass * nfp + fetch_of[(size_t)y] - P)] = (int64_t)i;
        w_last[(size_t)(is ? nt / d.nb : nt)] = (int64_t)i;
    }
    afree.assign(tiles.size(), 0);
    wfree.assign(tiles.size(), 0);
    for (size_t i = 0; i < tiles.size(); i++) {
        int64_t a = 0, w = 0;
        while (a < nfp * passes && a_last[(size_t)a] <= (int64_t)i)
            a++;
        while (w < runs && w_last[(size_t)w] <= (int64_t)i)
            w++;
        afree[i] = a;
        wfree[i] = w;
    }
}

// One layer's replay; false on the first mismatch (printed).  The layer
// constants are the descriptor's words w (what core/pk_v2_consts computed).
static bool replay(Vpk_seq2 *m, const pk_v2_desc_t &d, const uint32_t *w,
                   const std::vector<pk_v2_event_t> &ev, bool cg, const char *what)
{
    int per_ch = d.uses_params && !d.per_tensor;
    // the loader's completions: A rows and weight units in fetch order
    std::vector<int64_t> a_use, w_use, b_use, steps, tails, frees_at, frees_id;
    std::vector<pk_v2_event_t> tiles;
    std::vector<int64_t> step_bank, step_end;
    bool is = d.order == PK_ORDER_IS || d.order == PK_ORDER_WB ||
              d.order == PK_ORDER_NS;  // weight blocks
    bool wb = d.order == PK_ORDER_WB || pk_v2_desc_ns_passes(&d);  // a pass per block
    bool ns = d.order == PK_ORDER_NS;  // a block's units in both halves (w_half 0)
    // channel groups (V2-5 item 2): a pass over the rows per block, also in NS (pk_core2's
    // l_wbo = WB || cgroups)
    // a weight run: WS one n-tile's unit, IS / WB one block of NB units (one DRAM run)
    int64_t run_nt = is ? d.nb : 1;
    int64_t start = 0, end = 0, w_off = 0, nt_next = 0;
    // an A fetch's bytes: the row, or in_w slices (a global pool's channel slices, V2-4.4;
    // channel groups in block slices, CGS, V2-5 item 2: a block's run starts at b * SB, not at
    // the row's first byte), so a fetch is counted by its bytes
    int64_t a_unit = d.gsl ? d.in_w * d.gs_bytes
                     : d.cgs ? d.in_w * (d.nb * d.ct * d.a_bits / 8) : d.row_bytes, a_off = 0;
    for (const pk_v2_event_t &e : ev) {
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_A) {
            if (a_off == 0)
                a_use.push_back(0);
            a_use.back() = e.end + 1 + PK_RING_WR_LAT; // ring write FIFOs (V2-11.4 item 4)
            a_off = (a_off + e.len) % a_unit;
        } else if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_B) {
            if ((int64_t)((e.addr - d.addr_res) % (uint64_t)d.b_row_bytes) == 0)
                b_use.push_back(0);
            b_use.back() = e.end + 1 + PK_RING_WR_LAT;
        } else if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_W) {
            if ((int64_t)(e.addr - d.addr_w) == w_off) {
                for (int64_t n = 0; n < run_nt && nt_next < d.nt; n++, nt_next++) {
                    int64_t nc = std::min(d.ct, d.out_c - nt_next * d.ct);
                    w_off += pk_cdiv(d.unit_bytes * nc, d.ct) + (per_ch ? nc * d.rec : 0);
                }
                w_use.push_back(0);
            }
            w_use.back() = e.end + 1;
        } else if (e.kind == PK_V2_EV_STEP) {
            steps.push_back(e.cycle);
            tails.push_back(e.tail);
            step_bank.push_back(e.bank);
            step_end.push_back(e.end);
        } else if (e.kind == PK_V2_EV_TILE) {
            tiles.push_back(e);
            frees_at.push_back(e.end - 1);
            frees_id.push_back(e.bank);
        } else if (e.kind == PK_V2_EV_LAYER) {
            start = e.ps; // lay_start (V2-7.5)
            end = e.end;
        }
    }
    // the layer constants: the descriptor's plan fields and engine constants
#define D2(F) pk_desc2_get(w, PK_D2_##F)
    m->l_mt = D2(MT);
    m->l_nt = D2(NT);
    m->l_is = is;
    m->l_wbo = wb || cg;
    m->l_ns = ns;
    m->l_nb = D2(NB);
    m->l_ks = D2(KS);
    m->l_tail = D2(RW);
    m->l_ct = D2(CT);
    m->l_nc_last = D2(NC_LAST);
    m->l_nr_last = D2(NR_LAST);
    m->l_nw = D2(NW);
    m->l_out_w = pk_desc_get(w, PK_DF_OUT_W);
    m->l_rm = D2(R_MOD_OW);
    m->l_ox1 = D2(OX1);
    m->l_e = D2(E_ROWS);
    m->l_kh = pk_desc_get(w, PK_DF_KH);
    m->l_pre = D2(PRE);
    if (!port_fits(D2(CT), CA + 1, "CT", what) || !port_fits(D2(NC_LAST), CA + 1, "NC_LAST", what) ||
        !port_fits(D2(R_MOD_OW), RA + 1, "R_MOD_OW", what) || !port_fits(D2(OX1), RA, "OX1", what) ||
        !port_fits(D2(E_ROWS), 4, "E_ROWS", what) || !port_fits(D2(RDE), RA + 4, "RDE", what))
        return false;
    uint32_t na, f0, rde;
    if (!yw_fits((int64_t)D2(NA), "NA", what, &na) ||
        !yw_fits((int64_t)(int32_t)D2(F0), "F0", what, &f0) ||
        !yw_fits((int64_t)D2(RDE), "RDE", what, &rde))
        return false;
    m->l_na = na;
    m->l_f0 = f0;
    m->l_rde = rde;
    m->l_has_b = d.b_row_bytes > 0;
    m->l_rlog = d.r_bits == 1 ? 0 : d.r_bits == 2 ? 1 : d.r_bits == 4 ? 2 : 3;
#undef D2
    bool no_w = w_use.empty();
    if (!no_w && (int64_t)w_use.size() != (is ? pk_cdiv(d.nt, d.nb) : d.nt)) {
        fprintf(stderr, "FAIL %s: %zu weight runs in the trace\n", what, w_use.size());
        return false;
    }
    std::vector<int64_t> afree, wfree;
    if (tiles.size() != steps.size()) {
        fprintf(stderr, "FAIL %s: %zu steps, %zu tiles (one step a tile)\n", what,
                steps.size(), tiles.size());
        return false;
    }
    releases(d, cg, tiles, afree, wfree);
    // the last cycles of the IS blocks' last steps (blk_end), and each step's
    // n-tile / pixel tile: the layer's last, the block's last
    std::vector<int64_t> blk_at;
    std::vector<bool> nt_last(steps.size()), mt_last(steps.size());
    for (size_t s = 0; s < steps.size(); s++) {
        int64_t nt = tiles[s].c0 / d.ct;
        nt_last[s] = nt + 1 >= d.nt;
        mt_last[s] = tiles[s].p0 / R + 1 >= d.mt;
        if (is && mt_last[s] && (nt % d.nb == d.nb - 1 || nt_last[s]))
            blk_at.push_back(step_end[s] - 1);
    }
    size_t bki = 0;
    size_t ei = 0; // steps ended before this cycle
    size_t ai = 0, wi = 0, bi = 0, fi = 0, si = 0, ti = 0;
    std::vector<int64_t> g_tail(steps.size()), g_bw(steps.size()), g_jb(steps.size(), -1);
    for (int64_t x = start; x <= end + 2; x++) {
        while (ai < a_use.size() && a_use[ai] <= x)
            ai++;
        while (wi < w_use.size() && w_use[wi] <= x)
            wi++;
        while (bi < b_use.size() && b_use[bi] <= x)
            bi++;
        m->b_done = (uint16_t)bi;
        m->a_done = (uint32_t)ai; // ai <= NA, which fits
        m->w_done = no_w ? 0xFFFF : wi;
        m->bank_free = fi < frees_at.size() && frees_at[fi] == x;
        m->bank_free_id = m->bank_free ? frees_id[fi] : 0;
        if (m->bank_free)
            fi++;
        m->start = x == start;
        m->eval();
        if (m->k_first) {
            if (si >= steps.size() || steps[si] != x) {
                fprintf(stderr, "FAIL %s: step %zu starts at %" PRId64 ", model %" PRId64 "\n",
                        what, si, x, si < steps.size() ? steps[si] : -1);
                return false;
            }
            // the step's bank and weight-buffer place: the model's tile si
            int64_t nt = tiles[si].c0 / d.ct;
            int64_t wnt = is ? nt % d.nb : nt, half = is && !ns ? (nt / d.nb) % 2 : 0;
            if (m->k_bank != step_bank[si] || m->w_nt != wnt || m->w_half != half) {
                fprintf(stderr, "FAIL %s: step %zu: bank %u, w_nt %u, w_half %u; model %" PRId64
                        ", %" PRId64 ", %" PRId64 "\n", what, si, m->k_bank, m->w_nt,
                        m->w_half, step_bank[si], wnt, half);
                return false;
            }
            si++;
        }
        // the releases after the steps ended so far (a step's counters change at
        // the edge ending its last cycle, end - 1: visible from cycle end)
        while (ei < step_end.size() && step_end[ei] <= x)
            ei++;
        if (x > start) {  // (start resets them at its edge)
            int64_t wa = ei ? afree[ei - 1] : 0, ww = ei ? wfree[ei - 1] : 0;
            if ((ei < steps.size() && m->a_free != wa) || (!no_w && m->w_free != ww)) {
                fprintf(stderr, "FAIL %s: cycle %" PRId64 " after %zu steps: a_free %u, w_free %u;"
                        " model %" PRId64 ", %" PRId64 "\n", what, x, ei, m->a_free, m->w_free,
                        wa, ww);
                return false;
            }
            free_checks++;
        }
        bool want_blk = bki < blk_at.size() && blk_at[bki] == x;
        if (m->blk_end != want_blk) {
            fprintf(stderr, "FAIL %s: cycle %" PRId64 ": blk_end %u, model %d (block end %zu at %"
                    PRId64 ")\n", what, x, m->blk_end, want_blk, bki,
                    bki < blk_at.size() ? blk_at[bki] : -1);
            return false;
        }
        if (want_blk) {
            bki++;
            blk_ends++;
        }
        if ((m->k_valid || m->tail_valid) && si > 0 && si <= steps.size()) {  // step si - 1
            if (m->s_nt_last != nt_last[si - 1] || m->s_mt_last != mt_last[si - 1]) {
                fprintf(stderr, "FAIL %s: cycle %" PRId64 ", step %zu: s_nt_last %u, s_mt_last %u;"
                        " model %d, %d\n", what, x, si - 1, m->s_nt_last, m->s_mt_last,
                        (int)nt_last[si - 1], (int)mt_last[si - 1]);
                return false;
            }
            last_checks++;
        }
        if (m->tail_valid && si > 0 && si <= steps.size()) {  // the tail of step si - 1
            g_tail[si - 1]++;
            if (m->tail_b) {
                if (g_bw[si - 1]++ == 0)
                    g_jb[si - 1] = (int64_t)m->tail_jb;
                else if ((int64_t)m->tail_jb != g_jb[si - 1] + g_bw[si - 1] - 1) {
                    fprintf(stderr, "FAIL %s: step %zu: tail B word %u, expected %" PRId64 "\n",
                            what, si - 1, m->tail_jb, g_jb[si - 1] + g_bw[si - 1] - 1);
                    return false;
                }
            }
        }
        if (m->tile_valid) {
            const pk_v2_event_t *t = ti < tiles.size() ? &tiles[ti] : nullptr;
            if (!t || t->cycle != x || (int64_t)m->tile_p0 != t->p0 ||
                (int64_t)m->tile_nr != t->nr || (int64_t)m->tile_c0 != t->c0 ||
                (int64_t)m->tile_nc != t->nc || m->tile_bank != t->bank ||
                m->tile_open != t->open || m->tile_close != t->close || m->tile_last != t->last) {
                fprintf(stderr,
                        "FAIL %s: tile %zu at %" PRId64 ": p0 %u nr %u c0 %u nc %u bank %u"
                        " open %u close %u last %u; model at %" PRId64 ": p0 %" PRId64
                        " nr %" PRId64 " c0 %" PRId64 " nc %" PRId64 " bank %" PRId64
                        " open %d close %d last %d\n",
                        what, ti, x, m->tile_p0, m->tile_nr, m->tile_c0, m->tile_nc,
                        m->tile_bank, m->tile_open, m->tile_close, m->tile_last,
                        t ? t->cycle : -1, t ? t->p0 : -1, t ? t->nr : -1, t ? t->c0 : -1,
                        t ? t->nc : -1, t ? t->bank : -1, t ? t->open : -1, t ? t->close : -1,
                        t ? t->last : -1);
                return false;
            }
            ti++;
        }
        tick(m);
    }
    m->start = 0;
    if (si != steps.size() || ti != tiles.size() || bki != blk_at.size()) {
        fprintf(stderr, "FAIL %s: %zu of %zu steps, %zu of %zu tiles, %zu of %zu block ends\n",
                what, si, steps.size(), ti, tiles.size(), bki, blk_at.size());
        return false;
    }
    // the tails: the model's length; with B, bw B words from jb0 (WS: step s is tile s)
    for (size_t s = 0; s < steps.size(); s++) {
        int64_t bw = 0, jb0 = -1;
        if (d.b_row_bytes && s < tiles.size()) {
            bw = pk_v2_tail_cycles(0, 1, tiles[s].c0, tiles[s].nc, d.r_bits, PK_WBITS / 8);
            jb0 = tiles[s].c0 * d.r_bits / PK_WBITS;
        }
        if (g_tail[s] != tails[s] || g_bw[s] != bw || (bw && g_jb[s] != jb0)) {
            fprintf(stderr, "FAIL %s: step %zu: tail %" PRId64 " cycles, %" PRId64
                    " B words from %" PRId64 "; model %" PRId64 ", %" PRId64 " from %" PRId64 "\n",
                    what, s, g_tail[s], g_bw[s], g_jb[s], tails[s], bw, jb0);
            return false;
        }
        b_words += bw;
    }
    cgroup_layers += cg;
    cgroup_blocks += cg ? (int64_t)pk_cdiv(d.nt, d.nb) : 0;
    ns_pass_layers += pk_v2_desc_ns_passes(&d);
    if (wb) {
        wb_layers++;
        pre_layers += d.pre > 0;
        wb_steps += (int64_t)si;
        wb_blocks += (int64_t)w_use.size();
        wb_afetch += (int64_t)a_use.size();
    } else if (ns) {
        ns_layers++;
        ns_steps += (int64_t)si;
        ns_blocks += (int64_t)w_use.size();
    } else if (is) {
        is_layers++;
        is_steps += (int64_t)si;
        is_blocks += (int64_t)w_use.size();
    }
    b_layers += d.b_row_bytes > 0;
    b_tails += d.b_row_bytes > 0 ? (int64_t)steps.size() : 0;
    layers_run++;
    steps_run += (int64_t)si;
    tiles_run += (int64_t)ti;
    return true;
}

// One network on one config; false on a mismatch (a network the model
// cannot map here, or of another R, is skipped).
static bool network(Vpk_seq2 *m, const char *cfgpath, const char *netpath, const char *what)
{
    V2Net n;
    bool wide = false;
    if (!n.load(cfgpath, netpath, [&wide](const pk_config_t *c) {
            wide = c->array.rows == R && c->array.cols > ((int64_t)1 << CA);
            return c->array.rows == R && !wide;
        })) {
        cfg_wide += wide;
        return true;
    }
    if (!n.trace(what))
        return false;
    size_t k = 0;
    for (int i = 0; i < n.hw->n_layers; i++) {
        std::vector<pk_v2_event_t> lev;
        while (k < n.ev.size() && n.ev[k].layer == i)
            lev.push_back(n.ev[k++]);
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(n.img, i), &d);
        if (d.order != PK_ORDER_WS && d.order != PK_ORDER_IS && d.order != PK_ORDER_WB &&
            d.order != PK_ORDER_NS) {
            other_orders++;  // KC: not built
            continue;
        }
        if (d.global)
            continue;
        if (d.b_row_bytes && n.cfg->d.word_bits != PK_WBITS) {  // pk_seq2's WBITS: B's words
            b_other++;
            continue;
        }
        std::string w = std::string(what) + " " + n.hw->layers[i].name;
        if (!replay(m, d, n.words(i).data(), lev,
                    pk_v2_desc_cgroups(&d, n.cfg->array.lanes, n.cfg->d.slot_bits), w.c_str()))
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    int seeds = 40;
    const char *xcfg = nullptr, *xnet = nullptr;  // --net CFG NET: this network only
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--prefix"))
            v2_plan_prefix = atoi(argv[i + 1]);  // the plan's prefix option (0: the rule)
        else if (!strcmp(argv[i], "--nspass"))
            v2_plan_nspass = atoi(argv[i + 1]);  // the plan's nspass option (-1: plain WB)
        else if (!strcmp(argv[i], "--net") && i + 2 < argc)
            xcfg = argv[i + 1], xnet = argv[i + 2], i++;
    Verilated::commandArgs(argc, argv);
    Vpk_seq2 *m = new Vpk_seq2;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = xnet ? network(m, xcfg, xnet, xnet) && layers_run > 0 : v2_each_network(
        "seq2_" + std::to_string(R) + "_", "rows: " + std::to_string(R) + ",", seeds,
        [&](const char *c, const char *n, const char *w) { return network(m, c, n, w); },
        [] { return layers_run; });
    delete m;
    if (!ok)
        return 1;
    printf("seq2 R=%" PRId64 ": %" PRId64 " WS, IS, WB and NS layers, %" PRId64 " steps and %" PRId64
           " tile events at the model's cycles; a_free / w_free in %" PRId64 " cycles\n", R,
           layers_run, steps_run, tiles_run, free_checks);
    printf("seq2 R=%" PRId64 ": IS: %" PRId64 " layers, %" PRId64 " steps, %" PRId64
           " weight blocks (blk_end at the model's %" PRId64 " in IS and WB); %" PRId64
           " layers of other orders (KC) not run\n", R, is_layers, is_steps, is_blocks, blk_ends,
           other_orders);
    printf("seq2 R=%" PRId64 ": channel groups: %" PRId64 " of the WB and NS layers, %" PRId64
           " blocks (a pass each)\n", R, cgroup_layers, cgroup_blocks);
    printf("seq2 R=%" PRId64 ": WB: %" PRId64 " layers, %" PRId64 " steps, %" PRId64
           " weight blocks (passes), %" PRId64 " A fetches; %" PRId64 " with a resident prefix; %"
           PRId64 " of them NS with passes\n",
           R, wb_layers, wb_steps, wb_blocks, wb_afetch, pre_layers, ns_pass_layers);
    printf("seq2 R=%" PRId64 ": NS: %" PRId64 " layers, %" PRId64 " steps, %" PRId64
           " weight blocks\n", R, ns_layers, ns_steps, ns_blocks);
    printf("seq2 R=%" PRId64 " CA=%d: %" PRId64 " networks of a config with C > 2^CA skipped\n", R,
           CA, cfg_wide);
    printf("seq2 R=%" PRId64 ": s_nt_last / s_mt_last in %" PRId64 " k-step and tail cycles\n",
           R, last_checks);
    printf("seq2 R=%" PRId64 ": operand B: %" PRId64 " EW layers with B (%" PRId64
           " tails, %" PRId64 " B words, each at the model's index); %" PRId64
           " not run (word bits other than %d)\n", R, b_layers, b_tails, b_words, b_other,
           PK_WBITS);
    return 0;
}
