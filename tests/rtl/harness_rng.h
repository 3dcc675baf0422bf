// harness_rng.h - the random source of the v2 engine harnesses: a thin C++
// face on core's splitmix64 (pk_rng_t, core/pk_net.h), so the generator is
// written once.  Seeds are explicit (each harness prints its own).
#pragma once
#include <cstdint>

extern "C" {
#include "pk_net.h"
}

struct Rng {
    pk_rng_t r;
    explicit Rng(uint64_t seed) { pk_rng_seed(&r, seed); }
    uint64_t next() { return pk_rng_next(&r); }
    int64_t in(int64_t lo, int64_t hi) { return pk_rng_range(&r, lo, hi); }
    bool chance(int pct) { return in(0, 99) < pct; }
};
