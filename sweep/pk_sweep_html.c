/* pk_sweep_html.c - DIR/report.html of a sweep (pk_sweep_out.h): one
 * self-contained page through sim/pk_html and sim/pk_svg.
 *
 * Layout: key figures (points, valid, skipped, networks); per objective pair,
 * a scatter of every runnable point over all networks (sums) with its Pareto
 * front drawn as a line (hover a point: its axis values) and, on area charts,
 * the synthesized points at Yosys' count; per network, bars of
 * the two objectives of the largest front (the pair with the most points on
 * it) for its points; and the list of those points in which each row's hardware config (the point's YAML) is
 * one click away; the synthesized points' table.  Formatting only: every number comes from
 * pk_sweep_objective(), the same values as points.csv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_html.h"
#include "pk_svg.h"
#include "pk_sweep_out.h"
#include "pk_sweep_synth.h"
#include "pk_area.h"

#define W 1100
#define MAX_BARS 12

static int is_log(const char *obj)
{
    return strcmp(obj, "area_cells") != 0 && strcmp(obj, "ram_bits") != 0;
}

/* The synthesized points of pair (x, y) with one of them area_cells: their
 * other objective and Yosys' generic cells (the estimate's unit) into sx,
 * sy (room for n_points); the count. */
static int synth_points(const pk_sweep_t *sw, const char *x, const char *y, double *sx, double *sy)
{
    int ax = !strcmp(x, "area_cells"), ay = !strcmp(y, "area_cells"), n = 0;
    for (int64_t p = 0; (ax || ay) && p < sw->n_points; p++) {
        const pk_sweep_point_t *pt = &sw->pts[p];
        double o = pk_sweep_objective(sw, p, -1, ax ? y : x);
        if (!pt->cfg || !pt->synth.done || pt->synth.error[0] || isnan(o) ||
            strcmp(pt->synth.flow, "generic"))
            continue;
        sx[n] = ax ? (double)pt->synth.cells : o;
        sy[n] = ax ? o : (double)pt->synth.cells;
        n++;
    }
    return n;
}

static int pair_chart(FILE *f, const pk_sweep_t *sw, const char *x, const char *y)
{
    int64_t *front, nf, n = 0;
    if (pk_sweep_pareto(sw, -1, x, y, &front, &nf))
        return -1;
    double *px = malloc(sizeof(double) * (size_t)(sw->n_points + 1)),
           *py = malloc(sizeof(double) * (size_t)(sw->n_points + 1)),
           *fx = malloc(sizeof(double) * (size_t)(nf + 1)), *fy = malloc(sizeof(double) * (size_t)(nf + 1));
    char **tips = calloc((size_t)sw->n_points + 1, sizeof *tips), **ftips = calloc((size_t)nf + 1, sizeof *ftips);
    int rc = px && py && fx && fy && tips && ftips ? 0 : -1;
    for (int64_t p = 0; !rc && p < sw->n_points; p++) {
        double vx = pk_sweep_objective(sw, p, -1, x), vy = pk_sweep_objective(sw, p, -1, y);
        if (isnan(vx) || isnan(vy))
            continue;
        char label[512];
        pk_sweep_spec_point_label(sw->spec, p, label, sizeof label);
        px[n] = vx;
        py[n] = vy;
        tips[n] = malloc(600);
        if (tips[n])
            snprintf(tips[n], 600, "point %lld: %s", (long long)p, label);
        n++;
    }
    for (int64_t i = 0; !rc && i < nf; i++) {
        fx[i] = pk_sweep_objective(sw, front[i], -1, x);
        fy[i] = pk_sweep_objective(sw, front[i], -1, y);
        ftips[i] = malloc(32);
        if (ftips[i])
            snprintf(ftips[i], 32, "front: point %lld", (long long)front[i]);
    }
    char title[160];
    snprintf(title, sizeof title, "%s against %s (all networks)", y, x);
    pk_chart_opts_t o = { .width = W, .height = 420, .title = title, .x_label = x, .y_label = y,
                          .x_axis = is_log(x) ? PK_AXIS_LOG : PK_AXIS_LINEAR,
                          .y_axis = is_log(y) ? PK_AXIS_LOG : PK_AXIS_LINEAR };
    double *sx = malloc(sizeof(double) * (size_t)(sw->n_points + 1)),
           *sy = malloc(sizeof(double) * (size_t)(sw->n_points + 1));
    int ns = sx && sy ? synth_points(sw, x, y, sx, sy) : 0;
    pk_series_t s[3] = {
        { .kind = PK_SERIES_SCATTER, .name = "points", .x = px, .y = py,
          .tips = (const char *const *)tips, .n = (int)n, .color = "#9aa5b1" },
        { .kind = PK_SERIES_LINE, .name = "Pareto front", .x = fx, .y = fy,
          .tips = (const char *const *)ftips, .n = (int)nf },
        { .kind = PK_SERIES_SCATTER, .name = "synthesized: Yosys generic cells", .x = sx, .y = sy,
          .n = ns, .color = "#d9480f" },
    };
    pk_chart_t *c = rc || !sx || !sy ? NULL : pk_chart_new(&o);
    rc = c && !pk_chart_add(c, &s[0]) && !pk_chart_add(c, &s[1]) &&
                 (ns == 0 || !pk_chart_add(c, &s[2])) ? 0 : -1;
    if (!rc)
        rc = pk_html_chart(f, c, ns ? "hover a point for its axis values; both objectives minimized; "
                                      "red: the synthesized points at Yosys' cell count"
                                    : "hover a point for its axis values; both objectives minimized");
    pk_chart_free(c);
    for (int64_t i = 0; tips && i < n; i++)
        free(tips[i]);
    for (int64_t i = 0; ftips && i < nf; i++)
        free(ftips[i]);
    free(tips);
    free(ftips);
    free(px);
    free(py);
    free(sx);
    free(sy);
    free(fx);
    free(fy);
    free(front);
    return rc;
}

