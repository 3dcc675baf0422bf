// post2_harness.cpp - the v2 POST engine (rtl_templates/pk_post2.v) against
// the exact timing of ARCHITECTURE.md V2-7.4 / V2-11.3 and the arithmetic
// of QUANT.md.
//
// `post2_<set> --n N --seed S` runs N random layers back to back through one
// pk_post2: each layer draws its output width, channels, channel tile, group
// size nw (<= fit, V2-3.3), concat slice, pixels (or a global pool's chunks),
// post-processing switches, compact records (packed by the compiler's
// pk_v2_record_pack, per tensor or per channel) and operand-B pixels (EW).
// A COMPUTE stand-in schedules the tiles (each starts after the previous
// tile and after its bank's release, random durations and gaps, records and
// B words in the tail cycles before E_comp, accumulators written at its
// start) using the release cycles of the reference.  The reference restates
// the cycle model's POST (sim/pk_v2.c post_tile; pk_v2.c has no trace hook
// yet, so its events are not read from it) with the shared pk_v2_ppu_cycles
// (pk_v2_ppu_pool_cycles for a global pool: rows packed, V2-7.4) and
// pk_v2_tail_cycles, and stands in for pk_array's packed read port:
//   P_S = max(E_comp + ARRAY_LAT, P_E(prev), opens ? W_E(g - 2) : -inf),
//   P_E = P_S + ppu, bank_free in P_E - 1,
//   beat j of group g in max(W_E(g - 1), P_E + PPU_LAT) + j,
// and codes from pk_q_ppu.  Every write beat (cycle, address, data, strobe),
// every bank release (cycle, bank), lay_done's cycle and the layer's counter
// sums must match; the first difference is printed with the layer, exit 1.
// The run also prints what the writer's planar row ends (pk_post2 g_wpl, PL >= 2)
// met: the beats with 1, 2, .. staging row ends inside a run (S = l_rowbits / 8
// bytes a row: a whole group's rows or a byte-aligned global pool's chunks; at
// R = 2 never more than one) and the rows of a group whose plane wraps to 0
// (PL < R, set r5c6p3).
// `--stall PCT` drops wr_ready in PCT% of the cycles: COMPUTE then follows
// the RTL's bank releases and beats are compared without their cycles.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_post2.h"
#include "verilated.h"
#include "harness_bits.h"
#include "harness_rng.h"

extern "C" {
#include "pk_compile_v2.h"
#include "pk_contract.h"
#include "pk_plan.h"
#include "pk_quant.h"
}

#ifndef PK_ROWS
#error "PK_ROWS and the other PK_* values come from tests/rtl/CMakeLists.txt"
#endif
#ifndef PK_ACT_MASK
#define PK_ACT_MASK 63                  // the activation modes built (pk_post2's ACT_MASK)
#endif

static const int R = PK_ROWS, C = PK_COLS, PL = PK_PL, WBITS = PK_LANES * PK_SLOT_BITS,
                 WB = WBITS / 8, ACC = PK_ACC_BITS, PB = PK_PB, MB = PK_MB;
static const int REC_WORDS = WB >= 16 ? 1 : 16 / WB;
static const int B_WORDS = ((8 * C + WBITS - 1) / WBITS > 1 ? (8 * C + WBITS - 1) / WBITS : 1) + 1;
static const int ARRAY_LAT = PK_V2_ARRAY_LAT, PPU_LAT = PK_PPU_LAT;
// the PPU widths every set uses (edge.yaml's), as -G in CMakeLists.txt
static const pk_q_widths_t WID = {ACC, PK_P_BITS, 8, 24, 5, 8, 5, 8, 4, 4};

static int log2i(int v) { return v == 1 ? 0 : v == 2 ? 1 : v == 4 ? 2 : 3; }
static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static void bput(std::vector<uint8_t> &v, int64_t bit, int n, uint32_t x)
{
    for (int b = 0; b < n; b++)
        if ((x >> b) & 1)
            v[(size_t)((bit + b) / 8)] |= (uint8_t)(1u << ((bit + b) % 8));
}
static uint32_t bget(const std::vector<uint8_t> &v, int64_t bit, int n)
{
    uint32_t x = 0;
    for (int b = 0; b < n; b++)
        x |= (uint32_t)((v[(size_t)((bit + b) / 8)] >> ((bit + b) % 8)) & 1) << b;
    return x;
}

