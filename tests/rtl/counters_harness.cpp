// counters_harness.cpp - the event counters (rtl_templates/pk_counters.v)
// against a reference: N counters of CNT_BITS bits (wrapping at 2^CNT_BITS),
// counter i adding inc[i] (32 bits, unsigned) every cycle, clear and rst
// zeroing all of them (an increment in their cycle lost), a dropped counter
// (KEEP bit 0) and a sel >= N reading 0.  `counters_<set> --cycles N --seed S`
// drives random increments (whole 32-bit words, narrow ones, zeros), rare
// clears and resets and a random sel, and compares the combinational value
// with the reference in every cycle.  (The counters are held split since
// ARCHITECTURE.md V2-11.5 "Timing, step 6": low bits, carry, the last
// increment's high bits and the high part; this checks their sum.)
// Prints the first mismatch and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "Vpk_counters.h"
#include "verilated.h"

static uint64_t rng_s = 1;
static uint32_t rnd() {
    rng_s = rng_s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_s >> 32);
}

int main(int argc, char **argv) {
    long cycles = 200000;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--cycles"))
            cycles = strtol(argv[i + 1], nullptr, 10);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 10);
    }
    rng_s = seed;
    const int n = PK_N;
    const uint64_t keep = PK_KEEP;
    const uint64_t mask = PK_CNT_BITS >= 64 ? ~0ULL : (1ULL << PK_CNT_BITS) - 1;
    uint64_t ref[64] = {0};
    Vpk_counters top;
    top.clk = 0;
    top.rst = 1;
    top.clear = 0;
    for (int i = 0; i < n; i++)
        top.inc[i] = 0;
    top.sel = 0;
    top.eval();
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.rst = 0;
    for (long c = 0; c < cycles; c++) {
        int mode = (int)((c / 5000) % 4);
        uint32_t inc[64];
        for (int i = 0; i < n; i++) {
            uint32_t r = rnd();
            inc[i] = mode == 0 ? r : mode == 1 ? (r & 0x1ff) : mode == 2 ? ((r & 1) ? r & 0xff : 0)
                                                                          : (r & 0xffff);
            top.inc[i] = inc[i];
        }
        bool clear = (rnd() & 1023) == 0;
        bool rst = (rnd() & 16383) == 0;
        unsigned sel = rnd() % 32;
        top.clear = clear;
        top.rst = rst;
        top.sel = sel;
        top.eval();
        uint64_t want = sel < (unsigned)n && ((keep >> sel) & 1) ? ref[sel] : 0;
        if (top.value != want) {
            printf("FAIL cycle %ld: sel %u value %016" PRIx64 ", reference %016" PRIx64 "\n", c,
                   sel, (uint64_t)top.value, want);
            return 1;
        }
        top.clk = 1;
        top.eval();
        top.clk = 0;
        for (int i = 0; i < n; i++)
            ref[i] = rst || clear ? 0 : (ref[i] + inc[i]) & mask;
    }
    printf("counters: %ld cycles, %d counters of %d bits: ok\n", cycles, n, PK_CNT_BITS);
    return 0;
}
