// dp_harness.cpp - bit-exact check of the datapath RTL units against the C
// reference (core/pk_quant.h).
//
// One Verilated model of pk_dp_top per parameter set (the set's widths come in
// as PK_* compile definitions, identical to the -G overrides the model was
// built with).  `dp_<set> --unit U [--n N] [--seed S]` drives N random vectors
// (default 20000) plus the unit's systematic edge cases into unit U, compares
// every output with the pk_q_* function, prints the first mismatch with all
// inputs and exits 1; exits 0 when every vector matched.  Random streams are
// splitmix64 from the given seed (printed in every result line).
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_dp_top.h"
#include "verilated.h"

extern "C" {
#include "pk_quant.h"
}

#ifndef PK_SET_NAME
#error "PK_SET_NAME and the PK_* widths come from tests/rtl/CMakeLists.txt"
#endif

static const int V = PK_LANES, L = PK_SLOT_BITS, MODES = PK_MODES, A = PK_ACC_BITS,
                 P = PK_P_BITS, QNM = PK_QNM, QNB = PK_QNB, QNS = PK_QNS, DQM = PK_DQM,
                 DQE = PK_DQE, APB = PK_APB, ASB = PK_ASB, RSB = PK_RSB,
                 ACT_MASK = PK_ACT_MASK, RES_EN = PK_RES_EN;
static const int WORD_BITS = V * L, WORD_BYTES = WORD_BITS / 8;
static const int ASB_EFF = ASB < 4 ? ASB : 4, RSB_EFF = RSB < 4 ? RSB : 4;
static const int AW = P > 16 ? P : 16;

// ---- random numbers -------------------------------------------------------
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int below(int n) { return (int)(next() % (uint64_t)n); }
    bool chance(int pct) { return below(100) < pct; }
};

static uint64_t mask(int w) { return w >= 64 ? ~0ull : ((1ull << w) - 1); }
static int64_t smin(int w) { return -(int64_t)(1ull << (w - 1)); }
static int64_t smax(int w) { return (int64_t)((1ull << (w - 1)) - 1); }

// A value of an n-bit field, biased to the edges: the extremes and their
// neighbours, small magnitudes (where rounding of negatives shows), or any.
static int64_t pick(Rng &r, int w, bool is_signed)
{
    int64_t lo = is_signed ? smin(w) : 0, hi = is_signed ? smax(w) : (int64_t)mask(w);
    switch (r.below(8)) {
    case 0: {
        const int64_t e[] = {lo, lo + 1, hi, hi - 1, 0, 1, -1, -2};
        int64_t v = e[r.below(8)];
        return v < lo ? lo : v > hi ? hi : v;
    }
    case 1:
    case 2: {
        int64_t v = (int64_t)r.below(65) - 32;
        return v < lo ? lo : v > hi ? hi : v;
    }
    default:
        return is_signed ? pk_q_sx(r.next(), w) : pk_q_zx(r.next(), w);
    }
}

// ---- Verilator port access ------------------------------------------------
template <typename T> static void setv(T &port, uint64_t v, int w) { port = (T)(v & mask(w)); }
template <typename T> static uint64_t getv(const T &port) { return (uint64_t)port; }
template <typename T> static void set_word(T &port, const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < WORD_BYTES; i++)
        v |= (uint64_t)b[i] << (8 * i);
    port = (T)v;
}
template <std::size_t N> static void set_word(VlWide<N> &port, const uint8_t *b)
{
    for (std::size_t i = 0; i < N; i++) {
        uint32_t v = 0;
        for (int k = 0; k < 4 && (int)(4 * i) + k < WORD_BYTES; k++)
            v |= (uint32_t)b[4 * i + k] << (8 * k);
        port[i] = v;
    }
}

static std::string hexword(const uint8_t *b)
{
    std::string s = "0x";
    char t[3];
    for (int i = WORD_BYTES - 1; i >= 0; i--) {
        snprintf(t, sizeof t, "%02x", b[i]);
        s += t;
    }
    return s;
}

struct Ctx {
    Vpk_dp_top *top;
    Rng rng;
    uint64_t seed;
    const char *unit;
    long vectors = 0;
};

static int fail(Ctx &c, const char *what)
{
    fprintf(stderr, "rtl %s %s: MISMATCH at vector %ld (seed %" PRIu64 "): %s\n", PK_SET_NAME,
            c.unit, c.vectors, c.seed, what);
    return 1;
}