struct Tile {
    int bank, nr, c0, nc, open, close, last;
    int64_t p0, s, e;       // COMPUTE start and E_comp
    int64_t gap, dur;       // start after the earliest cycle allowed; duration
    int rw, bw, jb0;        // tail words
};
struct Beat {
    int64_t cyc;
    uint32_t addr;
    std::vector<uint8_t> data; // PB bytes, 0 where the strobe is 0
    uint32_t strb;
};
struct Layer {
    int glob, ob, ol, oc, ct, nw, oct, ocb, M, kind, res, pt, rec_bytes, rb;
    int mul;  // a channel-wise multiply (res_mul, V2-6.1): every row's B code is pixel 0's
    uint32_t addr, ps;
    pk_q_ppu_cfg_t q;
    pk_hwlayer_t h;
    std::vector<std::vector<uint8_t>> recs;   // per channel (or [0]: per tensor), REC_WORDS * WB
    std::vector<std::vector<uint8_t>> bpix;   // operand-B pixel bytes
    std::vector<Tile> tiles;
    std::vector<std::vector<int64_t>> acc;    // per tile, R * C
};

static pk_config_t g_cfg;

static void pick_records(Rng &rg, Layer &L)
{
    memset(&L.h, 0, sizeof L.h);
    L.h.qn_en = L.q.qn_en;
    L.h.rq_en = L.q.rq_en;
    L.h.act = L.q.act_mode;
    L.h.uses_params = L.q.qn_en || L.q.rq_en || L.q.act_mode >= 3;
    L.rec_bytes = (int)pk_v2_record_bytes(&L.h, &g_cfg);
    int n = L.h.uses_params ? (L.pt ? 1 : L.oc) : 0;
    for (int i = 0; i < n; i++) {
        pk_chan_params_t p;
        p.m = (int32_t)rg.in(-128, 127);
        p.s = (int32_t)rg.in(0, 9);
        p.b = (int32_t)rg.in(-5000, 5000);
        p.M = (int32_t)rg.in(0, 255);
        p.E = (int32_t)rg.in(0, 10);
        p.an = (int32_t)rg.in(-128, 127);
        p.ap = (int32_t)rg.in(-128, 127);
        p.g = (int32_t)rg.in(-300, 300);
        p.z = (int32_t)rg.in(-300, 300);
        std::vector<uint8_t> r((size_t)(REC_WORDS * WB), 0);
        pk_v2_record_pack(&L.h, &g_cfg, &p, r.data());
        L.recs.push_back(r);
    }
}

