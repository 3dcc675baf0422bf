/* pk_svg.c - the SVG chart emitter of pk_svg.h.
 *
 * Design: a chart only stores copies of what it was given; pk_chart_write
 * derives everything else in one pass of small steps: the axis ranges (from
 * the data, rounded out to "nice" tick steps of 1, 2 or 5 x 10^k; on a log
 * axis to whole decades, or to 1, 2 or 5 x 10^k when it spans little), the
 * layout (margins grow with the rotated category labels), then grid and
 * axes, bars and stacks, marks, lines, points and the legend, each drawn
 * from the same two scales.  Nothing depends on the locale, the time or
 * addresses, so the same chart is the same bytes.
 */
#include "pk_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 24

typedef struct series {
    pk_series_t s;      /* pointers below are owned copies */
    char *name, *color;
    double *x, *y;
    char **tips;
} series_t;

struct pk_chart {
    pk_chart_opts_t o;  /* strings owned */
    char **cats;
    int n_cats;
    series_t *ser;
    int n_ser, cap_ser;
};

/* A mapping from data to pixels: p0 at lo, p1 at hi (log10 when log). */
typedef struct scale {
    int log;
    double lo, hi, p0, p1;
} scale_t;

typedef struct layout {
    double left, right, top, bottom; /* plot area in px */
    double band;                     /* category band width */
    int n_slots;                     /* bar slots per category */
    scale_t x, y;
} layout_t;

static const char *const PALETTE[10] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                         "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };

const char *pk_svg_color(int i)
{
    return PALETTE[(i % 10 + 10) % 10];
}

char *pk_svg_fmt(double v, char *buf, size_t len)
{
    static const char *const suf[] = { "", "k", "M", "G", "T" };
    if (!isfinite(v)) {
        snprintf(buf, len, "n/a");
        return buf;
    }
    double a = fabs(v);
    if (a == 0) {
        snprintf(buf, len, "0");
        return buf;
    }
    if (a < 1e-3 || a >= 1e15) {
        snprintf(buf, len, "%.2e", v);
        return buf;
    }
    int k = 0;
    while (k < 4 && a >= 1000.0) {
        a /= 1000.0;
        v /= 1000.0;
        k++;
    }
    snprintf(buf, len, "%.3g%s", v, suf[k]);
    if (strchr(buf, 'e') && k < 4) /* 999.95 rounded up to 1e+03 */
        snprintf(buf, len, "%.3g%s", v / 1000.0, suf[k + 1]);
    return buf;
}

void pk_svg_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(ch < 0x20 && ch != '\t' && ch != '\n' ? '?' : ch, f);
        }
    }
}

