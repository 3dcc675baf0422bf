/* v2plan - print the v2 plan (core/pk_plan) of networks on configs beside
 * v1's cycle count, as Markdown.
 *
 *   v2plan [--max-burst N] [--ppu-lanes N] [--prefix -1|0|1] [--gslice -1|0|1] [--cgslice -1|0|1]
 *          [--layers | --all-layers]
 *          --config CFG.yaml [--config ...] --network NET.yaml [--network ...]
 *
 * For every (config, network): v1 cycles (sim/pk_timing, the model that
 * pikesim --timing-only runs), the roofline bound (sim/pk_roofline, the
 * definition of docs/SIM.md that pikesim reports), the v2 plan's cycles, its
 * fraction of the bound and of the two-port bound (the same with reads and
 * writes each on their own port), DRAM bytes against the compulsory bytes
 * and the average read request.  --layers adds a table of every layer whose plan exceeds its own
 * bound by more than the target (1.5x; 2x depthwise), --all-layers one of
 * every layer.  --ppu-lanes N plans with an N-lane PPU (a what-if); --prefix 0 puts a flat
 * WB layer in WB with a resident prefix where it ends earlier (V2-5 item 3's rule, the default
 * of pikesim, pikegen and pikecheck since pk_core2 builds it: V2-11.4 item 12), 1 every one that
 * admits one, -1 none.  --gslice fetches a global pool that the ring does not hold in channel
 * slices (V2-4.4): 0 (the default) where pk_core2 builds it (V2-11.4 item 13), 1 wherever it
 * applies, -1 never (every pass re-streams the image).  --cgslice fetches a channel-group
 * layer's blocks as strided slices of each pixel (V2-5 item 2: the input read once): 0 (the
 * default) where pk_core2 builds it (V2-11.4 item 14), 1 every group layer with a slice of whole
 * bytes, -1 never (every block re-streams whole rows).  A (config, network) pair that v1's
 * compiler rejects is listed with the message.  Exit 2 on bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pk_compile.h"
#include "pk_config.h"
#include "pk_net.h"
#include "pk_plan.h"
#include "pk_roofline.h"
#include "pk_timing.h"

#define MAXN 32

/* What one run prints and collects. */
typedef struct ctx {
    pk_plan_opts_t o;
    int layers;          /* 0 none, 1 over target, 2 all */
    json_t *rows;        /* totals per (config, network) */
    json_t *lrows;       /* layer rows printed */
} ctx_t;

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The bound with reads (weights, records, inputs) and writes (output) each on
 * their own port of bytes_per_cycle, as Pike's memory interface has them. */
static int64_t two_port(const pk_roofline_t *r, int64_t PB)
{
    int64_t rd = r->weight_bytes + r->param_bytes + r->input_bytes + r->residual_bytes;
    int64_t b = rd > r->output_bytes ? rd : r->output_bytes;
    int64_t mem = (b + PB - 1) / PB;
    return mem > r->compute_cycles ? mem : r->compute_cycles;
}

/* One row per layer over its own target (1.5x; 2x depthwise; EW layers are
 * not targeted), or every layer when all. */
static void layer_rows(ctx_t *x, const pk_config_t *cfg, const char *netpath,
                       const pk_hwnet_t *hw, const pk_plan_t *pl)
{
    int all = x->layers == 2;
    for (int i = 0; i < pk_plan_n_layers(pl); i++) {
        const pk_plan_layer_t *L = pk_plan_layer(pl, i);
        const pk_hwlayer_t *h = &hw->layers[i];
        pk_roofline_t rf;
        pk_roofline_layer(hw, i, &rf);
        double lim = h->kind == PK_HW_DW ? 2.0 : 1.5;
        double r = rf.cycles ? (double)L->cycles / (double)rf.cycles : 0;
        if (!all && (h->kind == PK_HW_EW || r <= lim))
            continue;
        char pre[32] = "";
        if (L->pre)
            snprintf(pre, sizeof pre, ", P = %lld", (long long)L->pre);
        printf("| %s | %s | %s (%s %dx%d s%d, %dx%dx%d -> %d, w%d a%d) | %s%s%s | %lld | %lld | "
               "%lld | %.2f | %lld | %lld |\n",
               cfg->name, base(netpath), h->name, pk_hwkind_name(h->kind), h->kh, h->kw,
               h->stride, h->in_h, h->in_w, h->in_c, h->out_c, h->w_bits, h->a_bits,
               pk_plan_order_name(L->order), L->global_pool ? " global" : "", pre,
               (long long)L->cycles, (long long)rf.compute_cycles, (long long)rf.memory_cycles, r,
               (long long)L->busy, (long long)(L->rd_bytes + L->wr_bytes));
        json_array_append_new(
            x->lrows,
            json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                      "config", cfg->name, "network", base(netpath), "layer", h->name, "order",
                      pk_plan_order_name(L->order), "global_pool", L->global_pool, "cycles",
                      (json_int_t)L->cycles, "bound_compute", (json_int_t)rf.compute_cycles,
                      "bound_memory", (json_int_t)rf.memory_cycles, "busy",
                      (json_int_t)L->busy, "rd_bytes", (json_int_t)L->rd_bytes, "wr_bytes",
                      (json_int_t)L->wr_bytes, "in_refetch", (json_int_t)L->in_refetch,
                      "w_refetch", (json_int_t)L->w_refetch, "pre", (json_int_t)L->pre,
                      "cap", (json_int_t)L->ring_rows));
    }
}