static Layer pick_layer(Rng &rg)
{
    Layer L;
    L.glob = rg.chance(20);
    L.ob = 1 << rg.in(0, 3);
    L.ol = log2i(L.ob);
    L.kind = L.glob ? 3 : (rg.chance(50) ? 4 : 0);
    L.res = L.kind == 4 && rg.chance(70);
    memset(&L.q, 0, sizeof L.q);
    L.q.w = WID;
    L.q.qn_en = rg.chance(60);
    // a channel-wise multiply (V2-6.1): decode(B) of the one gate pixel, bpix[0], is the
    // QuantNorm multiplier (pk_q_ppu_mul), so QuantNorm is on (its record's bias and shift)
    L.mul = L.res && rg.chance(40);
    if (L.mul)
        L.q.qn_en = 1;
    L.q.rq_en = rg.chance(60);
    L.q.res_en = L.res;
    L.q.act_mode = (int)rg.in(0, 5);
    // a mode the set's ACT_MASK does not build (pk_ppu: none) is drawn again; at ACT_MASK
    // 63 (every set but the _a* ones) the draws are as before
    while (L.q.act_mode != 0 && !((PK_ACT_MASK >> L.q.act_mode) & 1))
        L.q.act_mode = (int)rg.in(0, 5);
    L.q.act_shift = (int)rg.in(0, 15);
    L.q.r_shift = (int)rg.in(0, 15);
    L.q.r_bits = 1 << rg.in(0, 3);
    L.q.r_signed = (int)rg.in(0, 1);
    L.q.clip_lo = (int)rg.in(-200, 0);
    L.q.clip_hi = (int)rg.in(0, 200);
    L.q.out_bits = L.ob;
    L.q.out_signed = (int)rg.in(0, 1);
    L.q.round = (int)rg.in(0, 1);
    L.pt = L.glob || rg.chance(30);
    L.ct = (int)rg.in(1, C);
    bool aligned = (L.ct * L.ob) % 8 == 0;
    int opb = (int)cdiv(L.ct * L.ob, 8), fit = 8 * C / opb;
    if (L.glob) {
        int passes = (int)rg.in(1, aligned || (R * L.ct * L.ob) % 8 == 0 ? 3 : 1);
        L.oc = (int)rg.in((passes - 1) * R * L.ct + 1, passes * R * L.ct);
        L.nw = 1;
    } else {
        int ntmax = aligned ? 5 : (fit < 5 ? fit : 5);
        L.oc = (int)rg.in(1, ntmax * L.ct);
        int nt = (int)cdiv(L.oc, L.ct), hi = nt < fit ? nt : fit;
        L.nw = aligned ? (int)rg.in(1, hi) : nt;
    }
    L.oct = 0;
    L.ocb = 0;
    if (rg.chance(25)) {
        int extra = (int)rg.in(0, 20);
        L.oct = L.oc + extra;
        L.ocb = 8 * (int)rg.in(0, extra / 8);
    }
    L.M = L.glob ? 1 : (int)rg.in(1, 3 * R + 2);
    L.addr = (uint32_t)rg.in(0, 1 << 20);
    L.ps = (uint32_t)cdiv((int64_t)(L.oct ? L.oct : L.oc) * L.ob, 8);
    L.rb = (int)cdiv((int64_t)L.oc * L.q.r_bits, 8) + 2 * WB;
    pick_records(rg, L);
    for (int p = 0; p < (L.res ? L.M : 0); p++) {
        std::vector<uint8_t> b((size_t)L.rb);
        for (auto &x : b)
            x = (uint8_t)rg.next();
        L.bpix.push_back(b);
    }
    // tiles in loop order: pixel tile, then n-tiles (global pool: passes)
    int nt = L.glob ? 1 : (int)cdiv(L.oc, L.ct);
    int chunks = (int)cdiv(L.oc, L.ct);
    int mt = L.glob ? (int)cdiv(chunks, R) : (int)cdiv(L.M, R);
    for (int m = 0; m < mt; m++)
        for (int n = 0; n < nt; n++) {
            Tile t;
            memset(&t, 0, sizeof t);
            t.bank = (int)(L.tiles.size() % 2);
            t.p0 = L.glob ? 0 : (int64_t)m * R;
            t.nr = L.glob ? std::min(R, chunks - m * R) : std::min(R, L.M - m * R);
            t.c0 = L.glob ? m * R * L.ct : n * L.ct;
            t.nc = L.glob ? L.ct : std::min(L.ct, L.oc - n * L.ct);
            t.open = L.glob || n % L.nw == 0;
            t.close = L.glob || n == nt - 1 || (n + 1) % L.nw == 0;
            t.last = m == mt - 1 && n == nt - 1;
            t.rw = L.h.uses_params && !L.pt ? (int)cdiv(L.rec_bytes, WB) : 0;
            t.jb0 = t.c0 * L.q.r_bits / WBITS;
            t.bw = L.res ? (int)pk_v2_tail_cycles(0, 1, t.c0, t.nc, L.q.r_bits, WB) : 0;
            L.tiles.push_back(t);
            std::vector<int64_t> a((size_t)(R * C));
            for (auto &x : a)
                x = rg.chance(50) ? rg.in(-3000, 3000)
                                  : rg.in(-(1ll << (ACC - 1)), (1ll << (ACC - 1)) - 1);
            L.acc.push_back(a);
        }
    return L;
}

// ---- the reference: V2-7.4 (sim/pk_v2.c post_tile) and the bytes of every beat ----
struct Expect {
    std::vector<Beat> beats;
    std::vector<int64_t> ends;  // [k]: beats with k inner staging row ends (l_pln)
    int64_t gends = 0;          // of those with k >= 2, a global pool's
    int64_t wraps = 0;          // rows of a group in plane 0 after plane NPL - 1
    std::vector<std::pair<int64_t, int>> frees;
    int64_t done = -1, out = 0, bytes = 0, reqs = 0, end = 0;
};

