/* pk_html.h - a self-contained HTML page emitter (reports of pikesim, pikesweep).
 *
 * A page is written straight to a FILE in order: pk_html_begin (doctype, the
 * inline style sheet, the title), then sections, paragraphs, summary
 * figures, tables and charts (pk_svg.h, inlined as <svg>), then pk_html_end.
 * The page loads nothing: no scripts, no fonts, no images, no links out (the
 * only links are to its own sections); it looks the same offline.  Every text argument is escaped; formatted text
 * (the ...f functions) is formatted first, then escaped.  Output is
 * deterministic (no dates, no generated ids: ids are the caller's).
 *
 * No state is kept between calls and nothing is allocated, except
 * pk_html_textf's temporary buffer.  Write errors surface through
 * ferror(f), which pk_html_end returns.
 */
#ifndef PK_HTML_H
#define PK_HTML_H

#include <stdio.h>

#include "pk_svg.h"

/* <!DOCTYPE html> ... <body><h1>title</h1>; subtitle (may be NULL) under it. */
void pk_html_begin(FILE *f, const char *title, const char *subtitle);

/* </body></html>; returns 0, or -1 when a write failed anywhere on f. */
int pk_html_end(FILE *f);

/* Escaped text (no element around it). */
void pk_html_text(FILE *f, const char *s);
void pk_html_textf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* <section id="id"><h2>heading</h2> ... </section>.  id: [A-Za-z0-9_-]. */
void pk_html_section_begin(FILE *f, const char *id, const char *heading);
void pk_html_section_end(FILE *f);

/* A row of links to sections of this page (ids as given to
 * pk_html_section_begin): <nav><a href="#id">text</a> ...</nav>. */
typedef struct pk_html_link {
    const char *id;
    const char *text;
} pk_html_link_t;
void pk_html_nav(FILE *f, const pk_html_link_t *links, int n);

/* <h3>heading</h3> */
void pk_html_heading(FILE *f, const char *heading);

/* <p class="note">text</p> (formatted, escaped). */
void pk_html_note(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A row of summary figures: label over a large value, n of them. */
typedef struct pk_html_stat {
    const char *label;
    const char *value;
} pk_html_stat_t;
void pk_html_stats(FILE *f, const pk_html_stat_t *s, int n);

/* A table: header cells, then rows of n cells each.  Cells that parse as
 * numbers are right-aligned.  `cls` (may be NULL) is the table's class;
 * "wide" makes it scroll horizontally inside the page. */
void pk_html_table_begin(FILE *f, const char *cls, const char *const *head, int n);
void pk_html_table_row(FILE *f, const char *const *cells, int n);
void pk_html_table_end(FILE *f);

/* <details><summary>summary</summary> ... </details>: content folded away. */
void pk_html_details_begin(FILE *f, const char *summary);
void pk_html_details_end(FILE *f);

/* <figure> with the chart and a caption (may be NULL).  0 or -1 (write error). */
int pk_html_chart(FILE *f, const pk_chart_t *c, const char *caption);

#endif
