/* pk_sweep_out.c - points.csv, points.json, pareto.csv, skipped.csv
 * (pk_sweep_out.h).
 *
 * Text is assembled in memory (pk_sw_buf_t) and written with one atomic
 * rename per file, so a reader never sees a half-written result and a failed
 * run leaves the previous files intact.  Numbers: integers exactly, reals
 * with %.10g (the same double always prints the same).
 */
#include "pk_sweep_out.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_area.h"
#include "pk_sweep_synth.h"
#include "pk_sweep_util.h"

static const pk_sweep_point_t *pt_of(const pk_sweep_t *sw, int64_t p) { return &sw->pts[p]; }

static double area_of(const pk_sweep_t *sw, const pk_sweep_point_t *pt)
{
    pk_area_in_t in;
    pk_area_in_from_config(pt->cfg, pk_sweep_spec_arch(sw->spec), &in);
    return pk_area_estimate(&in);
}

static double row_objective(const pk_sweep_row_t *r, const char *name)
{
    if (r->error[0])
        return NAN;
    if (!strcmp(name, "cycles"))
        return (double)r->cycles;
    if (!strcmp(name, "latency_us"))
        return r->latency_us;
    if (!strcmp(name, "energy_uj"))
        return r->energy_pj * 1e-6;
    if (!strcmp(name, "dram_bytes"))
        return (double)r->dram_bytes;
    if (!strcmp(name, "acev2"))
        return r->acev2;
    return NAN;
}

double pk_sweep_objective(const pk_sweep_t *sw, int64_t p, int net, const char *name)
{
    const pk_sweep_point_t *pt = pt_of(sw, p);
    if (!pt->cfg)
        return NAN;
    double area = area_of(sw, pt), s = 0;
    for (int j = 0; j < sw->n_nets; j++) {
        if (pt->rows[j].error[0])
            return NAN;  /* a point that cannot run every network has no total */
        if (net < 0 || net == j)
            s += row_objective(&pt->rows[j], name);
    }
    if (!strcmp(name, "ram_bits"))
        return (double)pk_area_ram_bits(pt->cfg);
    return !strcmp(name, "area_cells") ? area : s;
}

typedef struct cand {
    int64_t p;
    double x, y;
} cand_t;

static int cmp_cand(const void *a, const void *b)
{
    const cand_t *u = a, *v = b;
    if (u->x != v->x)
        return u->x < v->x ? -1 : 1;
    if (u->y != v->y)
        return u->y < v->y ? -1 : 1;
    return u->p < v->p ? -1 : u->p > v->p;
}

int pk_sweep_pareto(const pk_sweep_t *sw, int net, const char *x, const char *y,
                    int64_t **front, int64_t *n)
{
    cand_t *c = malloc(sizeof *c * (size_t)(sw->n_points ? sw->n_points : 1));
    int64_t k = 0, m = 0;
    *front = malloc(sizeof **front * (size_t)(sw->n_points ? sw->n_points : 1));
    if (!c || !*front) {
        free(c);
        free(*front);
        *front = NULL;
        return PK_ENOMEM;
    }
    for (int64_t p = 0; p < sw->n_points; p++) {
        cand_t v = { p, pk_sweep_objective(sw, p, net, x), pk_sweep_objective(sw, p, net, y) };
        if (!isnan(v.x) && !isnan(v.y))
            c[k++] = v;
    }
    qsort(c, (size_t)k, sizeof *c, cmp_cand);
    /* sorted by x: a point is on the front iff its y beats every earlier y */
    for (int64_t i = 0; i < k; i++)
        if (m == 0 || c[i].y < c[(*front)[m - 1]].y)
            (*front)[m++] = i;
    for (int64_t i = 0; i < m; i++)
        (*front)[i] = c[(*front)[i]].p;
    free(c);
    *n = m;
    return 0;
}

/* ---- CSV --------------------------------------------------------------- */

/* A CSV field: quoted (with "" for ") when it holds , or ". */
static void csv_field(pk_sw_buf_t *b, const char *s)
{
    if (!strpbrk(s, ",\"")) {
        pk_sw_buf_add(b, "%s", s);
        return;
    }
    pk_sw_buf_add(b, "\"");
    for (; *s; s++)
        pk_sw_buf_add(b, *s == '"' ? "\"\"" : "%c", *s);
    pk_sw_buf_add(b, "\"");
}

static void axes_header(pk_sw_buf_t *b, const pk_sweep_t *sw)
{
    for (int a = 0; a < pk_sweep_spec_n_axes(sw->spec); a++) {
        pk_sw_buf_add(b, ",");
        csv_field(b, pk_sweep_spec_axis(sw->spec, a));
    }
}