static uint32_t code_of(const Layer &L, const Tile &t, size_t ti, int r, int c)
{
    int oc = L.glob ? t.c0 + r * L.ct + c : t.c0 + c;
    pk_chan_params_t cp;
    memset(&cp, 0, sizeof cp);
    if (L.h.uses_params)
        pk_v2_record_unpack(&L.h, &g_cfg, L.recs[L.pt ? 0 : (size_t)oc].data(), &cp);
    pk_q_params_t p = {cp.m, cp.s, cp.E, cp.b, cp.M, cp.an, cp.ap, cp.g, cp.z};
    uint32_t rc = L.res ? bget(L.bpix[L.mul ? 0 : (size_t)(t.p0 + r)], (int64_t)oc * L.q.r_bits,
                               L.q.r_bits) : 0;
    if (L.mul)
        return pk_q_ppu_mul(&L.q, &p, L.acc[ti][(size_t)(r * C + c)], rc);
    return pk_q_ppu(&L.q, &p, L.acc[ti][(size_t)(r * C + c)], rc);
}

// The group's runs: (DRAM address, bytes)
static void group_runs(const Layer &L, const std::vector<size_t> &g, int64_t start, Expect &x)
{
    const Tile &t0 = L.tiles[g.front()], &tl = L.tiles[g.back()];
    int c0g = t0.c0, nr = t0.nr;
    int chans = L.glob ? std::min(L.oc - t0.c0, R * L.ct) : tl.c0 + tl.nc - c0g;
    int64_t gb = cdiv((int64_t)chans * L.ob, 8);
    int whole = !L.glob && chans == L.oc && L.oct == 0;
    std::vector<std::vector<uint8_t>> px((size_t)nr, std::vector<uint8_t>((size_t)gb + 1, 0));
    for (size_t ti : g) {
        const Tile &t = L.tiles[ti];
        for (int r = 0; r < t.nr; r++)
            for (int c = 0; c < t.nc; c++) {
                int oc = L.glob ? t.c0 + r * L.ct + c : t.c0 + c;
                if (oc >= L.oc)
                    continue;
                int row = L.glob ? 0 : r;
                bput(px[(size_t)row], (int64_t)(oc - c0g) * L.ob, L.ob, code_of(L, t, ti, r, c));
            }
    }
    std::vector<std::pair<uint32_t, std::vector<uint8_t>>> runs;
    // pk_post2's staging row bytes S (l_rowbits / 8) when its rows are on bytes
    // (l_pln: not a global pool, or one whose chunks end on a byte), 0 otherwise
    int64_t srow = L.glob ? ((L.ct * L.ob) % 8 == 0 ? L.ct * L.ob / 8 : 0)
                          : L.oct == 0 && L.ps <= 8 * C ? (int64_t)L.ps : 8 * C;
    uint32_t cb = (uint32_t)(((int64_t)L.ocb + c0g) * L.ob / 8);
    if (L.glob) {
        runs.push_back({L.addr + cb, std::vector<uint8_t>(px[0].begin(), px[0].begin() + gb)});
    } else if (whole) {
        std::vector<uint8_t> all;
        for (int r = 0; r < nr; r++)
            all.insert(all.end(), px[(size_t)r].begin(), px[(size_t)r].begin() + gb);
        runs.push_back({L.addr + (uint32_t)(t0.p0 * L.ps), all});
    } else {
        for (int r = 0; r < nr; r++)
            runs.push_back({L.addr + (uint32_t)((t0.p0 + r) * L.ps) + cb,
                            std::vector<uint8_t>(px[(size_t)r].begin(), px[(size_t)r].begin() + gb)});
    }
    int64_t cyc = start;
    const int npl = std::min(PL, R);     // staging planes (row r in plane r mod NPL)
    for (size_t ri = 0; ri < runs.size(); ri++) {
        const auto &run = runs[ri];
        // a group's plane wraps to 0 (PL < R): a run of row NPL, 2 NPL, .. or such a row
        // inside a run
        x.wraps += ri > 0 && ri % (size_t)npl == 0;
        for (int64_t o = srow; srow && o < (int64_t)run.second.size(); o += srow)
            x.wraps += (o / srow) % npl == 0;
        for (int64_t off = 0; off < (int64_t)run.second.size(); off += MB) {
            int64_t len = std::min<int64_t>(MB, (int64_t)run.second.size() - off);
            x.bytes += len;
            x.reqs++;
            for (int64_t k = 0; k < len; k += PB) {
                Beat b;
                b.cyc = cyc++;
                b.addr = run.first + (uint32_t)(off + k);
                b.data.assign((size_t)PB, 0);
                b.strb = 0;
                int ends = 0;
                for (int j = 0; j < PB && k + j < len; j++) {
                    b.data[(size_t)j] = run.second[(size_t)(off + k + j)];
                    b.strb |= 1u << j;
                    // a row end that a later byte of the run follows (its plane the next)
                    ends += srow && (off + k + j + 1) % srow == 0 &&
                            off + k + j + 1 < (int64_t)run.second.size();
                }
                x.ends[(size_t)ends]++;
                if (L.glob && ends > 1)
                    x.gends++;
                x.beats.push_back(b);
            }
        }
    }
    x.end = cyc;
}

