// v2_nets.h - the networks the v2 engine harnesses (seq2_harness.cpp,
// ctrl2_harness.cpp) replay against the model: a network compiled for v2 on
// a config, with the model's event trace and per-layer timing, and the
// driver that walks the zoo on edge and cloud, then seeded random configs
// (tests/test_v2_random.h) whose text holds the set's `need` string.
// Header-only, for the C++ harnesses; PIKE_SOURCE_ROOT comes from CMake.
#ifndef V2_NETS_H
#define V2_NETS_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" {
#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_config.h"
#include "pk_contract.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_v2.h"
}
#include "../test_v2_random.h"

// The plan's prefix option (pk_plan_opts_t.prefix) the harnesses compile with: the default
// (pk_plan_opts_default), or a harness's `--prefix N` (0: the rule, V2-5 item 3), so that a
// harness replays WB with a resident prefix before the default plans it.
static int v2_plan_prefix = -2;  // -2: the default's
// ... and its gslice option (a global pool's channel-slice fetch, V2-4.4): `--gslice 1`
static int v2_plan_gslice = -2;  // -2: the default's
// ... and its nspass option (NS with passes, V2-5 item 3): `--nspass -1` plans plain WB
static int v2_plan_nspass = -2;  // -2: the default's

struct V2Net {
    pk_config_t *cfg = nullptr;
    pk_net_t *net = nullptr;
    pk_hwnet_t *hw = nullptr;
    pk_plan_t *plan = nullptr;
    pk_v2img_t *img = nullptr;
    std::vector<pk_v2_event_t> ev;     // the model's trace, in model order
    std::vector<pk_layer_timing_t> T;  // per layer

    V2Net() = default;
    V2Net(const V2Net &) = delete;
    V2Net &operator=(const V2Net &) = delete;
    ~V2Net()
    {
        pk_v2img_free(img);
        pk_plan_free(plan);
        pk_hwnet_free(hw);
        pk_net_free(net);
        pk_config_free(cfg);
    }

    // Compile netpath for v2 on cfgpath: false when it does not map there
    // (the v2 tests check why) or keep(cfg) refuses the config.
    template <typename Keep> bool load(const char *cfgpath, const char *netpath, Keep keep)
    {
        pk_error_t e;
        pk_error_clear(&e);
        return !pk_config_load(cfgpath, &cfg, &e) && keep(cfg) &&
               !pk_net_load(netpath, &net, &e) && !pk_compile(net, cfg, 0, &hw, &e) &&
               !pk_plan_make(hw, opts(), &plan, &e) && !pk_v2_compile(hw, plan, &img, &e);
    }

    const pk_plan_opts_t *opts()
    {
        pk_plan_opts_default(&po);
        if (v2_plan_prefix != -2)
            po.prefix = v2_plan_prefix;
        if (v2_plan_gslice != -2)
            po.gslice = v2_plan_gslice;
        if (v2_plan_nspass != -2)
            po.nspass = v2_plan_nspass;
        return &po;
    }

    // The model with a trace; false (printed) when it fails.
    bool trace(const char *what)
    {
        pk_error_t e;
        pk_error_clear(&e);
        pk_v2_trace_t t = {record, this};
        T.resize((size_t)hw->n_layers);
        pk_counters_t tot;
        if (pk_v2_timing_trace(cfg, nullptr, hw->n_layers, pk_v2img_descriptor(img, 0), &t,
                               T.data(), &tot, &e)) {
            fprintf(stderr, "FAIL %s: model: %s\n", what, e.msg);
            return false;
        }
        return true;
    }

    // Descriptor i as little-endian words.
    std::vector<uint32_t> words(int i) const
    {
        const uint8_t *b = pk_v2img_descriptor(img, i);
        std::vector<uint32_t> w(PK_DESC2_WORDS);
        pk_desc_words(b, PK_DESC2_WORDS, w.data());
        return w;
    }

  private:
    pk_plan_opts_t po;
    static void record(void *ctx, const pk_v2_event_t *e) { ((V2Net *)ctx)->ev.push_back(*e); }
};

static inline std::string v2_write_tmp(const std::string &prefix, const char *name,
                                       const char *text)
{
    std::string p = prefix + name;
    FILE *f = fopen(p.c_str(), "w");
    if (!f || fputs(text, f) < 0 || fclose(f)) {
        perror(p.c_str());
        exit(2);
    }
    return p;
}

// run(cfgpath, netpath, what) -> false on a mismatch; ran() counts what the
// harness replayed (a random case counts towards `seeds` when it grows).
// Temporary files are named prefix + "c.yaml" / "n.yaml".
template <typename Run, typename Ran>
static bool v2_each_network(const std::string &prefix, const std::string &need, int seeds,
                            Run run, Ran ran)
{
    const char *zoo[] = {"resnet18_w4a4", "mobilenetv2_w4a4", "pikelpn_1x"};
    const char *cfgs[] = {"edge", "cloud"};
    for (const char *c : cfgs)
        for (const char *n : zoo) {
            std::string cp = std::string(PIKE_SOURCE_ROOT) + "/hw_configs/" + c + ".yaml";
            std::string np = std::string(PIKE_SOURCE_ROOT) + "/networks/" + n + ".yaml";
            std::string w = std::string(c) + "/" + n;
            if (!run(cp.c_str(), np.c_str(), w.c_str()))
                return false;
        }
    for (int seed = 1; seed <= 4000 && seeds > 0; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        std::string cfg = random_cfg(), net = random_net();
        if (cfg.find(need) == std::string::npos)
            continue;
        std::string cp = v2_write_tmp(prefix, "c.yaml", cfg.c_str());
        std::string np = v2_write_tmp(prefix, "n.yaml", net.c_str());
        std::string w = "seed " + std::to_string(seed);
        int64_t before = ran();
        if (!run(cp.c_str(), np.c_str(), w.c_str()))
            return false;
        seeds -= ran() > before;
    }
    return true;
}

#endif
