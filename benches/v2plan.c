/* v2plan - print the v2 plan (core/pk_plan) of networks on configs beside
 * v1's cycle count, as Markdown.
 *
 *   v2plan [--max-burst N] [--layers] --config CFG.yaml [--config ...]
 *          --network NET.yaml [--network ...]
 *
 * For every (config, network): v1 cycles (sim/pk_timing, the model that
 * pikesim --timing-only runs), the roofline bound (issue 10: per layer
 * max(ops / peak of the layer's mode, compulsory bytes / bytes_per_cycle),
 * summed), the v2 plan's cycles, its fraction of the bound, DRAM bytes
 * against compulsory and the average read request.  With --layers, every
 * layer whose plan exceeds its own bound by more than the target (1.5x;
 * 2x for depthwise) is listed with why.  A (config, network) pair that v1's
 * compiler rejects is listed with the message.  Exit 2 on bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_compile.h"
#include "pk_config.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_timing.h"

#define MAXN 32

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void layer_misses(const pk_hwnet_t *hw, const pk_plan_t *pl, int layers)
{
    for (int i = 0; i < pk_plan_n_layers(pl); i++) {
        const pk_plan_layer_t *L = pk_plan_layer(pl, i);
        const pk_hwlayer_t *h = &hw->layers[i];
        double lim = h->kind == PK_HW_DW ? 2.0 : 1.5;
        double r = L->bound ? (double)L->cycles / (double)L->bound : 0;
        if (layers < 2 && (h->kind == PK_HW_EW || r <= lim))
            continue;
        printf("|  | %s (%s %dx%d s%d, %dx%dx%d -> %d, w%d a%d) | %s%s | %lld | %lld | %lld | "
               "%.2f | %lld / %lld | %lld |\n",
               h->name, pk_hwkind_name(h->kind), h->kh, h->kw, h->stride, h->in_h, h->in_w,
               h->in_c, h->out_c, h->w_bits, h->a_bits, pk_plan_order_name(L->order),
               L->global_pool ? " global" : "", (long long)L->cycles,
               (long long)L->bound_compute, (long long)L->bound_memory, r,
               (long long)L->busy, (long long)L->tiles, (long long)(L->rd_bytes + L->wr_bytes));
    }
}

static int one(const pk_config_t *cfg, const char *netpath, const pk_plan_opts_t *o,
               int layers)
{
    pk_error_t e;
    char msg[1400];
    pk_net_t *net = NULL;
    pk_hwnet_t *hw = NULL;
    pk_plan_t *pl = NULL;
    int rc = pk_net_load(netpath, &net, &e);
    if (rc) {
        pk_error_format(&e, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return rc;
    }
    rc = pk_compile(net, cfg, 0, &hw, &e);
    if (!rc)
        rc = pk_plan_make(hw, o, &pl, &e);
    if (rc) {
        pk_error_format(&e, msg, sizeof msg);
        printf("| %s | %s | not planned: layer %s: %s ||||||||\n", cfg->name, base(netpath), e.field,
               e.msg);
        pk_hwnet_free(hw);
        pk_net_free(net);
        return rc == PK_EINPUT ? 0 : rc;
    }
    pk_counters_t v1;
    pk_timing_run(hw, NULL, &v1);
    const pk_plan_totals_t *t = pk_plan_totals(pl);
    double v1c = (double)v1.v[PK_CNT_CYCLES];
    printf("| %s | %s | %.0f | %.2f | %lld | %lld | %.2f | %.2f | %.3f | %.1f |\n", cfg->name,
           base(netpath), v1c, (double)t->bound / v1c, (long long)t->bound,
           (long long)t->cycles, (double)t->bound / (double)t->cycles,
           (double)t->bound_ports / (double)t->cycles,
           (double)(t->rd_bytes + t->wr_bytes) / (double)t->compulsory,
           (double)t->rd_bytes / (double)t->rd_reqs);
    if (layers)
        layer_misses(hw, pl, layers);
    pk_plan_free(pl);
    pk_hwnet_free(hw);
    pk_net_free(net);
    return 0;
}

int main(int argc, char **argv)
{
    const char *cfgs[MAXN], *nets[MAXN];
    int nc = 0, nn = 0, layers = 0;
    pk_plan_opts_t o;
    pk_plan_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc && nc < MAXN)
            cfgs[nc++] = argv[++i];
        else if (!strcmp(argv[i], "--network") && i + 1 < argc && nn < MAXN)
            nets[nn++] = argv[++i];
        else if (!strcmp(argv[i], "--max-burst") && i + 1 < argc)
            o.max_burst = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--ppu-lanes") && i + 1 < argc)
            o.ppu_lanes = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--layers"))
            layers = 1;
        else if (!strcmp(argv[i], "--all-layers"))
            layers = 2;
        else {
            fprintf(stderr, "v2plan: %s: unknown or incomplete flag\n", argv[i]);
            return 2;
        }
    }
    if (!nc || !nn || o.max_burst < 1) {
        fprintf(stderr, "usage: v2plan [--max-burst N] [--layers] --config CFG.yaml ... "
                        "--network NET.yaml ...\n");
        return 2;
    }
    printf("| config | network | v1 cycles | v1 / bound | bound | v2 plan cycles | "
           "v2 fraction of bound | v2 fraction of two-port bound | DRAM rd+wr / compulsory | "
           "avg read request (B) |\n"
           "|---|---|---|---|---|---|---|---|---|---|\n");
    for (int c = 0; c < nc; c++) {
        pk_config_t *cfg = NULL;
        pk_error_t e;
        char msg[1400];
        if (pk_config_load(cfgs[c], &cfg, &e)) {
            pk_error_format(&e, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            return pk_error_exit_status(e.code);
        }
        for (int n = 0; n < nn; n++) {
            int rc = one(cfg, nets[n], &o, layers);
            if (rc) {
                pk_config_free(cfg);
                return pk_error_exit_status(rc);
            }
        }
        pk_config_free(cfg);
    }
    return 0;
}
