/* test_sim_html.c - the SVG chart emitter, the HTML page emitter and
 * pikesim --html: number formatting and escaping, chart elements and axes,
 * determinism, the file's mode under a umask, no partial output, nothing
 * loaded from outside the page, and a headless Chromium render: a screenshot
 * whose pixels show the charts, the sections in the DOM, no console errors.
 */
#include "test_sim_util.h"

#include <math.h>
#include <png.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "gen/gen_test_util.h" /* gt_read */
#include "pk_html.h"
#include "pk_svg.h"

#define SIM PIKE_BIN_DIR "/sim/pikesim"
#define ROOT PIKE_SOURCE_ROOT

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void tmpdir(char *d, size_t len)
{
    snprintf(d, len, "/tmp/pk_simhtml_XXXXXX");
    cr_assert(mkdtemp(d));
}

/* The chart written to a string (caller frees). */
static char *chart_text(const pk_chart_t *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(pk_chart_write(c, f), 0);
    fclose(f);
    return buf;
}

Test(sim_html, svg_number_format)
{
    char b[32];
    const struct { double v; const char *s; } cases[] = {
        { 0, "0" },          { 12, "12" },          { 0.25, "0.25" },    { 1500, "1.5k" },
        { 250e6, "250M" },   { 1e9, "1G" },          { -2500, "-2.5k" },  { 999.96, "1k" },
        { 3.2e12, "3.2T" },  { 12345678, "12.3M" },  { 0.0001, "1.00e-04" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_str_eq(pk_svg_fmt(cases[i].v, b, sizeof b), cases[i].s, "%g", cases[i].v);
    cr_expect_str_eq(pk_svg_fmt(NAN, b, sizeof b), "n/a");
    cr_expect_str_eq(pk_svg_fmt(INFINITY, b, sizeof b), "n/a");
}

Test(sim_html, escaping_in_svg_and_html)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pk_svg_escape(f, "a<b>&\"c'\x01");
    pk_html_textf(f, "|%d<%s", 7, "x&y");
    fclose(f);
    cr_expect_str_eq(buf, "a&lt;b&gt;&amp;&quot;c&#39;?|7&lt;x&amp;y");
    free(buf);
}

/* Three categories: two BAR series side by side, one STACK of two series,
 * a MARK; on a log y axis the zero and the NaN are skipped. */
Test(sim_html, chart_bars_stacks_marks)
{
    pk_chart_opts_t o = { .width = 600, .height = 300, .title = "T<1>", .y_label = "cycles",
                          .x_axis = PK_AXIS_CATEGORY, .y_axis = PK_AXIS_LOG };
    pk_chart_t *c = pk_chart_new(&o);
    cr_assert(c);
    const char *cats[3] = { "conv1", "pool&1", "fc" };
    cr_assert_eq(pk_chart_categories(c, cats, 3), 0);
    const double a[3] = { 1000, 0, 50000 }, b[3] = { 20, NAN, 300 }, m[3] = { 500, 60, 40000 };
    const pk_series_t s[5] = {
        { PK_SERIES_BAR, "sim", NULL, a, NULL, 3, NULL, 0 },
        { PK_SERIES_BAR, "bound", NULL, b, NULL, 3, NULL, 0 },
        { PK_SERIES_STACK, "mac", NULL, b, NULL, 3, NULL, 0 },
        { PK_SERIES_STACK, "dram", NULL, a, NULL, 3, "#123456", 0 },
        { PK_SERIES_MARK, "roof", NULL, m, NULL, 3, NULL, 0 },
    };
    for (int i = 0; i < 5; i++)
        cr_assert_eq(pk_chart_add(c, &s[i]), 0);
    char *t = chart_text(c);
    /* 1 background + 5 legend swatches + bars: sim 2, bound 2, stack 2 + 2 */
    cr_expect_eq(count(t, "<rect"), 1 + 5 + 8, "%s", t);
    cr_expect_eq(count(t, "<line x1") - count(t, "stroke=\"#e3e3e3\"") - 2, 3, "3 marks");
    cr_expect(strstr(t, "fill=\"#123456\""));
    cr_expect(strstr(t, "T&lt;1&gt;") && strstr(t, "pool&amp;1"));
    cr_expect(strstr(t, "<title>fc: sim 50k</title>"), "tooltips");
    /* log axis over 20 .. 50k: whole decades 10 .. 100k, each labelled */
    const char *tick[] = { ">10<", ">100<", ">1k<", ">10k<", ">100k<" };
    for (int i = 0; i < 5; i++)
        cr_expect(strstr(t, tick[i]), "tick %s", tick[i]);
    cr_expect(!strstr(t, "xmlns"), "inline SVG needs no namespace");
    /* same chart, same bytes */
    char *t2 = chart_text(c);
    cr_expect_str_eq(t, t2);
    free(t);
    free(t2);
    pk_chart_free(c);
}

/* Numeric axes: a labelled scatter and a line on linear x, log y over 1-2-5 steps. */
Test(sim_html, chart_scatter_line_numeric_axes)
{
    pk_chart_opts_t o = { .title = NULL, .x_label = "ACE", .y_label = "E",
                          .x_axis = PK_AXIS_LINEAR, .y_axis = PK_AXIS_LOG, .standalone = 1 };
    pk_chart_t *c = pk_chart_new(&o);
    const double x[4] = { 1, 2.5, 4, -1 }, y[4] = { 30, 45, 70, -5 };
    const char *tips[4] = { "net<a>", "b", "c", "d" };
    pk_series_t sc = { PK_SERIES_SCATTER, "ACE", x, y, tips, 4, NULL, 1 };
    pk_series_t ln = { PK_SERIES_LINE, NULL, x, y, NULL, 3, NULL, 0 };
    cr_assert_eq(pk_chart_add(c, &sc), 0);
    cr_assert_eq(pk_chart_add(c, &ln), 0);
    char *t = chart_text(c);
    cr_expect(strncmp(t, "<?xml", 5) == 0 && strstr(t, "xmlns=\"http://www.w3.org/2000/svg\""));
    cr_expect_eq(count(t, "<circle"), 3 + 3, "y <= 0 skipped on a log axis");
    cr_expect_eq(count(t, "<polyline"), 1);
    cr_expect(strstr(t, ">net&lt;a&gt;</text>"), "point label");
    cr_expect_eq(count(t, "<rect x"), 1, "one legend entry: the line has no name");
    /* y 30 .. 70 -> 20 .. 100 with ticks 20, 50, 100; x -1 .. 4 linear ticks of 1 */
    cr_expect(strstr(t, ">20<") && strstr(t, ">50<") && strstr(t, ">100<"));
    cr_expect(strstr(t, ">-1<") && strstr(t, ">4<"));
    free(t);
    pk_chart_free(c);
}

Test(sim_html, html_page_elements)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pk_html_begin(f, "R & D", "sub");
    pk_html_section_begin(f, "s-1", "Head");
    const pk_html_stat_t st[1] = { { "cycles", "12" } };
    pk_html_stats(f, st, 1);
    const char *h[2] = { "k", "v" }, *row[2] = { "name", "3.5x" };
    pk_html_table_begin(f, "wide", h, 2);
    pk_html_table_row(f, row, 2);
    pk_html_table_end(f);
    pk_html_section_end(f);
    cr_expect_eq(pk_html_end(f), 0);
    fclose(f);
    cr_expect(strncmp(buf, "<!DOCTYPE html>", 15) == 0);
    cr_expect(strstr(buf, "<title>R &amp; D</title>") && strstr(buf, "<section id=\"s-1\">"));
    cr_expect(strstr(buf, "<td>name</td><td class=\"n\">3.5x</td>"), "numbers right-aligned");
    cr_expect(strstr(buf, "</body>\n</html>\n"));
    free(buf);
}

