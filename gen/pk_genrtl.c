/* pk_genrtl.c - the rtl/ part of the bundle.
 *
 * Design: the .v files of rtl_templates/ that the tops reach by
 * instantiation (pk_vparse_instances, one module per file: pk_x.v holds
 * pk_x) are copied (sorted by name) behind a generated header; templates
 * are real parameterized Verilog, so no text substitution happens.  They
 * `include "pk_contract.vh", which is written beside them from
 * core/pk_contract.def (pk_gencontract.c; files.f names rtl/ as the include
 * directory); pk_par2.v (the v2 parameter registers) is generated from the
 * contract when a reached module instantiates it.  Two wrappers are
 * generated: pike_top.v (pk_core, or pk_core2 for --arch v2, with every
 * parameter set from the config) and, on iCE40 and ECP5, pike_board.v
 * (the pin-limited board wrapper with its SPI and UART host ports:
 * pk_board_spi around pk_core, or for --arch v2 pk_board2 around the
 * generated pike_top itself, so pk_board2 repeats none of pk_v2_rtl_params;
 * both hold pk_board_io), which sets those parameters of the board template
 * that pike_top has to pike_top's values, UART_DIV from
 * fpga.uart_baud and, for v2, BOARD_ID (core/pk_v2_rtl.c
 * pk_v2_rtl_board_id, what pikehost --arch v2 checks).
 * Their port lists are read from the templates themselves (pk_vparse), so
 * the wrappers cannot drift from the modules they wrap.
 */
#include "pk_contract_text.h"
#include "pk_gen_int.h"
#include "pk_v2_rtl.h"
#include "pk_vparse.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push_name(pk_genctx_t *g, const char *name)
{
    char **n = realloc(g->rtl, (g->nrtl + 1) * sizeof *n);
    if (!n)
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
    g->rtl = n;
    if (!(g->rtl[g->nrtl] = strdup(name)))
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
    g->nrtl++;
    return 0;
}

/* The sorted *.v names of the template directory. */
static int list_templates(pk_genctx_t *g)
{
    DIR *d = opendir(g->templates_dir);
    if (!d)
        return pk_error_set(g->err, PK_EINPUT, g->templates_dir, 0, "templates",
                            "cannot open the template directory; give --templates DIR or set "
                            "PIKE_ROOT to the Pike source tree");
    int rc = 0;
    struct dirent *de;
    while (!rc && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 2 && !strcmp(de->d_name + n - 2, ".v") && de->d_name[0] != '.')
            rc = push_name(g, de->d_name);
    }
    closedir(d);
    if (!rc)
        qsort(g->rtl, g->nrtl, sizeof *g->rtl, cmp_str);
    return rc;
}

static int load_template(pk_genctx_t *g, const char *name, char **text, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g->templates_dir, name);
    if (pk_gen_read_file(path, text, len))
        return pk_error_set(g->err, PK_EINPUT, path, 0, "templates", "cannot read the template");
    return 0;
}

static int copy_template(pk_genctx_t *g, const char *name)
{
    char *text;
    size_t len;
    int rc = load_template(g, name, &text, &len);
    if (rc)
        return rc;
    pk_emit_t *e = pk_emit_new();
    if (!e) {
        free(text);
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
    }
    char what[160];
    snprintf(what, sizeof what, "copied from rtl_templates/%s", name);
    pk_gen_header(g, e, "// ", name, what);
    pk_emit_blank(e);
    pk_emit_text(e, text, len);
    if (len && text[len - 1] != '\n')
        pk_emit_text(e, "\n", 1);
    free(text);
    char path[512];
    snprintf(path, sizeof path, "rtl/%s", name);
    rc = pk_gen_add(g, path, e);
    pk_emit_free(e);
    return rc;
}

static int parse_template(pk_genctx_t *g, const char *module, pk_vmodule_t *m, const char *why)
{
    char name[128], path[4200];
    snprintf(name, sizeof name, "%s.v", module);
    snprintf(path, sizeof path, "%s/%s", g->templates_dir, name);
    char *text;
    size_t len;
    if (pk_gen_read_file(path, &text, &len))
        return pk_error_set(g->err, PK_EINPUT, path, 0, "templates",
                            "missing template %s, %s", name, why);
    int rc = pk_vparse_module(text, module, path, m, g->err);
    free(text);
    return rc;
}

