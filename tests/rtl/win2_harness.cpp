// win2_harness.cpp - the v2 window generators (rtl_templates/pk_win2.v)
// against the model's ring placement (core/pk_v2ring.c pk_v2_ring_place,
// ARCHITECTURE.md V2-3.1).
//
// `win2_<set> --n N --seed S` draws N random windowed layers (kernel, row and
// column strides, top, left, bottom and right pads of their own (v1 word 13), x-fold, Jw, ring rows cap; CONV k-steps over all chunks or DW /
// pool k-steps at one chunk), takes the generator's layer constants from the
// compiler's function (core/pk_v2_consts: the descriptor's words), and walks
// every pixel tile, repeating each tile's k-steps twice (two n-tiles).  At
// every k-step and for every valid output row it checks the row's validity
// (the position lies in the image), and for valid rows the bank (row + rot
// mod R) and the address against pk_v2_ring_place with the slot of the row's
// fetch number (needed rows counted from the top, mod cap), every row's nsv
// (the sub-pixels u < nsub inside the image, 0 for an invalid row), and last_k; and
// the slot mask of the k-step (x-fold: sub-pixels past kw masked, V2-4.2)
// against the weight slots of pk_v2_conv_slot (core/pk_compile_v2) on every
// slot of the word (VP = the set's SLOTS): a slot that holds an input channel
// as the model's slot, a folded sub-pixel's channel padding (v mod cp >= in_c)
// as its sub-pixel's channel 0, and the slots past fx * cp (no sub-pixel) and
// every slot without fold read (1).  x-fold factors fx = 1, 2, 4 and, where
// VP >= 8 (ecp5.yaml builds fx up to 8, FXL 3), 8 with s = 8 and kernels up to
// 20 wide (kw' up to 3: full folded columns, nsub = 8).
// Prints the first mismatch with the layer and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_win2.h"
#include "verilated.h"
#include "harness_rng.h"

extern "C" {
#include "pk_compile_v2.h"
#include "pk_v2_consts.h"
#include "pk_v2ring.h"
}

#if !defined(PK_ROWS) || !defined(PK_AW) || !defined(PK_XW)
#error "PK_ROWS, PK_SLOTS, PK_AW and PK_XW come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t R = PK_ROWS, VP = PK_SLOTS;


struct Layer {
    pk_v2_desc_t d;
    int64_t fx, cap, jc0, njc;
    int64_t in_c, cp;           // input channels; slots per folded sub-pixel
    std::vector<int64_t> needc; // needed rows above y (the fetch number of y)
};

// Bits [lsb, lsb + w) of an output port (up to 64 bits: a plain integer;
// wider: Verilator's word array).
[[maybe_unused]] static uint64_t bits(uint64_t v, int lsb, int w) { return (v >> lsb) & ((1ull << w) - 1); }
template <std::size_t N> static uint64_t bits(const VlWide<N> &v, int lsb, int w)
{
    uint64_t r = 0;
    for (int b = 0; b < w; b++)
        r |= (uint64_t)((v[(lsb + b) / 32] >> ((lsb + b) % 32)) & 1) << b;
    return r;
}

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t mod(int64_t a, int64_t m) { return ((a % m) + m) % m; }

