/* pk_report.c - text, JSON and CSV views of pikesim results. */
#include "pk_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *layer_hw(const pk_sim_result_t *r, const pk_sim_layer_t *sl, char *buf,
                            size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int k = 0; k < sl->hw_count && o < len; k++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", k ? "+" : "",
                              pk_hwkind_name(r->hw->layers[sl->hw_first + k].kind));
    return buf;
}

static void roofline_text(FILE *f, const pk_sim_result_t *r);

void pk_report_text(FILE *f, const pk_sim_result_t *r)
{
    const pk_config_t *cfg = r->cfg;
    fprintf(f, "pikesim: network %s on config %s (%dx%dx%d, %.0f MHz), seed %llu, views %d%s%s\n",
            r->net->name, cfg->name, cfg->array.rows, cfg->array.cols, cfg->array.lanes,
            cfg->clock_mhz, (unsigned long long)r->opts.seed, r->opts.views,
            r->opts.timing_only ? ", timing only" : "", r->opts.arch == 2 ? ", model v2" : ", model v1");
    if (r->opts.arch == 2 && r->v2plan) {
        int first = r->v2_rtl_first_refused;
        fprintf(f, "v2 RTL: pk_core2 builds %d of %d hardware layers (pikecheck --arch v2 checks those)",
                r->v2_rtl_built, r->hw->n_layers);
        if (first >= 0)
            fprintf(f, "; the first it does not, %s: %s", r->hw->layers[first].name, r->v2_rtl_why);
        fputc('\n', f);
    }
    fprintf(f, "%-14s %-14s %-12s %5s %14s %12s %11s %6s %14s %14s %16s\n", "layer", "op", "hw",
            "w/a", "MACs", "cycles", "stall", "util%", "ACE", "ACEv2", "energy_pJ");
    for (int i = 0; i < r->n_layers; i++) {
        const pk_sim_layer_t *sl = &r->layers[i];
        char hwb[64], wa[16];
        if (sl->L->w_bits)
            snprintf(wa, sizeof wa, "%d/%d", sl->L->w_bits, sl->L->a_bits);
        else
            snprintf(wa, sizeof wa, "-/%d", sl->L->a_bits);
        fprintf(f, "%-14s %-14s %-12s %5s %14lld %12llu %11llu %6.1f %14lld %14.0f %16.1f%s\n",
                sl->L->name, pk_op_name(sl->L->op), layer_hw(r, sl, hwb, sizeof hwb), wa,
                (long long)sl->met.macs * r->opts.views,
                (unsigned long long)sl->cnt.v[PK_CNT_CYCLES],
                (unsigned long long)sl->cnt.v[PK_CNT_STALL], 100.0 * sl->utilization,
                (long long)sl->met.ace * r->opts.views, sl->met.acev2 * r->opts.views,
                sl->energy.total, sl->float_ops ? "  *float" : "");
    }
    const uint64_t *v = r->total.v;
    fprintf(f, "total: MACs %llu (simulated; analytical %lld x %d views), cycles %llu (busy %llu, "
               "stall %llu), utilization %.1f%%, %.3f ms at %.0f MHz\n",
            (unsigned long long)v[PK_CNT_MACS], (long long)r->met.macs, r->opts.views,
            (unsigned long long)v[PK_CNT_CYCLES], (unsigned long long)v[PK_CNT_BUSY],
            (unsigned long long)v[PK_CNT_STALL], 100.0 * r->utilization,
            (double)v[PK_CNT_CYCLES] / (cfg->clock_mhz * 1e3), cfg->clock_mhz);
    fprintf(f, "energy (simulated, pJ): MAC %.1f, elementwise %.1f (", r->energy.mac,
            r->energy.elementwise);
    for (int k = 0; k < PK_EK_COUNT; k++)
        fprintf(f, "%s%s %.1f", k ? ", " : "", pk_energy_kind_name(k), r->energy.ew[k]);
    fprintf(f, "), SRAM %.1f, DRAM %.1f, static %.1f, total %.1f\n", r->energy.sram,
            r->energy.dram, r->energy.stat, r->energy.total);
    fprintf(f, "ACE %lld, ACEv2 (Pike definition) %.0f, per view; energy predicted from ACEv2 "
               "(calibrated: %.6g pJ x ACEv2 + %.6g): %.1f pJ\n",
            (long long)r->met.ace, r->met.acev2, r->pred_alpha, r->pred_beta, r->pred_energy);
    roofline_text(f, r);
    if (r->n_float_layers)
        fprintf(f, "*float: %d layer(s) have float norm/scale/outputs, not executable on Pike: "
                   "cycles as if the integer PPU ran them (float tensors stored as 8-bit codes), "
                   "energy from the float entries of the energy table, outputs from the "
                   "integer path with the seeded integer parameters\n", r->n_float_layers);
    if (r->view_sha256) {
        fprintf(f, "outputs: bit-exact functional model; last layer SHA-256 view 0 %s", r->view_sha256[0]);
        if (r->opts.views > 1)
            fprintf(f, ", multi-view top-1 index %d", r->mv_top1);
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

static double fraction(const pk_roofline_t *rl, uint64_t cycles)
{
    return cycles ? (double)rl->cycles / (double)cycles : 0.0;
}

static double traffic_ratio(const pk_counters_t *c, const pk_roofline_t *rl)
{
    uint64_t b = c->v[PK_CNT_DRAM_RD_BYTES] + c->v[PK_CNT_DRAM_WR_BYTES];
    return rl->compulsory_bytes ? (double)b / (double)rl->compulsory_bytes : 0.0;
}

/* The roofline section: per layer the bound, which term sets it, the fraction
 * of it reached, and DRAM traffic against the compulsory bytes. */
static void roofline_text(FILE *f, const pk_sim_result_t *r)
{
    fprintf(f, "roofline (docs/SIM.md): bound = max(ops / peak of the mode, compulsory bytes / "
               "%d B per cycle) per hardware layer\n", r->cfg->offchip.bytes_per_cycle);
    fprintf(f, "%-14s %12s %-7s %12s %8s %14s %14s %14s %8s\n", "layer", "bound", "limit",
            "cycles", "reached", "dram_rd_B", "dram_wr_B", "compulsory_B", "traffic");
    for (int i = 0; i < r->n_layers; i++) {
        const pk_sim_layer_t *sl = &r->layers[i];
        const uint64_t *v = sl->cnt.v;
        fprintf(f, "%-14s %12lld %-7s %12llu %8.3f %14llu %14llu %14lld %7.2fx\n", sl->L->name,
                (long long)sl->roof.cycles,
                pk_roofline_memory_bound(&sl->roof) ? "memory" : "compute",
                (unsigned long long)v[PK_CNT_CYCLES], fraction(&sl->roof, v[PK_CNT_CYCLES]),
                (unsigned long long)v[PK_CNT_DRAM_RD_BYTES],
                (unsigned long long)v[PK_CNT_DRAM_WR_BYTES], (long long)sl->roof.compulsory_bytes,
                traffic_ratio(&sl->cnt, &sl->roof));
    }
    const uint64_t *v = r->total.v;
    const pk_roofline_t *t = &r->roof;
    fprintf(f, "roofline: bound %lld cycles (compute terms %lld, memory terms %lld), simulated "
               "%llu: reached %.3f of the bound\n",
            (long long)t->cycles, (long long)t->compute_cycles, (long long)t->memory_cycles,
            (unsigned long long)v[PK_CNT_CYCLES], fraction(t, v[PK_CNT_CYCLES]));
    fprintf(f, "DRAM: read %llu B, written %llu B; compulsory %lld B (weights %lld, parameters "
               "%lld, inputs %lld, residuals %lld, outputs %lld): traffic %.2fx compulsory\n",
            (unsigned long long)v[PK_CNT_DRAM_RD_BYTES],
            (unsigned long long)v[PK_CNT_DRAM_WR_BYTES], (long long)t->compulsory_bytes,
            (long long)t->weight_bytes, (long long)t->param_bytes, (long long)t->input_bytes,
            (long long)t->residual_bytes, (long long)t->output_bytes,
            traffic_ratio(&r->total, t));
}

void pk_report_cross_text(FILE *f, pk_sim_result_t *const *r, int n)
{
    pk_sim_corr_t k;
    pk_sim_correlate(r, n, &k);
    fprintf(f, "across %d networks (energy per view vs metric): ACE Pearson %.4f Spearman %.4f; "
               "ACEv2 (Pike definition) Pearson %.4f Spearman %.4f\n", n, k.ace_pearson,
            k.ace_spearman, k.acev2_pearson, k.acev2_spearman);
    fprintf(f, "%-28s %16s %18s %18s %18s %12s %12s %8s\n", "network", "ACE", "ACEv2",
            "energy_pJ", "ACEv2-predicted_pJ", "cycles", "bound", "reached");
    for (int i = 0; i < n; i++)
        fprintf(f, "%-28s %16lld %18.0f %18.1f %18.1f %12llu %12lld %8.3f\n", r[i]->net->name,
                (long long)r[i]->met.ace, r[i]->met.acev2, r[i]->energy.total,
                r[i]->pred_energy, (unsigned long long)r[i]->total.v[PK_CNT_CYCLES],
                (long long)r[i]->roof.cycles, fraction(&r[i]->roof, r[i]->total.v[PK_CNT_CYCLES]));
}

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *energy_json(const pk_energy_split_t *e, int by_kind)
{
    json_t *o = json_object();
    json_object_set_new(o, "mac", json_real(e->mac));
    json_object_set_new(o, "elementwise", json_real(e->elementwise));
    if (by_kind) {
        json_t *k = json_object();
        for (int i = 0; i < PK_EK_COUNT; i++)
            json_object_set_new(k, pk_energy_kind_name(i), json_real(e->ew[i]));
        json_object_set_new(o, "elementwise_by_kind", k);
    }
    json_object_set_new(o, "sram", json_real(e->sram));
    json_object_set_new(o, "dram", json_real(e->dram));
    json_object_set_new(o, "static", json_real(e->stat));
    json_object_set_new(o, "total", json_real(e->total));
    return o;
}

static json_t *jint(int64_t v)
{
    return json_integer((json_int_t)v);
}

/* Keys roofline_cycles, roofline_fraction, dram_rd_bytes, dram_wr_bytes,
 * compulsory_bytes and the bound's terms {"roofline": {...}} into o. */
static void roofline_json(json_t *o, const pk_roofline_t *rl, const pk_counters_t *c)
{
    json_object_set_new(o, "roofline_cycles", jint(rl->cycles));
    json_object_set_new(o, "roofline_fraction", json_real(fraction(rl, c->v[PK_CNT_CYCLES])));
    json_object_set_new(o, "dram_rd_bytes", jint((int64_t)c->v[PK_CNT_DRAM_RD_BYTES]));
    json_object_set_new(o, "dram_wr_bytes", jint((int64_t)c->v[PK_CNT_DRAM_WR_BYTES]));
    json_object_set_new(o, "compulsory_bytes", jint(rl->compulsory_bytes));
    json_t *d = json_object();
    json_object_set_new(d, "ops", jint(rl->ops));
    if (rl->peak)
        json_object_set_new(d, "peak_ops_per_cycle", jint(rl->peak));
    json_object_set_new(d, "compute_cycles", jint(rl->compute_cycles));
    json_object_set_new(d, "memory_cycles", jint(rl->memory_cycles));
    json_object_set_new(d, "weight_bytes", jint(rl->weight_bytes));
    json_object_set_new(d, "param_bytes", jint(rl->param_bytes));
    json_object_set_new(d, "input_bytes", jint(rl->input_bytes));
    json_object_set_new(d, "residual_bytes", jint(rl->residual_bytes));
    json_object_set_new(d, "output_bytes", jint(rl->output_bytes));
    json_object_set_new(o, "roofline", d);
}

static json_t *net_json(const pk_sim_result_t *r)
{
    const uint64_t V = (uint64_t)r->opts.views;
    json_t *o = json_object();
    json_object_set_new(o, "network", json_string(r->net->name));
    json_object_set_new(o, "config", json_string(r->cfg->name));
    json_object_set_new(o, "seed", json_integer((json_int_t)r->opts.seed));
    json_object_set_new(o, "views", json_integer(r->opts.views));
    json_object_set_new(o, "timing_only", json_boolean(r->opts.timing_only));
    json_object_set_new(o, "arch", json_string(r->opts.arch == 2 ? "v2" : "v1"));
    json_t *t = json_object();
    json_object_set_new(t, "macs", json_integer((json_int_t)r->total.v[PK_CNT_MACS]));
    json_object_set_new(t, "ace", json_integer((json_int_t)(r->met.ace * (int64_t)V)));
    json_object_set_new(t, "acev2", json_real(r->met.acev2 * (double)V));
    json_object_set_new(t, "cycles", json_integer((json_int_t)r->total.v[PK_CNT_CYCLES]));
    json_object_set_new(t, "stall_cycles", json_integer((json_int_t)r->total.v[PK_CNT_STALL]));
    json_object_set_new(t, "busy_cycles", json_integer((json_int_t)r->total.v[PK_CNT_BUSY]));
    json_object_set_new(t, "utilization", json_real(r->utilization));
    json_object_set_new(t, "counters", pk_counters_to_json(&r->total));
    json_object_set_new(t, "energy_pj", energy_json(&r->energy, 1));
    json_object_set_new(t, "acev2_predicted_energy_pj", json_real(r->pred_energy));
    json_object_set_new(t, "acev2_energy_alpha_pj", json_real(r->pred_alpha));
    json_object_set_new(t, "acev2_energy_beta_pj", json_real(r->pred_beta));
    json_object_set_new(t, "float_layers", json_integer(r->n_float_layers));
    roofline_json(t, &r->roof, &r->total);
    json_object_set_new(o, "totals", t);
    if (r->opts.arch == 2 && r->v2plan) {
        int first = r->v2_rtl_first_refused;
        json_t *v = json_object();
        json_object_set_new(v, "built_layers", json_integer(r->v2_rtl_built));
        json_object_set_new(v, "hw_layers", json_integer(r->hw->n_layers));
        json_object_set_new(v, "first_refused",
                            first < 0 ? json_null() : json_string(r->hw->layers[first].name));
        json_object_set_new(v, "first_refused_why", first < 0 ? json_null() : json_string(r->v2_rtl_why));
        json_object_set_new(o, "v2_rtl", v);
    }
    json_t *ls = json_array();
    for (int i = 0; i < r->n_layers; i++) {
        const pk_sim_layer_t *sl = &r->layers[i];
        char hwb[64];
        json_t *l = json_object();
        json_object_set_new(l, "name", json_string(sl->L->name));
        json_object_set_new(l, "op", json_string(pk_op_name(sl->L->op)));
        json_object_set_new(l, "hw", json_string(layer_hw(r, sl, hwb, sizeof hwb)));
        json_object_set_new(l, "macs", json_integer((json_int_t)(sl->met.macs * (int64_t)V)));
        json_object_set_new(l, "w_bits", json_integer(sl->L->w_bits));
        json_object_set_new(l, "a_bits", json_integer(sl->L->a_bits));
        json_object_set_new(l, "ace", json_integer((json_int_t)(sl->met.ace * (int64_t)V)));
        json_object_set_new(l, "acev2", json_real(sl->met.acev2 * (double)V));
        json_object_set_new(l, "cycles", json_integer((json_int_t)sl->cnt.v[PK_CNT_CYCLES]));
        json_object_set_new(l, "stall_cycles", json_integer((json_int_t)sl->cnt.v[PK_CNT_STALL]));
        json_object_set_new(l, "utilization", json_real(sl->utilization));
        json_object_set_new(l, "float_ops", json_boolean(sl->float_ops));
        json_object_set_new(l, "counters", pk_counters_to_json(&sl->cnt));
        json_object_set_new(l, "energy_pj", energy_json(&sl->energy, 0));
        roofline_json(l, &sl->roof, &sl->cnt);
        json_array_append_new(ls, l);
    }
    json_object_set_new(o, "layers", ls);
    if (r->view_sha256) {
        json_t *out = json_object(), *a = json_array();
        for (int v = 0; v < r->opts.views; v++)
            json_array_append_new(a, json_string(r->view_sha256[v]));
        json_object_set_new(out, "view_sha256", a);
        json_object_set_new(out, "multiview_top1", json_integer(r->mv_top1));
        json_object_set_new(o, "outputs", out);
    }
    return o;
}

json_t *pk_report_json(pk_sim_result_t *const *r, int n)
{
    if (n == 1)
        return net_json(r[0]);
    json_t *o = json_object();
    json_object_set_new(o, "config", json_string(r[0]->cfg->name));
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, net_json(r[i]));
    json_object_set_new(o, "networks", a);
    pk_sim_corr_t k;
    pk_sim_correlate(r, n, &k);
    json_t *c = json_object();
    json_object_set_new(c, "ace_pearson", jnum(k.ace_pearson));
    json_object_set_new(c, "ace_spearman", jnum(k.ace_spearman));
    json_object_set_new(c, "acev2_pearson", jnum(k.acev2_pearson));
    json_object_set_new(c, "acev2_spearman", jnum(k.acev2_spearman));
    json_object_set_new(o, "correlation", c);
    return o;
}

void pk_report_csv(FILE *f, pk_sim_result_t *const *r, int n)
{
    fprintf(f, "network,layer,op,hw,w_bits (bit),a_bits (bit),macs (MAC),ace (bit^2 MAC),"
               "acev2 (Pike definition),cycles (cycle),stall_cycles (cycle),utilization (%%),"
               "dram_bytes (B),energy_mac (pJ),energy_elementwise (pJ),energy_sram (pJ),"
               "energy_dram (pJ),energy_static (pJ),energy_total (pJ),float_ops,"
               "roofline_cycles (cycle),compulsory_bytes (B)\n");
    for (int k = 0; k < n; k++) {
        const pk_sim_result_t *R = r[k];
        const int64_t V = R->opts.views;
        for (int i = 0; i < R->n_layers; i++) {
            const pk_sim_layer_t *sl = &R->layers[i];
            char hwb[64];
            fprintf(f, "%s,%s,%s,%s,%d,%d,%lld,%lld,%.1f,%llu,%llu,%.2f,%llu,%.3f,%.3f,%.3f,%.3f,"
                       "%.3f,%.3f,%d,%lld,%lld\n",
                    R->net->name, sl->L->name, pk_op_name(sl->L->op),
                    layer_hw(R, sl, hwb, sizeof hwb), sl->L->w_bits, sl->L->a_bits,
                    (long long)(sl->met.macs * V), (long long)(sl->met.ace * V),
                    sl->met.acev2 * (double)V, (unsigned long long)sl->cnt.v[PK_CNT_CYCLES],
                    (unsigned long long)sl->cnt.v[PK_CNT_STALL], 100.0 * sl->utilization,
                    (unsigned long long)(sl->cnt.v[PK_CNT_DRAM_RD_BYTES] +
                                         sl->cnt.v[PK_CNT_DRAM_WR_BYTES]),
                    sl->energy.mac, sl->energy.elementwise, sl->energy.sram, sl->energy.dram,
                    sl->energy.stat, sl->energy.total, sl->float_ops,
                    (long long)sl->roof.cycles, (long long)sl->roof.compulsory_bytes);
        }
    }
}
