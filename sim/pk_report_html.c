/* pk_report_html.c - pikesim --html: one self-contained page per run.
 *
 * Layout: the config (key figures, every key folded away), the metrics
 * section (ACE and ACEv2 against simulated energy: across the networks of
 * the run, or per layer when there is one network), then one section per
 * network: its summary figures and five charts over its layers (cycles
 * against the roofline bound, utilization and fraction of the bound reached,
 * DRAM traffic against compulsory bytes, energy by class absolute and as
 * shares), with the per-layer numbers in a folded table.  Formatting only:
 * every number comes from pk_sim_result_t, as in pk_report.c.
 */
#include "pk_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pk_html.h"
#include "pk_svg.h"

#define W 1180

enum { E_MAC, E_EW, E_SRAM, E_DRAM, E_STAT, E_N };
static const char *const E_NAME[E_N] = { "MAC", "elementwise", "SRAM", "DRAM", "static" };

static double energy_class(const pk_energy_split_t *e, int k)
{
    const double v[E_N] = { e->mac, e->elementwise, e->sram, e->dram, e->stat };
    return v[k];
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

static uint64_t dram_bytes(const pk_counters_t *c)
{
    return c->v[PK_CNT_DRAM_RD_BYTES] + c->v[PK_CNT_DRAM_WR_BYTES];
}

/* ---- config -------------------------------------------------------------- */

/* One table row per leaf of the config echo, keys joined with '.'. */
static void config_rows(FILE *f, const char *prefix, json_t *o)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        char key[256], val[512];
        snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", k);
        if (json_is_object(v)) {
            config_rows(f, key, v);
            continue;
        }
        if (json_is_real(v)) {
            snprintf(val, sizeof val, "%.6g", json_real_value(v));
        } else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            snprintf(val, sizeof val, "%s", s ? s : "?");
            free(s);
        }
        const char *cell[2] = { key, val };
        pk_html_table_row(f, cell, 2);
    }
}

static void config_section(FILE *f, const pk_config_t *cfg)
{
    char a[64], b[64], c[64], d[64], e[64], g[64];
    pk_html_section_begin(f, "config", "Hardware config");
    snprintf(a, sizeof a, "%d x %d x %d", cfg->array.rows, cfg->array.cols, cfg->array.lanes);
    snprintf(b, sizeof b, "%.0f MHz", cfg->clock_mhz);
    snprintf(c, sizeof c, "%lld", (long long)pk_peak_macs_per_cycle(cfg, cfg->d.slot_bits,
                                                                      cfg->d.slot_bits));
    snprintf(d, sizeof d, "%d B/cycle, %d cycles", cfg->offchip.bytes_per_cycle,
             cfg->offchip.latency);
    snprintf(e, sizeof e, "%lld + %lld B", (long long)cfg->buffers.weights,
             (long long)cfg->buffers.activations);
    snprintf(g, sizeof g, "%d bits", cfg->d.slot_bits);
    const pk_html_stat_t st[] = {
        { "config", cfg->name },          { "array R x C x V", a },
        { "clock", b },                   { "lane width L", g },
        { "peak MACs/cycle at L bits", c }, { "off-chip port", d },
        { "buffers (weights + activations, per half)", e },
    };
    pk_html_stats(f, st, (int)(sizeof st / sizeof st[0]));
    json_t *j = NULL;
    if (pk_config_to_json(cfg, &j) == 0) {
        pk_html_details_begin(f, "every config key (defaults filled in)");
        const char *head[2] = { "key", "value" };
        pk_html_table_begin(f, NULL, head, 2);
        config_rows(f, "", json_object_get(j, "config"));
        pk_html_table_end(f);
        pk_html_details_end(f);
    }
    json_decref(j);
    pk_html_section_end(f);
}

/* ---- ACE / ACEv2 against energy ------------------------------------------ */

/* The points of the metrics chart: one per network of the run (networks) or
 * one per layer of r[0]; metrics per view, energy per view in µJ. */
typedef struct points {
    int n;
    double *ace, *v2, *e, *fx, *fy; /* fx, fy: ACEv2's fit in ACEv2 order */
    const char **tip;
} points_t;