// Schedules COMPUTE (start, E_comp of every tile) and computes POST's events.
static Expect schedule(Rng &rg, Layer &L, int64_t start)
{
    Expect x;
    x.ends.assign((size_t)PB + 1, 0);
    const int64_t NEG = INT64_MIN / 4;
    int64_t e_prev = start + 1 + REC_WORDS, p_e = NEG, w1 = NEG, w2 = NEG, fbank[2] = {NEG, NEG};
    std::vector<size_t> grp;
    for (size_t i = 0; i < L.tiles.size(); i++) {
        Tile &t = L.tiles[i];
        t.gap = rg.chance(50) ? 0 : rg.in(0, 6);
        t.s = std::max(e_prev, fbank[t.bank]) + t.gap;
        int tail = std::max(t.rw, t.bw);
        t.dur = tail + (rg.chance(40) ? rg.in(1, 3) : rg.in(1, 40));
        t.e = t.s + t.dur;
        e_prev = t.e;
        int64_t ps = std::max(t.e + ARRAY_LAT, p_e);
        if (t.open)
            ps = std::max(ps, w2);
        p_e = ps + (L.glob ? pk_v2_ppu_pool_cycles(t.nr, t.nc, L.ob, PL) : pk_v2_ppu_cycles(t.nr, t.nc, PL));
        fbank[t.bank] = p_e;
        x.frees.push_back({p_e - 1, t.bank});
        for (int r = 0; r < t.nr; r++)
            for (int c = 0; c < t.nc; c++)
                x.out += (L.glob ? t.c0 + r * L.ct + c : t.c0 + c) < L.oc;
        grp.push_back(i);
        if (!t.close)
            continue;
        group_runs(L, grp, std::max(w1, p_e + PPU_LAT), x);
        w2 = w1;
        w1 = x.end;
        if (t.last)
            x.done = x.end - 1;
        grp.clear();
    }
    return x;
}

// ---- driving the RTL ----
struct Got {
    std::vector<Beat> beats;
    std::vector<std::pair<int64_t, int>> frees;
    int64_t done = -1, out = 0, bytes = 0, reqs = 0;
};

static Vpk_post2 *top;
static int64_t cycle;

static void tick()
{
    top->clk = 1;
    top->eval();
    top->clk = 0;
    top->eval();
    cycle++;
}

static void set_layer(const Layer &L)
{
    top->kind = (uint8_t)L.kind;
    top->glob = (uint8_t)L.glob;
    top->out_log2 = (uint8_t)L.ol;
    top->out_signed = (uint8_t)L.q.out_signed;
    top->r_log2 = (uint8_t)log2i(L.q.r_bits);
    top->r_signed = (uint8_t)L.q.r_signed;
    top->qn_en = (uint8_t)L.q.qn_en;
    top->res_en = (uint8_t)L.q.res_en;
    top->res_mul = (uint8_t)L.mul;
    top->rq_en = (uint8_t)L.q.rq_en;
    top->per_tensor = (uint8_t)L.pt;
    top->act_mode = (uint8_t)L.q.act_mode;
    top->act_shift = (uint8_t)L.q.act_shift;
    top->r_shift = (uint8_t)L.q.r_shift;
    top->round = (uint8_t)L.q.round;
    top->clip_lo = (uint16_t)L.q.clip_lo;
    top->clip_hi = (uint16_t)L.q.clip_hi;
    int lg = 0;
    while (L.rec_bytes && (1 << lg) < L.rec_bytes)
        lg++;
    top->rec_log2p1 = (uint8_t)(L.rec_bytes ? lg + 1 : 0);
    top->addr_out = L.addr;
    top->out_c = (uint16_t)L.oc;
    top->out_c_total = (uint16_t)L.oct;
    top->out_c_base = (uint16_t)L.ocb;
    top->ct = (uint16_t)L.ct;
}