static bool draw(Rng &g, Layer &L)
{
    pk_v2_desc_t &d = L.d;
    memset(&d, 0, sizeof d);
    int64_t fl = g.in(0, VP >= 8 ? 3 : 2); // fx <= VP (a sub-pixel holds one slot or more)
    L.fx = (int64_t)1 << fl;
    d.sw = L.fx == 1 ? g.in(1, 3) : L.fx * g.in(1, 2);
    if (d.sw > 4)
        d.sw = L.fx == 8 ? 8 : 4; // fx divides s_w (< 16)
    d.s = g.in(1, 4);             // the row stride: any (< 16: l_s)
    d.kh = g.in(1, 5);
    d.kw = g.in(1, L.fx == 8 ? 20 : 5);
    d.pad = g.in(0, d.kh - 1 < 3 ? d.kh - 1 : 3);
    d.pad_l = g.in(0, d.kw - 1 < 7 ? d.kw - 1 : 7);
    int64_t pad_b = g.in(0, d.kh - 1 < 3 ? d.kh - 1 : 3), pad_r = g.in(0, d.kw - 1 < 3 ? d.kw - 1 : 3);
    d.in_h = g.in(1, 12);
    d.in_w = g.in(1, L.fx == 8 ? 40 : 20);
    if (d.in_h + d.pad + pad_b < d.kh || d.in_w + d.pad_l + pad_r < d.kw)
        return false;
    d.out_h = (d.in_h + d.pad + pad_b - d.kh) / d.s + 1;
    d.out_w = (d.in_w + d.pad_l + pad_r - d.kw) / d.sw + 1;
    d.fx = (int)L.fx;
    d.sf = d.sw / L.fx;
    d.kwf = cdiv(d.kw, L.fx);
    d.jw = L.fx > 1 ? 1 : g.in(1, 5);
    L.in_c = L.fx > 1 ? g.in(1, VP / L.fx) : g.in(1, d.jw * VP);
    for (L.cp = 1; L.cp < L.in_c; L.cp *= 2) {
    }
    int64_t wst = d.pad_l + d.in_w > (d.out_w - 1) * d.sw + d.kw ? d.pad_l + d.in_w
                                                                  : (d.out_w - 1) * d.sw + d.kw;
    d.gx = cdiv(cdiv(wst, L.fx), d.sf * R);
    d.wbw = d.gx * d.sf * d.jw;
    d.r_mod = R % d.out_w;
    d.r_div = R / d.out_w;
    // needed rows (V2-5 item 2) and their fetch numbers
    std::vector<char> need(d.in_h, 0);
    for (int64_t y = 0; y < d.in_h; y++)
        for (int64_t i = 0; i < d.kh; i++) {
            int64_t t = y + d.pad - i;
            if (t >= 0 && t % d.s == 0 && t / d.s < d.out_h)
                need[y] = 1;
        }
    L.needc.assign(d.in_h + 1, 0);
    for (int64_t y = 0; y < d.in_h; y++)
        L.needc[y + 1] = L.needc[y] + need[y];
    // the most rows any pixel tile reads: the ring holds at least that
    int64_t span = 1, M = d.out_h * d.out_w;
    for (int64_t p0 = 0; p0 < M; p0 += R) {
        int64_t oy0 = p0 / d.out_w, oy1 = (p0 + R - 1 < M ? p0 + R - 1 : M - 1) / d.out_w;
        int64_t y0 = oy0 * d.s - d.pad, y1 = oy1 * d.s + d.kh - 1 - d.pad;
        y0 = y0 < 0 ? 0 : y0;
        y1 = y1 >= d.in_h ? d.in_h - 1 : y1;
        if (y1 >= y0 && L.needc[y1 + 1] - L.needc[y0] > span)
            span = L.needc[y1 + 1] - L.needc[y0];
    }
    L.cap = g.in(span, L.needc[d.in_h] + 3);
    if (g.in(0, 1)) {
        L.jc0 = 0;
        L.njc = d.jw;
    } else {
        L.jc0 = g.in(0, d.jw - 1);
        L.njc = 1;
    }
    return d.gx * d.sf * d.jw * L.cap < ((int64_t)1 << PK_AW); // the ring's bank (AW bits)
}