static int points_make(points_t *p, pk_sim_result_t *const *r, int n, int networks)
{
    const pk_sim_result_t *r0 = r[0];
    p->n = networks ? n : r0->n_layers;
    double *v = calloc(5 * (size_t)p->n + 1, sizeof *v);
    p->tip = calloc((size_t)p->n + 1, sizeof *p->tip);
    p->ace = v;
    if (!v || !p->tip)
        return -1;
    p->v2 = v + p->n, p->e = v + 2 * p->n, p->fx = v + 3 * p->n, p->fy = v + 4 * p->n;
    for (int i = 0; i < p->n; i++) {
        const pk_sim_result_t *ri = networks ? r[i] : r0;
        const pk_metrics_t *m = networks ? &ri->met : &r0->layers[i].met;
        const pk_energy_split_t *en = networks ? &ri->energy : &r0->layers[i].energy;
        p->ace[i] = (double)m->ace;
        p->v2[i] = m->acev2;
        p->e[i] = en->total / ri->opts.views * 1e-6;
        p->tip[i] = networks ? ri->net->name : r0->layers[i].L->name;
    }
    /* E = alpha * ACEv2 + beta over the networks, drawn in ACEv2 order */
    for (int i = 0; i < p->n; i++) {
        int rank = 0;
        for (int k = 0; k < p->n; k++)
            rank += p->v2[k] < p->v2[i] || (p->v2[k] == p->v2[i] && k < i);
        p->fx[rank] = p->v2[i];
        p->fy[rank] = (r0->pred_alpha * p->v2[i] + r0->pred_beta) * 1e-6;
    }
    return 0;
}

/* ACE and ACEv2 against energy, log-log: per network with ACEv2's fit, or
 * per layer (layers with ACE 0 drop out of the ACE series on the log axis). */
static int metrics_chart(FILE *f, pk_sim_result_t *const *r, int n, int networks)
{
    points_t p = { 0 };
    pk_chart_opts_t o = { .width = W, .height = 380,
                          .title = networks ? "ACE and ACEv2 against simulated energy, per network"
                                            : "ACE and ACEv2 against simulated energy, per layer",
                          .x_label = "metric per view (bit^2 MAC; ACEv2: Pike definition)",
                          .y_label = "simulated energy per view (µJ)", .x_axis = PK_AXIS_LOG,
                          .y_axis = PK_AXIS_LOG };
    pk_chart_t *c = pk_chart_new(&o);
    int rc = !c || points_make(&p, r, n, networks) ? -1 : 0;
    const pk_series_t s[3] = {
        { PK_SERIES_SCATTER, "ACE", p.ace, p.e, p.tip, p.n, pk_svg_color(0), 0 },
        { PK_SERIES_SCATTER, "ACEv2 (Pike definition)", p.v2, p.e, p.tip, p.n, pk_svg_color(1),
          networks },
        { PK_SERIES_LINE, "energy predicted from ACEv2 (least-squares fit)", p.fx, p.fy, NULL,
          p.n, pk_svg_color(2), 0 },
    };
    for (int i = 0; i < (networks ? 3 : 2) && !rc; i++)
        rc = pk_chart_add(c, &s[i]);
    if (!rc)
        rc = pk_html_chart(f, c, networks ? "log-log; hover a point for its network"
                                          : "log-log; hover a point for its layer");
    pk_chart_free(c);
    free(p.tip);
    free(p.ace);
    return rc;
}

static void summary_row(FILE *f, const pk_sim_result_t *r)
{
    char c[8][48];
    const uint64_t cyc = r->total.v[PK_CNT_CYCLES];
    snprintf(c[0], 48, "%llu", (unsigned long long)cyc);
    snprintf(c[1], 48, "%lld", (long long)r->roof.cycles);
    snprintf(c[2], 48, "%.3f", ratio((double)r->roof.cycles, (double)cyc));
    snprintf(c[3], 48, "%.1f%%", 100.0 * r->utilization);
    snprintf(c[4], 48, "%.2fx", ratio((double)dram_bytes(&r->total),
                                      (double)r->roof.compulsory_bytes));
    snprintf(c[5], 48, "%.1f", r->energy.total / r->opts.views * 1e-6);
    snprintf(c[6], 48, "%lld", (long long)r->met.ace);
    snprintf(c[7], 48, "%.0f", r->met.acev2);
    const char *cell[9] = { r->net->name, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7] };
    pk_html_table_row(f, cell, 9);
}