// Inputs of one cycle (everything else low).
static void drive(const Layer &L, int64_t start, const std::vector<int> &acc_of)
{
    top->lay_start = cycle == start;
    top->prec_we = 0;
    top->crec_we = 0;
    top->res_we = 0;
    top->tile_valid = 0;
    int64_t k = cycle - start - 1;
    if (L.pt && L.h.uses_params && k >= 0 && k < REC_WORDS) {
        top->prec_we = 1;
        top->prec_idx = (uint8_t)k;
        for (int b = 0; b < WB; b++)
            put(top->prec_data, 8 * b, 8, L.recs[0][(size_t)(k * WB + b)]);
    }
    for (size_t i = 0; i < L.tiles.size(); i++) {
        const Tile &t = L.tiles[i];
        int64_t j = cycle - (t.e - t.rw);
        if (j >= 0 && j < t.rw) {
            top->crec_we = 1;
            top->crec_bank = (uint8_t)t.bank;
            top->crec_idx = (uint8_t)j;
            for (int c = 0; c < C; c++)
                for (int b = 0; b < WB; b++) {
                    int oc = t.c0 + c;
                    uint8_t v = c < t.nc ? L.recs[(size_t)oc][(size_t)(j * WB + b)] : (uint8_t)(0xA5 ^ c);
                    put(top->crec_data, c * WBITS + 8 * b, 8, v);
                }
        }
        j = cycle - (t.e - t.bw);
        if (j >= 0 && j < t.bw) {
            top->res_we = 1;
            top->res_bank = (uint8_t)t.bank;
            top->res_idx = (uint8_t)j;
            for (int r = 0; r < R; r++)
                for (int b = 0; b < WB; b++) {
                    size_t byte = (size_t)((t.jb0 + j) * WB + b);
                    // (a multiply: row 0 reads the gate pixel's words in every tile, as
                    // pk_core2's tail with the B tile address held at 0; the other rows
                    // another pixel's, which pk_post2 must not take)
                    uint8_t v = L.mul && r == 0 ? L.bpix[0][byte]
                                : r < t.nr ? L.bpix[(size_t)(t.p0 + r)][byte] : (uint8_t)(0x5A ^ r);
                    put(top->res_data, r * WBITS + 8 * b, 8, v);
                }
        }
        if (cycle == t.e + ARRAY_LAT - 1) {
            top->tile_valid = 1;
            top->tile_bank = (uint8_t)t.bank;
            top->tile_p0 = (uint32_t)t.p0;
            top->tile_nr = (uint8_t)t.nr;
            top->tile_c0 = (uint16_t)t.c0;
            top->tile_nc = (uint16_t)t.nc;
            top->tile_open = (uint8_t)t.open;
            top->tile_close = (uint8_t)t.close;
            top->tile_last = (uint8_t)t.last;
        }
    }
    top->eval();
    // pk_array's packed read port (RD_PACK = 1, V2-11.4 item 2): combinational on
    // acc_bank / row / grp / cwl; s = min(cwl, ceil(log2 PL)): s below that reads
    // row row + (l >> s), column l mod 2^s; else row row, column g * PL + l
    int bank = top->acc_bank, row = (int)top->acc_row, g = (int)top->acc_grp;
    int lpl = 0;
    while ((1 << lpl) < PL)
        lpl++;
    int s = std::min((int)top->acc_cwl, lpl);
    int ti = acc_of[(size_t)bank];
    for (int l = 0; l < PL; l++) {
        int r = s < lpl ? row + (l >> s) : row, c = s < lpl ? (l & ((1 << s) - 1)) : g * PL + l;
        int64_t v = ti >= 0 && r < R ? L.acc[(size_t)ti][(size_t)(r * C + c)] : 0;
        put(top->acc_data, l * ACC, ACC, (uint64_t)v);
    }
    top->eval();
}