/* Bars: objective obj per network (categories) for up to MAX_BARS front points. */
static int network_bars(FILE *f, const pk_sweep_t *sw, const char *obj, const int64_t *front, int nf)
{
    const char *names[64];
    char series_name[MAX_BARS][32];
    double y[MAX_BARS][64];
    for (int j = 0; j < sw->n_nets && j < 64; j++)
        names[j] = sw->net_names[j];
    char title[128];
    snprintf(title, sizeof title, "%s per network, points of the largest front", obj);
    pk_chart_opts_t o = { .width = W, .height = 340, .title = title, .y_label = obj,
                          .x_axis = PK_AXIS_CATEGORY };
    pk_chart_t *c = pk_chart_new(&o);
    int rc = c ? pk_chart_categories(c, names, sw->n_nets) : -1;
    for (int i = 0; !rc && i < nf && i < MAX_BARS; i++) {
        snprintf(series_name[i], sizeof series_name[i], "point %lld", (long long)front[i]);
        for (int j = 0; j < sw->n_nets; j++)
            y[i][j] = pk_sweep_objective(sw, front[i], j, obj);
        pk_series_t s = { .kind = PK_SERIES_BAR, .name = series_name[i], .y = y[i], .n = sw->n_nets };
        rc = pk_chart_add(c, &s);
    }
    if (!rc)
        rc = pk_html_chart(f, c, NULL);
    pk_chart_free(c);
    return rc;
}

static void front_table(FILE *f, const pk_sweep_t *sw, const int64_t *front, int nf, const char *x,
                        const char *y)
{
    for (int i = 0; i < nf; i++) {
        char label[512], head[700], vx[32], vy[32];
        pk_sweep_spec_point_label(sw->spec, front[i], label, sizeof label);
        snprintf(head, sizeof head, "point %lld: %s = %s, %s = %s; %s", (long long)front[i], x,
                 pk_svg_fmt(pk_sweep_objective(sw, front[i], -1, x), vx, sizeof vx), y,
                 pk_svg_fmt(pk_sweep_objective(sw, front[i], -1, y), vy, sizeof vy), label);
        char *yaml = NULL;
        pk_html_details_begin(f, head);
        if (pk_sweep_spec_point_yaml(sw->spec, front[i], &yaml) == 0) {
            fputs("<pre>", f);
            pk_html_text(f, yaml);
            fputs("</pre>", f);
        }
        free(yaml);
        pk_html_details_end(f);
    }
}

/* The objective pair whose front (sums over networks) has the most points
 * (the first such pair in spec order): the front the bars and the table show. */
static int largest_front(const pk_sweep_t *sw, const char **x, const char **y, int64_t **front,
                         int64_t *nf)
{
    const pk_sweep_spec_t *sp = sw->spec;
    *front = NULL;
    *nf = -1;
    for (int i = 0; i < pk_sweep_spec_n_objectives(sp); i++)
        for (int k = i + 1; k < pk_sweep_spec_n_objectives(sp); k++) {
            int64_t *fr, n;
            if (pk_sweep_pareto(sw, -1, pk_sweep_spec_objective(sp, i),
                                pk_sweep_spec_objective(sp, k), &fr, &n))
                return -1;
            if (n > *nf) {
                free(*front);
                *front = fr;
                *nf = n;
                *x = pk_sweep_spec_objective(sp, i);
                *y = pk_sweep_spec_objective(sp, k);
            } else {
                free(fr);
            }
        }
    return 0;
}

