// sys_harness.cpp - system smoke test of pk_core (Verilator).
//
// Builds a 4-layer network image from the formats of ARCHITECTURE_V1.md section
// 5 (fields and sizes from core/pk_contract.def through pk_contract.h)
// (CONV 1x1, CONV 3x3 pad 1 with two channel chunks and three k-chunks,
// POOLMAX 2x2 stride 2 pad 1, EW with residual operand), runs it on the core
// with the behavioural memory of check/harness/pk_tb.h (7.1 exactly, shared
// with pikecheck), and checks
//   (a) STATUS.done is reached without error,
//   (b) every output tensor byte equals a direct C computation that uses
//       core/pk_quant (pk_q_ppu) for the post-processing,
//   (c) CNT_cycles equals an independent per-slot implementation of section
//       7 written here, and (with sim/ built) all counters equal
//       sim/pk_timing's.
// The core parameters are those of CMakeLists.txt (-G...); the constants below
// must match them.  Exit status 0 = pass.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// Pike's contract header first: pk_tb.h's generated pk_regmap.h then skips
// its copy of the same rows (core/pk_contract.def).
extern "C" {
#include "pk_contract.h"
#include "pk_quant.h"
#ifdef PK_HAVE_SIM
#include "pk_compile.h"
#include "pk_timing.h"
#endif
}

#include "Vpk_core.h"
#include "pk_tb.h"
#include "verilated.h"

// ---- the hardware (must match CMakeLists.txt) ----------------------------------------
static const int R = 3, C = 4, V = 4, L = 8, PL = 2, WBD = 8, PBD = 6, PB = 4;
static const int LAT = PK_SYS_LAT, ACC = 24, P = 24;
static const int WB = V * L / 8;
static const int KCM = WBD < PBD ? WBD : PBD;

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int lg2(int x) { return x == 1 ? 0 : x == 2 ? 1 : x == 4 ? 2 : 3; }

// ---- deterministic data ----------------------------------------------------------------
static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}
static int rrange(int lo, int hi) { return lo + (int)(rnd() % (uint32_t)(hi - lo + 1)); }

// ---- layers ------------------------------------------------------------------------------
struct Tensor {
    int h, w, c, b, s;
    uint32_t addr;
    int ps() const { return (int)cdiv((int64_t)c * b, 8); }
};

struct Layer {
    int kind; // PK_KIND_* (core/pk_contract.def)
    int wb, qn, res, rq, pt, act;
    int kh, kw, stride, pad, a_shift, r_shift, act_shift, clip_lo, clip_hi;
    int in, rsd, out; // tensor indices (rsd -1: none)
    uint32_t a_w, a_par;
    std::vector<int> w;                // CONV: [oc][i][j][ic] values
    std::vector<pk_q_params_t> par;    // per channel or one
    // mapping
    int m, vp, ct, J, Ks, M, Mt, Nt, Kc, uses;
};

static std::vector<Tensor> T;
static std::vector<Layer> Ls;
static std::vector<uint8_t> mem(1 << 16);

static uint32_t get_code(const Tensor &t, int y, int x, int ch)
{
    uint32_t bit = (uint32_t)ch * t.b;
    uint32_t base = t.addr + (uint32_t)((y * t.w + x) * t.ps());
    uint32_t v = 0;
    for (int i = 0; i < t.b; i++) {
        uint32_t bb = bit + i;
        v |= (uint32_t)((mem[base + bb / 8] >> (bb % 8)) & 1) << i;
    }
    return v;
}
static void put_code(std::vector<uint8_t> &img, const Tensor &t, int y, int x, int ch, uint32_t v)
{
    uint32_t bit = (uint32_t)ch * t.b;
    uint32_t base = t.addr + (uint32_t)((y * t.w + x) * t.ps());
    for (int i = 0; i < t.b; i++) {
        uint32_t bb = bit + i;
        img[base + bb / 8] = (uint8_t)((img[base + bb / 8] & ~(1u << (bb % 8))) |
                                       (((v >> i) & 1u) << (bb % 8)));
    }
}