// A stored x position for an XW-bit port: a value past it (what the sized
// width says cannot happen) fails the run.
static bool xw_fits(int64_t v, const char *field, uint32_t *out)
{
    if (v < 0 || v >= ((int64_t)1 << (PK_XW - 1))) {
        fprintf(stderr, "FAIL %s = %" PRId64 " does not fit XW = %d bits\n", field, v, PK_XW);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static void tick(Vpk_win2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

// The layer constants: the compiler's (core/pk_v2_consts) for this layer.
static bool load(Vpk_win2 *m, const Layer &L)
{
    const pk_v2_desc_t &d = L.d;
    pk_hwlayer_t h;
    pk_plan_layer_t P;
    memset(&h, 0, sizeof h);
    memset(&P, 0, sizeof P);
    h.in_h = (int)d.in_h;
    h.in_w = (int)d.in_w;
    h.in_c = (int)L.in_c;
    h.out_h = (int)d.out_h;
    h.out_w = (int)d.out_w;
    h.out_c = 1;
    h.kh = (int)d.kh;
    h.kw = (int)d.kw;
    h.stride = (int)d.s;
    h.pad = (int)d.pad;
    h.stride_w = (int)d.sw;
    h.pad_l = (int)d.pad_l;
    P.fx = (int)L.fx;
    P.ring_rows = L.cap;
    P.wbw = d.wbw;
    P.sf = d.sf;
    P.jw = d.jw;
    P.kwf = d.kwf;
    P.mt = P.nt = P.ct = 1;
    int64_t v[PK_D2_COUNT];
    pk_v2_consts_compute(&h, &P, R, 8, v);
    int64_t wb = d.wbw, rm = d.r_mod;
    m->l_in_h = d.in_h;
    m->l_in_w = d.in_w;
    m->l_s = d.s;
    m->l_pad = d.pad;
    m->l_pad_l = d.pad_l;
    m->l_sf = d.sf;
    m->l_fxl = L.fx == 8 ? 3 : L.fx == 4 ? 2 : L.fx == 2 ? 1 : 0;
    m->l_kh = d.kh;
    m->l_kwf = d.kwf;
    m->l_kw = d.kw;
    m->l_cpl = v[PK_D2_CP_LOG2];
    m->l_jc0 = L.jc0;
    m->l_njc = L.njc;
    m->l_jw = d.jw;
    m->l_wb = wb;
    m->l_cap_wb = v[PK_D2_CAP_WB];
    m->l_sj = v[PK_D2_SJ] & ((1u << PK_AW) - 1); // an AW-bit port: s'Jw mod 2^AW (FIT L)
    m->l_ow_q = v[PK_D2_OW_Q];
    m->l_rm_q = rm; // R mod out_w < R: its quotient by R is 0 (V2-11.6)
    m->l_ow_gsj = v[PK_D2_OW_GSJ];
    uint32_t rm_x, ow_x, xs; // and the stored positions X' of a row (X' * fx: XW + 2 bits)
    if (!xw_fits(v[PK_D2_RM_X], "RM_X", &rm_x) || !xw_fits(v[PK_D2_OW_X], "OW_X", &ow_x) ||
        !xw_fits(d.gx * d.sf * R + d.kwf, "X' + kw'", &xs))
        return false;
    m->l_rm_x = rm_x;
    m->l_ow_x = ow_x;
    // (ports narrower than the descriptor fields: s' <= 15, (R div out_w) * s <= 15 R, a
    // k-step's chunks <= Jw < 2^AW: the sized registers of PK_PAR2_FIELDS)
    if (d.sf > 15 || v[PK_D2_RD_Y] >= ((int64_t)16 << PK_RA) || d.jw >= ((int64_t)1 << PK_AW)) {
        fprintf(stderr, "FAIL SF %" PRId64 ", RD_Y %" PRId64 " or JW %" PRId64
                " does not fit pk_win2's port\n", (int64_t)d.sf, v[PK_D2_RD_Y], (int64_t)d.jw);
        return false;
    }
    m->l_rd_y = v[PK_D2_RD_Y];
    m->l_rde_wb = v[PK_D2_RDE_CAP_WB];
    m->l_em_wb = v[PK_D2_EM_WB];
    m->l_sb0_wb = v[PK_D2_SB0_WB];
    m->l_jc0m = L.jc0 % R;
    return true;
}

static void describe(const Layer &L)
{
    const pk_v2_desc_t &d = L.d;
    fprintf(stderr,
            "  layer: in %" PRId64 "x%" PRId64 " k %" PRId64 "x%" PRId64 " s %" PRId64
            "x%" PRId64 " pad top %" PRId64 " left %" PRId64 " fx %" PRId64 " out %" PRId64 "x%" PRId64 " Jw %" PRId64
            " Gx %" PRId64 " WB %" PRId64 " cap %" PRId64 " jc0 %" PRId64 " njc %" PRId64 "\n",
            d.in_h, d.in_w, d.kh, d.kw, d.s, d.sw, d.pad, d.pad_l, L.fx, d.out_h, d.out_w, d.jw, d.gx, d.wbw,
            L.cap, L.jc0, L.njc);
}

static int64_t n_mask_chan, n_mask_other, n_fx8; // slot-mask bits checked; fx = 8 layers
static int64_t n_nsv, n_nsv_part; // rows' nsv checked; valid rows with part of nsub outside

// The slot mask of k-step (i, j'', jc) against the model's weight slots, on
// every slot: a channel slot as pk_v2_conv_slot's; a folded sub-pixel's
// padding slot as its channel 0 (the sub-pixel's tap); a slot past fx * cp
// and any slot without fold 1 (read: the loader wrote zeros, V2-4.2).
static bool check_mask(Vpk_win2 *m, const Layer &L, int64_t i, int64_t j, int64_t jc)
{
    const pk_v2_desc_t &d = L.d;
    pk_v2_kgeom_t kg = {L.in_c, d.kw, VP, d.jw, d.kwf, L.fx};
    int64_t k = (i * d.kwf + j) * d.jw + jc;
    for (int64_t v = 0; v < VP; v++) {
        int64_t u = L.fx > 1 ? v / L.cp : 0; // the slot's sub-pixel
        bool chan = L.fx > 1 ? u < L.fx && v % L.cp < L.in_c : jc * VP + v < L.in_c;
        int ii, jj, ic;
        bool want;
        if (chan)
            want = pk_v2_conv_slot(&kg, k, v, &ii, &jj, &ic) != 0;
        else if (L.fx > 1 && u < L.fx)
            want = pk_v2_conv_slot(&kg, k, u * L.cp, &ii, &jj, &ic) != 0;
        else
            want = true;
        bool got = (m->smask >> v) & 1;
        if (got != want) {
            fprintf(stderr, "FAIL k-step (i %" PRId64 ", j'' %" PRId64 ", jc %" PRId64
                    "): %s slot %" PRId64 " mask %d, model %d (in_c %" PRId64 ", cp %" PRId64
                    ", fx %" PRId64 ")\n",
                    i, j, jc, chan ? "channel" : L.fx > 1 && u < L.fx ? "padding" : "spare", v,
                    got, want, L.in_c, L.cp, L.fx);
            return false;
        }
        (chan ? n_mask_chan : n_mask_other)++;
    }
    return true;
}

// One k-step of pixel tile mt: compare every valid output row.
static bool check_k(Vpk_win2 *m, const Layer &L, int64_t mt, int64_t i, int64_t j, int64_t jc,
                    bool last)
{
    const pk_v2_desc_t &d = L.d;
    int64_t M = d.out_h * d.out_w;
    if (!check_mask(m, L, i, j, jc)) {
        describe(L);
        return false;
    }
    if ((bool)m->last_k != last) {
        fprintf(stderr, "FAIL last_k %d at tile %" PRId64 " k-step (%" PRId64 ", %" PRId64
                ", %" PRId64 ")\n", m->last_k, mt, i, j, jc);
        return false;
    }
    for (int64_t r = 0; r < R; r++) {
        int64_t p = mt * R + r;
        if (p >= M)
            continue;
        int64_t oy = p / d.out_w, ox = p % d.out_w, Y = oy * d.s + i, Xf = ox * d.sf + j;
        int64_t y = Y - d.pad, x0 = Xf * L.fx;
        bool valid = y >= 0 && y < d.in_h && x0 + L.fx - 1 >= d.pad_l && x0 < d.pad_l + d.in_w;
        int got_v = (int)((m->valid >> r) & 1);
        uint64_t got_a = bits(m->addr, (int)r * PK_AW, PK_AW);
        int64_t bank = -1, addr = -1;
        if (valid)
            pk_v2_ring_place(&d, R, Y, Xf, jc, mod(L.needc[y], L.cap), &bank, &addr);
        int64_t got_b = (r + m->rot) % R;
        // nsv: the sub-pixels u < nsub (the last folded column's kw - (kw' - 1) fx, else fx)
        // inside the image, 0 for an invalid row
        int64_t nsub = j == d.kwf - 1 ? d.kw - (d.kwf - 1) * L.fx : L.fx, nin = 0;
        for (int64_t u = 0; u < nsub; u++)
            nin += x0 + u >= d.pad_l && x0 + u < d.pad_l + d.in_w;
        int64_t want_n = valid ? nin : 0, got_n = (int64_t)bits(m->nsv, (int)r * 4, 4);
        n_nsv++;
        n_nsv_part += valid && nin < nsub;
        if (got_v != (int)valid || (valid && (got_b != bank || (int64_t)got_a != addr)) ||
            got_n != want_n) {
            fprintf(stderr,
                    "FAIL tile %" PRId64 " row %" PRId64 " k-step (i %" PRId64 ", j'' %" PRId64
                    ", jc %" PRId64 "): valid %d bank %" PRId64 " addr %" PRIu64 " nsv %" PRId64
                    ", expected valid %d bank %" PRId64 " addr %" PRId64 " nsv %" PRId64 "\n",
                    mt, r, i, j, jc, got_v, got_b, got_a, got_n, (int)valid, bank, addr, want_n);
            describe(L);
            return false;
        }
    }
    return true;
}

static bool run_layer(Vpk_win2 *m, const Layer &L)
{
    const pk_v2_desc_t &d = L.d;
    if (!load(m, L)) {
        describe(L);
        return false;
    }
    m->init = 1;
    tick(m);
    m->init = 0;
    int64_t Mt = cdiv(d.out_h * d.out_w, R);
    for (int64_t mt = 0; mt < Mt; mt++) {
        for (int rep = 0; rep < 2; rep++)
            for (int64_t i = 0; i < d.kh; i++)
                for (int64_t j = 0; j < d.kwf; j++)
                    for (int64_t c = 0; c < L.njc; c++) {
                        m->eval();
                        bool last = i == d.kh - 1 && j == d.kwf - 1 && c == L.njc - 1;
                        if (!check_k(m, L, mt, i, j, L.jc0 + c, last))
                            return false;
                        m->next_k = 1;
                        tick(m);
                        m->next_k = 0;
                    }
        m->next_tile = 1;
        tick(m);
        m->next_tile = 0;
    }
    return true;
}

int main(int argc, char **argv)
{
    int64_t n = 300;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--n"))
            n = strtoll(argv[i + 1], nullptr, 10);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 10);
    }
    Verilated::commandArgs(argc, argv);
    Vpk_win2 *m = new Vpk_win2;
    m->rst = 1;
    tick(m);
    m->rst = 0;
    Rng g{seed};
    int64_t done = 0, ksteps = 0;
    while (done < n) {
        Layer L;
        if (!draw(g, L))
            continue;
        if (!run_layer(m, L)) {
            fprintf(stderr, "win2 R=%" PRId64 " seed %" PRIu64 ": layer %" PRId64 " failed\n", R,
                    seed, done);
            delete m;
            return 1;
        }
        ksteps += cdiv(L.d.out_h * L.d.out_w, R) * 2 * L.d.kh * L.d.kwf * L.njc;
        n_fx8 += L.fx == 8;
        done++;
    }
    printf("win2 R=%" PRId64 " seed %" PRIu64 ": %" PRId64 " layers (%" PRId64
           " with fx 8), %" PRId64 " k-steps match pk_v2_ring_place and pk_v2_conv_slot"
           " (slot-mask bits: %" PRId64 " channel, %" PRId64 " other; nsv of %" PRId64 " rows,"
           " %" PRId64 " valid with sub-pixels outside)\n",
           R, seed, done, n_fx8, ksteps, n_mask_chan, n_mask_other, n_nsv, n_nsv_part);
    delete m;
    return 0;
}