/* ---- building ------------------------------------------------------------ */

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void free_strs(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Copies of n strings (NULL entries stay NULL); NULL when out of memory. */
static char **dup_strs(const char *const *v, int n)
{
    char **d = calloc((size_t)n + 1, sizeof *d);
    for (int i = 0; d && i < n; i++)
        if (v[i] && !(d[i] = dup(v[i]))) {
            free_strs(d, n);
            return NULL;
        }
    return d;
}

pk_chart_t *pk_chart_new(const pk_chart_opts_t *o)
{
    pk_chart_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->o = *o;
    if (c->o.width <= 0 || c->o.height <= 0) {
        c->o.width = 960;
        c->o.height = 360;
    }
    c->o.title = dup(o->title);
    c->o.x_label = dup(o->x_label);
    c->o.y_label = dup(o->y_label);
    if ((o->title && !c->o.title) || (o->x_label && !c->o.x_label) ||
        (o->y_label && !c->o.y_label)) {
        pk_chart_free(c);
        return NULL;
    }
    return c;
}

void pk_chart_free(pk_chart_t *c)
{
    if (!c)
        return;
    free((char *)c->o.title);
    free((char *)c->o.x_label);
    free((char *)c->o.y_label);
    free_strs(c->cats, c->n_cats);
    for (int i = 0; i < c->n_ser; i++) {
        series_t *s = &c->ser[i];
        free(s->name);
        free(s->color);
        free(s->x);
        free(s->y);
        free_strs(s->tips, s->s.n);
    }
    free(c->ser);
    free(c);
}

int pk_chart_categories(pk_chart_t *c, const char *const *names, int n)
{
    if (n < 0)
        return -1;
    char **d = dup_strs(names, n);
    if (!d)
        return -1;
    free_strs(c->cats, c->n_cats);
    c->cats = d;
    c->n_cats = n;
    return 0;
}

static double *dup_doubles(const double *v, int n)
{
    double *d = malloc(((size_t)n + 1) * sizeof *d);
    if (d && v)
        memcpy(d, v, (size_t)n * sizeof *d);
    else if (d)
        for (int i = 0; i < n; i++)
            d[i] = i;
    return d;
}

int pk_chart_add(pk_chart_t *c, const pk_series_t *s)
{
    if (s->n < 0 || !s->y)
        return -1;
    if (c->n_ser == c->cap_ser) {
        int cap = c->cap_ser ? 2 * c->cap_ser : 8;
        series_t *n = realloc(c->ser, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        c->ser = n;
        c->cap_ser = cap;
    }
    series_t *d = &c->ser[c->n_ser];
    memset(d, 0, sizeof *d);
    d->s = *s;
    d->name = dup(s->name && *s->name ? s->name : NULL);
    d->color = dup(s->color ? s->color : pk_svg_color(c->n_ser));
    d->x = dup_doubles(s->x, s->n);
    d->y = dup_doubles(s->y, s->n);
    d->tips = s->tips ? dup_strs(s->tips, s->n) : NULL;
    if ((s->name && *s->name && !d->name) || !d->color || !d->x || !d->y ||
        (s->tips && !d->tips)) {
        free(d->name);
        free(d->color);
        free(d->x);
        free(d->y);
        free_strs(d->tips, s->n);
        return -1;
    }
    c->n_ser++;
    return 0;
}

/* ---- scales and ticks ---------------------------------------------------- */

static double scale_map(const scale_t *s, double v)
{
    double a = s->lo, b = s->hi;
    if (s->log) {
        v = v > 0 ? log10(v) : log10(s->lo);
        a = log10(a);
        b = log10(b);
    }
    return s->p0 + (v - a) / (b - a) * (s->p1 - s->p0);
}

static double nice_step(double span)
{
    double raw = span / 5.0, mag = pow(10.0, floor(log10(raw))), n = raw / mag;
    return (n < 1.5 ? 1.0 : n < 3.0 ? 2.0 : n < 7.0 ? 5.0 : 10.0) * mag;
}

/* The nearest of 1, 2, 5 x 10^k below v (dir < 0) or above it (dir > 0). */
static double log_nice(double v, int dir)
{
    static const double m[4] = { 1, 2, 5, 10 };
    double e = pow(10.0, floor(log10(v)));
    if (dir < 0) {
        for (int k = 2; k >= 0; k--)
            if (m[k] * e <= v * (1 + 1e-12))
                return m[k] * e;
        return e;
    }
    for (int k = 0; k < 4; k++)
        if (m[k] * e >= v * (1 - 1e-12))
            return m[k] * e;
    return 10 * e;
}

/* Round [lo, hi] of the data out to ticks (linear), or on a log axis to
 * decades (wide ranges) or 1, 2, 5 x 10^k. */
static void nice_range(int log, double lo, double hi, double *a, double *b)
{
    if (log) {
        if (!(lo > 0) || !isfinite(lo) || !isfinite(hi) || hi < lo)
            lo = 1, hi = 10;
        /* whole decades over a wide range (every tick labelled), else 1-2-5 steps */
        int wide = hi / lo > 200.0;
        *a = wide ? pow(10.0, floor(log10(lo))) : log_nice(lo, -1);
        *b = wide ? pow(10.0, ceil(log10(hi))) : log_nice(hi, 1);
        if (*b <= *a)
            *b = log_nice(*a * 1.01, 1);
        return;
    }
    if (!isfinite(lo) || !isfinite(hi) || hi < lo)
        lo = 0, hi = 1;
    if (hi == lo)
        hi = lo + (lo ? fabs(lo) : 1.0);
    double st = nice_step(hi - lo);
    *a = floor(lo / st) * st;
    *b = ceil(hi / st) * st;
}

static int ticks(const scale_t *s, double *t)
{
    int n = 0;
    if (s->log) {
        int e0 = (int)floor(log10(s->lo) + 1e-9), e1 = (int)ceil(log10(s->hi) - 1e-9);
        int every = (e1 - e0 + 7) / 8; /* at most about 8 decades labelled */
        static const double sub[] = { 1, 2, 5 };
        int nsub = e1 - e0 <= 2 ? 3 : 1;
        for (int e = e0; e <= e1 && n < MAX_TICKS; e += every ? every : 1)
            for (int k = 0; k < nsub && n < MAX_TICKS; k++) {
                double v = sub[k] * pow(10.0, e);
                if (v <= s->hi * (1 + 1e-9) && v >= s->lo * (1 - 1e-9))
                    t[n++] = v;
            }
        return n;
    }
    double st = nice_step(s->hi - s->lo);
    for (int k = 0; n < MAX_TICKS; k++) {
        double v = s->lo + k * st;
        if (v > s->hi + st * 1e-6)
            break;
        t[n++] = fabs(v) < st * 1e-9 ? 0.0 : v;
    }
    return n;
}

/* Data range of y (stacks summed per category) and of numeric x. */
static void data_ranges(const pk_chart_t *c, double *ylo, double *yhi, double *xlo, double *xhi,
                        int *has_bars)
{
    const int ylog = c->o.y_axis == PK_AXIS_LOG, xlog = c->o.x_axis == PK_AXIS_LOG;
    *ylo = *xlo = INFINITY;
    *yhi = *xhi = -INFINITY;
    *has_bars = 0;
    int nc = c->n_cats;
    double *stack = calloc((size_t)nc + 1, sizeof *stack);
    for (int i = 0; i < c->n_ser; i++) {
        const series_t *s = &c->ser[i];
        int bar = s->s.kind == PK_SERIES_BAR || s->s.kind == PK_SERIES_STACK;
        *has_bars |= bar;
        for (int k = 0; k < s->s.n; k++) {
            double y = s->y[k], x = s->x[k];
            if (s->s.kind == PK_SERIES_STACK && stack && k < nc && isfinite(y) && y > 0)
                y = stack[k] += y;
            if (isfinite(y) && (!ylog || y > 0)) {
                *ylo = fmin(*ylo, y);
                *yhi = fmax(*yhi, y);
            }
            if (c->o.x_axis != PK_AXIS_CATEGORY && isfinite(x) && (!xlog || x > 0)) {
                *xlo = fmin(*xlo, x);
                *xhi = fmax(*xhi, x);
            }
        }
    }
    free(stack);
    if (*has_bars && !ylog && isfinite(*ylo))
        *ylo = fmin(*ylo, 0.0), *yhi = fmax(*yhi, 0.0);
}

static int bar_slots(const pk_chart_t *c)
{
    int nb = 0, st = 0;
    for (int i = 0; i < c->n_ser; i++) {
        nb += c->ser[i].s.kind == PK_SERIES_BAR;
        st |= c->ser[i].s.kind == PK_SERIES_STACK;
    }
    return nb + st;
}

static int has_legend(const pk_chart_t *c)
{
    for (int i = 0; i < c->n_ser; i++)
        if (c->ser[i].name)
            return 1;
    return 0;
}

/* The caller's range [umin, umax] when it is one (not both 0, lo < hi, lo > 0
 * on a log axis), else the data's [dlo, dhi] rounded out; pixels p0 .. p1. */
static void make_scale(scale_t *s, pk_axis_kind_t kind, double umin, double umax, double dlo,
                       double dhi, double p0, double p1)
{
    s->log = kind == PK_AXIS_LOG;
    if ((umin != 0 || umax != 0) && umin < umax && (!s->log || umin > 0))
        s->lo = umin, s->hi = umax;
    else
        nice_range(s->log, dlo, dhi, &s->lo, &s->hi);
    s->p0 = p0;
    s->p1 = p1;
}

static void make_layout(const pk_chart_t *c, layout_t *L)
{
    double ylo, yhi, xlo, xhi;
    int bars;
    data_ranges(c, &ylo, &yhi, &xlo, &xhi, &bars);
    const int cat = c->o.x_axis == PK_AXIS_CATEGORY;
    size_t longest = 0;
    for (int i = 0; cat && i < c->n_cats; i++)
        if (c->cats[i] && strlen(c->cats[i]) > longest)
            longest = strlen(c->cats[i]);
    L->left = 66;
    L->right = c->o.width - 16.0;
    L->top = (c->o.title ? 28 : 10) + (has_legend(c) ? 20 : 0);
    L->bottom = c->o.height - (cat ? 26 + fmin(120.0, 4.6 * (double)longest) : 44);
    L->n_slots = bar_slots(c);
    L->band = cat && c->n_cats ? (L->right - L->left) / c->n_cats : 0;

    make_scale(&L->y, c->o.y_axis, c->o.y_min, c->o.y_max, ylo, yhi, L->bottom, L->top);
    make_scale(&L->x, c->o.x_axis, c->o.x_min, c->o.x_max, xlo, xhi, L->left, L->right);
}

/* ---- drawing ------------------------------------------------------------- */

static double x_of(const pk_chart_t *c, const layout_t *L, const series_t *s, int k)
{
    if (c->o.x_axis == PK_AXIS_CATEGORY)
        return L->left + (k + 0.5) * L->band;
    return scale_map(&L->x, s->x[k]);
}

static int drawable(const pk_chart_t *c, const series_t *s, int k)
{
    double y = s->y[k], x = s->x[k];
    if (!isfinite(y) || (c->o.y_axis == PK_AXIS_LOG && y <= 0))
        return 0;
    if (c->o.x_axis == PK_AXIS_CATEGORY)
        return k < c->n_cats;
    return isfinite(x) && (c->o.x_axis != PK_AXIS_LOG || x > 0);
}

/* <title> of point k: its tip, else "category: series value". */
static void tooltip(FILE *f, const pk_chart_t *c, const series_t *s, int k)
{
    char a[32], b[32];
    fputs("<title>", f);
    if (s->tips && s->tips[k]) {
        pk_svg_escape(f, s->tips[k]);
    } else {
        if (c->o.x_axis == PK_AXIS_CATEGORY)
            pk_svg_escape(f, c->cats[k]);
        else
            fputs(pk_svg_fmt(s->x[k], a, sizeof a), f);
        fputs(": ", f);
        if (s->name) {
            pk_svg_escape(f, s->name);
            fputc(' ', f);
        }
        fputs(pk_svg_fmt(s->y[k], b, sizeof b), f);
    }
    fputs("</title>", f);
}

static void draw_text(FILE *f, double x, double y, const char *anchor, const char *extra,
                      const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y, anchor, extra);
    pk_svg_escape(f, s);
    fputs("</text>\n", f);
}

static void draw_y_axis(FILE *f, const pk_chart_t *c, const layout_t *L)
{
    double t[MAX_TICKS];
    char b[32];
    int n = ticks(&L->y, t);
    for (int i = 0; i < n; i++) {
        double y = scale_map(&L->y, t[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n",
                L->left, y, L->right, y);
        draw_text(f, L->left - 6, y + 4, "end", "", pk_svg_fmt(t[i], b, sizeof b));
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>\n",
            L->left, L->top, L->left, L->bottom);
    if (c->o.y_label) {
        double cy = (L->top + L->bottom) / 2;
        fprintf(f, "<text transform=\"translate(14,%.1f) rotate(-90)\" text-anchor=\"middle\">",
                cy);
        pk_svg_escape(f, c->o.y_label);
        fputs("</text>\n", f);
    }
}

static void draw_x_axis(FILE *f, const pk_chart_t *c, const layout_t *L)
{
    char b[32];
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>\n",
            L->left, L->bottom, L->right, L->bottom);
    if (c->o.x_axis == PK_AXIS_CATEGORY) {
        int every = L->band > 0 && L->band < 11 ? (int)ceil(11 / L->band) : 1;
        for (int i = 0; i < c->n_cats; i += every) {
            double x = L->left + (i + 0.5) * L->band;
            fprintf(f, "<text transform=\"translate(%.1f,%.1f) rotate(-45)\" "
                       "text-anchor=\"end\" font-size=\"10\">", x + 3, L->bottom + 10);
            pk_svg_escape(f, c->cats[i]);
            fputs("</text>\n", f);
        }
    } else {
        double t[MAX_TICKS];
        int n = ticks(&L->x, t);
        for (int i = 0; i < n; i++) {
            double x = scale_map(&L->x, t[i]);
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                       "stroke=\"#e3e3e3\"/>\n", x, L->top, x, L->bottom);
            draw_text(f, x, L->bottom + 16, "middle", "", pk_svg_fmt(t[i], b, sizeof b));
        }
    }
    if (c->o.x_label)
        draw_text(f, (L->left + L->right) / 2, c->o.height - 6.0, "middle", "", c->o.x_label);
}