static int metrics_section(FILE *f, pk_sim_result_t *const *r, int n)
{
    pk_html_section_begin(f, "metrics", "ACE and ACEv2 against simulated energy");
    int rc;
    if (n > 1) {
        pk_sim_corr_t k;
        pk_sim_correlate(r, n, &k);
        pk_html_note(f, "Across %d networks, energy per view against the metric: ACE Pearson "
                        "%.4f, Spearman %.4f; ACEv2 (Pike definition) Pearson %.4f, Spearman "
                        "%.4f.", n, k.ace_pearson, k.ace_spearman, k.acev2_pearson,
                     k.acev2_spearman);
        rc = metrics_chart(f, r, n, 1);
        const char *head[9] = { "network", "cycles", "roofline bound", "reached",
                                "utilization", "DRAM / compulsory", "energy per view (µJ)",
                                "ACE", "ACEv2" };
        pk_html_table_begin(f, "wide", head, 9);
        for (int i = 0; i < n; i++)
            summary_row(f, r[i]);
        pk_html_table_end(f);
    } else {
        pk_html_note(f, "One network in this run: its layers are the points (give pikesim "
                        "several --network to compare networks).");
        rc = metrics_chart(f, r, 1, 0);
    }
    pk_html_section_end(f);
    return rc;
}

/* ---- one network --------------------------------------------------------- */

static pk_chart_t *layer_chart(const pk_sim_result_t *r, const char *title, const char *yl,
                               pk_axis_kind_t y, double ymax)
{
    pk_chart_opts_t o = { .width = W, .height = 330, .title = title, .y_label = yl,
                          .x_axis = PK_AXIS_CATEGORY, .y_axis = y, .y_max = ymax };
    pk_chart_t *c = pk_chart_new(&o);
    const char **names = calloc((size_t)r->n_layers + 1, sizeof *names);
    int bad = !c || !names;
    for (int i = 0; !bad && i < r->n_layers; i++)
        names[i] = r->layers[i].L->name;
    if (!bad)
        bad = pk_chart_categories(c, names, r->n_layers);
    free(names);
    if (bad) {
        pk_chart_free(c);
        return NULL;
    }
    return c;
}

/* Add n series over the layers and write the chart with its caption. */
static int emit(FILE *f, pk_chart_t *c, const pk_series_t *s, int n, const char *caption)
{
    int rc = c ? 0 : -1;
    for (int i = 0; i < n && !rc; i++)
        rc = pk_chart_add(c, &s[i]);
    if (!rc)
        rc = pk_html_chart(f, c, caption);
    pk_chart_free(c);
    return rc;
}

static pk_series_t ser(pk_series_kind_t k, const char *name, const double *y, int n, int color)
{
    pk_series_t s = { k, name, NULL, y, NULL, n, pk_svg_color(color), 0 };
    return s;
}

static int chart_roofline(FILE *f, const pk_sim_result_t *r, double *a, double *b)
{
    const int n = r->n_layers;
    for (int i = 0; i < n; i++) {
        a[i] = (double)r->layers[i].cnt.v[PK_CNT_CYCLES];
        b[i] = (double)r->layers[i].roof.cycles;
    }
    pk_series_t s[2] = { ser(PK_SERIES_BAR, "simulated cycles", a, n, 0),
                               ser(PK_SERIES_MARK, "roofline bound", b, n, 2) };
    s[1].color = "#1a1a1a";
    return emit(f, layer_chart(r, "Cycles per layer against the roofline bound", "cycles",
                               PK_AXIS_LOG, 0),
                s, 2, "log scale; the bound is max(ops / peak, compulsory bytes / port width) "
                      "(docs/SIM.md, Roofline)");
}

static int chart_utilization(FILE *f, const pk_sim_result_t *r, double *a, double *b)
{
    const int n = r->n_layers;
    for (int i = 0; i < n; i++) {
        const pk_sim_layer_t *sl = &r->layers[i];
        a[i] = 100.0 * sl->utilization;
        b[i] = 100.0 * ratio((double)sl->roof.cycles, (double)sl->cnt.v[PK_CNT_CYCLES]);
    }
    const pk_series_t s[2] = { ser(PK_SERIES_BAR, "array utilization (CONV, DW)", a, n, 0),
                               ser(PK_SERIES_BAR, "roofline bound reached", b, n, 4) };
    pk_chart_t *c = layer_chart(r, "Utilization and fraction of the roofline bound reached",
                                "%", PK_AXIS_LINEAR, 100);
    return emit(f, c, s, 2, "utilization: valid MACs / (cycles x peak MACs per cycle); "
                            "reached: bound / simulated cycles");
}