static void tick(Ctx &c)
{
    c.top->clk = 0;
    c.top->eval();
    c.top->clk = 1;
    c.top->eval();
}

// ---- supported modes ------------------------------------------------------
static bool mode_built(int log2m) { return ((MODES >> log2m) & 1) && (1 << log2m) <= L; }

static int pick_mode(Rng &r)
{
    for (;;) {
        int m = r.below(4);
        if (mode_built(m))
            return m;
    }
}

// A word: random, all slots most negative, all ones, or all zeros.
static void pick_word(Rng &r, uint8_t *w, int m)
{
    int kind = r.below(10);
    int vp = WORD_BITS / m;
    for (int i = 0; i < WORD_BYTES; i++)
        w[i] = kind == 1 ? 0xFF : kind == 2 ? 0x00 : (uint8_t)r.next();
    if (kind == 0)
        for (int e = 0; e < vp; e++)
            pk_q_pack_slot(w, e, m, 1u << (m - 1));
}

// PK_NARROW (a set built with pk_dp_top NARROW = 1: pk_dot / pk_pe as
// pk_array instantiates them, PREMASKED = 1 and OPND_BITS = L + 1): the
// activation word's slots >= nvalid are zeroed, as pk_array does, and ops max
// and load get pooling words only (one activation times +1).
#ifndef PK_NARROW
#define PK_NARROW 0
#endif
static void premask(uint8_t *a, int m, int nv)
{
    if (!PK_NARROW || m > L)
        return;
    for (int e = nv < 0 ? 0 : nv; e < WORD_BITS / m; e++)
        pk_q_pack_slot(a, e, m, 0);
}

static int pick_nvalid(Rng &r, int vp)
{
    switch (r.below(10)) {
    case 0: return 0;
    case 1: return vp;
    case 2: return vp + 1 + r.below(3);
    case 3: return 65535;
    default: return r.below(vp + 1);
    }
}

// ---- pk_dot ---------------------------------------------------------------
// One vector through pk_dot against pk_q_dot (0 for a mode that is not built).
static int dot_one(Ctx &c, int lm, int as, int nv, const uint8_t *w, const uint8_t *a_in)
{
    int m = 1 << lm;
    uint8_t a[WORD_BYTES];
    memcpy(a, a_in, sizeof a);
    premask(a, m, nv);
    c.vectors++;
    setv(c.top->dot_mode, (uint64_t)lm, 2);
    c.top->dot_asigned = as;
    setv(c.top->dot_nvalid, (uint64_t)nv, 16);
    set_word(c.top->dot_w, w);
    set_word(c.top->dot_a, a);
    c.top->eval();
    int64_t exp = mode_built(lm) ? pk_q_sx((uint64_t)pk_q_dot(w, a, V, L, m, as, nv), A) : 0;
    int64_t got = pk_q_sx(getv(c.top->dot_out), A);
    if (exp == got)
        return 0;
    char msg[512];
    snprintf(msg, sizeof msg,
             "mode=%d a_signed=%d nvalid=%d w=%s a=%s: expected %" PRId64 " got %" PRId64, m, as,
             nv, hexword(w).c_str(), hexword(a).c_str(), exp, got);
    return fail(c, msg);
}

// Systematic part, per built mode m and a_signed: every (w, a) code pair of
// a mode m <= 4 at every slot position of a lane.  That position of every
// lane holds the pair and the other slots random codes; checked with all
// slots valid, with nvalid ending right after the pair's first occurrence,
// and with the other weights zeroed (the pair's products alone).  Then every
// nvalid in 0..VP+1 on random words.  Mode 8 (65,536 pairs per sign) is left
// to the random part.
static int dot_systematic(Ctx &c)
{
    uint8_t w[WORD_BYTES], a[WORD_BYTES];
    for (int lm = 0; lm < 4; lm++) {
        int m = 1 << lm;
        if (!mode_built(lm))
            continue;
        int vp = WORD_BITS / m, spl = L / m;
        for (int as = 0; as < 2; as++) {
            for (uint32_t wc = 0; m <= 4 && wc < (1u << m); wc++)
                for (uint32_t ac = 0; ac < (1u << m); ac++)
                    for (int pos = 0; pos < spl; pos++) {
                        pick_word(c.rng, w, m);
                        pick_word(c.rng, a, m);
                        for (int e = pos; e < vp; e += spl) {
                            pk_q_pack_slot(w, e, m, wc);
                            pk_q_pack_slot(a, e, m, ac);
                        }
                        if (dot_one(c, lm, as, vp, w, a) || dot_one(c, lm, as, pos + 1, w, a))
                            return 1;
                        for (int e = 0; e < vp; e++)
                            if (e % spl != pos)
                                pk_q_pack_slot(w, e, m, 0);
                        if (dot_one(c, lm, as, vp, w, a))
                            return 1;
                    }
            for (int nv = 0; nv <= vp + 1; nv++) {
                pick_word(c.rng, w, m);
                pick_word(c.rng, a, m);
                if (dot_one(c, lm, as, nv, w, a))
                    return 1;
            }
        }
    }
    return 0;
}