static void draw_rect(FILE *f, double x, double y0, double w, double y1, const char *color)
{
    double top = fmin(y0, y1), h = fabs(y1 - y0);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">", x, top,
            w, h, color);
}

/* BAR series side by side, then the STACK series in one slot on top of each other. */
static int draw_bars(FILE *f, const pk_chart_t *c, const layout_t *L)
{
    if (!L->n_slots || c->o.x_axis != PK_AXIS_CATEGORY)
        return 0;
    double gw = L->band * 0.8, sw = gw / L->n_slots;
    double base = L->y.log ? L->y.lo : fmax(L->y.lo, fmin(0.0, L->y.hi));
    double *cum = calloc((size_t)c->n_cats + 1, sizeof *cum);
    if (!cum)
        return -1;
    int slot = 0;
    for (int i = 0; i < c->n_ser; i++) {
        const series_t *s = &c->ser[i];
        if (s->s.kind != PK_SERIES_BAR && s->s.kind != PK_SERIES_STACK)
            continue;
        int my = s->s.kind == PK_SERIES_BAR ? slot++ : L->n_slots - 1;
        for (int k = 0; k < s->s.n; k++) {
            if (!drawable(c, s, k))
                continue;
            double x = L->left + k * L->band + (L->band - gw) / 2 + my * sw;
            double from = base, to = s->y[k];
            if (s->s.kind == PK_SERIES_STACK) {
                from = cum[k] > 0 ? cum[k] : base;
                to = cum[k] += fmax(s->y[k], 0.0);
            }
            draw_rect(f, x, scale_map(&L->y, from), sw, scale_map(&L->y, to), s->color);
            tooltip(f, c, s, k);
            fputs("</rect>\n", f);
        }
    }
    free(cum);
    return 0;
}