static void sample(Got &g)
{
    if (top->bank_free)
        g.frees.push_back({cycle, top->bank_free_id});
    if (top->wr_valid && top->wr_ready) {
        Beat b;
        b.cyc = cycle;
        b.addr = (uint32_t)top->wr_addr;
        b.strb = (uint32_t)get(top->wr_strb, 0, PB);
        for (int j = 0; j < PB; j++)
            b.data.push_back((uint8_t)get(top->wr_data, 8 * j, 8));
        g.beats.push_back(b);
    }
    if (top->lay_done)
        g.done = cycle;
    g.out += top->inc_out;
    g.bytes += top->inc_wr_bytes;
    g.reqs += top->inc_wr_reqs;
}

static std::string describe(const Layer &L)
{
    char buf[400];
    snprintf(buf, sizeof buf,
             "glob=%d kind=%d out_bits=%d out_c=%d ct=%d nw=%d out_c_total=%d out_c_base=%d M=%d "
             "tiles=%zu per_tensor=%d rec=%dB qn=%d rq=%d act=%d res=%d mul=%d r_bits=%d addr=0x%x ps=%u",
             L.glob, L.kind, L.ob, L.oc, L.ct, L.nw, L.oct, L.ocb, L.M, L.tiles.size(), L.pt,
             L.rec_bytes, L.q.qn_en, L.q.rq_en, L.q.act_mode, L.res, L.mul, L.q.r_bits, L.addr, L.ps);
    return buf;
}

// stall: wr_ready was random, so only the beats' addresses, data and strobes
// and the counters are compared (the timing assumes wr_ready = 1)
static int compare(const Expect &x, const Got &g, int n, const Layer &L, bool stall)
{
    const char *what = nullptr;
    char buf[300] = "";
    size_t nb = std::max(x.beats.size(), g.beats.size());
    for (size_t i = 0; i < nb && !what; i++) {
        if (i >= x.beats.size() || i >= g.beats.size()) {
            snprintf(buf, sizeof buf, "beats: expected %zu, got %zu", x.beats.size(), g.beats.size());
            what = buf;
            break;
        }
        const Beat &a = x.beats[i], &b = g.beats[i];
        if ((!stall && a.cyc != b.cyc) || a.addr != b.addr || a.strb != b.strb || a.data != b.data) {
            int off = snprintf(buf, sizeof buf,
                               "beat %zu: expected cycle %" PRId64 " addr 0x%x strb 0x%x, got cycle %" PRId64
                               " addr 0x%x strb 0x%x; data exp/got",
                               i, a.cyc, a.addr, a.strb, b.cyc, b.addr, b.strb);
            for (int j = 0; j < PB && off < 280; j++)
                off += snprintf(buf + off, sizeof buf - (size_t)off, " %02x/%02x", a.data[(size_t)j],
                                b.data[(size_t)j]);
            what = buf;
        }
    }
    if (!what && !stall && x.frees != g.frees) {
        for (size_t i = 0; i < std::max(x.frees.size(), g.frees.size()); i++) {
            int64_t ec = i < x.frees.size() ? x.frees[i].first : -1;
            int64_t gc = i < g.frees.size() ? g.frees[i].first : -1;
            int eb = i < x.frees.size() ? x.frees[i].second : -1;
            int gbk = i < g.frees.size() ? g.frees[i].second : -1;
            if (ec != gc || eb != gbk) {
                snprintf(buf, sizeof buf, "bank release %zu: expected cycle %" PRId64 " bank %d, got %" PRId64 " bank %d",
                         i, ec, eb, gc, gbk);
                break;
            }
        }
        what = buf;
    }
    if (!what && !stall && x.done != g.done) {
        snprintf(buf, sizeof buf, "lay_done: expected cycle %" PRId64 ", got %" PRId64, x.done, g.done);
        what = buf;
    }
    if (!what && (x.out != g.out || x.bytes != g.bytes || x.reqs != g.reqs)) {
        snprintf(buf, sizeof buf, "counters out/wr_bytes/wr_reqs: expected %" PRId64 "/%" PRId64 "/%" PRId64
                 ", got %" PRId64 "/%" PRId64 "/%" PRId64, x.out, x.bytes, x.reqs, g.out, g.bytes, g.reqs);
        what = buf;
    }
    if (!what)
        return 0;
    printf("post2 %s: layer %d (%s): %s\n", PK_SET_NAME, n, describe(L).c_str(), what);
    return 1;
}

