// array_rd_harness.cpp - pk_array's accumulator read port (rtl_templates/
// pk_array.v, the read mux) against ARCHITECTURE.md V2-11.4 item 2.
//
// `array_rd_<set> --n N --seed S`: N rounds; each loads random accumulators
// into both banks through the array's own datapath (kind EW, op load: PE (r,
// c) takes slot c of row r's word, a_shift 0, so the accumulator is that
// slot's signed 4-bit value; 4-bit slots, mode 4 only), then reads every (bank, rd_row, rd_grp,
// rd_cwl) and compares every lane with the rule restated here:
//   RD_PACK = 1: s = min(rd_cwl, ceil(log2 PL)); s < ceil(log2 PL): lane l
//   = row rd_row + (l >> s), column l mod 2^s; else row rd_row, column
//   rd_grp * PL + l; a row >= R reads 0.  RD_PACK = 0 (v1): always the
//   latter, rd_cwl ignored.
// The first difference is printed, exit 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "Vpk_array.h"
#include "verilated.h"
#include "harness_bits.h"
#include "harness_rng.h"

extern "C" {
#include "pk_contract.h"
}

#ifndef PK_ROWS
#error "PK_ROWS and the other PK_* values come from tests/rtl/CMakeLists.txt"
#endif

static const int R = PK_ROWS, C = PK_COLS, PL = PK_PL, L = PK_LANES, ACC = PK_ACC_BITS,
                 PACK = PK_RD_PACK;
static const int NG = C / PL;

static Vpk_array *top;

static void tick()
{
    top->clk = 1;
    top->eval();
    top->clk = 0;
    top->eval();
}

int main(int argc, char **argv)
{
    int n = 20;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--n"))
            n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 10);
        else {
            fprintf(stderr, "usage: array_rd_%s [--n N] [--seed S]\n", PK_SET_NAME);
            return 2;
        }
    }
    Verilated::commandArgs(argc, argv);
    top = new Vpk_array;
    top->rst = 1;
    tick();
    top->rst = 0;
    Rng rg{seed};
    int lpl = 0;
    while ((1 << lpl) < PL)
        lpl++;
    int64_t reads = 0;
    for (int round = 0; round < n; round++) {
        std::vector<int64_t> acc((size_t)(2 * R * C));
        for (int bank = 0; bank < 2; bank++) {
            top->kind = PK_KIND_EW;
            top->mode_log2 = 2;
            top->a_signed = 1;
            top->a_shift = 0;
            top->first = 1;
            top->bank = (uint8_t)bank;
            top->in_valid = 1;
            for (int r = 0; r < R; r++) {
                for (int c = 0; c < L; c++) {
                    int v = (int)rg.in(-8, 7);
                    put(top->a_rows, (r * L + c) * 4, 4, (uint64_t)(v & 15));
                    if (c < C)
                        acc[(size_t)((bank * R + r) * C + c)] = v;
                }
                put(top->nv_rows, r * PK_NVW, PK_NVW, (uint64_t)C);
            }
            tick();
            top->in_valid = 0;
            for (int k = 0; k < 4; k++)
                tick();
        }
        for (int bank = 0; bank < 2; bank++)
            for (int row = 0; row < R; row++)
                for (int g = 0; g < NG; g++)
                    for (int cwl = 0; cwl < 16; cwl++) {
                        top->rd_bank = (uint8_t)bank;
                        top->rd_row = (uint8_t)row;
                        top->rd_grp = (uint8_t)g;
                        top->rd_cwl = (uint8_t)cwl;
                        top->eval();
                        int s = cwl < lpl ? cwl : lpl;
                        for (int l = 0; l < PL; l++) {
                            int rr = PACK && s < lpl ? row + (l >> s) : row;
                            int cc = PACK && s < lpl ? (l & ((1 << s) - 1)) : g * PL + l;
                            int64_t x = rr < R ? acc[(size_t)((bank * R + rr) * C + cc)] : 0;
                            uint64_t want = (uint64_t)x & (ACC >= 64 ? ~0ull : (1ull << ACC) - 1);
                            uint64_t got = get(top->rd_acc, l * ACC, ACC);
                            if (got != want) {
                                printf("array_rd %s: round %d bank %d row %d grp %d cwl %d lane %d: "
                                       "expected 0x%" PRIx64 " (row %d column %d), got 0x%" PRIx64
                                       " (seed %" PRIu64 ")\n",
                                       PK_SET_NAME, round, bank, row, g, cwl, l, want, rr, cc, got, seed);
                                delete top;
                                return 1;
                            }
                        }
                        reads++;
                    }
    }
    printf("array_rd %s: %d rounds, %" PRId64 " reads of %d lanes, all equal (RD_PACK %d, seed %" PRIu64
           ")\n", PK_SET_NAME, n, reads, PL, PACK, seed);
    delete top;
    return 0;
}