typedef struct box {
    double x0, y0, x1, y1;
} box_t;

/* Point labels: the first of four places around the point (right above,
 * right below, left above, left below) that overlaps no label placed
 * before; the first place when all overlap.  Estimated text extents. */
static void draw_point_label(FILE *f, double x, double y, const char *text, box_t *placed,
                             int *n_placed)
{
    const double w = 6.0 * (double)strlen(text), h = 11.0;
    const double dx[4] = { 6, 6, -6 - w, -6 - w }, dy[4] = { -5, 13, -5, 13 };
    int pick = 0;
    for (int k = 0; k < 4; k++) {
        box_t b = { x + dx[k], y + dy[k] - h + 2, x + dx[k] + w, y + dy[k] + 2 };
        int clash = 0;
        for (int i = 0; i < *n_placed && !clash; i++)
            clash = b.x0 < placed[i].x1 && placed[i].x0 < b.x1 && b.y0 < placed[i].y1 &&
                    placed[i].y0 < b.y1;
        if (!clash) {
            pick = k;
            break;
        }
    }
    box_t b = { x + dx[pick], y + dy[pick] - h + 2, x + dx[pick] + w, y + dy[pick] + 2 };
    placed[(*n_placed)++] = b;
    draw_text(f, x + dx[pick], y + dy[pick], "start", " font-size=\"10\"", text);
}