int main(int argc, char **argv)
{
    int n = 100, stall = 0; // stall: percent of cycles with wr_ready = 0
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--n"))
            n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--stall"))
            stall = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 10);
        else {
            fprintf(stderr, "usage: post2_%s [--n N] [--seed S] [--stall PCT]\n", PK_SET_NAME);
            return 2;
        }
    }
    memset(&g_cfg, 0, sizeof g_cfg);
    g_cfg.postproc.qn_mult_bits = WID.qn_mult_bits;
    g_cfg.postproc.qn_bias_bits = WID.qn_bias_bits;
    g_cfg.postproc.qn_shift_bits = WID.qn_shift_bits;
    g_cfg.postproc.dq_mant_bits = WID.dq_mant_bits;
    g_cfg.postproc.dq_exp_bits = WID.dq_exp_bits;
    g_cfg.postproc.act_param_bits = WID.act_param_bits;
    Verilated::commandArgs(argc, argv);
    top = new Vpk_post2;
    top->wr_ready = 1;
    top->rst = 1;
    top->eval();
    tick();
    tick();
    top->rst = 0;
    Rng rg{seed}, rs{seed ^ 0x5157A11ull};
    int64_t beats = 0, tiles = 0, adds = 0, muls = 0;
    std::vector<int64_t> ends((size_t)PB + 1, 0);
    int64_t gends = 0, wraps = 0;
    for (int li = 0; li < n; li++) {
        Layer L = pick_layer(rg);
        int64_t start = cycle + rg.in(0, 3);
        Expect x = schedule(rg, L, start);
        set_layer(L);
        Got g;
        std::vector<int> acc_of = {-1, -1};
        size_t next_s = 0;
        if (stall)
            for (Tile &t : L.tiles)
                t.s = t.e = INT64_MAX / 4;
        size_t next_t = 0;           // stall: COMPUTE follows the RTL's bank releases
        int64_t e_prev = start + 1 + REC_WORDS;
        while (stall ? (g.done < 0 || cycle <= g.done + 2) && cycle < start + 1000000
                     : cycle <= x.done + 2) {
            while (stall && next_t < L.tiles.size() && (next_t < 2 || g.frees.size() + 2 > next_t)) {
                Tile &t = L.tiles[next_t];
                int64_t rel = next_t < 2 ? 0 : g.frees[next_t - 2].first + 1;
                t.s = std::max(std::max(e_prev, rel), cycle) + t.gap;
                t.e = t.s + t.dur;
                e_prev = t.e;
                next_t++;
            }
            top->wr_ready = !stall || rs.in(0, 99) >= stall;
            while (next_s < L.tiles.size() && L.tiles[next_s].s == cycle) {
                acc_of[(size_t)L.tiles[next_s].bank] = (int)next_s;
                next_s++;
            }
            drive(L, start, acc_of);
            sample(g);
            tick();
        }
        if (compare(x, g, li, L, stall != 0)) {
            printf("post2 %s: FAIL (seed %" PRIu64 ")\n", PK_SET_NAME, seed);
            delete top;
            return 1;
        }
        beats += (int64_t)x.beats.size();
        tiles += (int64_t)L.tiles.size();
        adds += L.res && !L.mul;
        muls += L.mul;
        for (int k = 0; k <= PB; k++)
            ends[(size_t)k] += x.ends[(size_t)k];
        gends += x.gends;
        wraps += x.wraps;
    }
    printf("post2 %s: %d layers, %" PRId64 " tiles, %" PRId64 " write beats, all equal (seed %" PRIu64 "%s)\n",
           PK_SET_NAME, n, tiles, beats, seed, stall ? ", wr_ready random" : "");
    // the writer's staging row ends (pk_post2 g_wpl): beats with 1, 2, .. ends
    // (at most R - 1 a beat: a run holds at most R staging rows)
    printf("post2 %s: EW layers with operand B: %" PRId64 " adds, %" PRId64 " channel-wise multiplies\n",
           PK_SET_NAME, adds, muls);
    printf("post2 %s: beats with 1/2/.. staging row ends inside a run:", PK_SET_NAME);
    for (int k = 1; k <= std::min(PB, R - 1); k++)
        printf("%s%" PRId64, k > 1 ? "/" : " ", ends[(size_t)k]);
    printf(" (global pools %" PRId64 " of the beats with 2 or more); %" PRId64 " plane wraps inside a group\n",
           gends, wraps);
    delete top;
    return 0;
}