static void axes_values(pk_sw_buf_t *b, const pk_sweep_t *sw, int64_t p)
{
    for (int a = 0; a < pk_sweep_spec_n_axes(sw->spec); a++) {
        pk_sw_buf_add(b, ",");
        csv_field(b, pk_sweep_spec_point_value(sw->spec, p, a));
    }
}

/* "point,arch,<axes>,cols" and a row's "p,v2,<axis values>": every row names
 * the architecture it was evaluated with, so results of v1 and v2 sweeps
 * cannot be mistaken for each other (or silently concatenated). */
static void csv_head(pk_sw_buf_t *b, const pk_sweep_t *sw, const char *cols)
{
    pk_sw_buf_add(b, "point,arch");
    axes_header(b, sw);
    pk_sw_buf_add(b, ",%s\n", cols);
}

static void row_head(pk_sw_buf_t *b, const pk_sweep_t *sw, int64_t p)
{
    pk_sw_buf_add(b, "%" PRId64 ",%s", p, pk_sweep_spec_arch_name(sw->spec));
    axes_values(b, sw, p);
}

/* ",synth_flow,synth_cells,area_error_pct": empty unless p was synthesized
 * (a failed synthesis: the flow, no cells; its error is in synth.csv). */
static void synth_fields(pk_sw_buf_t *b, const pk_sweep_t *sw, int64_t p)
{
    const pk_sweep_synth_t *r = &sw->pts[p].synth;
    double e = pk_sweep_synth_error_pct(sw, p);
    if (!r->done) {
        pk_sw_buf_add(b, ",,,");
        return;
    }
    pk_sw_buf_add(b, ",yosys-%s,", r->flow);
    if (!r->error[0])
        pk_sw_buf_add(b, "%lld", (long long)r->cells);
    pk_sw_buf_add(b, ",");
    if (!isnan(e))
        pk_sw_buf_add(b, "%.4g", e);
}

static void csv_row(pk_sw_buf_t *b, const pk_sweep_t *sw, int64_t p, const pk_sweep_row_t *r,
                    double area)
{
    int64_t ram_bits = pk_area_ram_bits(sw->pts[p].cfg);
    if (r->error[0]) {
        pk_sw_buf_add(b, ",,,,,,,,,,,,,,,,%.10g,%" PRId64, area, ram_bits);
        synth_fields(b, sw, p);
        pk_sw_buf_add(b, ",");
        csv_field(b, r->error);
        pk_sw_buf_add(b, "\n");
        return;
    }
    pk_sw_buf_add(b,
                  ",%" PRIu64 ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%" PRIu64 ",%" PRId64
                  ",%" PRId64 ",%.10g,%.10g,%" PRIu64 ",%.10g,%.10g,%" PRId64,
                  r->cycles, r->latency_us, r->energy_pj * 1e-6, r->e_mac_pj * 1e-6,
                  r->e_ew_pj * 1e-6, r->e_sram_pj * 1e-6, r->e_dram_pj * 1e-6,
                  r->e_static_pj * 1e-6, r->dram_bytes, r->macs, r->ace, r->acev2,
                  r->utilization, r->roofline_cycles, r->roofline_fraction, area, ram_bits);
    synth_fields(b, sw, p);
    pk_sw_buf_add(b, ",\n");
}

static void points_csv(pk_sw_buf_t *b, const pk_sweep_t *sw)
{
    csv_head(b, sw, "network,cycles,latency_us,energy_uj,mac_uj,elementwise_uj,sram_uj,dram_uj,"
                    "static_uj,dram_bytes,macs,ace,acev2,utilization,roofline_cycles,roofline_fraction,"
                    "area_cells,ram_bits,synth_flow,synth_cells,area_error_pct,error");
    for (int64_t p = 0; p < sw->n_points; p++) {
        const pk_sweep_point_t *pt = pt_of(sw, p);
        if (!pt->cfg)
            continue;
        double area = area_of(sw, pt);
        for (int j = 0; j < sw->n_nets; j++) {
            row_head(b, sw, p);
            pk_sw_buf_add(b, ",");
            csv_field(b, sw->net_names[j]);
            csv_row(b, sw, p, &pt->rows[j], area);
        }
    }
}

static void skipped_csv(pk_sw_buf_t *b, const pk_sweep_t *sw)
{
    csv_head(b, sw, "reason");
    for (int64_t p = 0; p < sw->n_points; p++) {
        const pk_sweep_point_t *pt = pt_of(sw, p);
        for (int j = 0; j < (pt->cfg ? sw->n_nets : 1); j++) {
            const char *why = pt->cfg ? pt->rows[j].error : pt->skip_reason;
            if (!why[0])
                continue;
            row_head(b, sw, p);
            pk_sw_buf_add(b, ",");
            if (pt->cfg) {
                char msg[400];
                snprintf(msg, sizeof msg, "network %s: %s", sw->net_names[j], why);
                csv_field(b, msg);
            } else {
                csv_field(b, why);
            }
            pk_sw_buf_add(b, "\n");
        }
    }
}

