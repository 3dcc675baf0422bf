// wbuf2_harness.cpp - the v2 weight buffer (rtl_templates/pk_wbuf2.v) against
// a C reference of the loader's write order (ARCHITECTURE.md V2-3.2
// "Loader write order") and of its interleaved sub-banks (V2-11.6).
//
// `wbuf2_<set> --layers N [--seed S]` makes N random WS layers that fit the
// set's buffer (DW / pool units of one w-bit code a word and CONV units of
// VP * w bits a word, 1 to 4 n-tiles, the last one of fewer columns, with or
// without per-channel records of rec bytes), walks each unit's byte stream
// beat by beat (the reference: word (k, c) ends at byte ceil((k * nc + c + 1) *
// wcb / 8), the unit's last weight word at wof = ceil(UNIT_BYTES * nc / Ct),
// record word (c, i) at wof + c * rec + (i + 1) * min(rec, WB); a word is
// written in the beat of its last byte, to column c, address nt * Wu + k or
// nt * Wu + Ks + i) and drives pk_wbuf2's lanes with each beat's words in
// stream order, one beat a cycle.  Every cycle it also reads a random address
// written before that cycle and checks all columns one cycle later against
// the reference memory; after each layer it reads back every word of every
// unit.  Layers with more than PK_WI words of one column or PK_WWL words in a
// beat are skipped and counted (the set's parameters are the config's, from
// pk_v2_rtl_params: pk_core2 refuses such a layer).  Fails (exit 1, first
// mismatch printed) on a wrong word or w_ovf; then checks that w_ovf does rise
// for a beat with WI + 1 consecutive words of one column, when the lanes allow.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "Vpk_wbuf2.h"
#include "verilated.h"
#include "harness_rng.h"

#ifndef PK_WFL
#define PK_WFL PK_WWL // lanes of whole words; lanes WFL .. carry 8 bits (a depthwise code)
#endif
#ifndef PK_LWB
#define PK_LWB PK_WBITS // data bits of whole lanes 1 .. WFL - 1 (pk_wbuf2 LWB: pk_core2's late_bits)
#endif
#ifndef PK_WI
#error "PK_COLS, PK_CA, PK_WBITS, PK_WD, PK_WA, PK_WWL, PK_WI, PK_PB come from tests/rtl/CMakeLists.txt"
#endif

static const int64_t C = PK_COLS, WD = PK_WD, WBY = PK_WBITS / 8, NW = PK_WBITS / 32;

struct Word {
    int64_t beat, col, addr;
    bool code;    // a depthwise code: 8 data bits (slot 0), any lane; else a whole word
    bool narrow;  // a whole word on lanes 1 .. WFL - 1: its data bits past PK_LWB zero (pk_ld2 drives
                  // them so, V2-11.5 "Scaling, step 11"; pk_wbuf2 does not read them)
};

// the reference: every word of a unit in stream order with its beat
static std::vector<Word> unit_words(int64_t pb, int64_t nc, int64_t ct, int64_t ks, int64_t wcb,
                                    int64_t unit_bytes, int64_t rec, int64_t rw, int64_t base,
                                    bool dw)
{
    std::vector<Word> v;
    int64_t wof = (unit_bytes * nc + ct - 1) / ct, rb = rec < WBY ? rec : WBY;
    for (int64_t k = 0; k < ks; k++)
        for (int64_t c = 0; c < nc; c++) {
            int64_t end = k + 1 == ks && c + 1 == nc ? wof : ((k * nc + c + 1) * wcb + 7) / 8;
            v.push_back({(end - 1) / pb, c, base + k, dw, false});
        }
    for (int64_t c = 0; c < nc; c++)
        for (int64_t i = 0; i < rw; i++)
            v.push_back({(wof + c * rec + (i + 1) * rb - 1) / pb, c, base + ks + i, false, false});
    return v;
}

static void tick(Vpk_wbuf2 *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
}

static void setw(uint32_t *dst, int64_t bit, int64_t n, uint64_t v)
{
    for (int64_t i = 0; i < n; i++) {
        int64_t b = bit + i;
        if ((v >> i) & 1)
            dst[b / 32] |= 1u << (b % 32);
        else
            dst[b / 32] &= ~(1u << (b % 32));
    }
}
static uint64_t getw(const uint32_t *src, int64_t bit, int64_t n)
{
    uint64_t v = 0;
    for (int64_t i = 0; i < n; i++)
        v |= (uint64_t)((src[(bit + i) / 32] >> ((bit + i) % 32)) & 1) << i;
    return v;
}
// Verilator's port storage: a scalar for <= 64 bits, else an array of words
template <typename T> static uint32_t *words(T &p) { return (uint32_t *)&p; }

