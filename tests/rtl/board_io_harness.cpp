// board_io_harness.cpp - the board's memory server (rtl_templates/pk_board_io.v)
// on its core ports: byte lanes, banks and the read timing of ARCHITECTURE_V1.md
// 7.1 against a byte array and that rule.
//
// `board_io_<set> --rounds N --seed S`: the memory is first filled by aligned
// full beats, then each round writes random beats (any byte address, random
// strobes: every lane-to-bank turn) and issues random read requests (1 to
// 4 PB bytes, now and then up to 300; in bursts and with gaps, so that a first
// beat is due both at I + LAT and right after the previous request's last
// beat).  Every beat is checked in its cycle: rd_data_valid exactly in the
// cycles 7.1 gives (first beat of a request accepted in cycle I in cycle
// max(I + LAT, the cycle after the previous request's last beat), the others
// in the cycles after it) and every lane of the request against the array
// (lanes past the request's end are don't-care).  The host ports are idle
// (the UART and SPI paths: tests/test_host_board.c).
// Prints the first mismatch and exits 1.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "Vpk_board_io.h"
#include "verilated.h"
#include "harness_rng.h"

static const int PB = PK_PB, LAT = PK_LAT, MB = PK_MB;
static uint64_t cyc;

// one clock: the inputs set while cyc == c (cycle c) are sampled at the edge that ends it;
// the outputs read after it are cycle c + 1's
static void tick(Vpk_board_io *m)
{
    m->clk = 0;
    m->eval();
    m->clk = 1;
    m->eval();
    cyc++;
}

struct Req {
    uint32_t addr, len;
    uint64_t accept;
};

int main(int argc, char **argv)
{
    int64_t rounds = 20;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--rounds"))
            rounds = strtoll(argv[i + 1], nullptr, 10);
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], nullptr, 10);
    }
    Verilated::commandArgs(argc, argv);
    Vpk_board_io *m = new Vpk_board_io;
    m->spi_cs_n = 1;
    m->uart_rx = 1;
    m->rst = 1;
    tick(m);
    tick(m);
    m->rst = 0;
    Rng g{seed};
    std::vector<uint8_t> mem(MB, 0);
    std::deque<Req> q;               // accepted, not yet fully streamed
    uint64_t next_free = 0;          // the cycle after the last beat of the last started request
    uint64_t beat_at = 0;            // the current request's next beat's cycle
    uint32_t beat_k = 0;
    bool on = false;
    int64_t beats = 0, reqs = 0, writes = 0, late = 0;

    // the cycle's outputs against the model; returns false on a mismatch
    auto check = [&]() -> bool {
        if (!on && !q.empty()) {
            Req &r = q.front();
            uint64_t due = r.accept + (uint64_t)LAT;
            beat_at = due > next_free ? due : next_free;
            late += beat_at > due;
            beat_k = 0;
            on = true;
        }
        bool want = on && cyc == beat_at;
        if ((bool)m->rd_data_valid != want) {
            fprintf(stderr, "FAIL cycle %" PRIu64 ": rd_data_valid %d, model %d (request %" PRId64
                    " of %u bytes at %u accepted in cycle %" PRIu64 ", beat %u due in cycle %" PRIu64
                    ")\n", cyc, (int)m->rd_data_valid, (int)want, reqs - (int64_t)q.size(),
                    q.empty() ? 0 : q.front().len, q.empty() ? 0 : q.front().addr,
                    q.empty() ? 0 : q.front().accept, beat_k, beat_at);
            return false;
        }
        if (!want)
            return true;
        Req &r = q.front();
        uint64_t d = (uint64_t)m->rd_data;
        for (int j = 0; j < PB; j++) {
            uint32_t b = beat_k * PB + j;
            if (b >= r.len)
                break;
            uint8_t got = (uint8_t)(d >> (8 * j)), exp = mem[r.addr + b];
            if (got != exp) {
                fprintf(stderr, "FAIL cycle %" PRIu64 ": request at %u (%u bytes) beat %u lane %d: "
                        "read %02x, memory byte %u holds %02x\n", cyc, r.addr, r.len, beat_k, j,
                        got, r.addr + b, exp);
                return false;
            }
        }
        beats++;
        beat_k++;
        beat_at++;
        if (beat_k * (uint32_t)PB >= r.len) {
            next_free = beat_at;
            q.pop_front();
            on = false;
        }
        return true;
    };
    auto step = [&]() -> bool {
        tick(m);
        return check();
    };

    // fill: aligned full beats
    for (int a = 0; a < MB; a += PB) {
        uint64_t d = g.next();
        m->wr_valid = 1;
        m->wr_addr = a;
        m->wr_data = d;
        m->wr_strb = (1u << PB) - 1;
        for (int j = 0; j < PB; j++)
            mem[a + j] = (uint8_t)(d >> (8 * j));
        if (!step())
            return 1;
    }
    m->wr_valid = 0;
    for (int64_t rd = 0; rd < rounds; rd++) {
        // random writes at any byte address, random strobes
        int nw = (int)g.in(50, 300);
        for (int i = 0; i < nw; i++) {
            m->wr_valid = g.chance(70);
            uint32_t a = (uint32_t)g.in(0, MB - PB);
            uint64_t d = g.next();
            uint32_t s = g.chance(30) ? (1u << PB) - 1 : (uint32_t)g.next() & ((1u << PB) - 1);
            m->wr_addr = a;
            m->wr_data = d;
            m->wr_strb = s;
            if (m->wr_valid) {
                writes++;
                for (int j = 0; j < PB; j++)
                    if (s >> j & 1)
                        mem[a + j] = (uint8_t)(d >> (8 * j));
            }
            if (!step())
                return 1;
        }
        m->wr_valid = 0;
        // random reads: bursts and gaps
        int nr = (int)g.in(20, 120);
        int dense = (int)g.in(5, 90);
        for (int i = 0; i < nr;) {
            bool go = g.chance(dense) && q.size() < 8;
            if (go) {
                uint32_t len = g.chance(6) ? (uint32_t)g.in(1, 300) : (uint32_t)g.in(1, 4 * PB);
                uint32_t a = (uint32_t)g.in(0, MB - (int64_t)len);
                m->rd_req_valid = 1;
                m->rd_req_addr = a;
                m->rd_req_len = len;
                q.push_back(Req{a, len, cyc});   // presented in cycle cyc (the edge ends it)
                reqs++;
                i++;
            } else
                m->rd_req_valid = 0;
            if (!step())
                return 1;
            m->rd_req_valid = 0;
        }
        while (!q.empty())
            if (!step())
                return 1;
        for (int i = 0; i < LAT + 4; i++)    // nothing more comes
            if (!step())
                return 1;
    }
    printf("board_io PB=%d LAT=%d seed %" PRIu64 ": %" PRId64 " rounds, %" PRId64 " writes, %" PRId64
           " requests, %" PRId64 " beats (%" PRId64 " requests behind the previous one) match\n",
           PB, LAT, seed, rounds, writes, reqs, beats, late);
    m->final();
    delete m;
    return 0;
}