static void run_html(const char *dir, const char *name, const char *nets, const char *extra)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd %s && umask 027 && " SIM " --config " ROOT "/hw_configs/edge.yaml %s"
             " --timing-only --html %s/%s %s > /dev/null",
             dir, nets, dir, name, extra);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
}

#define NETS1 "--network " ROOT "/networks/resnet18_w4a4.yaml"
#define NETS3                                                                              \
    NETS1 " --network " ROOT "/networks/mobilenetv2_w4a4.yaml --network " ROOT              \
          "/networks/pikelpn_1x.yaml"

Test(sim_html, cli_page_deterministic_self_contained_umask)
{
    char d[64], p1[128], p2[128];
    tmpdir(d, sizeof d);
    run_html(d, "a.html", NETS3, "");
    run_html(d, "b.html", NETS3, "");
    snprintf(p1, sizeof p1, "%s/a.html", d);
    snprintf(p2, sizeof p2, "%s/b.html", d);
    size_t n1 = 0, n2 = 0;
    char *a = gt_read(p1, &n1), *b = gt_read(p2, &n2);
    cr_assert(a && b);
    cr_expect(n1 == n2 && memcmp(a, b, n1) == 0, "same inputs, same bytes");
    struct stat st;
    cr_assert_eq(stat(p1, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0640, "mode %o under umask 027", st.st_mode & 0777);
    /* sections: config, metrics, one per network; 1 + 5 per network charts */
    const char *ids[] = { "id=\"config\"", "id=\"metrics\"", "id=\"net-0\"", "id=\"net-1\"",
                          "id=\"net-2\"" };
    for (int i = 0; i < 5; i++)
        cr_expect(strstr(a, ids[i]), "%s", ids[i]);
    cr_expect_eq(count(a, "<svg"), 1 + 3 * 5);
    cr_expect(strstr(a, "mobilenetv2_w4a4") && strstr(a, "roofline bound"));
    /* nothing from outside the page */
    const char *banned[] = { "<script", "<link", "src=", "url(", "@import", "http" };
    for (int i = 0; i < 6; i++)
        cr_expect(!strstr(a, banned[i]), "found %s", banned[i]);
    cr_expect_eq(count(a, "href="), count(a, "href=\"#"), "links only to its own sections");
    cr_expect(strstr(a, "<a href=\"#net-2\">pikelpn_1x</a>"), "navigation");
    /* no temporary left beside it */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 2", d);
    cr_expect_eq(sh(cmd), 0);
    free(a);
    free(b);
}

/* An --html that cannot be written: exit 1, and no --json either. */
Test(sim_html, cli_unwritable_no_partial_output)
{
    char d[64], cmd[2048];
    tmpdir(d, sizeof d);
    snprintf(cmd, sizeof cmd,
             SIM " --config " ROOT "/hw_configs/edge.yaml " NETS1 " --timing-only --json %s/r.json"
                 " --html %s/missing/r.html > /dev/null 2> %s/err.txt", d, d, d);
    cr_expect_eq(sh(cmd), 1);
    snprintf(cmd, sizeof cmd, "test ! -e %s/r.json && grep -q 'missing/r.html' %s/err.txt", d,
             d);
    cr_expect_eq(sh(cmd), 0, "no r.json; the message names the file");
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", d);
    cr_expect_eq(sh(cmd), 0, "only err.txt");
}

typedef struct pixels {
    long total, ink, bars, dark;
} pixels_t;

/* Non-background pixels, pixels of the first palette colour (bar interiors:
 * exact), and dark (text) pixels of an RGB screenshot. */
static pixels_t png_pixels(const char *path)
{
    pixels_t p = { 0 };
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    cr_assert(png_image_begin_read_from_file(&im, path), "%s: not a PNG", path);
    im.format = PNG_FORMAT_RGB;
    size_t n = PNG_IMAGE_SIZE(im);
    unsigned char *px = malloc(n);
    cr_assert(px && png_image_finish_read(&im, NULL, px, 0, NULL));
    p.total = (long)im.width * im.height;
    for (long i = 0; i < p.total; i++) {
        int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
        int white = r >= 245 && g >= 245 && b >= 243;
        p.ink += !white;
        p.bars += r == 0x4e && g == 0x79 && b == 0xa7;
        p.dark += r + g + b < 3 * 90;
    }
    free(px);
    return p;
}

Test(sim_html, chromium_renders_the_report, .timeout = 300)
{
    char d[64], cmd[4096];
    tmpdir(d, sizeof d);
    run_html(d, "r.html", NETS1, "");
    cr_assert_eq(sh("command -v chromium > /dev/null"), 0,
                 "chromium not found: scripts/install-deps.sh installs it");
    const char *common = "timeout 240 chromium --headless --no-sandbox --disable-gpu "
                         "--hide-scrollbars --user-data-dir=%s/profile";
    char base[512];
    snprintf(base, sizeof base, common, d);
    snprintf(cmd, sizeof cmd,
             "%s --window-size=1280,2000 --enable-logging=stderr --v=0 --screenshot=%s/shot.png "
             "file://%s/r.html > %s/shot.log 2>&1", base, d, d, d);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s --dump-dom file://%s/r.html > %s/dom.html 2> /dev/null", base,
             d, d);
    cr_assert_eq(sh(cmd), 0, "%s", cmd);

    char path[128];
    snprintf(path, sizeof path, "%s/shot.log", d);
    char *log = gt_read(path, NULL);
    cr_assert(log);
    cr_expect(!strstr(log, "CONSOLE") && !strstr(log, "Uncaught"), "console: %s", log);
    free(log);

    snprintf(path, sizeof path, "%s/dom.html", d);
    char *dom = gt_read(path, NULL);
    cr_assert(dom);
    const char *ids[] = { "id=\"config\"", "id=\"metrics\"", "id=\"net-0\"" };
    for (int i = 0; i < 3; i++)
        cr_expect(strstr(dom, ids[i]), "DOM lacks %s", ids[i]);
    cr_expect_eq(count(dom, "<svg"), 6, "charts in the DOM");
    cr_expect(count(dom, "<rect") > 100, "bars in the DOM");
    free(dom);

    snprintf(path, sizeof path, "%s/shot.png", d);
    pixels_t p = png_pixels(path);
    cr_expect_eq(p.total, 1280L * 2000);
    /* measured on a good render: ink 14.8%, bar blue 6.1%, text 1.1%; blank page: 0 */
    cr_expect(p.ink > p.total / 10, "non-white %ld of %ld", p.ink, p.total);
    cr_expect(p.bars > p.total / 50, "bar-coloured pixels %ld", p.bars);
    cr_expect(p.dark > p.total / 500, "text pixels %ld", p.dark);
}