/* module NAME #(parameters) (ports of inner); inner #(.P(P)) u (.p(p));
 * the parameters: those of g->params and extra[0..nextra) that inner has. */
static void emit_wrapper(pk_genctx_t *g, pk_emit_t *e, const char *name, const pk_vmodule_t *in,
                         const pk_gparam_t *extra, size_t nextra)
{
    const pk_gparam_t *use[PK_GEN_MAX_TOP_PARAMS + 4];
    size_t nuse = 0;
    for (size_t i = 0; i < g->ntop + nextra && nuse < PK_GEN_MAX_TOP_PARAMS + 4; i++) {
        const pk_gparam_t *p = i < g->ntop ? &g->top_params[i] : &extra[i - g->ntop];
        if (pk_vmodule_has_param(in, p->name))
            use[nuse++] = p;
    }

    pk_emit_line(e, "`default_nettype none");
    pk_emit_blank(e);
    if (nuse) {
        pk_emit_line(e, "module %s #(", name);
        pk_emit_indent(e, 1);
        for (size_t i = 0; i < nuse; i++) {
            char lit[64];
            pk_gen_param_literal(use[i], lit, sizeof lit);
            char val[80];
            snprintf(val, sizeof val, "%s%s", lit, i + 1 < nuse ? "," : "");
            pk_emit_line(e, "parameter %-14s = %-11s // %s", use[i]->name, val, use[i]->what);
        }
        pk_emit_indent(e, -1);
        pk_emit_line(e, ") (");
    } else {
        pk_emit_line(e, "module %s (", name);
    }
    pk_emit_indent(e, 1);
    for (size_t i = 0; i < in->nports; i++) {
        const pk_vport_t *p = &in->ports[i];
        char type[200];
        snprintf(type, sizeof type, "%-6s wire%s%s%s", p->dir, p->is_signed ? " signed" : "",
                 p->range[0] ? " " : "", p->range);
        pk_emit_line(e, "%s %s%s", type, p->name, i + 1 < in->nports ? "," : "");
    }
    pk_emit_indent(e, -1);
    pk_emit_line(e, ");");
    pk_emit_blank(e);
    pk_emit_indent(e, 1);
    if (nuse) {
        pk_emit_line(e, "%s #(", in->name);
        pk_emit_indent(e, 1);
        for (size_t i = 0; i < nuse; i++)
            pk_emit_line(e, ".%s(%s)%s", use[i]->name, use[i]->name, i + 1 < nuse ? "," : "");
        pk_emit_indent(e, -1);
        pk_emit_line(e, ") u_%s (", in->name + (strncmp(in->name, "pk_", 3) ? 0 : 3));
    } else {
        pk_emit_line(e, "%s u_%s (", in->name, in->name + (strncmp(in->name, "pk_", 3) ? 0 : 3));
    }
    pk_emit_indent(e, 1);
    for (size_t i = 0; i < in->nports; i++)
        pk_emit_line(e, ".%s(%s)%s", in->ports[i].name, in->ports[i].name,
                     i + 1 < in->nports ? "," : "");
    pk_emit_indent(e, -1);
    pk_emit_line(e, ");");
    pk_emit_indent(e, -1);
    pk_emit_blank(e);
    pk_emit_line(e, "endmodule");
    pk_emit_blank(e);
    pk_emit_line(e, "`default_nettype wire");
}

