// seq2_harness.cpp - the v2 COMPUTE sequencer (rtl_templates/pk_seq2.v)
// against the v2 model's event trace (sim/pk_v2.h pk_v2_timing_trace,
// ARCHITECTURE_V2.md V2-7.3, V2-11).
//
// `seq2_<set> --seeds N` compiles the zoo networks on edge and cloud (as
// many as the set's rows allow: the model's R must equal the RTL's) and N
// seeded random configs with that R (tests/test_v2_random.h), runs the model
// with a trace, and replays every WS layer (operand B: EW layers whose word
// bits are the set's WBITS) through
// pk_seq2: the harness plays the loader (a_done / w_done / b_done count the A
// rows, weight units and B rows whose last beat is written, raised in the
// model's usable cycle D + 1, ring rows RING_WR_LAT later) and POST (bank_free
// in the cycle before each tile's PPU end).  The sequencer's layer constants are the
// descriptor's words (core/pk_v2_consts, V2-11.6); it starts at the model's
// lay_start (V2-7.5).
// Every step must start in the model's cycle, and every tile event must come
// in the model's cycle with the model's fields; every step's tail must last
// the model's cycles, and with operand B its tail_b cycles must be the
// model's bw, reading B words jb0 .. (V2-11.4 item 1).  Prints the first mismatch
// and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

#if !defined(PK_ROWS) || !defined(PK_YW) || !defined(PK_WBITS)
#error "PK_ROWS and PK_YW come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t R = PK_ROWS;
static const int YW = PK_YW; // pk_seq2's A-row count bits (parameter YW)

// An A-row count for a YW-bit port: two's complement in YW bits; a value
// outside them (what the sized width says cannot happen) fails the run.
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

// One layer's replay; false on the first mismatch (printed).  The layer
// constants are the descriptor's words w (what core/pk_v2_consts computed).
static bool replay(Vpk_seq2 *m, const pk_v2_desc_t &d, const uint32_t *w,
                   const std::vector<pk_v2_event_t> &ev, const char *what)
{
    int per_ch = d.uses_params && !d.per_tensor;
    // the loader's completions: A rows and weight units in fetch order
    std::vector<int64_t> a_use, w_use, b_use, steps, tails, frees_at, frees_id;
    std::vector<pk_v2_event_t> tiles;
    int64_t start = 0, end = 0, w_off = 0, nt_next = 0;
    for (const pk_v2_event_t &e : ev) {
        if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_A) {
            if ((int64_t)((e.addr - d.addr_in) % (uint64_t)d.row_bytes) == 0)
                a_use.push_back(0);
            a_use.back() = e.end + 1 + PK_RING_WR_LAT; // ring write FIFOs (V2-11.4 item 4)
        } else if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_B) {
            if ((int64_t)((e.addr - d.addr_res) % (uint64_t)d.b_row_bytes) == 0)
                b_use.push_back(0);
            b_use.back() = e.end + 1 + PK_RING_WR_LAT;
        } else if (e.kind == PK_V2_EV_REQ && e.unit == PK_V2_U_W) {
            if ((int64_t)(e.addr - d.addr_w) == w_off) {
                int64_t nc = d.out_c - nt_next * d.ct < d.ct ? d.out_c - nt_next * d.ct : d.ct;
                w_off += pk_cdiv(d.unit_bytes * nc, d.ct) + (per_ch ? nc * d.rec : 0);
                nt_next++;
                w_use.push_back(0);
            }
            w_use.back() = e.end + 1;
        } else if (e.kind == PK_V2_EV_STEP) {
            steps.push_back(e.cycle);
            tails.push_back(e.tail);
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
            si++;
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
    if (si != steps.size() || ti != tiles.size()) {
        fprintf(stderr, "FAIL %s: %zu of %zu steps, %zu of %zu tiles\n", what, si, steps.size(),
                ti, tiles.size());
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
    if (!n.load(cfgpath, netpath, [](const pk_config_t *c) { return c->array.rows == R; }))
        return true;
    if (!n.trace(what))
        return false;
    size_t k = 0;
    for (int i = 0; i < n.hw->n_layers; i++) {
        std::vector<pk_v2_event_t> lev;
        while (k < n.ev.size() && n.ev[k].layer == i)
            lev.push_back(n.ev[k++]);
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(n.img, i), &d);
        if (d.order != PK_ORDER_WS || d.global)
            continue;
        if (d.b_row_bytes && n.cfg->d.word_bits != PK_WBITS) {  // pk_seq2's WBITS: B's words
            b_other++;
            continue;
        }
        std::string w = std::string(what) + " " + n.hw->layers[i].name;
        if (!replay(m, d, n.words(i).data(), lev, w.c_str()))
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    int seeds = 40;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
    Verilated::commandArgs(argc, argv);
    Vpk_seq2 *m = new Vpk_seq2;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    bool ok = v2_each_network(
        "seq2_" + std::to_string(R) + "_", "rows: " + std::to_string(R) + ",", seeds,
        [&](const char *c, const char *n, const char *w) { return network(m, c, n, w); },
        [] { return layers_run; });
    delete m;
    if (!ok)
        return 1;
    printf("seq2 R=%" PRId64 ": %" PRId64 " WS layers, %" PRId64 " steps and %" PRId64
           " tile events at the model's cycles\n", R, layers_run, steps_run, tiles_run);
    printf("seq2 R=%" PRId64 ": operand B: %" PRId64 " EW layers with B (%" PRId64
           " tails, %" PRId64 " B words, each at the model's index); %" PRId64
           " not run (word bits other than %d)\n", R, b_layers, b_tails, b_words, b_other,
           PK_WBITS);
    return 0;
}