static int draw_series(FILE *f, const pk_chart_t *c, const layout_t *L, const series_t *s)
{
    box_t *placed = s->s.label_points ? calloc((size_t)s->s.n + 1, sizeof *placed) : NULL;
    int n_placed = 0;
    if (s->s.label_points && !placed)
        return -1;
    const pk_series_kind_t kind = s->s.kind;
    if (kind == PK_SERIES_LINE) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
                s->color);
        for (int k = 0; k < s->s.n; k++)
            if (drawable(c, s, k))
                fprintf(f, "%.1f,%.1f ", x_of(c, L, s, k), scale_map(&L->y, s->y[k]));
        fputs("\"/>\n", f);
    }
    for (int k = 0; k < s->s.n; k++) {
        if (!drawable(c, s, k))
            continue;
        double x = x_of(c, L, s, k), y = scale_map(&L->y, s->y[k]);
        if (kind == PK_SERIES_MARK) {
            double w = fmax(L->band * 0.45, 2.0);
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"2.5\">", x - w, y, x + w, y, s->color);
            tooltip(f, c, s, k);
            fputs("</line>\n", f);
        } else {
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\">", x, y,
                    kind == PK_SERIES_LINE ? "2" : "4", s->color);
            tooltip(f, c, s, k);
            fputs("</circle>\n", f);
            if (kind == PK_SERIES_SCATTER && s->s.label_points && s->tips && s->tips[k])
                draw_point_label(f, x, y, s->tips[k], placed, &n_placed);
        }
    }
    free(placed);
    return 0;
}

