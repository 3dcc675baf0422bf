/* test_v2_util.h - shared by tests/test_v2_*.c: a compiled network with its
 * v2 plan and memory image, and seeded random configs and networks (every
 * layer kind, x-fold, strides, residual add, global pool, fc). */
#ifndef TEST_V2_UTIL_H
#define TEST_V2_UTIL_H

#include "test_sim_util.h"

#include "pk_compile_v2.h"
#include "pk_plan.h"

typedef struct fx {
    pk_config_t *cfg;
    pk_net_t *net;
    pk_hwnet_t *hw;
    pk_plan_t *plan;
    pk_v2img_t *img;
} fx_t;

static inline void fx_free(fx_t *f)
{
    pk_v2img_free(f->img);
    pk_plan_free(f->plan);
    pk_hwnet_free(f->hw);
    pk_net_free(f->net);
    pk_config_free(f->cfg);
}

/* Compile, plan with opts (NULL: the defaults pikesim, pikegen and pikecheck
 * plan with), lay out; 0, or the failing stage's return code (then the
 * network is not mappable on this config: the caller decides). */
static inline int fx_make_opts(fx_t *f, const char *cfgpath, const char *netpath, int with_data,
                               const pk_plan_opts_t *opts, pk_error_t *e)
{
    memset(f, 0, sizeof *f);
    pk_error_clear(e);
    f->cfg = tsu_cfg(cfgpath);
    f->net = tsu_net(netpath);
    int rc = pk_compile(f->net, f->cfg, with_data, &f->hw, e);
    if (!rc)
        rc = pk_plan_make(f->hw, opts, &f->plan, e);
    if (!rc)
        rc = pk_v2_compile(f->hw, f->plan, &f->img, e);
    return rc;
}

static inline int fx_make(fx_t *f, const char *cfgpath, const char *netpath, int with_data,
                          pk_error_t *e)
{
    return fx_make_opts(f, cfgpath, netpath, with_data, NULL, e);
}

/* fx_make_opts of PIKE_SOURCE_ROOT/cfg.yaml and PIKE_SOURCE_ROOT/net.yaml
 * (e.g. "hw_configs/edge", "networks/pikelpn_3x"), planned with the plan
 * option prefix (V2-5 item 3: -1 the default, none; 0 the rule; 1 always). */
static inline int fx_make_src_ns(fx_t *f, const char *cfg, const char *net, int prefix, int nspass,
                                 pk_error_t *e)
{
    char cp[512], np[512];
    snprintf(cp, sizeof cp, "%s/%s.yaml", PIKE_SOURCE_ROOT, cfg);
    snprintf(np, sizeof np, "%s/%s.yaml", PIKE_SOURCE_ROOT, net);
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    o.prefix = prefix;
    o.nspass = nspass;
    return fx_make_opts(f, cp, np, 0, &o, e);
}

/* ... with the default's NS with passes (pk_plan_opts_t nspass 0, the rule) */
static inline int fx_make_src(fx_t *f, const char *cfg, const char *net, int prefix, pk_error_t *e)
{
    return fx_make_src_ns(f, cfg, net, prefix, 0, e);
}

#include "test_v2_random.h"

/* Seeds 1..n: a random config and network each; fn(f, "seed N") on those
 * the draft maps (the others must fail with PK_EINPUT: the ring cannot hold
 * a tile's rows).  Returns how many ran. */
static inline int random_cases_opts(int n, int with_data, const pk_plan_opts_t *opts,
                                    void (*fn)(fx_t *, const char *))
{
    int ok = 0;
    for (int seed = 1; seed <= n; seed++) {
        rng_state = (uint64_t)seed * 0x9E3779B97F4A7C15ULL;
        char cp[300], np[300], what[64];
        snprintf(cp, sizeof cp, "%s", tsu_write("rc.yaml", random_cfg()));
        snprintf(np, sizeof np, "%s", tsu_write("rn.yaml", random_net()));
        snprintf(what, sizeof what, "seed %d", seed);
        fx_t f;
        pk_error_t e;
        if (fx_make_opts(&f, cp, np, with_data, opts, &e) == 0) {
            fn(&f, what);
            ok++;
        } else {
            cr_expect_eq(e.code, PK_EINPUT, "%s: %s", what, e.msg);
        }
        fx_free(&f);
    }
    return ok;
}

static inline int random_cases(int n, int with_data, void (*fn)(fx_t *, const char *))
{
    return random_cases_opts(n, with_data, NULL, fn);
}

#endif