/* synth.csv: every selected point, the estimate beside Yosys' count. */
static void synth_csv(pk_sw_buf_t *b, const pk_sweep_t *sw)
{
    csv_head(b, sw, "area_cells,synth_flow,synth_cells,area_error_pct,error");
    for (int64_t p = 0; p < sw->n_points; p++) {
        const pk_sweep_point_t *pt = pt_of(sw, p);
        if (!pt->cfg || !pt->synth.done)
            continue;
        row_head(b, sw, p);
        pk_sw_buf_add(b, ",%.10g", area_of(sw, pt));
        synth_fields(b, sw, p);
        pk_sw_buf_add(b, ",");
        csv_field(b, pt->synth.error);
        pk_sw_buf_add(b, "\n");
    }
}

/* Scopes: each network (its name), then "all" (sums) when there are several. */
static int n_scopes(const pk_sweep_t *sw) { return sw->n_nets + (sw->n_nets > 1); }
static int scope_net(const pk_sweep_t *sw, int s) { return s < sw->n_nets ? s : -1; }
static const char *scope_name(const pk_sweep_t *sw, int s)
{
    return s < sw->n_nets ? sw->net_names[s] : "all";
}

static int pareto_csv(pk_sw_buf_t *b, const pk_sweep_t *sw)
{
    const pk_sweep_spec_t *sp = sw->spec;
    pk_sw_buf_add(b, "scope,x,y,point,arch");
    axes_header(b, sw);
    pk_sw_buf_add(b, ",x_value,y_value\n");
    for (int s = 0; s < n_scopes(sw); s++)
        for (int i = 0; i < pk_sweep_spec_n_objectives(sp); i++)
            for (int k = i + 1; k < pk_sweep_spec_n_objectives(sp); k++) {
                const char *x = pk_sweep_spec_objective(sp, i), *y = pk_sweep_spec_objective(sp, k);
                int64_t *f, n;
                if (pk_sweep_pareto(sw, scope_net(sw, s), x, y, &f, &n))
                    return PK_ENOMEM;
                for (int64_t q = 0; q < n; q++) {
                    csv_field(b, scope_name(sw, s));
                    pk_sw_buf_add(b, ",%s,%s,%" PRId64 ",%s", x, y, f[q],
                                  pk_sweep_spec_arch_name(sp));
                    axes_values(b, sw, f[q]);
                    pk_sw_buf_add(b, ",%.10g,%.10g\n", pk_sweep_objective(sw, f[q], scope_net(sw, s), x),
                                  pk_sweep_objective(sw, f[q], scope_net(sw, s), y));
                }
                free(f);
            }
    return 0;
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *row_json(const pk_sweep_row_t *r)
{
    if (r->error[0])
        return json_pack("{s:s}", "error", r->error);
    return json_pack("{s:I, s:f, s:f, s:{s:f, s:f, s:f, s:f, s:f}, s:I, s:I, s:I, s:f, s:f, s:I, "
                     "s:f}",
                     "cycles", (json_int_t)r->cycles, "latency_us", r->latency_us, "energy_uj",
                     r->energy_pj * 1e-6, "energy_by_class_uj", "mac", r->e_mac_pj * 1e-6,
                     "elementwise", r->e_ew_pj * 1e-6, "sram", r->e_sram_pj * 1e-6, "dram",
                     r->e_dram_pj * 1e-6, "static", r->e_static_pj * 1e-6, "dram_bytes",
                     (json_int_t)r->dram_bytes, "macs", (json_int_t)r->macs, "ace",
                     (json_int_t)r->ace, "acev2", r->acev2, "utilization", r->utilization,
                     "roofline_cycles", (json_int_t)r->roofline_cycles, "roofline_fraction",
                     r->roofline_fraction);
}

static json_t *point_json(const pk_sweep_t *sw, int64_t p)
{
    const pk_sweep_point_t *pt = pt_of(sw, p);
    json_t *o = json_object(), *vals = json_object(), *res = json_object();
    for (int a = 0; a < pk_sweep_spec_n_axes(sw->spec); a++)
        json_object_set_new(vals, pk_sweep_spec_axis(sw->spec, a),
                            json_string(pk_sweep_spec_point_value(sw->spec, p, a)));
    json_object_set_new(o, "point", json_integer(p));
    json_object_set_new(o, "values", vals);
    if (!pt->cfg) {
        json_object_set_new(o, "skipped", json_string(pt->skip_reason));
        json_decref(res);
        return o;
    }
    json_object_set_new(o, "area_cells", json_real(area_of(sw, pt)));
    json_object_set_new(o, "ram_bits", json_integer(pk_area_ram_bits(pt->cfg)));
    if (pt->synth.done) {
        double e = pk_sweep_synth_error_pct(sw, p);
        json_t *sy = json_pack("{s:s}", "flow", pt->synth.flow);
        if (pt->synth.error[0])
            json_object_set_new(sy, "error", json_string(pt->synth.error));
        else
            json_object_set_new(sy, "cells", json_integer(pt->synth.cells));
        if (!isnan(e))
            json_object_set_new(sy, "area_error_pct", json_real(e));
        json_object_set_new(o, "synth", sy);
    }
    for (int j = 0; j < sw->n_nets; j++)
        json_object_set_new(res, sw->net_names[j], row_json(&pt->rows[j]));
    json_object_set_new(o, "results", res);
    return o;
}

static char *points_json(const pk_sweep_t *sw)
{
    const char *spec = pk_sweep_spec_path(sw->spec), *slash = strrchr(spec, '/');
    json_t *root = json_object(), *pts = json_array(), *nets = json_array(), *axes = json_array();
    json_object_set_new(root, "tool", json_string("pikesweep " PIKE_VERSION));
    json_object_set_new(root, "model", json_string(PK_SWEEP_MODEL_VERSION));
    json_object_set_new(root, "arch", json_string(pk_sweep_spec_arch_name(sw->spec)));
    json_object_set_new(root, "spec", json_string(slash ? slash + 1 : spec));
    for (int a = 0; a < pk_sweep_spec_n_axes(sw->spec); a++)
        json_array_append_new(axes, json_string(pk_sweep_spec_axis(sw->spec, a)));
    for (int j = 0; j < sw->n_nets; j++)
        json_array_append_new(nets, json_string(sw->net_names[j]));
    for (int64_t p = 0; p < sw->n_points; p++)
        json_array_append_new(pts, point_json(sw, p));
    json_object_set_new(root, "axes", axes);
    json_object_set_new(root, "networks", nets);
    json_object_set_new(root, "points", pts);
    char *s = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(10));
    json_decref(root);
    return s;
}

