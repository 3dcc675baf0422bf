// par2_harness.cpp - the v2 parameter registers (pk_par2.v, which pikegen
// generates from core/pk_contract.def's PK_PAR2_FIELDS rows: gen/
// pk_contract_text.c) against the C decode of the same descriptor words
// (pk_desc_get / pk_desc2_get, the rows read by core/pk_contract.c).
//
// `par2 --seeds N --random M` streams descriptors into one Verilated model
// as pk_ctrl2 does (pw_valid, pw_idx, pw_data; ARCHITECTURE.md V2-7.5):
// every layer of the zoo networks compiled for v2 on edge and cloud and of N
// seeded random configs (tests/test_v2_random.h), then M descriptors of
// random words.  Each descriptor's words 0 .. PK_DESC2_LOAD_WORDS - 1 go in
// read rows of PAR2_DLW words (pk_ctrl2's DLW: word w in lane w mod DLW of
// row w / DLW; 1 unless CMake says) in order with random idle cycles
// (pw_valid low, pw_idx / pw_data random) for the compiled ones, in a random
// order of rows for the random ones, and with random valid rows at the
// indices past the load's rows (no field there).
// After every cycle, every register l_<field> must hold its field of the
// descriptor being streamed if the field's word has come, else of the
// previous one.  Prints the first mismatch and exits 1.  Built with
// PAR2_SIZED (the model verilated with SIZED = 1 and the same SZ_* sizes,
// PAR2_ADDR_BITS .. PAR2_WBW): a register holds the low
// pk_contract_par2_width() bits of its field, the others read 0.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_par2.h"
#include "verilated.h"

extern "C" {
#include "pk_contract.h"
}
#include "harness_rng.h"
#include "v2_nets.h"

static int64_t descriptors, cycles;
static Rng rng(1);

#ifndef PAR2_DLW
#define PAR2_DLW 1
#endif
static const int DLW = PAR2_DLW;
static const int NW = pk_contract_desc2_load_words();
static const int NR = (NW + DLW - 1) / DLW;      // read rows of the load
static const int ROWS = PK_DESC2_WORDS / DLW;    // read rows of a descriptor

// Read row r of words w (or random words: w NULL) on pw_data: a plain
// integer up to 64 bits, else Verilator's word array.
template <typename T> static void put_row(T &port, const uint32_t *w, int r)
{
    uint64_t v = 0;
    for (int j = 0; j < DLW; j++)
        v |= (uint64_t)(w ? w[r * DLW + j] : (uint32_t)rng.next()) << (32 * j);
    port = (T)v;
}
template <std::size_t N> static void put_row(VlWide<N> &port, const uint32_t *w, int r)
{
    for (int j = 0; j < DLW; j++)
        port[(std::size_t)j] = w ? w[r * DLW + j] : (uint32_t)rng.next();
}
#ifdef PAR2_SIZED
static const pk_par2_dims_t dims = {PAR2_ADDR_BITS, PAR2_AW, PAR2_XW, PAR2_YW,
                                     PAR2_RA, PAR2_WA, PAR2_CA, PAR2_WBW};
static const pk_par2_dims_t *const DIMS = &dims;
static const bool SIZED = true;
#else
static const bool SIZED = false;
static const pk_par2_dims_t *const DIMS = nullptr;
#endif

// The bits of a field register `row` keeps at DIMS.
static uint32_t kept(const pk_par2_row_t &row)
{
    int w = pk_contract_par2_width(&row, DIMS);
    return w >= 32 ? 0xffffffffu : (1u << w) - 1;
}


static void tick(Vpk_par2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
    cycles++;
}

// The field of a PK_PAR2_FIELDS row from the words, and its word.
#define PAR2_GET_DF(w, f) pk_desc_get(w, f)
#define PAR2_GET_D2(w, f) pk_desc2_get(w, f)
static int word_of(int v2, int f)
{
    size_t n;
    return (v2 ? pk_contract_desc2_fields(&n) : pk_contract_desc_fields(&n))[f].word;
}