static void total_row(ctx_t *x, const pk_config_t *cfg, const char *netpath,
                      const pk_hwnet_t *hw, const pk_plan_t *pl)
{
    pk_counters_t v1;
    pk_timing_run(hw, NULL, &v1);
    pk_roofline_t rf, sum;
    memset(&sum, 0, sizeof sum);
    int64_t ports = 0;
    for (int i = 0; i < hw->n_layers; i++) {
        pk_roofline_layer(hw, i, &rf);
        pk_roofline_add(&sum, &rf);
        ports += two_port(&rf, cfg->offchip.bytes_per_cycle);
    }
    const pk_plan_totals_t *t = pk_plan_totals(pl);
    double v1c = (double)v1.v[PK_CNT_CYCLES];
    printf("| %s | %s | %.0f | %.2f | %lld | %lld | %.2f | %.2f | %.3f | %.1f |\n", cfg->name,
           base(netpath), v1c, (double)sum.cycles / v1c, (long long)sum.cycles,
           (long long)t->cycles, (double)sum.cycles / (double)t->cycles,
           (double)ports / (double)t->cycles,
           (double)(t->rd_bytes + t->wr_bytes) / (double)sum.compulsory_bytes,
           (double)t->rd_bytes / (double)t->rd_reqs);
    json_array_append_new(
        x->rows, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "config",
                           cfg->name, "network", base(netpath), "v1_cycles",
                           (json_int_t)v1.v[PK_CNT_CYCLES], "bound", (json_int_t)sum.cycles,
                           "bound_ports", (json_int_t)ports, "cycles", (json_int_t)t->cycles,
                           "compulsory", (json_int_t)sum.compulsory_bytes, "rd_bytes",
                           (json_int_t)t->rd_bytes, "wr_bytes", (json_int_t)t->wr_bytes,
                           "rd_reqs", (json_int_t)t->rd_reqs, "wr_reqs", (json_int_t)t->wr_reqs));
}