static int run_dot(Ctx &c, long n)
{
    uint8_t w[WORD_BYTES], a[WORD_BYTES];
    if (dot_systematic(c))
        return 1;
    for (long i = 0; i < n; i++) {
        int lm = c.rng.below(10) == 0 ? c.rng.below(4) : pick_mode(c.rng); // some unbuilt
        int m = 1 << lm;
        int mm = m <= L ? m : L;
        pick_word(c.rng, w, mm);
        pick_word(c.rng, a, mm);
        int as = c.rng.below(2);
        int vp = WORD_BITS / mm;
        if (dot_one(c, lm, as, pick_nvalid(c.rng, vp), w, a))
            return 1;
    }
    return 0;
}

// ---- pk_pe (and pooling through it) ---------------------------------------
struct PeIn {
    int valid, op, first, bank, ash, nvalid;
    int64_t dot;
};

static int run_pe(Ctx &c, long n, bool pool_only)
{
    int64_t acc[2] = {0, 0};
    PeIn pend = {0, 0, 0, 0, 0, 0, 0};
    uint8_t w[WORD_BYTES], a[WORD_BYTES];
    c.top->rst = 1;
    tick(c);
    tick(c);
    c.top->rst = 0;
    for (long i = 0; i < n; i++, c.vectors++) {
        int rst = c.rng.below(1000) == 0;
        int lm = pick_mode(c.rng), m = 1 << lm, as = c.rng.below(2), nv, op;
        bool pool = pool_only || c.rng.chance(25);
        if (pool) {
            // ARCHITECTURE_V1.md: +1 in weight slot 0, the activation in slot 0
            memset(w, 0, sizeof w);
            pick_word(c.rng, a, m);
            pk_q_pack_slot(w, 0, m, 1u); // +1: bit 1 (m = 1) or code 1
            nv = c.rng.chance(15) ? 0 : 1;
            op = c.rng.below(PK_NARROW ? 3 : 2);   // narrow: EW loads too
        } else {
            pick_word(c.rng, w, m);
            pick_word(c.rng, a, m);
            nv = pick_nvalid(c.rng, WORD_BITS / m);
            op = c.rng.below(16) == 0 ? 3 : PK_NARROW ? 0 : c.rng.below(3);
        }
        premask(a, m, nv);
        PeIn in;
        in.valid = c.rng.chance(85);
        in.op = op;
        in.first = c.rng.chance(20);
        in.bank = c.rng.below(2);
        in.ash = c.rng.below(16);
        in.nvalid = nv;
        in.dot = pk_q_sx((uint64_t)pk_q_dot(w, a, V, L, m, as, nv), A);
        int rd = c.rng.below(2);

        c.top->rst = rst;
        c.top->pe_in_valid = in.valid;
        setv(c.top->pe_mode, (uint64_t)lm, 2);
        c.top->pe_asigned = as;
        setv(c.top->pe_nvalid, (uint64_t)nv, 16);
        set_word(c.top->pe_w, w);
        set_word(c.top->pe_a, a);
        setv(c.top->pe_op, (uint64_t)op, 2);
        c.top->pe_first = in.first;
        c.top->pe_bank = in.bank;
        setv(c.top->pe_ashift, (uint64_t)in.ash, 4);
        c.top->pe_rd_bank = rd;
        c.top->clk = 0;
        c.top->eval();
        int64_t got = pk_q_sx(getv(c.top->pe_rd_acc), A);
        if (got != acc[rd]) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "bank %d read %" PRId64 ", expected %" PRId64 " (last update: op=%d first=%d "
                     "bank=%d a_shift=%d nvalid=%d dot=%" PRId64 " valid=%d)",
                     rd, got, acc[rd], pend.op, pend.first, pend.bank, pend.ash, pend.nvalid,
                     pend.dot, pend.valid);
            return fail(c, msg);
        }
        // the clock edge: stage 2 applies the registered word, stage 1 takes
        // this cycle's word
        if (rst) {
            acc[0] = acc[1] = 0;
            pend.valid = 0;
        } else {
            if (pend.valid)
                acc[pend.bank] = pk_q_sx((uint64_t)pk_q_acc_update(pend.op, acc[pend.bank],
                                                                   pend.dot, pend.first,
                                                                   pend.ash, pend.nvalid, A),
                                         A); // a sum beyond acc_bits wraps, as in the RTL
            pend = in;
        }
        c.top->clk = 1;
        c.top->eval();
    }
    return 0;
}