/* The derived constants, as a comment block (ARCHITECTURE_V1.md section 3). */
static void emit_derived(pk_genctx_t *g, pk_emit_t *e)
{
    const pk_config_t *c = g->cfg;
    const pk_derived_t *d = &c->d;
    char text[2048];
    snprintf(text, sizeof text,
             "Derived values (docs/ARCHITECTURE_V1.md section 3):\n"
             "  R x C x V          = %d x %d x %d, L = %d (slot_bits)\n"
             "  word_bits          = %d (word_bytes %d)\n"
             "  wbuf_depth         = %lld words per column bank per half\n"
             "  pbuf_depth         = %lld words per row bank per half\n"
             "  kc_max             = %lld k-steps per chunk\n"
             "  PB, LAT            = %d bytes per beat, %d cycles\n"
             "  PL                 = %d (%d PPU cycles per output row)\n"
             "  acc_bits           = %d (minimum %d)\n"
             "  clock              = %g MHz\n"
             "  peak MACs / cycle  = %lld at the widest mode\n",
             c->array.rows, c->array.cols, c->array.lanes, d->slot_bits, d->word_bits,
             d->word_bytes, (long long)d->wbuf_depth, (long long)d->pbuf_depth,
             (long long)d->kc_max, c->offchip.bytes_per_cycle, c->offchip.latency,
             c->postproc.lanes, d->ppu_cycles_per_row, c->precision.acc_bits, d->min_acc_bits,
             c->clock_mhz, (long long)c->array.rows * c->array.cols * c->array.lanes);
    pk_emit_comment(e, "// ", text);
}

static int gen_wrapper(pk_genctx_t *g, const char *name, const char *inner, const char *what,
                       int strict, const pk_gparam_t *extra, size_t nextra, pk_vmodule_t *keep)
{
    pk_vmodule_t m;
    int rc = parse_template(g, inner, &m,
                            strict ? "which pike_top wraps" : "which the board top wraps");
    if (rc)
        return rc;
    if (strict) {
        for (size_t i = 0; i < g->ntop; i++)
            if (!pk_vmodule_has_param(&m, g->top_params[i].name)) {
                char path[4200];
                snprintf(path, sizeof path, "%s/%s.v", g->templates_dir, inner);
                rc = pk_error_set(g->err, PK_EINPUT, path, 0, inner,
                                  "parameter %s is not declared; pikegen sets every parameter "
                                  "of the %s contract (see %s)",
                                  g->top_params[i].name, inner,
                                  g->arch == 2 ? "core/pk_v2_rtl.c pk_v2_rtl_params"
                                               : "gen/pk_gen.c pk_gen_params");
                pk_vmodule_free(&m);
                return rc;
            }
    }
    pk_emit_t *e = pk_emit_new();
    if (!e) {
        pk_vmodule_free(&m);
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
    }
    char file[128], path[160];
    snprintf(file, sizeof file, "%s.v", name);
    pk_gen_header(g, e, "// ", file, what);
    pk_emit_line(e, "//");
    emit_derived(g, e);
    pk_emit_blank(e);
    emit_wrapper(g, e, name, &m, extra, nextra);
    *keep = m; /* the flow files (constraints) need the port list too */
    snprintf(path, sizeof path, "rtl/%s", file);
    rc = pk_gen_add(g, path, e);
    pk_emit_free(e);
    if (!rc)
        rc = push_name(g, file);
    return rc;
}

/* rtl/pk_par2.v, the v2 parameter registers: generated from the contract's
 * PK_PAR2_FIELDS rows (gen/pk_contract_text.c), not a template. */
static int gen_par2(pk_genctx_t *g)
{
    pk_emit_t *e = pk_emit_new();
    if (!e)
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "pk_par2.v", "out of memory");
    pk_gen_header(g, e, "// ", "pk_par2.v",
                  "the v2 engines' parameter registers, from core/pk_contract.def's "
                  "PK_PAR2_FIELDS (docs/ARCHITECTURE.md V2-11.6)");
    pk_emit_line(e, "//");
    pk_par2_module(e, NULL);
    int rc = pk_gen_add(g, "rtl/pk_par2.v", e);
    pk_emit_free(e);
    if (!rc)
        rc = push_name(g, "pk_par2.v");
    return rc;
}

/* The templates reachable from roots by instantiation: reach[i] for
 * g->rtl[i]; *par2 when a reached module instantiates the generated pk_par2. */
