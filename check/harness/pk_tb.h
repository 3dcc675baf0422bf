// pk_tb.h - the test bench around a Verilated pk_core / pike_top: the
// off-chip memory of docs/ARCHITECTURE_V1.md 7.1 and the host-bus driver of
// section 9.  Header-only (a template over the Verilated top class), shared by
// pikecheck's model executable (pk_check_main.cpp) and the system smoke test
// (tests/rtl/system/sys_harness.cpp), so the memory model exists once.
//
// Memory model (7.1): always ready for requests; a request of n bytes
// accepted in cycle I returns ceil(n / PB) beats, the first in cycle
// max(I + LAT, D_prev), the rest in consecutive cycles; beat k carries bytes
// addr + k*PB .. addr + k*PB + PB-1 (bytes past the request's end are zero).
// Writes take one beat per cycle (wr_ready = 1) with byte strobes.  An access
// outside the memory sets `fault` (and is ignored) instead of wrapping, so a
// wrong address cannot silently alias.
//
// Register addresses, CTRL bits and the counter count come from pk_regmap.h,
// which pikegen writes from core/pk_contract.def (the bundle's, or
// `pikegen --contract-header DIR`'s); where Pike's core/pk_contract.h is
// included first, its identical names serve and the header's are skipped.
//
// Ports of any width are handled: Verilator maps a port of <= 8/16/32/64 bits
// to CData/SData/IData/QData and a wider one to VlWide<N>; set_port/get_byte
// are overloaded for each.
#ifndef PK_TB_H
#define PK_TB_H

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "pk_regmap.h"
#include "verilated.h"

namespace pk_tb {

template <class T> static inline void set_port(T &p, const uint8_t *b, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n && i < (int)sizeof(T); i++)
        v |= (uint64_t)b[i] << (8 * i);
    p = (T)v;
}
template <std::size_t W> static inline void set_port(VlWide<W> &p, const uint8_t *b, int n)
{
    for (std::size_t w = 0; w < W; w++) {
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) {
            int k = (int)w * 4 + i;
            if (k < n)
                v |= (uint32_t)b[k] << (8 * i);
        }
        p[w] = v;
    }
}
template <class T> static inline uint8_t get_byte(const T &p, int i)
{
    return i < (int)sizeof(T) ? (uint8_t)((uint64_t)p >> (8 * i)) : 0;
}
template <std::size_t W> static inline uint8_t get_byte(const VlWide<W> &p, int i)
{
    return (std::size_t)(i / 4) < W ? (uint8_t)(p[i / 4] >> (8 * (i % 4))) : 0;
}
template <class T> static inline bool get_bit(const T &p, int i)
{
    return ((uint64_t)p >> i) & 1;
}
template <std::size_t W> static inline bool get_bit(const VlWide<W> &p, int i)
{
    return (p[i / 32] >> (i % 32)) & 1;
}

enum { N_COUNTERS = PK_CNT_COUNT };

template <class Top> class Bench {
  public:
    Top *top;
    std::vector<uint8_t> mem;
    int pb, lat;
    int64_t cyc = 0;          // clock edges so far
    int64_t start_cycle = -1; // cycle of the last CTRL.start write
    bool fault = false;       // an access outside mem
    uint64_t fault_addr = 0;
    std::function<void(int64_t)> on_eval; // tracing hook (time in half cycles)

    Bench(Top *t, int port_bytes, int latency) : top(t), pb(port_bytes), lat(latency) {}

    void tick()
    {
        top->rd_req_ready = 1;
        top->wr_ready = 1;
        if (!beats_.empty() && beats_.front().cycle == cyc) {
            top->rd_data_valid = 1;
            set_port(top->rd_data, beats_.front().data.data(), pb);
            beats_.pop_front();
        } else {
            top->rd_data_valid = 0;
            static const uint8_t zero[64] = {0};
            set_port(top->rd_data, zero, pb);
        }
        top->clk = 0;
        top->eval();
        if (on_eval)
            on_eval(2 * cyc);
        if (top->rd_req_valid)
            accept_read((uint64_t)top->rd_req_addr, (uint64_t)top->rd_req_len);
        if (top->wr_valid)
            for (int j = 0; j < pb; j++)
                if (get_bit(top->wr_strb, j)) {
                    uint64_t a = (uint64_t)top->wr_addr + (uint64_t)j;
                    if (a < mem.size())
                        mem[a] = get_byte(top->wr_data, j);
                    else
                        set_fault(a);
                }
        top->clk = 1;
        top->eval();
        if (on_eval)
            on_eval(2 * cyc + 1);
        cyc++;
    }

    void reset(int cycles = 4)
    {
        top->rst = 1;
        top->host_we = 0;
        top->host_re = 0;
        for (int i = 0; i < cycles; i++)
            tick();
        top->rst = 0;
        tick();
    }

    void host_write(int addr, uint32_t v)
    {
        top->host_we = 1;
        top->host_addr = (uint8_t)addr;
        top->host_wdata = v;
        if (addr == PK_REG_CTRL && (v & PK_CTRL_START))
            start_cycle = cyc;
        tick();
        top->host_we = 0;
    }

    uint32_t host_read(int addr)
    {
        top->host_re = 1;
        top->host_addr = (uint8_t)addr;
        tick();
        top->host_re = 0;
        top->clk = 0;
        top->eval();
        return top->host_rdata;
    }

    // Clear the counters, start CMD_COUNT = count layers at CMD_BASE = base and
    // clock until irq (STATUS.done) or max_cycles.  Returns the cycles from
    // the start write to irq, or -1 on timeout.
    int64_t run(uint32_t base, uint32_t count, int64_t max_cycles)
    {
        host_write(PK_REG_CMD_BASE, base);
        host_write(PK_REG_CMD_COUNT, count);
        host_write(PK_REG_CTRL, PK_CTRL_CLEAR | PK_CTRL_START);
        while (cyc < start_cycle + max_cycles) {
            tick();
            top->clk = 0;
            top->eval();
            if (top->irq)
                return cyc - start_cycle;
        }
        return -1;
    }

    void counters(uint64_t out[N_COUNTERS])
    {
        for (int i = 0; i < N_COUNTERS; i++)
            out[i] = host_read(PK_REG_CNT_LO(i)) | (uint64_t)host_read(PK_REG_CNT_HI(i)) << 32;
    }

  private:
    struct Beat {
        int64_t cycle;
        std::vector<uint8_t> data;
    };
    std::deque<Beat> beats_;
    int64_t d_prev_ = INT64_MIN / 4;

    void set_fault(uint64_t a)
    {
        if (!fault)
            fault_addr = a;
        fault = true;
    }

    void accept_read(uint64_t a, uint64_t n)
    {
        int64_t first = cyc + lat > d_prev_ ? cyc + lat : d_prev_;
        int64_t nb = (int64_t)((n + (uint64_t)pb - 1) / (uint64_t)pb);
        for (int64_t k = 0; k < nb; k++) {
            Beat b{first + k, std::vector<uint8_t>((size_t)pb, 0)};
            for (int j = 0; j < pb; j++) {
                uint64_t o = (uint64_t)k * (uint64_t)pb + (uint64_t)j;
                if (o >= n)
                    continue;
                if (a + o < mem.size())
                    b.data[(size_t)j] = mem[a + o];
                else
                    set_fault(a + o);
            }
            beats_.push_back(b);
        }
        d_prev_ = first + nb;
    }
};

} // namespace pk_tb

#endif