static void map_layer(Layer &l)
{
    const Tensor &ti = T[l.in], &to = T[l.out];
    int ab = ti.b;
    l.m = (l.kind == PK_KIND_CONV || l.kind == PK_KIND_DW) ? (l.wb > ab ? l.wb : ab) : ab;
    l.vp = V * L / l.m;
    int cd = C < l.vp ? C : l.vp;
    l.ct = l.kind == PK_KIND_CONV ? C : cd;
    l.J = (int)cdiv(ti.c, l.vp);
    l.Ks = l.kind == PK_KIND_CONV ? l.kh * l.kw * l.J : l.kind == PK_KIND_EW ? 1 : l.kh * l.kw;
    l.M = to.h * to.w;
    l.Mt = (int)cdiv(l.M, R);
    l.Nt = (int)cdiv(to.c, l.ct);
    l.Kc = (int)cdiv(l.Ks, KCM);
    l.uses = l.qn || l.rq || l.act >= 3;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void write_desc(const Layer &l, uint8_t *d)
{
    const Tensor &ti = T[l.in], &to = T[l.out];
    const Tensor *tr = l.rsd >= 0 ? &T[l.rsd] : nullptr;
    uint32_t w[PK_DESC_WORDS] = {0};
    auto put = [&w](int f, int64_t v) { pk_desc_put(w, f, (uint32_t)v); };
    put(PK_DF_KIND, l.kind);
    put(PK_DF_W_LOG2, lg2(l.wb));
    put(PK_DF_A_LOG2, lg2(ti.b));
    put(PK_DF_A_SIGNED, ti.s);
    put(PK_DF_OUT_LOG2, lg2(to.b));
    put(PK_DF_OUT_SIGNED, to.s);
    put(PK_DF_R_LOG2, tr ? lg2(tr->b) : 0);
    put(PK_DF_R_SIGNED, tr ? tr->s : 0);
    put(PK_DF_QN_EN, l.qn);
    put(PK_DF_RES_EN, l.res);
    put(PK_DF_RQ_EN, l.rq);
    put(PK_DF_PER_TENSOR, l.pt);
    put(PK_DF_ACT_MODE, l.act);
    put(PK_DF_IN_H, ti.h);
    put(PK_DF_IN_W, ti.w);
    put(PK_DF_IN_C, ti.c);
    put(PK_DF_OUT_C, to.c);
    put(PK_DF_OUT_H, to.h);
    put(PK_DF_OUT_W, to.w);
    put(PK_DF_KH, l.kh);
    put(PK_DF_KW, l.kw);
    put(PK_DF_STRIDE, l.stride);
    put(PK_DF_PAD, l.pad);
    put(PK_DF_STRIDE_W, l.stride); // word 13: square strides, symmetric padding here
    put(PK_DF_PAD_LEFT, l.pad);
    put(PK_DF_A_SHIFT, l.a_shift);
    put(PK_DF_R_SHIFT, l.r_shift);
    put(PK_DF_CLIP_LO, l.clip_lo);
    put(PK_DF_CLIP_HI, l.clip_hi);
    put(PK_DF_ACT_SHIFT, l.act_shift);
    put(PK_DF_ADDR_IN, ti.addr);
    put(PK_DF_ADDR_W, l.a_w);
    put(PK_DF_ADDR_PARAM, l.a_par);
    put(PK_DF_ADDR_RES, tr ? tr->addr : 0);
    put(PK_DF_ADDR_OUT, to.addr);
    for (int k = 0; k < PK_DESC_WORDS; k++)
        put32(d + 4 * k, w[k]);
}

static void write_weights(const Layer &l, std::vector<uint8_t> &img)
{
    const Tensor &ti = T[l.in], &to = T[l.out];
    uint32_t a = l.a_w;
    for (int nt = 0; nt < l.Nt; nt++)
        for (int k = 0; k < l.Ks; k++)
            for (int c = 0; c < C; c++, a += WB) {
                int oc = nt * C + c;
                if (oc >= to.c)
                    continue;
                int tap = k / l.J, jc = k % l.J, i = tap / l.kw, j = tap % l.kw;
                for (int e = 0; e < l.vp; e++) {
                    int ic = jc * l.vp + e;
                    if (ic >= ti.c)
                        continue;
                    int v = l.w[((oc * l.kh + i) * l.kw + j) * ti.c + ic];
                    uint32_t code = (uint32_t)v & ((1u << l.wb) - 1);
                    pk_q_pack_slot(&img[a], e, l.m, pk_q_widen(code, l.wb, 1, l.m));
                }
            }
}

static void write_params(const Layer &l, std::vector<uint8_t> &img)
{
    for (size_t c = 0; c < l.par.size(); c++) {
        uint8_t *r = &img[l.a_par + PK_PARAM_BYTES * c];
        const pk_q_params_t &p = l.par[c];
        // every field of the record, little-endian at its offset
#define PUT_FIELD(f, N, off, n, sg, t)                                                             \
    for (int k = 0; k < (n); k++)                                                                  \
        r[(off) + k] = (uint8_t)((uint64_t)p.f >> (8 * k));
        PK_PARAM_FIELDS(PUT_FIELD)
#undef PUT_FIELD
    }
}

// ---- reference (direct computation, QUANT.md through pk_quant) ---------------------------
static pk_q_ppu_cfg_t ppu_cfg(const Layer &l)
{
    pk_q_ppu_cfg_t c;
    memset(&c, 0, sizeof c);
    c.w.acc_bits = ACC;
    c.w.p_bits = P;
    c.w.qn_mult_bits = 8;
    c.w.qn_bias_bits = 24;
    c.w.qn_shift_bits = 5;
    c.w.dq_mant_bits = 8;
    c.w.dq_exp_bits = 5;
    c.w.act_param_bits = 8;
    c.w.act_shift_bits = 4;
    c.w.res_shift_bits = 4;
    c.qn_en = l.qn;
    c.res_en = l.res;
    c.rq_en = l.rq;
    c.act_mode = l.act;
    c.act_shift = l.act_shift;
    c.r_shift = l.r_shift;
    c.r_bits = l.rsd >= 0 ? T[l.rsd].b : 1;
    c.r_signed = l.rsd >= 0 ? T[l.rsd].s : 0;
    c.clip_lo = l.clip_lo;
    c.clip_hi = l.clip_hi;
    c.out_bits = T[l.out].b;
    c.out_signed = T[l.out].s;
    return c;
}

static void reference(const Layer &l, std::vector<uint8_t> &img)
{
    const Tensor &ti = T[l.in], &to = T[l.out];
    pk_q_ppu_cfg_t pc = ppu_cfg(l);
    for (int oy = 0; oy < to.h; oy++)
        for (int ox = 0; ox < to.w; ox++)
            for (int oc = 0; oc < to.c; oc++) {
                int64_t acc = 0;
                if (l.kind == PK_KIND_CONV) {
                    for (int i = 0; i < l.kh; i++)
                        for (int j = 0; j < l.kw; j++) {
                            int iy = oy * l.stride - l.pad + i, ix = ox * l.stride - l.pad + j;
                            if (iy < 0 || iy >= ti.h || ix < 0 || ix >= ti.w)
                                continue;
                            for (int ic = 0; ic < ti.c; ic++)
                                acc += (int64_t)l.w[((oc * l.kh + i) * l.kw + j) * ti.c + ic] *
                                       pk_q_decode(get_code(ti, iy, ix, ic), ti.b, ti.s);
                        }
                } else if (l.kind == PK_KIND_POOLMAX) {
                    acc = -(INT64_C(1) << (ACC - 1));
                    for (int i = 0; i < l.kh; i++)
                        for (int j = 0; j < l.kw; j++) {
                            int iy = oy * l.stride - l.pad + i, ix = ox * l.stride - l.pad + j;
                            if (iy < 0 || iy >= ti.h || ix < 0 || ix >= ti.w)
                                continue;
                            int64_t v = pk_q_decode(get_code(ti, iy, ix, oc), ti.b, ti.s);
                            if (v > acc)
                                acc = v;
                        }
                } else if (l.kind == PK_KIND_EW) {
                    acc = pk_q_sat_s(pk_q_decode(get_code(ti, oy, ox, oc), ti.b, ti.s) *
                                         (INT64_C(1) << l.a_shift), ACC);
                }
                uint32_t rc = l.rsd >= 0 ? get_code(T[l.rsd], oy, ox, oc) : 0;
                const pk_q_params_t &p = l.par.empty() ? pk_q_params_t{0, 0, 0, 0, 0, 0, 0, 0, 0}
                                                       : l.par[l.pt ? 0 : oc];
                put_code(img, to, oy, ox, oc, pk_q_ppu(&pc, &p, acc, rc));
            }
}

// ---- section 7, per slot (independent of sim/) ----------------------------------------------
static const int64_t NEG = INT64_MIN / 4;
static int64_t mx(int64_t a, int64_t b) { return a > b ? a : b; }

static int64_t load_job(int64_t s0, const std::vector<int64_t> &slots)
{
    int64_t d = NEG;
    for (size_t i = 0; i < slots.size(); i++)
        if (slots[i] > 0)
            d = mx((int64_t)(s0 + 1 + (int64_t)i) + LAT, d) + cdiv(slots[i], PB);
    return mx(s0 + 1 + (int64_t)slots.size(), d) + 1;
}

static int64_t layer_time(const Layer &l, int64_t start)
{
    const Tensor &ti = T[l.in], &to = T[l.out];
    int64_t e_desc = load_job(start, {PK_DESC_BYTES});
    std::vector<int64_t> el, ec, ep;
    int64_t e_load_prev = e_desc;
    int G = (int)cdiv(l.ct, PL);
    for (int nt = 0; nt < l.Nt; nt++)
        for (int mt = 0; mt < l.Mt; mt++)
            for (int q = 0; q < l.Kc; q++) {
                int n0 = nt * l.ct, ncv = std::min(l.ct, to.c - n0);
                int k0 = q * KCM, k1 = std::min(k0 + KCM, l.Ks);
                int t = nt * l.Mt + mt;
                int s = (int)ec.size();
                bool lp = l.uses && mt == 0 && q == 0;
                bool lr = l.res && q == l.Kc - 1;
                std::vector<int64_t> sl;
                if (lp)
                    sl.push_back(PK_PARAM_BYTES * (l.pt ? 1 : ncv));
                if ((l.kind == PK_KIND_CONV || l.kind == PK_KIND_DW) && (l.Kc > 1 || mt == 0))
                    sl.push_back((int64_t)(k1 - k0) * C * WB);
                for (int k = k0; k < k1; k++)
                    for (int r = 0; r < R; r++) {
                        int p = mt * R + r;
                        int oy = p / to.w, ox = p % to.w, i, j, cnt;
                        if (l.kind == PK_KIND_CONV) {
                            int tap = k / l.J, jc = k % l.J;
                            i = tap / l.kw;
                            j = tap % l.kw;
                            cnt = std::min(l.vp, ti.c - jc * l.vp);
                        } else {
                            i = k / l.kw;
                            j = k % l.kw;
                            cnt = std::min(l.ct, ti.c - n0);
                        }
                        int iy = l.kind == PK_KIND_EW ? oy : oy * l.stride - l.pad + i;
                        int ix = l.kind == PK_KIND_EW ? ox : ox * l.stride - l.pad + j;
                        bool ok = p < l.M && iy >= 0 && iy < ti.h && ix >= 0 && ix < ti.w;
                        sl.push_back(ok ? cdiv((int64_t)cnt * ti.b, 8) : 0);
                    }
                if (lr)
                    for (int r = 0; r < R; r++)
                        sl.push_back(mt * R + r < l.M ? cdiv((int64_t)ncv * T[l.rsd].b, 8) : 0);
                int64_t sld = mx(mx(e_load_prev, s >= 2 ? ec[s - 2] : NEG),
                                 (lp || lr) && t >= 2 ? ep[t - 2] : NEG);
                int64_t eld = load_job(sld, sl);
                int64_t scp = mx(mx(eld, s >= 1 ? ec[s - 1] : NEG), q == 0 && t >= 2 ? ep[t - 2] : NEG);
                ec.push_back(scp + (l.kind == PK_KIND_EW ? 1 : k1 - k0) + PK_ARRAY_LAT);
                e_load_prev = eld;
                if (q == l.Kc - 1) {
                    int nrows = std::min(R, l.M - mt * R);
                    int64_t W = nrows * cdiv(cdiv((int64_t)ncv * to.b, 8), PB);
                    int64_t sp = mx(ec.back(), t >= 1 ? ep[t - 1] : NEG);
                    ep.push_back(sp + (int64_t)R * G + PK_PPU_LAT + W + 1);
                }
            }
    return ep.back();
}

// ---- the simulation ---------------------------------------------------------------------------
int main(int argc, char **argv)
{
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 0);
    rng_state = seed;
    printf("sys_smoke: seed %llu, R=%d C=%d V=%d L=%d PL=%d kc_max=%d PB=%d LAT=%d\n",
           (unsigned long long)seed, R, C, V, L, PL, KCM, PB, LAT);

    // tensors: input, L0 out, L1 out, L2 out, B (EW operand), L3 out
    T = {{5, 5, 6, 4, 0, 0x2000}, {5, 5, 6, 4, 0, 0x3000}, {5, 5, 5, 8, 1, 0x4000},
         {3, 3, 5, 8, 1, 0x5000}, {3, 3, 5, 4, 1, 0x6000}, {3, 3, 5, 4, 1, 0x7000}};
    Ls.resize(4);
    Layer &l0 = Ls[0], &l1 = Ls[1], &l2 = Ls[2], &l3 = Ls[3];
    l0 = Layer{};
    l0.kind = PK_KIND_CONV; l0.wb = 4; l0.qn = 1; l0.rq = 1; l0.act = 1; l0.kh = l0.kw = 1; l0.stride = 1;
    l0.in = 0; l0.rsd = -1; l0.out = 1; l0.a_w = 0x0600; l0.a_par = 0x0200;
    l0.clip_lo = 0; l0.clip_hi = 15;
    l1 = Layer{};
    l1.kind = PK_KIND_CONV; l1.wb = 8; l1.qn = 1; l1.act = 3; l1.act_shift = 2; l1.kh = l1.kw = 3;
    l1.stride = 1; l1.pad = 1; l1.in = 1; l1.rsd = -1; l1.out = 2; l1.a_w = 0x0800;
    l1.a_par = 0x0400; l1.clip_lo = -128; l1.clip_hi = 127;
    l2 = Layer{};
    l2.kind = PK_KIND_POOLMAX; l2.wb = 1; l2.kh = l2.kw = 2; l2.stride = 2; l2.pad = 1; l2.in = 2; l2.rsd = -1;
    l2.out = 3; l2.clip_lo = -128; l2.clip_hi = 127;
    l3 = Layer{};
    l3.kind = PK_KIND_EW; l3.wb = 1; l3.res = 1; l3.rq = 1; l3.pt = 1; l3.act = 2; l3.kh = l3.kw = 1;
    l3.stride = 1; l3.a_shift = 1; l3.r_shift = 2; l3.clip_lo = -5; l3.clip_hi = 6;
    l3.in = 3; l3.rsd = 4; l3.out = 5; l3.a_par = 0x0500;
    for (auto &l : Ls)
        map_layer(l);

    // weights and parameters
    for (int li = 0; li < 2; li++) {
        Layer &l = Ls[li];
        int n = T[l.out].c * l.kh * l.kw * T[l.in].c, h = (1 << (l.wb - 1)) - 1;
        for (int i = 0; i < n; i++)
            l.w.push_back(rrange(-h, h));
    }
    for (int c = 0; c < 6; c++)
        l0.par.push_back({rrange(1, 30), rrange(2, 6), rrange(5, 9), rrange(-300, 300),
                          rrange(1, 200), rrange(-20, 20), 0, 0, 0});
    for (int c = 0; c < 5; c++)
        l1.par.push_back({rrange(-40, 40), rrange(3, 7), 0, rrange(-500, 500), 0,
                          rrange(1, 60), 0, 0, 0});
    // per-tensor: the record is repeated for every channel (section 6 reads
    // addr_param + n0 * PK_PARAM_BYTES for every n-tile, as pk_compile lays it out)
    for (int c = 0; c < 5; c++)
        l3.par.push_back({0, 0, 3, 0, 5, 0, 0, 0, 0});

    // memory image: descriptors at 0, parameters, weights, input tensors
    std::vector<uint8_t> img(mem.size(), 0);
    for (int li = 0; li < 4; li++)
        write_desc(Ls[li], &img[PK_DESC_BYTES * li]);
    for (auto &l : Ls) {
        if (!l.par.empty())
            write_params(l, img);
        if (l.kind == PK_KIND_CONV)
            write_weights(l, img);
    }
    for (int ti : {0, 4})
        for (int y = 0; y < T[ti].h; y++)
            for (int x = 0; x < T[ti].w; x++)
                for (int c = 0; c < T[ti].c; c++)
                    put_code(img, T[ti], y, x, c, rnd() & ((1u << T[ti].b) - 1));
    mem = img;

    // expected: run the reference layer by layer on a copy
    std::vector<uint8_t> keep = mem;
    for (auto &l : Ls) {
        std::vector<uint8_t> out = mem;
        reference(l, out);
        mem = out;
    }
    std::vector<uint8_t> expect = mem;
    mem = keep;

    // ---- run the core (bench: check/harness/pk_tb.h, the 7.1 memory) ----
    Verilated::commandArgs(argc, argv);
    Vpk_core *top = new Vpk_core;
    pk_tb::Bench<Vpk_core> tb(top, PB, LAT);
    tb.mem = mem;
    tb.reset();
    int fails = 0;
    uint32_t id = tb.host_read(PK_REG_ID);
    if (id != PK_ID_VALUE) {
        printf("FAIL: ID register reads 0x%08x\n", id);
        fails++;
    }
    int64_t irq_after = tb.run(0, 4, 200000);
    uint32_t status = tb.host_read(PK_REG_STATUS);
    printf("(a) done: %s (STATUS = 0x%x, irq seen %lld cycles after start)\n",
           (status & PK_STATUS_DONE) && !(status & PK_STATUS_ERROR) ? "yes" : "NO", status,
           (long long)irq_after);
    if (!(status & PK_STATUS_DONE) || (status & PK_STATUS_ERROR) || irq_after < 0)
        fails++;
    if (tb.fault) {
        printf("FAIL: access outside the memory at 0x%llx\n", (unsigned long long)tb.fault_addr);
        fails++;
    }
    mem = tb.mem;

    // (b) outputs
    int bad_bytes = 0;
    for (int ti = 1; ti < (int)T.size(); ti++) {
        if (ti == 4)
            continue;
        int64_t n = (int64_t)T[ti].h * T[ti].w * T[ti].ps();
        int bad = 0;
        for (int64_t i = 0; i < n; i++)
            if (mem[T[ti].addr + i] != expect[T[ti].addr + i]) {
                if (bad < 5)
                    printf("    tensor %d byte %lld: got 0x%02x want 0x%02x\n", ti, (long long)i,
                           mem[T[ti].addr + i], expect[T[ti].addr + i]);
                bad++;
            }
        printf("(b) tensor %d (%dx%dx%d, %d-bit): %lld bytes, %d differ\n", ti, T[ti].h, T[ti].w,
               T[ti].c, T[ti].b, (long long)n, bad);
        bad_bytes += bad;
    }
    if (bad_bytes)
        fails++;

    // (c) counters
    uint64_t cnt[pk_tb::N_COUNTERS];
    tb.counters(cnt);
    int64_t t = 0;
    for (auto &l : Ls)
        t = layer_time(l, t);
    printf("(c) cycles: RTL %llu, section-7 routine %lld\n", (unsigned long long)cnt[0],
           (long long)t);
    if ((int64_t)cnt[0] != t)
        fails++;
#ifdef PK_HAVE_SIM
    {
        pk_config_t cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.array.rows = R;
        cfg.array.cols = C;
        cfg.array.lanes = V;
        cfg.postproc.lanes = PL;
        cfg.offchip.latency = LAT;
        cfg.offchip.bytes_per_cycle = PB;
        cfg.d.word_bytes = WB;
        cfg.d.kc_max = KCM;
        std::vector<pk_hwlayer_t> hl(Ls.size());
        for (size_t i = 0; i < Ls.size(); i++) {
            const Layer &l = Ls[i];
            pk_hwlayer_t &h = hl[i];
            memset(&h, 0, sizeof h);
            const Tensor &ti = T[l.in], &to = T[l.out];
            h.kind = (pk_hwkind_t)l.kind;
            h.w_bits = l.wb;
            h.a_bits = ti.b;
            h.out_bits = to.b;
            h.r_bits = l.rsd >= 0 ? T[l.rsd].b : 0;
            h.qn_en = l.qn;
            h.res_en = l.res;
            h.rq_en = l.rq;
            h.per_tensor = l.pt;
            h.act = l.act;
            h.in_h = ti.h;
            h.in_w = ti.w;
            h.in_c = ti.c;
            h.out_h = to.h;
            h.out_w = to.w;
            h.out_c = to.c;
            h.kh = l.kh;
            h.kw = l.kw;
            h.stride = h.stride_w = l.stride;
            h.pad = h.pad_l = l.pad;
            h.mode = l.m;
            h.vp = l.vp;
            h.ct = l.ct;
            h.M = l.M;
            h.Mt = l.Mt;
            h.Nt = l.Nt;
            h.J = l.J;
            h.Ks = l.Ks;
            h.Kc = l.Kc;
            h.uses_params = l.uses;
        }
        pk_hwnet_t hw;
        memset(&hw, 0, sizeof hw);
        hw.cfg = &cfg;
        hw.n_layers = (int)hl.size();
        hw.layers = hl.data();
        pk_counters_t tot;
        pk_timing_run(&hw, nullptr, &tot);
        int bad = 0;
        for (int i = 0; i < PK_CNT_COUNT; i++) {
            bool ok = tot.v[i] == cnt[i];
            printf("    %-14s RTL %10llu  pk_timing %10llu%s\n", pk_counter_name(i),
                   (unsigned long long)cnt[i], (unsigned long long)tot.v[i], ok ? "" : "  <-- differs");
            bad += !ok;
        }
        printf("(c) counters equal to sim/pk_timing: %d of %d\n", PK_CNT_COUNT - bad, PK_CNT_COUNT);
        if (bad)
            fails++;
    }
#endif
    delete top;
    printf("sys_smoke: %s\n", fails ? "FAIL" : "PASS");
    return fails ? 1 : 0;
}
