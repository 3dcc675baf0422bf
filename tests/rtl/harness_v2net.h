// harness_v2net.h - what the v2 engine harnesses share: a network compiled
// to a v2 memory image on a config (V2Net: config, network, hardware
// network, plan, image; freed with it), the model's event trace split per
// layer, the YAML files of a random case, and bit fields of wide ports.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

extern "C" {
#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_v2.h"
}

// The plan's prefix option (pk_plan_opts_t.prefix) the harnesses compile with: the default
// (pk_plan_opts_default), or a harness's `--prefix N` (0: the rule, V2-5 item 3), so that a
// harness replays WB with a resident prefix before the default plans it.
static int v2_plan_prefix = -2;  // -2: the default's
// ... and its gslice option (a global pool's channel-slice fetch, V2-4.4): `--gslice 1`
static int v2_plan_gslice = -2;  // -2: the default's
// ... and its cgslice option (channel groups in block slices, V2-5 item 2): `--cgslice 0`
static int v2_plan_cgslice = -2;  // -2: the default's
// ... and its nspass option (NS with passes, V2-5 item 3): `--nspass -1` plans plain WB
static int v2_plan_nspass = -2;  // -2: the default's

struct V2Net {
    pk_config_t *cfg = nullptr;
    pk_net_t *net = nullptr;
    pk_hwnet_t *hw = nullptr;
    pk_plan_t *plan = nullptr;
    pk_v2img_t *img = nullptr;
    bool ok = false; // the network maps on the config (the v2 tests check why not)

    V2Net(const char *cfgpath, const char *netpath)
    {
        pk_error_t e;
        pk_error_clear(&e);
        pk_plan_opts_t po;
        pk_plan_opts_default(&po);
        if (v2_plan_prefix != -2)
            po.prefix = v2_plan_prefix;
        if (v2_plan_gslice != -2)
            po.gslice = v2_plan_gslice;
        if (v2_plan_cgslice != -2)
            po.cgslice = v2_plan_cgslice;
        if (v2_plan_nspass != -2)
            po.nspass = v2_plan_nspass;
        ok = !pk_config_load(cfgpath, &cfg, &e) && !pk_net_load(netpath, &net, &e) &&
             !pk_compile(net, cfg, 0, &hw, &e) && !pk_plan_make(hw, &po, &plan, &e) &&
             !pk_v2_compile(hw, plan, &img, &e);
    }
    ~V2Net()
    {
        pk_v2img_free(img);
        pk_plan_free(plan);
        pk_hwnet_free(hw);
        pk_net_free(net);
        pk_config_free(cfg);
    }
    V2Net(const V2Net &) = delete;
    V2Net &operator=(const V2Net &) = delete;

    // The model's events, lev[i] those of layer i (n_layers + 1 lists);
    // false (printed) when the model fails.
    bool trace(std::vector<std::vector<pk_v2_event_t>> &lev, const char *what) const
    {
        struct Rec {
            static void fn(void *ctx, const pk_v2_event_t *e)
            {
                auto *l = (std::vector<std::vector<pk_v2_event_t>> *)ctx;
                (*l)[(size_t)e->layer].push_back(*e);
            }
        };
        lev.assign((size_t)hw->n_layers + 1, {});
        pk_v2_trace_t t = {Rec::fn, &lev};
        std::vector<pk_layer_timing_t> T((size_t)hw->n_layers);
        pk_counters_t tot;
        pk_error_t e;
        pk_error_clear(&e);
        if (pk_v2_timing_trace(cfg, nullptr, hw->n_layers, pk_v2img_descriptor(img, 0), &t,
                               T.data(), &tot, &e)) {
            fprintf(stderr, "FAIL %s: model: %s\n", what, e.msg);
            return false;
        }
        return true;
    }
};

// Write a random case's file `<prefix>_<name>` in the working directory.
static inline std::string write_case(const std::string &prefix, const char *name,
                                     const std::string &text)
{
    std::string p = prefix + "_" + name;
    FILE *f = fopen(p.c_str(), "w");
    if (!f || fputs(text.c_str(), f) < 0 || fclose(f)) {
        perror(p.c_str());
        exit(2);
    }
    return p;
}

// Bits lo .. lo + w - 1 of a Verilated port (an integer up to 64 bits, or a
// VlWide array of 32-bit words).
template <typename T> static void put(T &s, int lo, int w, uint64_t v)
{
    if constexpr (std::is_integral<T>::value) {
        uint64_t mask = (w >= 64 ? ~0ull : (1ull << w) - 1) << lo;
        s = (T)(((uint64_t)s & ~mask) | ((v << lo) & mask));
    } else {
        for (int i = 0; i < w; i++) {
            uint32_t &word = s[(lo + i) / 32], bit = 1u << ((lo + i) % 32);
            word = (v >> i) & 1 ? word | bit : word & ~bit;
        }
    }
}
template <typename T> static uint64_t get(const T &s, int lo, int w)
{
    if constexpr (std::is_integral<T>::value) {
        return ((uint64_t)s >> lo) & (w >= 64 ? ~0ull : (1ull << w) - 1);
    } else {
        uint64_t v = 0;
        for (int i = 0; i < w; i++)
            v |= (uint64_t)((s[(lo + i) / 32] >> ((lo + i) % 32)) & 1) << i;
        return v;
    }
}