static int chart_dram(FILE *f, const pk_sim_result_t *r, double *a, double *b)
{
    const int n = r->n_layers;
    for (int i = 0; i < n; i++) {
        a[i] = (double)dram_bytes(&r->layers[i].cnt);
        b[i] = (double)r->layers[i].roof.compulsory_bytes;
    }
    const pk_series_t s[2] = { ser(PK_SERIES_BAR, "DRAM bytes read + written", a, n, 0),
                               ser(PK_SERIES_BAR, "compulsory bytes", b, n, 1) };
    return emit(f, layer_chart(r, "DRAM traffic against compulsory bytes", "bytes",
                               PK_AXIS_LOG, 0),
                s, 2, "log scale; compulsory: weights (packed), parameter records, input, "
                      "residual and output, each once");
}

/* Energy by class, stacked: absolute (share == 0) or as % of the layer's. */
static int chart_energy(FILE *f, const pk_sim_result_t *r, double *buf, int share)
{
    const int n = r->n_layers;
    pk_series_t s[E_N];
    for (int k = 0; k < E_N; k++) {
        double *y = buf + (size_t)k * n;
        for (int i = 0; i < n; i++) {
            const pk_energy_split_t *e = &r->layers[i].energy;
            y[i] = share ? 100.0 * ratio(energy_class(e, k), e->total)
                         : energy_class(e, k) * 1e-6;
        }
        s[k] = ser(PK_SERIES_STACK, E_NAME[k], y, n, k);
    }
    pk_chart_t *c = share ? layer_chart(r, "Share of each layer's energy by class",
                                        "% of the layer's energy", PK_AXIS_LINEAR, 100)
                          : layer_chart(r, "Energy by class per layer", "energy (µJ)",
                                        PK_AXIS_LINEAR, 0);
    return emit(f, c, s, E_N, share ? "stacked to 100% per layer"
                                    : "stacked; all views; energy table of the config");
}

static void layer_row(FILE *f, const pk_sim_result_t *r, int i)
{
    const pk_sim_layer_t *sl = &r->layers[i];
    const uint64_t *v = sl->cnt.v;
    char c[12][40];
    snprintf(c[0], 40, "%d/%d", sl->L->w_bits, sl->L->a_bits);
    snprintf(c[1], 40, "%lld", (long long)sl->met.macs * r->opts.views);
    snprintf(c[2], 40, "%llu", (unsigned long long)v[PK_CNT_CYCLES]);
    snprintf(c[3], 40, "%lld", (long long)sl->roof.cycles);
    snprintf(c[4], 40, "%s", sl->hw_count ? pk_roofline_memory_bound(&sl->roof) ? "memory"
                                                                              : "compute"
                                         : "-");
    snprintf(c[5], 40, "%.3f", ratio((double)sl->roof.cycles, (double)v[PK_CNT_CYCLES]));
    snprintf(c[6], 40, "%.1f%%", 100.0 * sl->utilization);
    snprintf(c[7], 40, "%llu", (unsigned long long)v[PK_CNT_DRAM_RD_BYTES]);
    snprintf(c[8], 40, "%llu", (unsigned long long)v[PK_CNT_DRAM_WR_BYTES]);
    snprintf(c[9], 40, "%lld", (long long)sl->roof.compulsory_bytes);
    snprintf(c[10], 40, "%.1f", sl->energy.total);
    snprintf(c[11], 40, "%.0f", sl->met.acev2 * r->opts.views);
    const char *cell[14] = { sl->L->name, pk_op_name(sl->L->op), c[0], c[1], c[2], c[3], c[4],
                             c[5], c[6], c[7], c[8], c[9], c[10], c[11] };
    pk_html_table_row(f, cell, 14);
}

