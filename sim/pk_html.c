/* pk_html.c - the HTML page emitter of pk_html.h.
 *
 * Design: a handful of element writers over one FILE, with the whole look in
 * one inline style sheet, so a report is one file a person can mail or open
 * from a laptop with no network.  Text always goes through pk_svg_escape
 * (the same escaping serves HTML text and attributes).
 */
#include "pk_html.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char STYLE[] =
    "body{font-family:sans-serif;font-size:14px;color:#222;background:#f6f6f4;margin:0;"
    "padding:16px 28px;max-width:1240px}\n"
    "h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:0 0 8px}"
    "h3{font-size:15px;margin:14px 0 6px}\n"
    ".sub{color:#555;margin:0 0 12px}\n"
    "section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;"
    "margin:14px 0}\n"
    ".stats{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}\n"
    ".stat{border:1px solid #e2e2e2;border-radius:5px;padding:6px 12px;min-width:120px;"
    "background:#fafafa}\n"
    ".stat .l{font-size:12px;color:#666}.stat .v{font-size:19px;font-weight:bold}\n"
    "figure{margin:8px 0}figcaption{font-size:12px;color:#555;margin-top:2px}\n"
    "table{border-collapse:collapse;font-size:12px;margin:6px 0}\n"
    "th,td{border-bottom:1px solid #eee;padding:2px 8px;text-align:left;white-space:nowrap}\n"
    "th{background:#f0f0ee}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".wide{display:block;overflow-x:auto;max-width:100%}\n"
    ".note{font-size:12px;color:#555}\n"
    "details summary{cursor:pointer;color:#345}\n"
    "nav{position:sticky;top:0;background:#f6f6f4;padding:6px 0;font-size:13px;z-index:1}\n"
    "nav a{margin-right:14px;color:#345;text-decoration:none}\n";

void pk_html_text(FILE *f, const char *s)
{
    pk_svg_escape(f, s);
}

static void vtext(FILE *f, const char *fmt, va_list ap)
{
    char small[1024];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        pk_svg_escape(f, small);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, cp);
            pk_svg_escape(f, big);
            free(big);
        } else {
            pk_svg_escape(f, small); /* truncated rather than nothing */
        }
    }
    va_end(cp);
}

void pk_html_textf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vtext(f, fmt, ap);
    va_end(ap);
}

void pk_html_begin(FILE *f, const char *title, const char *subtitle)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    pk_svg_escape(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", STYLE);
    pk_svg_escape(f, title);
    fputs("</h1>\n", f);
    if (subtitle) {
        fputs("<p class=\"sub\">", f);
        pk_svg_escape(f, subtitle);
        fputs("</p>\n", f);
    }
}

int pk_html_end(FILE *f)
{
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

void pk_html_section_begin(FILE *f, const char *id, const char *heading)
{
    fputs("<section id=\"", f);
    pk_svg_escape(f, id);
    fputs("\">\n<h2>", f);
    pk_svg_escape(f, heading);
    fputs("</h2>\n", f);
}

void pk_html_section_end(FILE *f)
{
    fputs("</section>\n", f);
}

void pk_html_nav(FILE *f, const pk_html_link_t *links, int n)
{
    fputs("<nav>", f);
    for (int i = 0; i < n; i++) {
        fputs("<a href=\"#", f);
        pk_svg_escape(f, links[i].id);
        fputs("\">", f);
        pk_svg_escape(f, links[i].text);
        fputs("</a>", f);
    }
    fputs("</nav>\n", f);
}

void pk_html_heading(FILE *f, const char *heading)
{
    fputs("<h3>", f);
    pk_svg_escape(f, heading);
    fputs("</h3>\n", f);
}

void pk_html_note(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("<p class=\"note\">", f);
    vtext(f, fmt, ap);
    fputs("</p>\n", f);
    va_end(ap);
}

void pk_html_stats(FILE *f, const pk_html_stat_t *s, int n)
{
    fputs("<div class=\"stats\">\n", f);
    for (int i = 0; i < n; i++) {
        fputs("<div class=\"stat\"><div class=\"l\">", f);
        pk_svg_escape(f, s[i].label);
        fputs("</div><div class=\"v\">", f);
        pk_svg_escape(f, s[i].value);
        fputs("</div></div>\n", f);
    }
    fputs("</div>\n", f);
}

/* A number, possibly with a unit suffix: "12", "-0.5", "3.1x", "45.2%", "1.5M". */
static int numeric(const char *s)
{
    char *end;
    if (!s || !strchr("0123456789+-.", *s) || !*s) /* not "inf", "nan..." names */
        return 0;
    strtod(s, &end);
    return end != s && strlen(end) <= 1;
}

static void cells(FILE *f, const char *tag, const char *const *c, int n, int align)
{
    fputs("<tr>", f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "<%s%s>", tag, align && numeric(c[i]) ? " class=\"n\"" : "");
        pk_svg_escape(f, c[i]);
        fprintf(f, "</%s>", tag);
    }
    fputs("</tr>\n", f);
}

void pk_html_table_begin(FILE *f, const char *cls, const char *const *head, int n)
{
    fputs("<table", f);
    if (cls) {
        fputs(" class=\"", f);
        pk_svg_escape(f, cls);
        fputc('"', f);
    }
    fputs(">\n<thead>", f);
    cells(f, "th", head, n, 0);
    fputs("</thead>\n<tbody>\n", f);
}

void pk_html_table_row(FILE *f, const char *const *c, int n)
{
    cells(f, "td", c, n, 1);
}

void pk_html_table_end(FILE *f)
{
    fputs("</tbody>\n</table>\n", f);
}

void pk_html_details_begin(FILE *f, const char *summary)
{
    fputs("<details>\n<summary>", f);
    pk_svg_escape(f, summary);
    fputs("</summary>\n", f);
}

void pk_html_details_end(FILE *f)
{
    fputs("</details>\n", f);
}

int pk_html_chart(FILE *f, const pk_chart_t *c, const char *caption)
{
    fputs("<figure>\n", f);
    int rc = pk_chart_write(c, f);
    if (caption) {
        fputs("<figcaption>", f);
        pk_svg_escape(f, caption);
        fputs("</figcaption>\n", f);
    }
    fputs("</figure>\n", f);
    return rc;
}
