// pk_board_line.cpp - the Verilated board top (pike_board: pk_board_spi around
// pike_top with a config's parameters) behind a simulated serial line, for the pikehost
// end-to-end test (tests/test_host_board.c).
//
// Bytes that arrive on stdin are sent to the board bit by bit on its uart_rx
// pin (8N1, DIV clock cycles per bit: the line is simulated at the pins, not
// at the UART's byte interface); the board's uart_tx pin is sampled every
// cycle, decoded (mid-bit sampling, stop bit checked) and each byte is
// written to stdout at once.  The clock only runs while the line has work:
// bytes to send, a byte being received, or fewer than QUIET cycles since
// the last bit moved; otherwise the harness blocks on stdin.  The simulated
// time then depends only on the host's byte stream (the board answers within
// a few cycles of a command's last byte), and an idle host costs no CPU.
//
// Usage: Vpike_board --div N [--max-cycles N]
// Exit: 0 at EOF on stdin; 2 for bad arguments; 3 for a framing error on the
// board's tx (its stop bit missing) or when max-cycles pass.
#include <poll.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>

#include "Vpike_board.h"
#include "verilated.h"

int main(int argc, char **argv)
{
    long div = 0;
    long long max_cycles = 2000000000LL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--div"))
            div = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-cycles"))
            max_cycles = atoll(argv[i + 1]);
    }
    if (div < 4) {
        fprintf(stderr, "usage: Vpike_board --div N (N >= 4: the board's UART_DIV)\n");
        return 2;
    }
    const long quiet = 64 * div;
    Verilated::commandArgs(argc, argv);
    Vpike_board *top = new Vpike_board;
    top->spi_sclk = 0;
    top->spi_cs_n = 1;
    top->spi_mosi = 0;
    top->uart_rx = 1;
    top->rst = 1;
    long long cyc = 0;
    auto tick = [&]() {
        top->clk = 0;
        top->eval();
        top->clk = 1;
        top->eval();
        cyc++;
    };
    for (int i = 0; i < 8; i++)
        tick();
    top->rst = 0;

    std::deque<uint8_t> out;      // bytes to send to the board
    int t_bit = -1;               // bit being sent: -1 idle, 0 start, 1..8 data, 9 stop
    long t_cnt = 0;
    uint8_t t_byte = 0;
    int r_bit = -1;               // receiver: -1 idle, else the next bit to sample
    long r_cnt = 0;
    uint8_t r_byte = 0;
    long since = 0;               // cycles since the line last moved
    int prev_tx = 1;
    bool eof = false;
    while (cyc < max_cycles) {
        // input: block when the line has nothing to do
        if (!eof && out.empty() && t_bit < 0) {
            bool idle = r_bit < 0 && since >= quiet;
            struct pollfd pf = {0, POLLIN, 0};
            if (poll(&pf, 1, idle ? -1 : 0) > 0) {
                uint8_t buf[4096];
                ssize_t n = read(0, buf, sizeof buf);
                if (n <= 0)
                    eof = true;
                else
                    out.insert(out.end(), buf, buf + n);
            }
        }
        if (eof && out.empty() && t_bit < 0 && r_bit < 0 && since >= quiet)
            break;
        // the host's UART transmitter, DIV cycles per bit
        if (t_bit < 0 && !out.empty()) {
            t_byte = out.front();
            out.pop_front();
            t_bit = 0;
            t_cnt = div;
        }
        if (t_bit >= 0) {
            top->uart_rx = t_bit == 0 ? 0 : t_bit == 9 ? 1 : (t_byte >> (t_bit - 1)) & 1;
            if (--t_cnt == 0) {
                t_cnt = div;
                if (++t_bit == 10)
                    t_bit = -1;
            }
            since = 0;
        } else {
            top->uart_rx = 1;
        }
        tick();
        // the host's UART receiver on the board's tx pin
        int tx = top->uart_tx;
        if (r_bit < 0) {
            if (prev_tx && !tx) {
                r_bit = 0;
                r_cnt = div / 2;
            }
        } else if (--r_cnt == 0) {
            r_cnt = div;
            if (r_bit >= 1 && r_bit <= 8)
                r_byte = (uint8_t)((r_byte >> 1) | (tx ? 0x80 : 0));
            if (r_bit == 0 && tx)
                r_bit = -2; // a glitch, not a start bit
            if (r_bit == 9) {
                if (!tx) {
                    fprintf(stderr, "pk_board_line: framing error on the board's tx at cycle "
                                    "%lld\n", cyc);
                    return 3;
                }
                if (write(1, &r_byte, 1) != 1)
                    return 0; // the host went away
                r_bit = -2;
            }
            r_bit++;
        }
        if (tx != prev_tx || r_bit >= 0)
            since = 0;
        else
            since++;
        prev_tx = tx;
    }
    top->final();
    delete top;
    if (cyc >= max_cycles) {
        fprintf(stderr, "pk_board_line: %lld cycles passed\n", cyc);
        return 3;
    }
    return 0;
}