static void draw_legend(FILE *f, const pk_chart_t *c, const layout_t *L)
{
    double x = L->left, y = L->top - 14;
    for (int i = 0; i < c->n_ser; i++) {
        const series_t *s = &c->ser[i];
        if (!s->name)
            continue;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n", x,
                y - 9, s->color);
        draw_text(f, x + 14, y, "start", "", s->name);
        x += 28 + 6.2 * (double)strlen(s->name);
    }
}

int pk_chart_write(const pk_chart_t *c, FILE *f)
{
    layout_t L;
    make_layout(c, &L);
    if (c->o.standalone)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<svg%s width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "font-family=\"sans-serif\" font-size=\"11\" fill=\"#222\">\n",
            c->o.standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", c->o.width,
            c->o.height, c->o.width, c->o.height);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", c->o.width, c->o.height);
    if (c->o.title)
        draw_text(f, c->o.width / 2.0, 18, "middle", " font-size=\"13\" font-weight=\"bold\"",
                  c->o.title);
    draw_y_axis(f, c, &L);
    draw_x_axis(f, c, &L);
    int rc = draw_bars(f, c, &L);
    for (int i = 0; i < c->n_ser && !rc; i++)
        if (c->ser[i].s.kind != PK_SERIES_BAR && c->ser[i].s.kind != PK_SERIES_STACK)
            rc = draw_series(f, c, &L, &c->ser[i]);
    draw_legend(f, c, &L);
    fputs("</svg>\n", f);
    return rc || ferror(f) ? -1 : 0;
}