// ---- combinational PPU stages ---------------------------------------------
#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            char msg_[2048];                                                                \
            snprintf(msg_, sizeof msg_, __VA_ARGS__);                                      \
            return fail(c, msg_);                                                          \
        }                                                                                  \
    } while (0)

static int check_rshr(Ctx &c, int64_t x, int s)
{
    for (int rm = 0; rm < 2; rm++) {
        setv(c.top->rs_x, (uint64_t)x, P);
        setv(c.top->rs_s, (uint64_t)s, 6);
        c.top->rne = rm;
        c.top->eval();
        int64_t exp = pk_q_rshr_rm(x, s, rm), got = pk_q_sx(getv(c.top->rs_y), P);
        c.vectors++;
        CHECK(exp == got, "rshr(x=%" PRId64 ", s=%d, rounding %d): expected %" PRId64
              " got %" PRId64, x, s, rm, exp, got);
    }
    return 0;
}

static int run_rshr(Ctx &c, long n)
{
    const int64_t xs[] = {smin(P), smin(P) + 1, smax(P), -1, 0, 1, -5, -6, -7, 5, 6, 7, -3,
                          -2, 2, 3};
    for (int64_t x : xs)
        for (int s = 0; s < 64; s++)
            if (check_rshr(c, x, s))
                return 1;
    for (long i = 0; i < n; i++) {
        int s = c.rng.chance(70) ? c.rng.below(P + 2) : c.rng.below(64);
        if (check_rshr(c, pick(c.rng, P, true), s))
            return 1;
    }
    return 0;
}

static int check_qn(Ctx &c, int64_t x, int64_t m, int64_t b, int s)
{
    setv(c.top->qn_x, (uint64_t)x, P);
    setv(c.top->qn_m, (uint64_t)m, QNM);
    setv(c.top->qn_b, (uint64_t)b, QNB);
    setv(c.top->qn_s, (uint64_t)s, QNS);
    int rm = c.rng.below(2);
    c.top->rne = rm;
    c.top->eval();
    int64_t exp = pk_q_quantnorm_rm(x, m, b, s, P, rm), got = pk_q_sx(getv(c.top->qn_y), P);
    c.vectors++;
    CHECK(exp == got,
          "quantnorm(x=%" PRId64 ", m=%" PRId64 ", b=%" PRId64 ", s=%d, rounding %d): expected %"
          PRId64 " got %" PRId64,
          x, m, b, s, rm, exp, got);
    return 0;
}

static int run_quantnorm(Ctx &c, long n)
{
    const int64_t xs[] = {smin(P), smax(P), -1, 0, 1, -3};
    const int64_t ms[] = {smin(QNM), smax(QNM), -1, 0, 1};
    const int64_t bs[] = {smin(QNB), smax(QNB), -1, 0, 1};
    const int ss[] = {0, 1, 2, (int)mask(QNS)};
    for (int64_t x : xs)
        for (int64_t m : ms)
            for (int64_t b : bs)
                for (int s : ss)
                    if (s <= (int)mask(QNS) && check_qn(c, x, m, b, s))
                        return 1;
    for (long i = 0; i < n; i++)
        if (check_qn(c, pick(c.rng, P, true), pick(c.rng, QNM, true), pick(c.rng, QNB, true),
                     (int)pick(c.rng, QNS, false)))
            return 1;
    return 0;
}

