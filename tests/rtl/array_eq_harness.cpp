// array_eq_harness.cpp - pk_array's packed pairs (pk_dot DSP_PAIRS, the ECP5 flow's PE)
// against its bit-plane datapath (DSP_PAIRS 0), both at the set's PIPE, on the same random
// inputs (tests/rtl/pk_array_eq_top.v).  With PIPE = 1 the DSP_PAIRS array forms its PEs'
// slot-0 operands and the pairs' packed X / Y in front of its operand register
// (ARCHITECTURE.md V2-11.5 "Timing, step 21"); this test is what shows that those
// operands are the ones the PEs formed before, in every kind, mode and count.
//
// `array_eq_<set> --n N --seed S`: N cycles of random inputs (every kind code, the built
// modes and now and then any mode, random operand counts including 0 and > VP, a_signed,
// a_shift, first, bank, in_valid); after every cycle both arrays' accumulators (both banks,
// every row and column) are read through their read ports and compared.  The first
// difference is printed, exit 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "Vpk_array_eq_top.h"
#include "verilated.h"
#include "harness_bits.h"
#include "harness_rng.h"

#ifndef PK_ROWS
#error "PK_ROWS and the other PK_* values come from tests/rtl/CMakeLists.txt"
#endif

static const int R = PK_ROWS, C = PK_COLS, PL = PK_PL, L = PK_LANES, SB = PK_SLOT_BITS,
                 ACC = PK_ACC_BITS, NVW = PK_NVW, MODES = PK_MODES;
static const int NG = C / PL, WB = L * SB;

static Vpk_array_eq_top *top;
static int64_t nonzero;     // accumulator reads that were not 0 (the test compares values)

static void tick()
{
    top->clk = 1;
    top->eval();
    top->clk = 0;
    top->eval();
}

// every accumulator of both arrays, through the read ports; 0 if equal
static int compare(int64_t cyc, uint64_t seed)
{
    for (int bank = 0; bank < 2; bank++)
        for (int row = 0; row < R; row++)
            for (int g = 0; g < NG; g++) {
                top->rd_bank = (uint8_t)bank;
                top->rd_row = (uint8_t)row;
                top->rd_grp = (uint8_t)g;
                top->eval();
                for (int l = 0; l < PL; l++) {
                    uint64_t want = get(top->rd_ref, l * ACC, ACC);
                    uint64_t got = get(top->rd_dut, l * ACC, ACC);
                    nonzero += want != 0;
                    if (got != want) {
                        printf("array_eq %s: cycle %" PRId64 " bank %d row %d column %d: "
                               "bit planes 0x%" PRIx64 ", packed pairs 0x%" PRIx64
                               " (seed %" PRIu64 ")\n",
                               PK_SET_NAME, cyc, bank, row, g * PL + l, want, got, seed);
                        return 1;
                    }
                }
            }
    return 0;
}

int main(int argc, char **argv)
{
    int64_t n = 4000;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--n"))
            n = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 10);
        else {
            fprintf(stderr, "usage: array_eq_%s [--n N] [--seed S]\n", PK_SET_NAME);
            return 2;
        }
    }
    Verilated::commandArgs(argc, argv);
    top = new Vpk_array_eq_top;
    top->rst = 1;
    tick();
    tick();
    top->rst = 0;
    Rng rg{seed};
    int built[4], nb = 0;
    for (int m = 0; m < 4; m++)
        if (((MODES >> m) & 1) && (1 << m) <= SB)
            built[nb++] = m;
    int64_t valid = 0;
    for (int64_t cyc = 0; cyc < n; cyc++) {
        top->in_valid = rg.chance(80);
        valid += top->in_valid;
        top->kind = (uint8_t)(rg.chance(90) ? rg.in(0, 4) : rg.in(5, 7));
        top->mode_log2 = (uint8_t)(rg.chance(95) && nb ? built[rg.in(0, nb - 1)] : rg.in(0, 3));
        top->a_signed = rg.chance(50);
        top->a_shift = (uint8_t)rg.in(0, 15);
        top->first = rg.chance(10);
        top->bank = rg.chance(50);
        for (int r = 0; r < R; r++) {
            for (int b = 0; b < WB; b += 32)
                put(top->a_rows, r * WB + b, WB - b < 32 ? WB - b : 32, rg.next());
            int vp = WB >> built[nb ? rg.in(0, nb - 1) : 0];
            int64_t nv = rg.chance(20) ? rg.in(0, (1 << NVW) - 1) : rg.in(0, vp < (1 << NVW) - 1 ? vp : (1 << NVW) - 1);
            put(top->nv_rows, r * NVW, NVW, (uint64_t)nv);
        }
        for (int c = 0; c < C; c++)
            for (int b = 0; b < WB; b += 32)
                put(top->w_cols, c * WB + b, WB - b < 32 ? WB - b : 32, rg.next());
        tick();
        if (compare(cyc, seed)) {
            delete top;
            return 1;
        }
    }
    // the operand register and the PE's stages: let the last words reach the banks
    top->in_valid = 0;
    for (int k = 0; k < 4; k++) {
        tick();
        if (compare(n + k, seed)) {
            delete top;
            return 1;
        }
    }
    printf("array_eq %s: %" PRId64 " cycles (%" PRId64 " valid), %d accumulators of both arrays "
           "equal after each (%" PRId64 " of the reads nonzero; seed %" PRIu64 ")\n", PK_SET_NAME, n,
           valid, 2 * R * C, nonzero, seed);
    delete top;
    return 0;
}