static void network_stats(FILE *f, const pk_sim_result_t *r)
{
    const uint64_t cyc = r->total.v[PK_CNT_CYCLES];
    char s[8][48];
    snprintf(s[0], 48, "%llu", (unsigned long long)cyc);
    snprintf(s[1], 48, "%.3f ms", (double)cyc / (r->cfg->clock_mhz * 1e3));
    snprintf(s[2], 48, "%lld", (long long)r->roof.cycles);
    snprintf(s[3], 48, "%.3f", ratio((double)r->roof.cycles, (double)cyc));
    snprintf(s[4], 48, "%.1f%%", 100.0 * r->utilization);
    snprintf(s[5], 48, "%.2fx", ratio((double)dram_bytes(&r->total),
                                      (double)r->roof.compulsory_bytes));
    snprintf(s[6], 48, "%.1f µJ", r->energy.total * 1e-6);
    snprintf(s[7], 48, "%.1f%%", 100.0 * ratio(r->energy.dram, r->energy.total));
    const pk_html_stat_t st[8] = {
        { "cycles", s[0] },          { "latency", s[1] },
        { "roofline bound", s[2] },  { "bound reached", s[3] },
        { "array utilization", s[4] }, { "DRAM / compulsory bytes", s[5] },
        { "energy", s[6] },          { "DRAM share of energy", s[7] },
    };
    pk_html_stats(f, st, 8);
}

static int network_section(FILE *f, const pk_sim_result_t *r, int idx)
{
    char id[32], head[256];
    snprintf(id, sizeof id, "net-%d", idx);
    snprintf(head, sizeof head, "Network %s", r->net->name);
    pk_html_section_begin(f, id, head);
    pk_html_note(f, "%d layers, %d view(s)%s; totals over all views.", r->n_layers,
                 r->opts.views, r->opts.timing_only ? ", timing only" : "");
    network_stats(f, r);
    const int n = r->n_layers;
    double *buf = calloc((size_t)E_N * n + 1, sizeof *buf);
    int rc = buf ? 0 : -1;
    if (!rc)
        rc = chart_roofline(f, r, buf, buf + n);
    if (!rc)
        rc = chart_utilization(f, r, buf, buf + n);
    if (!rc)
        rc = chart_dram(f, r, buf, buf + n);
    if (!rc)
        rc = chart_energy(f, r, buf, 0);
    if (!rc)
        rc = chart_energy(f, r, buf, 1);
    free(buf);
    pk_html_details_begin(f, "per-layer numbers");
    const char *cols[14] = { "layer", "op", "w/a", "MACs", "cycles", "bound", "limit",
                             "reached", "util", "DRAM rd B", "DRAM wr B", "compulsory B",
                             "energy pJ", "ACEv2" };
    pk_html_table_begin(f, "wide", cols, 14);
    for (int i = 0; i < n; i++)
        layer_row(f, r, i);
    pk_html_table_end(f);
    pk_html_details_end(f);
    pk_html_section_end(f);
    return rc;
}

/* Links to the config, the metrics and every network's section. */
static int nav(FILE *f, pk_sim_result_t *const *r, int n)
{
    pk_html_link_t *l = calloc((size_t)n + 2, sizeof *l);
    char (*ids)[16] = calloc((size_t)n + 1, sizeof *ids);
    if (!l || !ids) {
        free(l);
        free(ids);
        return -1;
    }
    l[0] = (pk_html_link_t){ "config", "config" };
    l[1] = (pk_html_link_t){ "metrics", "ACE / ACEv2 vs energy" };
    for (int i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "net-%d", i);
        l[i + 2] = (pk_html_link_t){ ids[i], r[i]->net->name };
    }
    pk_html_nav(f, l, n + 2);
    free(l);
    free(ids);
    return 0;
}

int pk_report_html(FILE *f, pk_sim_result_t *const *r, int n)
{
    char title[256], sub[512];
    if (n == 1)
        snprintf(title, sizeof title, "pikesim: %s on %s", r[0]->net->name, r[0]->cfg->name);
    else
        snprintf(title, sizeof title, "pikesim: %d networks on %s", n, r[0]->cfg->name);
    snprintf(sub, sizeof sub, "seed %llu, %d view(s)%s. Cycles and energy from pikesim's exact "
                              "cycle model (docs/SIM.md); ACEv2 is the Pike definition.",
             (unsigned long long)r[0]->opts.seed, r[0]->opts.views,
             r[0]->opts.timing_only ? ", timing only" : "");
    pk_html_begin(f, title, sub);
    int rc = nav(f, r, n);
    config_section(f, r[0]->cfg);
    if (!rc)
        rc = metrics_section(f, r, n);
    for (int i = 0; i < n && !rc; i++)
        rc = network_section(f, r[i], i);
    return pk_html_end(f) || rc ? -1 : 0;
}