static int check_ra(Ctx &c, int64_t x, uint32_t code, int lg, int sg, int sh)
{
    setv(c.top->ra_x, (uint64_t)x, P);
    setv(c.top->ra_code, code, 8);
    setv(c.top->ra_log2, (uint64_t)lg, 2);
    c.top->ra_signed = sg;
    setv(c.top->ra_sh, (uint64_t)sh, RSB_EFF);
    c.top->eval();
    int64_t rv = pk_q_decode(code, 1 << lg, sg);
    int64_t got_rv = pk_q_sx(getv(c.top->ra_rval), 9);
    int64_t exp = pk_q_resadd(x, rv, sh, P), got = pk_q_sx(getv(c.top->ra_y), P);
    c.vectors++;
    CHECK(rv == got_rv, "decode(code=0x%02x, bits=%d, signed=%d): expected %" PRId64
          " got %" PRId64, code, 1 << lg, sg, rv, got_rv);
    CHECK(exp == got,
          "resadd(x=%" PRId64 ", r=%" PRId64 " (code 0x%02x bits %d signed %d), shift=%d): "
          "expected %" PRId64 " got %" PRId64,
          x, rv, code, 1 << lg, sg, sh, exp, got);
    return 0;
}

static int run_resadd(Ctx &c, long n)
{
    const int64_t xs[] = {smin(P), smax(P), -1, 0, 1};
    const uint32_t codes[] = {0x00, 0x01, 0x80, 0x7F, 0xFF, 0x08, 0x02};
    for (int64_t x : xs)
        for (uint32_t code : codes)
            for (int lg = 0; lg < 4; lg++)
                for (int sg = 0; sg < 2; sg++)
                    for (int sh : {0, (int)mask(RSB_EFF)})
                        if (check_ra(c, x, code, lg, sg, sh))
                            return 1;
    for (long i = 0; i < n; i++)
        if (check_ra(c, pick(c.rng, P, true), (uint32_t)c.rng.below(256), c.rng.below(4),
                     c.rng.below(2), (int)pick(c.rng, RSB_EFF, false)))
            return 1;
    return 0;
}

static int check_rq(Ctx &c, int64_t x, int64_t M, int E)
{
    setv(c.top->rq_x, (uint64_t)x, P);
    setv(c.top->rq_M, (uint64_t)M, DQM);
    setv(c.top->rq_E, (uint64_t)E, DQE);
    int rm = c.rng.below(2);
    c.top->rne = rm;
    c.top->eval();
    int64_t exp = pk_q_requant_rm(x, M, E, P, rm), got = pk_q_sx(getv(c.top->rq_y), P);
    c.vectors++;
    CHECK(exp == got,
          "requant(x=%" PRId64 ", M=%" PRId64 ", E=%d, rounding %d): expected %" PRId64
          " got %" PRId64, x, M, E, rm, exp, got);
    return 0;
}

static int run_requant(Ctx &c, long n)
{
    const int64_t xs[] = {smin(P), smax(P), -1, 0, 1, -3};
    const int64_t Ms[] = {0, 1, (int64_t)mask(DQM), (int64_t)mask(DQM) - 1};
    for (int64_t x : xs)
        for (int64_t M : Ms)
            for (int E = 0; E <= (int)mask(DQE); E++)
                if (check_rq(c, x, M, E))
                    return 1;
    for (long i = 0; i < n; i++)
        if (check_rq(c, pick(c.rng, P, true), pick(c.rng, DQM, false),
                     (int)pick(c.rng, DQE, false)))
            return 1;
    return 0;
}

static bool act_built(int mode) { return mode == 0 || mode > 5 || ((ACT_MASK >> mode) & 1); }

static int pick_act(Rng &r)
{
    for (;;) {
        int m = r.below(8);
        if (act_built(m))
            return m;
    }
}