/* One table row of a synthesized point. */
static void synth_row(FILE *f, const pk_sweep_t *sw, int64_t p)
{
    const pk_sweep_point_t *pt = &sw->pts[p];
    char c[6][640];
    pk_area_in_t in;
    pk_area_in_from_config(pt->cfg, pk_sweep_spec_arch(sw->spec), &in);
    double e = pk_sweep_synth_error_pct(sw, p);
    snprintf(c[0], sizeof c[0], "%lld", (long long)p);
    pk_sweep_spec_point_label(sw->spec, p, c[1], sizeof c[1]);
    snprintf(c[2], sizeof c[2], "yosys %s", pt->synth.flow);
    snprintf(c[3], sizeof c[3], "%.0f", pk_area_estimate(&in));
    if (pt->synth.error[0])
        snprintf(c[4], sizeof c[4], "failed: %s", pt->synth.error);
    else
        snprintf(c[4], sizeof c[4], "%lld", (long long)pt->synth.cells);
    if (isnan(e))
        snprintf(c[5], sizeof c[5], "%s", pt->synth.error[0] ? "" : "(other unit)");
    else
        snprintf(c[5], sizeof c[5], "%+.1f%%", e);
    const char *cells[6] = { c[0], c[1], c[2], c[3], c[4], c[5] };
    pk_html_table_row(f, cells, 6);
}

/* Synthesized points: the estimate beside Yosys' count, the error, and
 * whether the synthesized areas reorder the fronts. */
static int synth_section(FILE *f, const pk_sweep_t *sw)
{
    int n;
    double med, max;
    pk_sweep_synth_stats(sw, &n, &med, &max);
    pk_html_section_begin(f, "synth", "Synthesized points: estimated area against Yosys");
    if (n)
        pk_html_note(f, "%d points synthesized with the generic flow (the estimate's unit: Yosys "
                        "generic cells): |estimate error| median %.1f%%, max %.1f%%.", n, med, max);
    pk_sw_buf_t r = { 0 };
    pk_sweep_synth_reorder(sw, &r);
    for (char *line = r.s, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            break;
        *nl = 0;
        pk_html_note(f, "%s", line);
    }
    free(r.s);
    const char *head[] = { "point", "axes", "flow", "estimate (cells)", "Yosys (cells)",
                           "estimate error" };
    pk_html_table_begin(f, NULL, head, 6);
    for (int64_t p = 0; p < sw->n_points; p++)
        if (sw->pts[p].cfg && sw->pts[p].synth.done)
            synth_row(f, sw, p);
    pk_html_table_end(f);
    pk_html_section_end(f);
    return r.oom ? -1 : 0;
}

int pk_sweep_html(const pk_sweep_t *sw, FILE *f)
{
    const pk_sweep_spec_t *sp = sw->spec;
    char v[5][32];
    int rc = 0;
    char title[64];
    snprintf(title, sizeof title, "pikesweep report, arch %s", pk_sweep_spec_arch_name(sp));
    pk_html_begin(f, title, "design-space exploration: Pareto fronts of the points "
                            "that run every network");
    snprintf(v[0], 32, "%lld", (long long)sw->n_points);
    snprintf(v[1], 32, "%lld", (long long)sw->n_valid);
    snprintf(v[2], 32, "%lld", (long long)(sw->n_points - sw->n_valid));
    snprintf(v[3], 32, "%d", sw->n_nets);
    snprintf(v[4], 32, "%s", pk_sweep_spec_arch_name(sp));
    const pk_html_stat_t st[] = { { "architecture", v[4] }, { "points", v[0] },
                                  { "valid configs", v[1] }, { "skipped", v[2] },
                                  { "networks", v[3] } };
    pk_html_stats(f, st, 5);
    pk_html_section_begin(f, "pareto", "Pareto fronts (sums over the networks)");
    for (int i = 0; !rc && i < pk_sweep_spec_n_objectives(sp); i++)
        for (int k = i + 1; !rc && k < pk_sweep_spec_n_objectives(sp); k++)
            rc = pair_chart(f, sw, pk_sweep_spec_objective(sp, i), pk_sweep_spec_objective(sp, k));
    pk_html_section_end(f);
    const char *x0 = NULL, *y0 = NULL;
    int64_t *front = NULL, nf = 0;
    if (!rc)
        rc = largest_front(sw, &x0, &y0, &front, &nf);
    if (!rc) {
        pk_html_section_begin(f, "networks", "Per network");
        rc = network_bars(f, sw, x0, front, (int)nf);
        if (!rc)
            rc = network_bars(f, sw, y0, front, (int)nf);
        pk_html_section_end(f);
        pk_html_section_begin(f, "front", "Points of the largest front, with their configs");
        pk_html_note(f, "Front of %s against %s; open a point for its hardware config.", y0, x0);
        front_table(f, sw, front, (int)nf, x0, y0);
        pk_html_section_end(f);
    }
    if (!rc && pk_sweep_spec_synth_mode(sp) != PK_SWEEP_SYNTH_NONE)
        rc = synth_section(f, sw);
    free(front);
    return pk_html_end(f) || rc ? -1 : 0;
}