// Every register against `cur` where its word has come (seen), else `old`.
static bool check(Vpk_par2 *m, const uint32_t *cur, const uint32_t *old,
                  const std::vector<bool> &seen, const char *what, int64_t step)
{
#define PAR2_CHECK(T, N, p, B, A, F, u)                                                            \
    {                                                                                              \
        int v2 = #T[0] == 'D' && #T[1] == '2';                                                     \
        int w = word_of(v2, PK_##T##_##N);                                                         \
        const uint32_t *src = seen[(size_t)w] ? cur : old;                                         \
        const pk_par2_row_t row = {v2, PK_##T##_##N, #p, PK_PAR2_W_##B, A, 0, u};                   \
        uint32_t want = PAR2_GET_##T(src, PK_##T##_##N) & kept(row), got = (uint32_t)m->l_##p;     \
        if (got != want) {                                                                         \
            fprintf(stderr,                                                                        \
                    "FAIL %s: step %" PRId64 ": l_" #p " (word %d, %s) = 0x%x, want 0x%x\n",       \
                    what, step, w, seen[(size_t)w] ? "streamed" : "not yet", got, want);           \
            return false;                                                                          \
        }                                                                                          \
    }
    PK_PAR2_FIELDS(PAR2_CHECK)
#undef PAR2_CHECK
    return true;
}

// Stream one descriptor (PK_DESC2_WORDS words) after `old`; `order`: the
// load rows' order (pk_ctrl2's is 0 .. NR - 1).
static bool stream(Vpk_par2 *m, const uint32_t *cur, const uint32_t *old,
                   const std::vector<int> &order, const char *what)
{
    std::vector<bool> seen(PK_DESC2_WORDS, false);
    int64_t step = 0;
    for (int idx : order) {
        // idle cycles and words past the load: nothing may change
        while (rng.in(0, 3) == 0) {
            bool past = NR < ROWS && rng.in(0, 1);
            m->pw_valid = past;
            m->pw_idx = (uint32_t)rng.in(past ? NR : 0, ROWS - 1);
            put_row(m->pw_data, nullptr, 0);
            tick(m);
            if (!check(m, cur, old, seen, what, step++))
                return false;
        }
        m->pw_valid = 1;
        m->pw_idx = (uint32_t)idx;
        put_row(m->pw_data, cur, idx);
        tick(m);
        for (int j = 0; j < DLW; j++)
            seen[(size_t)(idx * DLW + j)] = true;
        if (!check(m, cur, old, seen, what, step++))
            return false;
    }
    m->pw_valid = 0;
    descriptors++;
    return true;
}

static std::vector<uint32_t> last(PK_DESC2_WORDS, 0);  // what the registers hold

static bool network(Vpk_par2 *m, const char *cfgpath, const char *netpath, const char *what)
{
    V2Net n;
    if (!n.load(cfgpath, netpath, [](const pk_config_t *) { return true; }))
        return true;
    std::vector<int> order;
    for (int i = 0; i < NR; i++)
        order.push_back(i);
    for (int l = 0; l < n.hw->n_layers; l++) {
        std::vector<uint32_t> w = n.words(l);
        std::string wl = std::string(what) + " layer " + std::to_string(l);
        if (!stream(m, w.data(), last.data(), order, wl.c_str()))
            return false;
        last = w;
    }
    return true;
}

int main(int argc, char **argv)
{
    int seeds = 20, random = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--random"))
            random = atoi(argv[i + 1]);
    }
    Verilated::commandArgs(argc, argv);
    Vpk_par2 *m = new Vpk_par2;
    m->pw_valid = 1;  // rst wins over a valid word
    put_row(m->pw_data, nullptr, 0);
    m->rst = 1;
    tick(m);
    m->rst = 0;
    std::vector<bool> none(PK_DESC2_WORDS, false);
    bool ok = check(m, last.data(), last.data(), none, "reset", 0);
    int64_t nets = 0;
    ok = ok && v2_each_network(
                   "par2_", "", seeds,
                   [&](const char *c, const char *n, const char *w) {
                       int64_t before = descriptors;
                       bool r = network(m, c, n, w);
                       nets += descriptors > before;
                       return r;
                   },
                   [&] { return nets; });
    int64_t compiled = descriptors;
    for (int r = 0; ok && r < random; r++) {
        std::vector<uint32_t> w(PK_DESC2_WORDS);
        for (uint32_t &x : w)
            x = (uint32_t)rng.next();
        std::vector<int> order;
        for (int i = 0; i < NR; i++)
            order.push_back(i);
        for (int i = NR - 1; i > 0; i--)
            std::swap(order[(size_t)i], order[(size_t)rng.in(0, i)]);
        std::string what = "random descriptor " + std::to_string(r);
        ok = stream(m, w.data(), last.data(), order, what.c_str());
        last = w;
    }
    delete m;
    if (!ok)
        return 1;
    size_t nf;
    pk_contract_par2(&nf);
    printf("par2%s DLW=%d: %zu registers, %" PRId64 " networks (%" PRId64 " compiled descriptors) and %d"
           " random descriptors, %" PRId64 " cycles: every register against the C decode after"
           " every cycle\n", SIZED ? " (sized)" : "", DLW, nf, nets, compiled, random, cycles);
    return 0;
}