/* ---- files ------------------------------------------------------------- */

static int write_file(const pk_sweep_t *sw, const char *name, const char *text, pk_error_t *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", sw->dir, name);
    if (!text)
        return pk_error_set(err, PK_ENOMEM, path, 0, "output", "out of memory");
    if (pk_sw_write_atomic(path, text, strlen(text)))
        return pk_error_set(err, PK_EIO, path, 0, "output", "cannot write: %s", strerror(errno));
    return 0;
}

static int write_html(const pk_sweep_t *sw, pk_error_t *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int bad = !f || pk_sweep_html(sw, f);
    if (f && fclose(f))
        bad = 1;
    int rc = bad ? pk_error_set(err, PK_ENOMEM, sw->dir, 0, "output", "report.html: out of memory")
                 : write_file(sw, "report.html", text, err);
    free(text);
    return rc;
}

int pk_sweep_write(const pk_sweep_t *sw, pk_error_t *err)
{
    pk_sw_buf_t b[4] = { { 0 } };
    points_csv(&b[0], sw);
    skipped_csv(&b[1], sw);
    synth_csv(&b[3], sw);
    int rc = pareto_csv(&b[2], sw);
    char *js = points_json(sw);
    for (int i = 0; i < 4; i++)
        rc = rc ? rc : b[i].oom ? PK_ENOMEM : 0;
    if (rc)
        pk_error_set(err, PK_ENOMEM, sw->dir, 0, "output", "out of memory");
    if (!rc)
        rc = write_file(sw, "points.csv", b[0].s, err);
    if (!rc)
        rc = write_file(sw, "skipped.csv", b[1].s, err);
    if (!rc)
        rc = write_file(sw, "pareto.csv", b[2].s, err);
    if (!rc && pk_sweep_spec_synth_mode(sw->spec) != PK_SWEEP_SYNTH_NONE)
        rc = write_file(sw, "synth.csv", b[3].s, err);
    if (!rc) {
        size_t n = js ? strlen(js) : 0;
        char *jn = js ? realloc(js, n + 2) : NULL;  /* end with a newline */
        if (jn) {
            jn[n] = '\n';
            jn[n + 1] = 0;
            js = jn;
        }
        rc = write_file(sw, "points.json", jn, err);
    }
    free(js);
    if (!rc)
        rc = write_html(sw, err);
    for (int i = 0; i < 4; i++)
        free(b[i].s);
    return rc;
}
