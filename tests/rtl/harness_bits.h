// harness_bits.h - a field of a Verilated model's port: put(p, lsb, w, v)
// writes bits [lsb, lsb + w) of p from v, get(p, lsb, w) reads them; p a
// plain integer (ports up to 64 bits) or a VlWide word array (wider ports).
// Include after verilated.h.
#pragma once

#include <cstddef>
#include <cstdint>

template <typename T> static void put(T &p, int lsb, int w, uint64_t v)
{
    for (int b = 0; b < w; b++) {
        T m = (T)((T)1 << (lsb + b));
        p = ((v >> b) & 1) ? (T)(p | m) : (T)(p & ~m);
    }
}
template <std::size_t N> static void put(VlWide<N> &p, int lsb, int w, uint64_t v)
{
    for (int b = 0; b < w; b++) {
        int k = lsb + b;
        uint32_t m = 1u << (k % 32);
        p[k / 32] = ((v >> b) & 1) ? (p[k / 32] | m) : (p[k / 32] & ~m);
    }
}
template <typename T> static uint64_t get(const T &p, int lsb, int w)
{
    return (uint64_t)(p >> lsb) & (w >= 64 ? ~0ull : (1ull << w) - 1);
}
template <std::size_t N> static uint64_t get(const VlWide<N> &p, int lsb, int w)
{
    uint64_t r = 0;
    for (int b = 0; b < w; b++)
        r |= (uint64_t)((p[(lsb + b) / 32] >> ((lsb + b) % 32)) & 1) << b;
    return r;
}