static uint64_t tag(uint64_t seed, int64_t col, int64_t addr, int64_t j)
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + (uint64_t)col * 0x100000001b3ull + (uint64_t)addr * 977 + j;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    return (x ^ (x >> 32)) & 0xffffffffu;
}
// a word's data bits j * 32 ..: a depthwise code's only its low 8 bits, a narrow word's those
// below PK_LWB
static uint64_t wdat(uint64_t seed, int64_t col, int64_t addr, int64_t j, bool code, bool narrow)
{
    int64_t keep = narrow ? std::min<int64_t>(32, std::max<int64_t>(0, PK_LWB - 32 * j)) : 32;
    uint64_t mask = keep == 32 ? 0xffffffffu : ((uint64_t)1 << keep) - 1;
    return code ? (j ? 0 : tag(seed, col, addr, 0) & 0xffu) : tag(seed, col, addr, j) & mask;
}

static int64_t cycles_run, words_run, reads_checked, max_col_seen, skipped;

// drive one beat's words (stream order) on the lanes; reads: address ra (or none)
static void beat(Vpk_wbuf2 *m, const std::vector<Word> &w, size_t lo, size_t hi, uint64_t seed)
{
    memset(words(m->ww_col), 0, sizeof m->ww_col);
    memset(words(m->ww_addr), 0, sizeof m->ww_addr);
    memset(words(m->ww_data), 0, sizeof m->ww_data);
    memset(words(m->ww_valid), 0, sizeof m->ww_valid);
    for (size_t i = lo; i < hi; i++) {
        int64_t l = (int64_t)(i - lo);
        setw(words(m->ww_valid), l, 1, 1);
        setw(words(m->ww_col), l * PK_CA, PK_CA, (uint64_t)w[i].col);
        setw(words(m->ww_addr), l * PK_WA, PK_WA, (uint64_t)w[i].addr);
        for (int64_t j = 0; j < NW && l < PK_WFL; j++)
            setw(words(m->ww_data), l * PK_WBITS + 32 * j, 32,
                 wdat(seed, w[i].col, w[i].addr, j, w[i].code, w[i].narrow));
        if (l >= PK_WFL)
            setw(words(m->ww_data), PK_WFL * PK_WBITS + (l - PK_WFL) * 8, 8,
                 wdat(seed, w[i].col, w[i].addr, 0, w[i].code, false));
    }
}

