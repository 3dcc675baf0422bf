/* test_gen_units.c - pikegen's building blocks in isolation: the emitter and
 * its {{NAME}} template expander, the Verilog header reader, the register
 * map table against docs/ARCHITECTURE_V1.md, the parameter table, and the
 * atomic bundle writer (--force semantics, no DIR.tmp-* left behind).
 * None of these needs the RTL templates. */
#include <criterion/criterion.h>

#include "gen/gen_test_util.h"
#include "pk_emit.h"
#include "pk_gen_int.h"
#include "pk_contract.h"
#include "pk_vparse.h"

Test(gen_units, emitter_indents_lines_and_comments)
{
    pk_emit_t *e = pk_emit_new();
    pk_emit_line(e, "module m;");
    pk_emit_indent(e, 1);
    pk_emit_line(e, "wire %s;", "a");
    pk_emit_blank(e);
    pk_emit_comment(e, "// ", "x\n\ny");
    pk_emit_indent(e, -5);
    pk_emit_line(e, "endmodule");
    cr_assert(!pk_emit_failed(e));
    cr_assert_str_eq(pk_emit_data(e, NULL), "module m;\n    wire a;\n\n    // x\n    //\n    // y\nendmodule\n");
    pk_emit_free(e);
}

Test(gen_units, template_expands_known_placeholders)
{
    pk_emit_t *e = pk_emit_new();
    pk_error_t err = {0};
    const pk_tvar_t v[] = {{"A", "1"}, {"LONG_NAME", "two"}};
    int rc = pk_emit_template(e, "x={{A}} {y} {{LONG_NAME}}{{A}}\n", v, 2, "t", &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_str_eq(pk_emit_data(e, NULL), "x=1 {y} two1\n");
    pk_emit_free(e);
}

Test(gen_units, template_unknown_placeholder_is_an_error)
{
    const pk_tvar_t v[] = {{"A", "1"}};
    const char *bad[] = {"ok\n{{B}}\n", "{{A}", "{{}}", "{{A B}}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pk_emit_t *e = pk_emit_new();
        pk_error_t err = {0};
        int rc = pk_emit_template(e, bad[i], v, 1, "tmpl.txt", &err);
        cr_assert_lt(rc, 0, "template %zu expanded without error", i);
        cr_assert_str_eq(err.file, "tmpl.txt");
        pk_emit_free(e);
    }
    pk_emit_t *e = pk_emit_new();
    pk_error_t err = {0};
    pk_emit_template(e, "line1\n{{NOPE}}", v, 1, "tmpl.txt", &err);
    cr_assert_eq(err.line, 2);
    cr_assert(strstr(err.msg, "NOPE"), "%s", err.msg);
    pk_emit_free(e);
}

static const char vsrc[] =
    "// header comment: module pk_fake (input x);\n"
    "module pk_core_like #(\n"
    "    parameter ROWS = 4, COLS = 2,  // two on a line\n"
    "    parameter [3:0] MODES = 4'b1111,\n"
    "    parameter integer ADDR_BITS = 32,\n"
    "    localparam HIDDEN = 3\n"
    ") (\n"
    "    (* keep *) input wire clk,\n"
    "    input [ADDR_BITS-1:0] a, b, /* inherits */\n"
    "    output reg signed [ 7 : 0 ] y,\n"
    "    inout z\n"
    ");\n"
    "endmodule\n";

Test(gen_units, vparse_reads_ansi_headers)
{
    pk_vmodule_t m;
    pk_error_t err = {0};
    cr_assert_eq(pk_vparse_module(vsrc, "pk_core_like", "x.v", &m, &err), 0, "%s", err.msg);
    cr_assert_eq(m.nparams, 4);
    cr_assert_str_eq(m.params[0], "ROWS");
    cr_assert_str_eq(m.params[1], "COLS");
    cr_assert_str_eq(m.params[2], "MODES");
    cr_assert_str_eq(m.params[3], "ADDR_BITS");
    cr_assert(!pk_vmodule_has_param(&m, "HIDDEN"));
    cr_assert_eq(m.nports, 5);
    cr_assert_str_eq(m.ports[0].name, "clk");
    cr_assert_str_eq(m.ports[0].range, "");
    cr_assert_str_eq(m.ports[2].name, "b");
    cr_assert_str_eq(m.ports[2].dir, "input");
    cr_assert_str_eq(m.ports[2].range, "[ADDR_BITS-1:0]");
    cr_assert_str_eq(m.ports[3].dir, "output");
    cr_assert(m.ports[3].is_signed);
    cr_assert_str_eq(m.ports[3].range, "[7:0]");
    cr_assert_str_eq(m.ports[4].dir, "inout");
    pk_vmodule_free(&m);
}

Test(gen_units, vparse_rejects_what_it_cannot_read)
{
    pk_vmodule_t m;
    pk_error_t err = {0};
    cr_assert_eq(pk_vparse_module(vsrc, "pk_fake", "x.v", &m, &err), PK_EINPUT);
    pk_error_clear(&err);
    cr_assert_eq(pk_vparse_module("module old(a, b);\ninput a;\noutput b;\nendmodule\n", "old",
                                  "old.v", &m, &err),
                 PK_EINPUT);
    cr_assert(strstr(err.msg, "ANSI"), "%s", err.msg);
    cr_assert_eq(err.line, 1);
}

/* Section `num` of ARCHITECTURE_V1.md: from "## num." up to the next "## ". */
static char *section(const char *doc, int num)
{
    char head[16];
    snprintf(head, sizeof head, "\n## %d.", num);
    const char *s = strstr(doc, head);
    cr_assert(s, "ARCHITECTURE_V1.md has no section %d", num);
    const char *e = strstr(s + 1, "\n## ");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *out = malloc(n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

Test(gen_units, regmap_table_matches_architecture_doc)
{
    char *doc = gt_read(PIKE_SOURCE_ROOT "/docs/ARCHITECTURE_V1.md", NULL);
    cr_assert(doc);
    char *s8 = section(doc, 8), *s9 = section(doc, 9);
    size_t nr, nc;
    const pk_reg_row_t *r = pk_contract_regs(&nr);
    for (size_t i = 0; i < nr; i++) {
        char row[64];
        snprintf(row, sizeof row, "| 0x%02X | %s |", r[i].addr, r[i].name);
        /* A single register has its own row; grouped ones (HW_*) are listed
         * in order in a "0xAA..0xBB" row that covers their address. */
        if (!strstr(s9, row)) {
            const char *p = strstr(s9, r[i].name);
            cr_assert(p, "register %s is not in ARCHITECTURE_V1.md section 9", r[i].name);
            const char *ls = p;
            while (ls > s9 && ls[-1] != '\n')
                ls--;
            unsigned lo, hi;
            cr_assert_eq(sscanf(ls, "| 0x%x..0x%x |", &lo, &hi), 2,
                         "register %s: no address row in section 9", r[i].name);
            cr_assert(r[i].addr >= lo && r[i].addr <= hi, "%s at 0x%02X outside 0x%02X..0x%02X",
                      r[i].name, r[i].addr, lo, hi);
            /* position in the list = address offset */
            int pos = 0;
            for (const char *q = strchr(ls + 1, '|') + 1; q < p; q++)
                pos += *q == ',';
            cr_assert_eq((unsigned)pos, r[i].addr - lo, "%s listed at position %d, address 0x%02X",
                         r[i].name, pos, r[i].addr);
        }
        cr_assert(strstr(s9, r[i].access), "access %s of %s", r[i].access, r[i].name);
    }
    cr_assert(strstr(s9, "0x50494B45"), "ID value");
    char cnt[64];
    snprintf(cnt, sizeof cnt, "| 0x%02X + 2i", PK_REG_CNT_BASE);
    cr_assert(strstr(s9, cnt), "counter base 0x%02X not in section 9", PK_REG_CNT_BASE);
    const pk_counter_row_t *c = pk_contract_counters(&nc);
    for (size_t i = 0; i < nc; i++) {
        char row[64];
        snprintf(row, sizeof row, "| %zu | %s |", i, c[i].key);
        cr_assert(strstr(s8, row), "counter row '%s' not in ARCHITECTURE_V1.md section 8", row);
    }
    char last[32];
    snprintf(last, sizeof last, "| %zu | ", nc);
    cr_assert(!strstr(s8, last), "section 8 has more counters than the table (%zu)", nc);
    free(s8);
    free(s9);
    free(doc);
}

/* Bits of a descriptor field as section 5 writes them: "hi:lo", or "lo" for one bit. */
static void bits_token(const pk_desc_field_t *f, char *buf, size_t len)
{
    if (f->width == 1)
        snprintf(buf, len, "%d", f->lsb);
    else
        snprintf(buf, len, "%d:%d", f->lsb + f->width - 1, f->lsb);
}

/* Section 5's descriptor table, word by word: the bit tokens of all rows of a
 * word ("| 0 | 5:4, 7:6 | ..." or a range "| 7..11 | 31:0 | ...") must be the
 * contract's fields of that word, and nothing else. */
static void check_desc_table(const char *s5)
{
    char doc[PK_DESC_WORDS][256] = {{0}}, tab[PK_DESC_WORDS][256] = {{0}};
    for (const char *l = strstr(s5, "\n| 0 |"); l && l[1] == '|'; l = strchr(l + 1, '\n')) {
        int lo, hi, n = 0;
        if (sscanf(l, "\n| %d..%d |%n", &lo, &hi, &n) != 2) {
            cr_assert_eq(sscanf(l, "\n| %d |%n", &lo, &n), 1, "bad descriptor row: %.40s", l + 1);
            hi = lo;
        }
        const char *b = l + n, *e = strchr(b, '|');
        cr_assert(e && hi < PK_DESC_WORDS);
        for (int w = lo; w <= hi; w++)
            for (const char *t = b; t < e;) {
                while (t < e && (*t == ' ' || *t == ','))
                    t++;
                size_t k = strcspn(t, " ,|");
                if (k && t < e) {
                    strncat(doc[w], t, k);
                    strcat(doc[w], " ");
                }
                t += k;
            }
    }
    size_t nf;
    const pk_desc_field_t *f = pk_contract_desc_fields(&nf);
    for (size_t i = 0; i < nf; i++) {
        char tok[16];
        bits_token(&f[i], tok, sizeof tok);
        strcat(tab[f[i].word], tok);
        strcat(tab[f[i].word], " ");
    }
    for (int w = 0; w < PK_DESC_WORDS; w++)
        cr_expect_str_eq(doc[w], tab[w], "descriptor word %d: ARCHITECTURE_V1.md has bits '%s', "
                         "core/pk_contract.def '%s'", w, doc[w], tab[w]);
}

Test(gen_units, contract_matches_architecture_doc)
{
    char *doc = gt_read(PIKE_SOURCE_ROOT "/docs/ARCHITECTURE_V1.md", NULL);
    cr_assert(doc);
    char *s3 = section(doc, 3), *s5 = section(doc, 5);
    check_desc_table(s5);
    char want[96];
    snprintf(want, sizeof want, "%d bytes = sixteen 32-bit words", PK_DESC_BYTES);
    cr_expect(strstr(s5, want) && PK_DESC_WORDS == 16, "section 5: '%s'", want);
    snprintf(want, sizeof want, "**Parameter records**, %d bytes per output channel", PK_PARAM_BYTES);
    cr_expect(strstr(s5, want), "section 5: '%s'", want);
    size_t np;
    const pk_param_field_t *p = pk_contract_param_fields(&np);
    for (size_t i = 0; i < np; i++) {
        snprintf(want, sizeof want, "`%d: %s (%s)`", p[i].offset, p[i].field, p[i].type);
        cr_expect(strstr(s5, want), "section 5 lacks the record field %s", want);
    }
    size_t nk;
    const pk_kind_row_t *k = pk_contract_kinds(&nk);
    char kinds[128] = "| kind: ";
    for (size_t i = 0; i < nk; i++)
        snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s%d %s", i ? ", " : "",
                 k[i].code, k[i].name);
    cr_expect(strstr(s5, kinds), "section 5 lacks '%s'", kinds);
    snprintf(want, sizeof want, "`%d..%d: zero`", PK_PARAM_USED_BYTES, PK_PARAM_BYTES - 1);
    cr_expect(strstr(s5, want), "section 5: '%s'", want);
    const struct { const char *fmt; int v; } s3rows[] = {
        {"| `PARAM_BYTES` | %d ", PK_PARAM_BYTES}, {"`DESC_BYTES` = %d ", PK_DESC_BYTES},
        {"| `ARRAY_LAT` | %d ", PK_ARRAY_LAT},     {"| `PPU_LAT` | %d ", PK_PPU_LAT},
    };
    for (size_t i = 0; i < sizeof s3rows / sizeof s3rows[0]; i++) {
        snprintf(want, sizeof want, s3rows[i].fmt, s3rows[i].v);
        cr_expect(strstr(s3, want), "section 3 lacks '%s'", want);
    }
    free(s3);
    free(s5);
    free(doc);
}

/* ARCHITECTURE.md from "### V2-11.6" (or "## V2-9.") to the next heading
 * of that level or above. */
static char *v2_section(const char *doc, const char *head)
{
    const char *s = strstr(doc, head);
    cr_assert(s, "ARCHITECTURE.md has no '%s'", head + 1);
    const char *e = strstr(s + 1, head[2] == '#' ? "\n###" : "\n## ");
    const char *e2 = strstr(s + 1, "\n## ");
    if (!e || (e2 && e2 < e))
        e = e2;
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *out = malloc(n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* V2-11.6's table of the engine constants ("| engine | field | word, lsb,
 * width | value |"): every `NAME` of a row is a PK_DESC2_FIELDS row at the
 * place the row gives ("w, l, n", "w, l, n; w, l, n" for two names, or
 * "w1, w2 (l, n)"), and every row of the constant block (word 29, words
 * 32 and up) is in the table. */
static void check_desc2_table(const char *s)
{
    size_t n;
    const pk_desc_field_t *f = pk_contract_desc2_fields(&n);
    int *seen = calloc(n, sizeof *seen);
    const char *t = strstr(s, "| engine | field | word, lsb, width | value |");
    cr_assert(t, "V2-11.6 lacks the constants table");
    int rows = 0;
    for (const char *l = strchr(t, '\n'); l && l[1] == '|'; l = strchr(l + 1, '\n')) {
        const char *c2 = strchr(l + 2, '|'), *c3 = c2 ? strchr(c2 + 1, '|') : NULL,
                   *c4 = c3 ? strchr(c3 + 1, '|') : NULL;
        cr_assert(c4, "bad V2-11.6 row: %.60s", l + 1);
        char names[4][32];
        int nn = 0;
        for (const char *q = strchr(c2, '`'); q && q < c3 && nn < 4; q = strchr(q + 1, '`')) {
            const char *e = strchr(q + 1, '`');
            cr_assert(e && e < c3 && (size_t)(e - q) < sizeof names[0]);
            snprintf(names[nn++], sizeof names[0], "%.*s", (int)(e - q - 1), q + 1);
            q = e;
        }
        if (!nn)
            continue; /* (spare), (reserved), (free) */
        int w[4], lsb[4], wid[4], k = 0, used = 0;
        char cell[96];
        snprintf(cell, sizeof cell, "%.*s", (int)(c4 - c3 - 1), c3 + 1);
        if (sscanf(cell, " %d, %d (%d, %d)", &w[0], &w[1], &lsb[0], &wid[0]) == 4) {
            lsb[1] = lsb[0];
            wid[1] = wid[0];
            k = 2;
        } else {
            const char *q = cell;
            while (k < 4 && sscanf(q, " %d, %d, %d%n", &w[k], &lsb[k], &wid[k], &used) == 3) {
                k++;
                q += used;
                if (*q != ';')
                    break;
                q++;
            }
        }
        cr_assert_eq(k, nn, "V2-11.6 row '%.60s': %d names, %d places", l + 1, nn, k);
        for (int i = 0; i < nn; i++) {
            size_t r = 0;
            while (r < n && strcmp(f[r].name, names[i]))
                r++;
            cr_assert(r < n, "V2-11.6 names `%s`, not a PK_DESC2_FIELDS row", names[i]);
            cr_expect(f[r].word == w[i] && f[r].lsb == lsb[i] && f[r].width == wid[i],
                      "V2-11.6: `%s` at %d, %d, %d; core/pk_contract.def %d, %d, %d", names[i],
                      w[i], lsb[i], wid[i], f[r].word, f[r].lsb, f[r].width);
            seen[r] = 1;
        }
        rows++;
    }
    cr_assert(rows > 0);
    for (size_t r = 0; r < n; r++)
        if (f[r].word == 29 || f[r].word >= 32)
            cr_expect(seen[r], "PK_DESC2_FIELDS row %s (word %d) is not in V2-11.6's table",
                      f[r].name, f[r].word);
    free(seen);
}

Test(gen_units, contract_matches_architecture_v2_doc)
{
    char *doc = gt_read(PIKE_SOURCE_ROOT "/docs/ARCHITECTURE.md", NULL);
    cr_assert(doc);
    char *s9 = v2_section(doc, "\n## V2-9."), *s116 = v2_section(doc, "\n### V2-11.6");
    check_desc2_table(s116);
    char want[96];
    snprintf(want, sizeof want, "Descriptor (%d bytes, %d", PK_DESC2_BYTES, PK_DESC2_WORDS);
    cr_expect(strstr(s9, want), "V2-9 lacks '%s'", want);
    snprintf(want, sizeof want, "`PK_DESC2_LOAD_WORDS` = %d", pk_contract_desc2_load_words());
    cr_expect(strstr(s116, want), "V2-11.6 lacks '%s'", want);
    snprintf(want, sizeof want, "`DL = %d` cycles", pk_contract_desc2_load_words() + 1);
    cr_expect(strstr(s116, want), "V2-11.6 lacks '%s'", want);
    snprintf(want, sizeof want, "(`ND = %d`: the last word", pk_contract_desc2_load_words());
    cr_expect(strstr(doc, want), "V2-7.5 lacks '%s'", want);
    /* the one-word-a-row load (DLW = 1, V2-7.5's rule; pk_v2_desc_load_cycles) */
    snprintf(want, sizeof want, "`DL = ND + 1 = %d` at `DLW = 1`", pk_contract_desc2_load_words() + 1);
    cr_expect(strstr(doc, want), "V2-7.5 lacks '%s'", want);
    /* the loop-order codes (PK_ORDERS) and the v2 core's counters (the v2
     * column of PK_COUNTERS: their number and pk_counters' KEEP) as V2-9
     * writes them */
    size_t n, len = 0;
    const pk_order_row_t *o = pk_contract_orders(&n);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(want + len, sizeof want - len, "%s%s %d", i ? ", " : "", o[i].name,
                                o[i].code);
    cr_expect(strstr(s9, want), "V2-9 lacks the order codes '%s'", want);
    const pk_counter_row_t *c = pk_contract_counters(&n);
    int kept = 0;
    unsigned keep = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].v2)
            kept++, keep |= 1u << i;
    cr_expect_eq(keep, (unsigned)PK_CNT_V2_KEEP);
    snprintf(want, sizeof want, "%d counters instead of %zu", kept, n);
    cr_expect(strstr(s9, want), "V2-9 lacks '%s'", want);
    snprintf(want, sizeof want, "`` `PK_CNT_V2_KEEP ``, %zu'h%X,", n, keep);
    cr_expect(strstr(s9, want), "V2-9 lacks '%s'", want);
    free(s9);
    free(s116);
    free(doc);
}

Test(gen_units, params_follow_the_config)
{
    pk_config_t *cfg = NULL;
    pk_error_t err = {0};
    cr_assert_eq(pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", &cfg, &err), 0, "%s",
                 err.msg);
    pk_gparam_t p[PK_GEN_MAX_PARAMS];
    size_t n = pk_gen_params(cfg, p);
    cr_assert_eq(n, 28);
    cr_assert_str_eq(p[0].name, "ROWS");
    cr_assert_eq(p[0].value, cfg->array.rows);
    /* widths {2,4} x {2,4}: modes 2 and 4 -> bits 1 and 2 */
    cr_assert_eq(pk_rtl_modes(cfg), 0x6u);
    char lit[32];
    pk_gen_param_literal(&p[4], lit, sizeof lit);
    cr_assert_str_eq(lit, "4'b0110");
    cr_assert_str_eq(p[n - 1].name, "VERSION");
    cr_assert_eq(p[n - 1].value, (int64_t)pk_gen_version_word());
    /* the counters' width: pike_top's is ARCHITECTURE_V1.md 8's, a board sets its own */
    cr_assert_str_eq(p[n - 2].name, "CNT_BITS");
    cr_assert_eq(p[n - 2].value, 64);
    pk_config_free(cfg);
}

static int count_tmp(const char *parent)
{
    DIR *d = opendir(parent);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += strstr(de->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

Test(gen_units, bundle_write_is_atomic_and_needs_force)
{
    char tmp[512], dir[600], path[700];
    cr_assert(gt_tmpdir(tmp, sizeof tmp, "genunit"));
    snprintf(dir, sizeof dir, "%s/a/b/bundle", tmp);
    pk_error_t err = {0};
    pk_bundle_t *b = pk_bundle_new();
    cr_assert_eq(pk_bundle_add(b, "z/two.txt", strdup("two\n"), 4, &err), 0);
    cr_assert_eq(pk_bundle_add(b, "one.txt", strdup("one\n"), 4, &err), 0);
    cr_assert_eq(pk_bundle_add(b, "one.txt", strdup("x"), 1, &err), PK_EINTERNAL);
    pk_error_clear(&err);
    cr_assert_str_eq(pk_bundle_file(b, 0)->path, "one.txt");
    cr_assert_eq(pk_bundle_write(b, dir, 0, &err), 0, "%s", err.msg);
    snprintf(path, sizeof path, "%s/z/two.txt", dir);
    char *t = gt_read(path, NULL);
    cr_assert_str_eq(t, "two\n");
    free(t);

    /* exists, no force: refused, untouched */
    snprintf(path, sizeof path, "%s/marker", dir);
    gt_write(path, "keep");
    cr_assert_eq(pk_bundle_write(b, dir, 0, &err), PK_EINPUT);
    cr_assert(strstr(err.msg, "--force"), "%s", err.msg);
    cr_assert_eq(access(path, F_OK), 0, "directory was touched without --force");
    pk_error_clear(&err);

    /* force: replaced, marker gone, nothing left beside it */
    cr_assert_eq(pk_bundle_write(b, dir, 1, &err), 0, "%s", err.msg);
    cr_assert_neq(access(path, F_OK), 0, "old bundle content survived --force");
    char parent[600];
    snprintf(parent, sizeof parent, "%s/a/b", tmp);
    cr_assert_eq(count_tmp(parent), 0);
    struct stat st;
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert(st.st_mode & S_IXOTH || st.st_mode & S_IXUSR);
    pk_bundle_free(b);
    gt_rm_tree(tmp);
}