static int reachable(pk_genctx_t *g, const char *const *roots, size_t nroots,
                     unsigned char *reach, int *par2)
{
    size_t n = g->nrtl;
    char **mods = calloc(n + 1, sizeof *mods);
    unsigned char *done = calloc(n + 1, 1), *found = calloc(n + 1, 1);
    int rc = 0;
    if (!mods || !done || !found) {
        rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n && !rc; i++) { /* pk_x.v holds module pk_x */
        if (!(mods[i] = strdup(g->rtl[i])))
            rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
        else
            mods[i][strlen(mods[i]) - 2] = '\0';
    }
    mods[n] = "pk_par2"; /* generated, not a template (never freed below) */
    for (size_t r = 0; r < nroots && !rc; r++) {
        size_t i = 0;
        while (i < n && strcmp(mods[i], roots[r]))
            i++;
        if (i == n)
            rc = pk_error_set(g->err, PK_EINPUT, g->templates_dir, 0, "templates",
                              "missing template %s.v, the top of the bundle", roots[r]);
        else
            found[i] = 1;
    }
    for (int more = 1; more && !rc;) {
        more = 0;
        for (size_t i = 0; i < n && !rc; i++) {
            if (!found[i] || done[i])
                continue;
            done[i] = 1;
            more = 1;
            char *text;
            size_t len;
            if (!(rc = load_template(g, g->rtl[i], &text, &len))) {
                rc = pk_vparse_instances(text, (const char *const *)mods, n + 1, found);
                free(text);
                if (rc)
                    rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
            }
        }
    }
    if (!rc) {
        memcpy(reach, found, n);
        *par2 = found[n];
    }
out:
    if (mods)
        for (size_t i = 0; i < n; i++)
            free(mods[i]);
    free(mods);
    free(done);
    free(found);
    return rc;
}

int pk_gen_rtl(pk_genctx_t *g)
{
    int board = g->cfg->fpga.family == PK_FPGA_ICE40 || g->cfg->fpga.family == PK_FPGA_ECP5;
    const char *inner = g->arch == 2 ? "pk_core2" : "pk_core";
    const char *board_top = g->arch == 2 ? "pk_board2" : "pk_board_spi";
    const char *roots[2] = {inner, board_top};
    int rc = list_templates(g);
    if (!rc)
        rc = pk_gen_contract_vh(g);
    unsigned char *reach = rc ? NULL : calloc(g->nrtl + 1, 1);
    int par2 = 0;
    if (!rc && !reach)
        rc = pk_error_set(g->err, PK_ENOMEM, "", 0, "rtl", "out of memory");
    if (!rc)
        rc = reachable(g, roots, board ? 2 : 1, reach, &par2);
    if (!rc) { /* keep the reached names only (g->rtl is files.f's list) */
        size_t k = 0;
        for (size_t i = 0; i < g->nrtl; i++) {
            if (reach[i])
                g->rtl[k++] = g->rtl[i];
            else
                free(g->rtl[i]);
        }
        g->nrtl = k;
    }
    free(reach);
    for (size_t i = 0; i < g->nrtl && !rc; i++)
        rc = copy_template(g, g->rtl[i]);
    if (!rc && par2)
        rc = gen_par2(g);
    if (!rc)
        rc = gen_wrapper(g, "pike_top", inner,
                         g->arch == 2 ? "the v2 accelerator top: pk_core2 with every parameter "
                                        "from the config (pikegen --arch v2)"
                                      : "the accelerator top: pk_core with every parameter from "
                                        "the config",
                         1, NULL, 0, &g->core);
    if (!rc && board) {
        /* board-only parameters (the cores have none of them); BOARD_ID is
         * pk_board2's only (pk_board_spi's board word is 0) */
        const pk_gparam_t board_p[] = {
            {"UART_DIV", g->cfg->fpga.uart_div, 0, "UART clock cycles per bit (fpga.uart_baud)"},
            {"BOARD_ID", g->arch == 2 ? (int64_t)pk_v2_rtl_board_id(g->src_cfg) : 0, 0,
             "register BOARD_ID: 2 << 24 | config fingerprint (pk_v2_rtl_board_id)"},
        };
        char what[300];
        snprintf(what, sizeof what,
                 "pin-limited board top for place and route: %s (SPI or UART host access, "
                 "on-chip memory) around %s with the config's parameters",
                 board_top, g->arch == 2 ? "pike_top, pk_core2" : inner);
        rc = gen_wrapper(g, "pike_board", board_top, what, 0, board_p,
                         sizeof board_p / sizeof board_p[0], &g->board);
        g->has_board = !rc;
    }
    if (!rc)
        qsort(g->rtl, g->nrtl, sizeof *g->rtl, cmp_str);
    return rc;
}