/* A range that is not one (min 0 on a log axis, min > max) falls back to the
 * data's; no coordinate becomes nan or inf. */
Test(sim_html, chart_bad_ranges_fall_back_to_data)
{
    const double x[3] = { 1, 10, 100 }, y[3] = { 5, 50, 500 };
    pk_series_t s = { PK_SERIES_LINE, "l", x, y, NULL, 3, NULL, 0 };
    const pk_chart_opts_t opts[3] = {
        { .x_axis = PK_AXIS_LOG, .y_axis = PK_AXIS_LOG, .y_min = 0, .y_max = 100 },
        { .x_axis = PK_AXIS_LINEAR, .y_axis = PK_AXIS_LINEAR, .x_min = 5, .x_max = 1 },
        { .x_axis = PK_AXIS_LOG, .y_axis = PK_AXIS_LOG, .x_min = -10, .x_max = 10 },
    };
    for (int i = 0; i < 3; i++) {
        pk_chart_t *c = pk_chart_new(&opts[i]);
        cr_assert_eq(pk_chart_add(c, &s), 0);
        char *t = chart_text(c);
        cr_expect(!strstr(t, "nan") && !strstr(t, "inf"), "case %d: %s", i, t);
        cr_expect_eq(count(t, "<circle"), 3, "case %d", i);
        free(t);
        pk_chart_free(c);
    }
}