static int run_act(Ctx &c, long n)
{
    for (long i = 0; i < n; i++) {
        int mode = pick_act(c.rng);
        int64_t x = pick(c.rng, P, true), an = pick(c.rng, APB, true),
                ap = pick(c.rng, APB, true), g = pick(c.rng, 16, true),
                z = pick(c.rng, 16, true), lo = pick(c.rng, 16, true),
                hi = pick(c.rng, 16, true);
        int sh = (int)pick(c.rng, ASB_EFF, false);
        if (c.rng.chance(50) && lo > hi) { int64_t t = lo; lo = hi; hi = t; }
        setv(c.top->act_x, (uint64_t)x, P);
        setv(c.top->act_mode, (uint64_t)mode, 3);
        setv(c.top->act_an, (uint64_t)an, APB);
        setv(c.top->act_ap, (uint64_t)ap, APB);
        setv(c.top->act_g, (uint64_t)g, 16);
        setv(c.top->act_z, (uint64_t)z, 16);
        setv(c.top->act_sh, (uint64_t)sh, ASB_EFF);
        setv(c.top->act_lo, (uint64_t)lo, 16);
        setv(c.top->act_hi, (uint64_t)hi, 16);
        int rm = c.rng.below(2);
        c.top->rne = rm;
        c.top->eval();
        int64_t exp = pk_q_act_rm(x, mode, an, ap, g, z, sh, lo, hi, P, rm);
        int64_t got = pk_q_sx(getv(c.top->act_y), AW);
        c.vectors++;
        CHECK(exp == got,
              "act(x=%" PRId64 ", mode=%d, an=%" PRId64 ", ap=%" PRId64 ", g=%" PRId64
              ", z=%" PRId64 ", shift=%d, clip=[%" PRId64 ", %" PRId64 "], rounding %d): "
              "expected %" PRId64 " got %" PRId64,
              x, mode, an, ap, g, z, sh, lo, hi, rm, exp, got);
    }
    return 0;
}

static int check_sat(Ctx &c, int64_t x, int lg, int sg)
{
    setv(c.top->sat_x, (uint64_t)x, P);
    setv(c.top->sat_log2, (uint64_t)lg, 2);
    c.top->sat_signed = sg;
    c.top->eval();
    uint32_t exp = pk_q_out_code(x, 1 << lg, sg), got = (uint32_t)getv(c.top->sat_code);
    c.vectors++;
    CHECK(exp == got, "out_code(x=%" PRId64 ", bits=%d, signed=%d): expected 0x%02x got 0x%02x",
          x, 1 << lg, sg, exp, got);
    return 0;
}

static int run_sat(Ctx &c, long n)
{
    for (int lg = 0; lg < 4; lg++)
        for (int sg = 0; sg < 2; sg++)
            for (int64_t x : {smin(P), smax(P), (int64_t)-1, (int64_t)0, (int64_t)1,
                              (int64_t)-128, (int64_t)-129, (int64_t)127, (int64_t)128,
                              (int64_t)255, (int64_t)256, (int64_t)-8, (int64_t)-9,
                              (int64_t)7, (int64_t)8, (int64_t)15, (int64_t)16})
                if (x >= smin(P) && x <= smax(P) && check_sat(c, x, lg, sg))
                    return 1;
    for (long i = 0; i < n; i++)
        if (check_sat(c, pick(c.rng, P, true), c.rng.below(4), c.rng.below(2)))
            return 1;
    return 0;
}

// ---- pk_ppu: the whole chain, pipelined -----------------------------------
struct PpuVec {
    pk_q_ppu_cfg_t cfg;
    pk_q_params_t p;
    int64_t acc;
    uint32_t r_code;
    int valid;
    uint32_t code;
};

static void describe(const PpuVec &v, char *buf, size_t n)
{
    snprintf(buf, n,
             "acc=%" PRId64 " m=%" PRId64 " s=%" PRId64 " E=%" PRId64 " b=%" PRId64 " M=%" PRId64
             " an=%" PRId64 " ap=%" PRId64 " g=%" PRId64 " z=%" PRId64
             " r_code=0x%02x r_bits=%d r_signed=%d qn_en=%d res_en=%d rq_en=%d act=%d "
             "act_shift=%d r_shift=%d clip=[%d,%d] out_bits=%d out_signed=%d round=%d",
             v.acc, v.p.m, v.p.s, v.p.E, v.p.b, v.p.M, v.p.an, v.p.ap, v.p.g, v.p.z, v.r_code,
             v.cfg.r_bits, v.cfg.r_signed, v.cfg.qn_en, v.cfg.res_en, v.cfg.rq_en,
             v.cfg.act_mode, v.cfg.act_shift, v.cfg.r_shift, v.cfg.clip_lo, v.cfg.clip_hi,
             v.cfg.out_bits, v.cfg.out_signed, v.cfg.round);
}