/* pass 0: the totals row; pass 1: layer rows (layers 1: over target, 2: all). */
static int one(ctx_t *x, const pk_config_t *cfg, const char *netpath, int pass)
{
    pk_error_t e;
    pk_net_t *net = NULL;
    pk_hwnet_t *hw = NULL;
    pk_plan_t *pl = NULL;
    pk_error_clear(&e);
    int rc = pk_net_load(netpath, &net, &e);
    if (rc) {
        char msg[1400];
        pk_error_format(&e, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return rc;
    }
    rc = pk_compile(net, cfg, 0, &hw, &e);
    if (!rc)
        rc = pk_plan_make(hw, &x->o, &pl, &e);
    if (rc == 0 && pass == 0) {
        total_row(x, cfg, netpath, hw, pl);
    } else if (rc == 0) {
        layer_rows(x, cfg, netpath, hw, pl);
    } else if (pass == 0) {
        printf("| %s | %s | not planned: %s: %s ||||||||\n", cfg->name, base(netpath),
               e.field, e.msg);
        char why[1400];
        snprintf(why, sizeof why, "%s: %s", e.field, e.msg);
        json_array_append_new(x->rows, json_pack("{s:s, s:s, s:s}", "config", cfg->name,
                                                 "network", base(netpath), "not_planned", why));
    }
    pk_plan_free(pl);
    pk_hwnet_free(hw);
    pk_net_free(net);
    return rc == PK_EINPUT ? 0 : rc;
}

static int pass_all(ctx_t *x, const char **cfgs, int nc, const char **nets, int nn, int pass)
{
    for (int c = 0; c < nc; c++) {
        pk_config_t *cfg = NULL;
        pk_error_t e;
        pk_error_clear(&e);
        if (pk_config_load(cfgs[c], &cfg, &e)) {
            char msg[1400];
            pk_error_format(&e, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            return e.code;
        }
        for (int n = 0; n < nn; n++) {
            int rc = one(x, cfg, nets[n], pass);
            if (rc) {
                pk_config_free(cfg);
                return rc;
            }
        }
        pk_config_free(cfg);
    }
    return 0;
}

static int write_json(const ctx_t *x, const char *path)
{
    json_t *doc = json_pack("{s:I, s:I, s:O, s:O}", "max_burst", (json_int_t)x->o.max_burst,
                            "ppu_lanes", (json_int_t)x->o.ppu_lanes, "networks", x->rows,
                            "layers", x->lrows);
    int rc = doc ? json_dump_file(doc, path, JSON_INDENT(1) | JSON_SORT_KEYS) : -1;
    json_decref(doc);
    if (rc)
        fprintf(stderr, "v2plan: %s: cannot write\n", path);
    return rc ? PK_EIO : 0;
}

int main(int argc, char **argv)
{
    const char *cfgs[MAXN], *nets[MAXN], *json = NULL;
    int nc = 0, nn = 0;
    ctx_t x = {.layers = 0};
    pk_plan_opts_default(&x.o);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc && nc < MAXN)
            cfgs[nc++] = argv[++i];
        else if (!strcmp(argv[i], "--network") && i + 1 < argc && nn < MAXN)
            nets[nn++] = argv[++i];
        else if (!strcmp(argv[i], "--max-burst") && i + 1 < argc)
            x.o.max_burst = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--ppu-lanes") && i + 1 < argc)
            x.o.ppu_lanes = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--prefix") && i + 1 < argc)
            x.o.prefix = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--gslice") && i + 1 < argc)
            x.o.gslice = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--cgslice") && i + 1 < argc)
            x.o.cgslice = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--nspass") && i + 1 < argc)
            x.o.nspass = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else if (!strcmp(argv[i], "--layers"))
            x.layers = 1;
        else if (!strcmp(argv[i], "--all-layers"))
            x.layers = 2;
        else {
            fprintf(stderr, "v2plan: %s: unknown or incomplete flag\n", argv[i]);
            return 2;
        }
    }
    if (!nc || !nn || x.o.max_burst < 1 || x.o.ppu_lanes < 0) {
        fprintf(stderr, "usage: v2plan [--max-burst N] [--ppu-lanes N] [--prefix N] [--gslice N]"
                        " [--cgslice N] [--nspass N] [--layers | --all-layers]"
                        " [--json FILE] --config CFG.yaml ... --network NET.yaml ...\n");
        return 2;
    }
    x.rows = json_array();
    x.lrows = json_array();
    printf("| config | network | v1 cycles | v1 / bound | bound | v2 plan cycles | "
           "v2 fraction of bound | v2 fraction of two-port bound | DRAM rd+wr / compulsory | "
           "avg read request (B) |\n"
           "|---|---|---|---|---|---|---|---|---|---|\n");
    int rc = pass_all(&x, cfgs, nc, nets, nn, 0);
    if (!rc && x.layers) {
        printf("\n%s\n\n| config | network | layer | order | v2 cycles | compute bound | "
               "memory bound | v2 / bound | COMPUTE cycles | DRAM bytes |\n"
               "|---|---|---|---|---|---|---|---|---|---|\n",
               x.layers == 2 ? "Every layer:"
                             : "Layers over their own target (1.5x the layer's bound, 2x "
                               "depthwise; EW not targeted):");
        rc = pass_all(&x, cfgs, nc, nets, nn, 1);
    }
    if (!rc && json)
        rc = write_json(&x, json);
    json_decref(x.rows);
    json_decref(x.lrows);
    return pk_error_exit_status(rc);
}