int main(int argc, char **argv)
{
    int64_t nlayers = 300;
    uint64_t seed0 = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--layers") && i + 1 < argc)
            nlayers = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed0 = strtoull(argv[++i], nullptr, 10);
        else {
            fprintf(stderr, "usage: %s [--layers N] [--seed S]\n", argv[0]);
            return 2;
        }
    }
    Verilated::commandArgs(argc, argv);
    Vpk_wbuf2 *m = new Vpk_wbuf2;
    m->rst = 1;
    m->re = 0;
    tick(m);
    m->rst = 0;
    Rng g(seed0);
    // the reference memory: the tag seed of the word at (col, addr), 0 = never written
    std::vector<uint64_t> ref((size_t)(C * WD), 0);
    std::vector<char> refc((size_t)(C * WD), 0);  // a depthwise code there
    std::vector<char> refn((size_t)(C * WD), 0);  // a narrow word there
    int64_t narrow_run = 0;                       // narrow words written
    int64_t code_lane = 0;                        // words driven on lanes WFL ..
    bool any_wide_over = false;
    const int wbits[4] = {1, 2, 4, 8};
    int64_t run = 0;
    for (int64_t n = 0; n < nlayers; n++) {
        int dw = g.chance(60);
        int64_t w = wbits[g.in(0, 3)], mm = std::max<int64_t>(w, wbits[g.in(0, 3)]);
        if (mm > 8 || PK_WBITS % mm)
            continue;
        int64_t vp = PK_WBITS / mm, ct = dw ? std::min<int64_t>(C, vp) : C;
        int64_t wcb = dw ? w : vp * w;
        int64_t nt = g.in(1, 4), ks = dw ? g.in(1, 25) : g.in(1, 12);
        int64_t rec = g.chance(50) ? (int64_t)1 << g.in(0, 4) : 0;
        int64_t rw = rec ? (rec + WBY - 1) / WBY : 0, wu = ks + rw;
        if (nt * wu > WD)
            nt = WD / wu;
        if (nt < 1)
            continue;
        int64_t nc_last = nt > 1 || g.chance(50) ? g.in(1, ct) : ct;
        int64_t unit_bytes = (ks * ct * wcb + 7) / 8;
        // every unit's words and the most of one column / of a beat
        std::vector<std::vector<Word>> units;
        int64_t pc = 0, pbt = 0;
        bool wover = false;  // a whole word on a code lane (pk_v2_rtl_supported: WFL)
        for (int64_t t = 0; t < nt; t++) {
            int64_t nc = t + 1 == nt ? nc_last : ct;
            units.push_back(unit_words(PK_PB, nc, ct, ks, wcb, unit_bytes, rec, rw, t * wu, dw));
            std::vector<Word> &u = units.back();
            for (size_t i = 0, j; i < u.size(); i = j) {
                std::vector<int64_t> col((size_t)C, 0);
                for (j = i; j < u.size() && u[j].beat == u[i].beat; j++) {
                    u[j].narrow = !u[j].code && j > i && (int64_t)(j - i) < PK_WFL;
                    pc = std::max(pc, ++col[(size_t)u[j].col]);
                    wover = wover || (!u[j].code && (int64_t)(j - i) >= PK_WFL);
                }
                pbt = std::max<int64_t>(pbt, (int64_t)(j - i));
            }
        }
        any_wide_over = any_wide_over || wover;
        if (pc > PK_WI || pbt > PK_WWL || wover) {
            skipped++;
            continue;
        }
        max_col_seen = std::max(max_col_seen, pc);
        uint64_t lseed = seed0 * 1000003 + (uint64_t)n + 1;
        std::vector<char> done((size_t)(C * WD), 0);  // written in this layer, before this cycle
        std::vector<int64_t> pend;                    // (col, addr) written at this cycle's end
        // one beat a cycle, units back to back (a gap of random cycles between some)
        std::vector<uint64_t> rd_expect((size_t)C, 0);
        std::vector<char> rd_code((size_t)C, 0), rd_narrow((size_t)C, 0);
        auto step = [&](const std::vector<Word> *u, size_t lo, size_t hi) -> bool {
            if (u)
                beat(m, *u, lo, hi, lseed);
            else
                beat(m, units[0], 0, 0, lseed);
            // a random read of a word written before this cycle
            int64_t ra = -1;
            for (int tries = 0; tries < 8 && ra < 0; tries++) {
                int64_t a = g.in(0, WD - 1);
                bool any = false;
                for (int64_t c = 0; c < C; c++)
                    any = any || done[(size_t)(c * WD + a)];
                if (any)
                    ra = a;
            }
            m->re = ra >= 0;
            m->raddr = ra >= 0 ? (uint32_t)ra : 0;
            if (ra >= 0)
                for (int64_t c = 0; c < C; c++)
                    rd_expect[(size_t)c] = done[(size_t)(c * WD + ra)] ? ref[(size_t)(c * WD + ra)] : 0,
                    rd_code[(size_t)c] = refc[(size_t)(c * WD + ra)],
                    rd_narrow[(size_t)c] = refn[(size_t)(c * WD + ra)];
            tick(m);
            cycles_run++;
            // the read is on rdata after the edge (pk_sram: registered read of the words
            // written before this cycle), whatever the next cycle's read inputs are
            m->raddr = (uint32_t)g.in(0, WD - 1);
            m->re = g.chance(50);
            m->eval();
            if (ra >= 0) {
                for (int64_t c = 0; c < C; c++)
                    for (int64_t j = 0; j < NW; j++) {
                        uint64_t got = getw(words(m->rdata), c * PK_WBITS + 32 * j, 32);
                        uint64_t want = wdat(rd_expect[(size_t)c], c, ra, j, rd_code[(size_t)c],
                                             rd_narrow[(size_t)c]);
                        if (rd_expect[(size_t)c] && got != want) {
                            fprintf(stderr, "FAIL layer %" PRId64 ": column %" PRId64 " address %" PRId64
                                    " word %" PRId64 ": read 0x%08" PRIx64 ", want 0x%08" PRIx64 "\n",
                                    n, c, ra, j, got, want);
                            return false;
                        }
                    }
                reads_checked++;
            }
            if (u)
                for (size_t i = lo; i < hi; i++) {
                    ref[(size_t)((*u)[i].col * WD + (*u)[i].addr)] = lseed;
                    refc[(size_t)((*u)[i].col * WD + (*u)[i].addr)] = (*u)[i].code;
                    refn[(size_t)((*u)[i].col * WD + (*u)[i].addr)] = (*u)[i].narrow;
                    narrow_run += (*u)[i].narrow;
                    code_lane += (int64_t)(i - lo) >= PK_WFL;
                    done[(size_t)((*u)[i].col * WD + (*u)[i].addr)] = 1;
                    words_run++;
                }
            if (m->w_ovf) {
                fprintf(stderr, "FAIL layer %" PRId64 ": w_ovf (at most %" PRId64
                        " words of a column a beat, WI %d)\n", n, pc, PK_WI);
                return false;
            }
            return true;
        };
        for (const std::vector<Word> &u : units) {
            for (size_t i = 0, j; i < u.size(); i = j) {
                for (j = i; j < u.size() && u[j].beat == u[i].beat; j++)
                    ;
                // the beats between (no word completes in them) are cycles too
                if (i > 0)
                    for (int64_t b = u[i - 1].beat + 1; b < u[i].beat; b++)
                        if (!step(nullptr, 0, 0))
                            return 1;
                if (!step(&u, i, j))
                    return 1;
            }
            if (g.chance(20))
                for (int64_t k = g.in(1, 3); k > 0; k--)
                    if (!step(nullptr, 0, 0))
                        return 1;
        }
        // read back every word of every unit
        for (const std::vector<Word> &u : units)
            for (const Word &x : u) {
                beat(m, units[0], 0, 0, lseed);
                m->re = 1;
                m->raddr = (uint32_t)x.addr;
                tick(m);
                m->raddr = (uint32_t)(x.addr + 1) % WD;
                m->re = 0;
                m->eval();
                for (int64_t j = 0; j < NW; j++) {
                    uint64_t got = getw(words(m->rdata), x.col * PK_WBITS + 32 * j, 32);
                    if (got != wdat(lseed, x.col, x.addr, j, x.code, x.narrow)) {
                        fprintf(stderr, "FAIL layer %" PRId64 " readback: column %" PRId64
                                " address %" PRId64 ": 0x%08" PRIx64 ", want 0x%08" PRIx64 "\n",
                                n, x.col, x.addr, got, wdat(lseed, x.col, x.addr, j, x.code, x.narrow));
                        return 1;
                    }
                }
                reads_checked++;
            }
        m->re = 0;
        run++;
    }
    printf("wbuf2 (COLS %d, WBITS %d, WD %d, WWL %d, WI %d, PB %d, seed %" PRIu64 "): %" PRId64
           " layers, %" PRId64 " skipped (over WI or WWL, or a whole word past WFL), %" PRId64 " words in %" PRId64
           " cycles, %" PRId64 " reads checked; most words of one column a beat %" PRId64 "\n",
           PK_COLS, PK_WBITS, PK_WD, PK_WWL, PK_WI, PK_PB, seed0, run, skipped, words_run,
           cycles_run, reads_checked, max_col_seen);
    printf("WFL %d: %" PRId64 " words on the code lanes (8 data bits)%s\n", PK_WFL, code_lane,
           any_wide_over ? "; layers with a whole word past them skipped" : "");
    printf("LWB %d: %" PRId64 " whole words on lanes 1 .. %d (data bits past LWB zero)\n", PK_LWB,
           narrow_run, PK_WFL - 1);
    if (PK_WFL < PK_WWL && code_lane == 0) {
        fprintf(stderr, "FAIL: no word on the code lanes WFL ..\n");
        return 1;
    }
    if (PK_WI > 1 && max_col_seen < PK_WI) {
        fprintf(stderr, "FAIL: no layer reached %d words of one column a beat\n", PK_WI);
        return 1;
    }
    // w_ovf must rise for WI + 1 consecutive words of one column in one beat
    if (PK_WWL > PK_WI) {
        std::vector<Word> v;
        for (int64_t i = 0; i <= PK_WI; i++)
            v.push_back({0, 0, i, true, false});
        beat(m, v, 0, v.size(), 7);
        m->re = 0;
        tick(m);
        if (!m->w_ovf) {
            fprintf(stderr, "FAIL: w_ovf did not rise for %d words of one column in a beat\n", PK_WI + 1);
            return 1;
        }
        printf("w_ovf rises for %d words of one column in a beat\n", PK_WI + 1);
    }
    m->final();
    delete m;
    printf("PASS\n");
    return 0;
}