static PpuVec pick_ppu(Rng &r)
{
    PpuVec v;
    memset(&v, 0, sizeof v);
    v.cfg.w = {A, P, QNM, QNB, QNS, DQM, DQE, APB, ASB, RSB};
    v.cfg.qn_en = r.chance(70);
    v.cfg.res_en = RES_EN ? r.chance(50) : 0;
    v.cfg.rq_en = r.chance(70);
    v.cfg.act_mode = pick_act(r);
    v.cfg.act_shift = r.below(16);
    v.cfg.r_shift = r.below(16);
    v.cfg.r_bits = 1 << r.below(4);
    v.cfg.r_signed = r.below(2);
    v.cfg.clip_lo = (int)pick(r, 16, true);
    v.cfg.clip_hi = (int)pick(r, 16, true);
    if (r.chance(70) && v.cfg.clip_lo > v.cfg.clip_hi) {
        int t = v.cfg.clip_lo;
        v.cfg.clip_lo = v.cfg.clip_hi;
        v.cfg.clip_hi = t;
    }
    v.cfg.out_bits = 1 << r.below(4);
    v.cfg.out_signed = r.below(2);
    v.cfg.round = r.below(2);
    // raw record fields over their whole port width (the unit narrows them);
    // small shifts more often, so results are not all saturated or zero
    v.p.m = r.chance(80) ? pick(r, QNM, true) : pick(r, 16, true);
    v.p.s = r.chance(80) ? r.below(8) : pick(r, 8, false);
    v.p.E = r.chance(80) ? r.below(10) : pick(r, 8, false);
    v.p.b = r.chance(80) ? pick(r, QNB, true) : pick(r, 32, true);
    v.p.M = r.chance(80) ? pick(r, DQM, false) : pick(r, 16, false);
    v.p.an = r.chance(80) ? pick(r, APB, true) : pick(r, 16, true);
    v.p.ap = r.chance(80) ? pick(r, APB, true) : pick(r, 16, true);
    v.p.g = pick(r, 16, true);
    v.p.z = pick(r, 16, true);
    v.acc = r.chance(50) ? pick(r, A, true) : (int64_t)r.below(2001) - 1000;
    v.r_code = (uint32_t)r.below(256);
    v.valid = r.chance(80);
    v.code = pk_q_ppu(&v.cfg, &v.p, v.acc, v.r_code);
    if (RES_EN && r.chance(15)) {
        // channel-wise multiply (RES_MUL), driven as pk_core drives it: p_m =
        // decode(residual code) sign-extended to 16 bits, res_en = 0; the
        // reference is pk_q_ppu_mul (QUANT.md "Channel-wise multiply")
        v.cfg.qn_en = 1;
        v.cfg.res_en = 1;
        v.code = pk_q_ppu_mul(&v.cfg, &v.p, v.acc, v.r_code);
        v.p.m = pk_q_decode(v.r_code, v.cfg.r_bits, v.cfg.r_signed);
        v.cfg.res_en = 0;
    }
    return v;
}

static void drive_ppu(Vpk_dp_top *t, const PpuVec &v)
{
    t->ppu_in_valid = v.valid;
    setv(t->ppu_acc, (uint64_t)v.acc, A);
    setv(t->ppu_m, (uint64_t)v.p.m, 16);
    setv(t->ppu_s, (uint64_t)v.p.s, 8);
    setv(t->ppu_e, (uint64_t)v.p.E, 8);
    setv(t->ppu_b, (uint64_t)v.p.b, 32);
    setv(t->ppu_M, (uint64_t)v.p.M, 16);
    setv(t->ppu_an, (uint64_t)v.p.an, 16);
    setv(t->ppu_ap, (uint64_t)v.p.ap, 16);
    setv(t->ppu_g, (uint64_t)v.p.g, 16);
    setv(t->ppu_z, (uint64_t)v.p.z, 16);
    setv(t->ppu_rcode, v.r_code, 8);
    setv(t->ppu_rlog2, (uint64_t)(v.cfg.r_bits == 1 ? 0 : v.cfg.r_bits == 2 ? 1
                                  : v.cfg.r_bits == 4 ? 2 : 3), 2);
    t->ppu_rsigned = v.cfg.r_signed;
    t->ppu_qn_en = v.cfg.qn_en;
    t->ppu_res_en = v.cfg.res_en;
    t->ppu_rq_en = v.cfg.rq_en;
    setv(t->ppu_act_mode, (uint64_t)v.cfg.act_mode, 3);
    setv(t->ppu_act_shift, (uint64_t)v.cfg.act_shift, 4);
    setv(t->ppu_r_shift, (uint64_t)v.cfg.r_shift, 4);
    setv(t->ppu_clip_lo, (uint64_t)(int64_t)v.cfg.clip_lo, 16);
    setv(t->ppu_clip_hi, (uint64_t)(int64_t)v.cfg.clip_hi, 16);
    setv(t->ppu_out_log2, (uint64_t)(v.cfg.out_bits == 1 ? 0 : v.cfg.out_bits == 2 ? 1
                                     : v.cfg.out_bits == 4 ? 2 : 3), 2);
    t->ppu_out_signed = v.cfg.out_signed;
    t->ppu_round = v.cfg.round;
}

