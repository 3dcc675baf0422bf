/* pk_svg.h - a small SVG chart emitter (reports of pikesim, pikesweep).
 *
 * A chart is one plot area with an x and a y axis (ticks, grid, labels), a
 * title, a legend, and any number of series:
 *   PK_SERIES_SCATTER  points (x, y), optionally labelled with their tips
 *   PK_SERIES_LINE     a polyline through (x, y) in the given order
 *   PK_SERIES_BAR      bars; several BAR series stand side by side per category
 *   PK_SERIES_STACK    bars stacked on each other (in the order added); all
 *                      STACK series of a chart make one bar per category
 *   PK_SERIES_MARK     a horizontal dash across a category's band at y (a
 *                      bound or target drawn over bars)
 * The x axis is numeric (LINEAR or LOG) or a CATEGORY axis (names set with
 * pk_chart_categories; a series' point i is category i and its x is unused);
 * the y axis is LINEAR or LOG.  Axis ranges come from the data unless given.
 * Every point and bar carries an SVG <title> (the browser shows it on hover;
 * no script).  Points that cannot be drawn (non-finite; <= 0 on a log axis)
 * are skipped.
 *
 * Output is deterministic: coordinates with one decimal, numbers through
 * pk_svg_fmt (C locale printf), no ids or timestamps; text is escaped.  The
 * emitter has no global state.  Memory: pk_chart_new allocates, every
 * string and array passed in is copied, pk_chart_free releases everything.
 */
#ifndef PK_SVG_H
#define PK_SVG_H

#include <stddef.h>
#include <stdio.h>

typedef enum pk_axis_kind {
    PK_AXIS_LINEAR = 0,
    PK_AXIS_LOG,
    PK_AXIS_CATEGORY /* x only */
} pk_axis_kind_t;

typedef enum pk_series_kind {
    PK_SERIES_SCATTER = 0,
    PK_SERIES_LINE,
    PK_SERIES_BAR,
    PK_SERIES_STACK,
    PK_SERIES_MARK
} pk_series_kind_t;

typedef struct pk_chart_opts {
    int width, height;          /* of the whole SVG in px; 0: 960 x 360 */
    const char *title;          /* NULL: none */
    const char *x_label, *y_label;
    pk_axis_kind_t x_axis, y_axis;
    double x_min, x_max;        /* numeric x range; both 0 (or not a range,
                                   or min <= 0 on a log axis): from the data */
    double y_min, y_max;        /* y range, the same way (from the data:
                                   linear ranges with bars include 0) */
    int standalone;             /* 1: an SVG file of its own (XML declaration
                                   and xmlns); 0: inline in HTML */
} pk_chart_opts_t;

typedef struct pk_series {
    pk_series_kind_t kind;
    const char *name;           /* legend text; NULL or "": not in the legend */
    const double *x;            /* n values; ignored (may be NULL) on a category axis;
                                   NULL on a numeric axis: 0, 1, ..., n-1 */
    const double *y;            /* n values */
    const char *const *tips;    /* n hover texts, or NULL */
    int n;
    const char *color;          /* "#rrggbb"; NULL: the palette's colour of this series' index */
    int label_points;           /* SCATTER: also print each point's tip beside it */
} pk_series_t;

typedef struct pk_chart pk_chart_t;

/* A new empty chart (NULL when out of memory).  Free with pk_chart_free. */
pk_chart_t *pk_chart_new(const pk_chart_opts_t *o);
void pk_chart_free(pk_chart_t *c);

/* The category names of a CATEGORY x axis (copied).  0 or -1 (no memory). */
int pk_chart_categories(pk_chart_t *c, const char *const *names, int n);

/* Add a series (copied).  0, or -1 when out of memory or n < 0. */
int pk_chart_add(pk_chart_t *c, const pk_series_t *s);

/* Write the chart as one <svg> element.  0, or -1 on a write error or when
 * out of memory (the element is then incomplete). */
int pk_chart_write(const pk_chart_t *c, FILE *f);

/* The palette colour i (cycles through 10 colours that stay distinct for
 * colour-blind readers). */
const char *pk_svg_color(int i);

/* v with at most 3 significant digits and an SI suffix (k, M, G, T):
 * 0, 12, 0.25, 1.5k, 250M; non-finite: "n/a".  Returns buf. */
char *pk_svg_fmt(double v, char *buf, size_t len);

/* s with & < > " ' escaped (and control bytes as '?'), for text and attributes. */
void pk_svg_escape(FILE *f, const char *s);

#endif