static int run_ppu(Ctx &c, long n)
{
    std::vector<PpuVec> pipe(4);
    c.top->rst = 1;
    tick(c);
    tick(c);
    c.top->rst = 0;
    for (auto &e : pipe)
        e.valid = 0;
    // run until n valid elements have been compared, then drain the pipeline
    long drain = 0, issued = 0;
    for (long i = 0; drain < 4; i++) {
        PpuVec v = pick_ppu(c.rng);
        if (issued >= n) {
            v.valid = 0;
            drain++;
        } else if (v.valid) {
            issued++;
        }
        int rst = c.rng.below(2000) == 0;
        c.top->rst = rst;
        drive_ppu(c.top, v);
        tick(c);
        // the model of the 4 stages: the element entered 4 edges ago leaves now
        for (int k = 3; k > 0; k--)
            pipe[k] = pipe[k - 1];
        pipe[0] = v;
        if (rst)
            for (auto &e : pipe)
                e.valid = 0;
        const PpuVec &o = pipe[3];
        int ov = c.top->ppu_out_valid;
        char d[1024];
        if (ov != o.valid) {
            describe(o, d, sizeof d);
            CHECK(0, "out_valid %d, expected %d (cycle %ld)", ov, o.valid, i);
        }
        if (o.valid) {
            c.vectors++;
            uint32_t got = (uint32_t)getv(c.top->ppu_y);
            if (got != o.code) {
                int64_t t[5];
                pk_q_ppu_trace(&o.cfg, &o.p, o.acc, o.r_code, t);
                describe(o, d, sizeof d);
                CHECK(0, "ppu(%s): expected 0x%02x got 0x%02x (t0..t4 = %" PRId64 " %" PRId64
                      " %" PRId64 " %" PRId64 " %" PRId64 ")",
                      d, o.code, got, t[0], t[1], t[2], t[3], t[4]);
            }
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    const char *unit = nullptr;
    long n = 20000;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--unit") && i + 1 < argc)
            unit = argv[++i];
        else if (!strcmp(argv[i], "--n") && i + 1 < argc)
            n = atol(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], nullptr, 0);
    }
    if (!unit) {
        fprintf(stderr, "usage: %s --unit dot|pe|pool|rshr|quantnorm|resadd|requant|act|sat|ppu"
                        " [--n N] [--seed S]\n", argv[0]);
        return 2;
    }
    Ctx c;
    c.top = new Vpk_dp_top;
    c.rng.s = seed;
    c.seed = seed;
    c.unit = unit;
    c.top->clk = 0;
    c.top->rst = 1;
    c.top->eval();
    int rc;
    std::string u = unit;
    if (u == "dot") rc = run_dot(c, n);
    else if (u == "pe") rc = run_pe(c, n, false);
    else if (u == "pool") rc = run_pe(c, n, true);
    else if (u == "rshr") rc = run_rshr(c, n);
    else if (u == "quantnorm") rc = run_quantnorm(c, n);
    else if (u == "resadd") rc = run_resadd(c, n);
    else if (u == "requant") rc = run_requant(c, n);
    else if (u == "act") rc = run_act(c, n);
    else if (u == "sat") rc = run_sat(c, n);
    else if (u == "ppu") rc = run_ppu(c, n);
    else {
        fprintf(stderr, "unknown unit '%s'\n", unit);
        rc = 2;
    }
    if (rc == 0)
        printf("rtl %s %s: %ld vectors bit-exact (seed %" PRIu64 ")\n", PK_SET_NAME, unit,
               c.vectors, seed);
    c.top->final();
    delete c.top;
    return rc;
}
