/* pk_contract_text.c - the contract of core/pk_contract.def as header text,
 * C (#define) or Verilog (`define).
 *
 * Design: one walk over the contract rows produces definitions (name, kind,
 * numbers, comment); a per-dialect printer formats each kind (a register
 * address is 0x20u in C and 8'h20 in Verilog; a descriptor field is
 * WORD/LSB/WIDTH numbers in C and a `lsb +: width` part-select of the
 * descriptor bits in Verilog).  So no fact is spelled here either.  This
 * file needs only pk_emit and core/pk_contract, so the build can compile it
 * at configure time (tests/rtl/contract_headers.c) for Verilator models
 * that compile rtl_templates/ directly.
 */
#include "pk_contract_text.h"

#include <stdio.h>
#include <string.h>

#include "pk_contract.h"

typedef enum { D_DEC, D_ADDR, D_BYTE, D_HEX32, D_MASK, D_RANGE, D_VEC } dkind_t;

typedef struct {
    pk_emit_t *e;
    int verilog; /* 0: C, 1: Verilog */
} out_t;

/* One definition, named pfx + name + sfx.  D_MASK / D_RANGE: a = lsb, b =
 * width (C prints a MASK as a mask, Verilog as a part-select; a RANGE is
 * Verilog only).  D_VEC: the bit vector a of b bits (Verilog b'hA, C 0xAu). */
static void def(const out_t *o, const char *pfx, const char *name, const char *sfx, dkind_t k,
                int64_t a, int64_t b, const char *what)
{
    char v[64], nm[96];
    snprintf(nm, sizeof nm, "%s%s%s", pfx, name, sfx);
    if (k == D_RANGE && !o->verilog)
        return;
    switch (k) {
    case D_DEC: snprintf(v, sizeof v, "%lld", (long long)a); break;
    case D_ADDR:
        if (o->verilog)
            snprintf(v, sizeof v, "%d'h%02llX", PK_REG_ADDR_BITS, (unsigned long long)a);
        else
            snprintf(v, sizeof v, "0x%02llXu", (unsigned long long)a);
        break;
    case D_BYTE:
        snprintf(v, sizeof v, o->verilog ? "8'h%02llX" : "0x%02llXu", (unsigned long long)a);
        break;
    case D_HEX32:
        snprintf(v, sizeof v, o->verilog ? "32'h%08llX" : "0x%08llXu", (unsigned long long)a);
        break;
    case D_VEC:
        if (o->verilog)
            snprintf(v, sizeof v, "%lld'h%llX", (long long)b, (unsigned long long)a);
        else
            snprintf(v, sizeof v, "0x%llXu", (unsigned long long)a);
        break;
    case D_MASK:
    case D_RANGE:
        if (o->verilog)
            snprintf(v, sizeof v, "%lld +: %lld", (long long)a, (long long)b);
        else
            snprintf(v, sizeof v, "(0x%llXu << %lld)", (unsigned long long)((1ull << b) - 1),
                     (long long)a);
        break;
    }
    const char *kw = o->verilog ? "`define" : "#define";
    if (what && *what)
        pk_emit_line(o->e, "%s %-28s %-14s // %s", kw, nm, v, what);
    else
        pk_emit_line(o->e, "%s %-28s %s", kw, nm, v);
}

/* A section's comment line: "// title: what", what per dialect. */
static void heading(const out_t *o, const char *title, const char *in_c, const char *in_verilog)
{
    pk_emit_line(o->e, "// %s: %s", title, o->verilog ? in_verilog : in_c);
}

/* One descriptor table: PK_<pfx>_<FIELD> the part-select of the descriptor
 * bits (Verilog), _WORD / _LSB / _WIDTH its place in the word stream (both). */
static void emit_fields(const out_t *o, const char *pfx, const pk_desc_field_t *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        def(o, pfx, f[i].name, "", D_RANGE, f[i].word * 32 + f[i].lsb, f[i].width,
            f[i].meaning);
        def(o, pfx, f[i].name, "_WORD", D_DEC, f[i].word, 0, o->verilog ? NULL : f[i].meaning);
        def(o, pfx, f[i].name, "_LSB", D_DEC, f[i].lsb, 0, NULL);
        def(o, pfx, f[i].name, "_WIDTH", D_DEC, f[i].width, 0, NULL);
    }
}

static void emit_desc(const out_t *o)
{
    heading(o, "Layer descriptor (section 5)", "field in bits [LSB, LSB + WIDTH) of 32-bit word WORD",
            "PK_DESC_<FIELD> is the field's part-select of the descriptor bits, "
            "_WORD/_LSB/_WIDTH its place in word WORD");
    size_t n;
    const pk_desc_field_t *f = pk_contract_desc_fields(&n);
    emit_fields(o, "PK_DESC_", f, n);
}

/* v2 (ARCHITECTURE.md V2-9, V2-11.6): the sizes, the words the controller
 * streams to the parameter registers, and the fields of words 16-63. */
static void emit_desc2(const out_t *o)
{
    size_t n;
    const pk_const_row_t *c = pk_contract_v2_consts(&n);
    pk_emit_line(o->e, "// v2 sizes (ARCHITECTURE.md V2-3, V2-6, V2-9, V2-11.4).");
    for (size_t i = 0; i < n; i++)
        def(o, "PK_", c[i].name, "", D_DEC, c[i].value, 0, c[i].meaning);
    def(o, "PK_", "DESC2_LOAD_WORDS", "", D_DEC, pk_contract_desc2_load_words(), 0,
        "descriptor words pk_ctrl2 streams to the engines per layer (V2-7.5)");
    pk_emit_blank(o->e);
    heading(o, "v2 descriptor words 16-63 (V2-9, V2-11.6; words 0-15 are PK_DESC_*)",
            "field in bits [LSB, LSB + WIDTH) of 32-bit word WORD",
            "PK_DESC2_<FIELD> is the field's part-select of the v2 descriptor bits, "
            "_WORD/_LSB/_WIDTH its place in word WORD");
    const pk_desc_field_t *f = pk_contract_desc2_fields(&n);
    emit_fields(o, "PK_DESC2_", f, n);
}

static void emit_kinds(const out_t *o)
{
    size_t n;
    const pk_kind_row_t *k = pk_contract_kinds(&n);
    pk_emit_line(o->e, "// Layer kinds: the codes of descriptor field KIND (section 5).");
    for (size_t i = 0; i < n; i++)
        def(o, "PK_KIND_", k[i].name, "", D_DEC, k[i].code, 0, NULL);
    def(o, "PK_KIND_", "COUNT", "", D_DEC, (int64_t)n, 0, "codes >= this are not a kind");
}

static void emit_orders(const out_t *o)
{
    size_t n;
    const pk_order_row_t *r = pk_contract_orders(&n);
    pk_emit_line(o->e, "// Loop orders: the codes of v2 descriptor field ORDER (V2-5).");
    for (size_t i = 0; i < n; i++)
        def(o, "PK_ORDER_", r[i].name, "", D_DEC, r[i].code, 0, r[i].meaning);
}

static void emit_param(const out_t *o)
{
    heading(o, "Parameter record (section 5)", "field of BYTES little-endian bytes at byte OFFSET",
            "PK_PARAM_<FIELD> is the field's part-select of the record bits, _LSB its first bit");
    size_t n;
    const pk_param_field_t *f = pk_contract_param_fields(&n);
    for (size_t i = 0; i < n; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s (%s)", f[i].field, f[i].type);
        def(o, "PK_PARAM_", f[i].name, "", D_RANGE, 8 * f[i].offset, 8 * f[i].bytes, what);
        if (o->verilog) { /* the bit offset alone, for narrower selects */
            def(o, "PK_PARAM_", f[i].name, "_LSB", D_DEC, 8 * f[i].offset, 0, NULL);
            continue;
        }
        def(o, "PK_PARAM_", f[i].name, "_OFFSET", D_DEC, f[i].offset, 0, what);
        def(o, "PK_PARAM_", f[i].name, "_BYTES", D_DEC, f[i].bytes, 0, NULL);
    }
}

static void emit_counters(const out_t *o)
{
    size_t n;
    const pk_counter_row_t *c = pk_contract_counters(&n);
    pk_emit_line(o->e, "// Event counters (section 8, 64-bit): counter i is read at "
                       "CNT_LO(i) (bits 31:0) and CNT_HI(i).");
    if (!o->verilog) {
        pk_emit_line(o->e, "#define PK_REG_CNT_LO(i) (0x%02Xu + 2u * (unsigned)(i))",
                     PK_REG_CNT_BASE);
        pk_emit_line(o->e, "#define PK_REG_CNT_HI(i) (0x%02Xu + 2u * (unsigned)(i))",
                     PK_REG_CNT_BASE + 1);
    }
    for (size_t i = 0; i < n; i++) {
        def(o, "PK_CNT_", c[i].name, "", D_DEC, (int64_t)i, 0, c[i].meaning);
    }
    def(o, "PK_CNT_", "COUNT", "", D_DEC, (int64_t)n, 0, "number of counters");
    uint64_t keep = 0;
    for (size_t i = 0; i < n; i++)
        keep |= c[i].v2 ? (uint64_t)1 << i : 0;
    def(o, "PK_CNT_", "V2_KEEP", "", D_VEC, (int64_t)keep, (int64_t)n,
        "bit i: counter i is one of the v2 core's (V2-9 item 8)");
    if (o->verilog)
        return;
    pk_emit_line(o->e, "#define PK_CNT_NAMES \\");
    pk_emit_indent(o->e, 1);
    pk_emit_line(o->e, "{ \\");
    pk_emit_indent(o->e, 1);
    for (size_t i = 0; i < n; i++)
        pk_emit_line(o->e, "\"%s\", \\", c[i].key);
    pk_emit_indent(o->e, -1);
    pk_emit_line(o->e, "}");
    pk_emit_indent(o->e, -1);
}

static void emit_regs(const out_t *o)
{
    size_t nr, nf;
    const pk_reg_row_t *r = pk_contract_regs(&nr);
    const pk_regfield_row_t *f = pk_contract_reg_fields(&nf);
    pk_emit_line(o->e, "// Registers (section 9): 32-bit word addresses on host_addr[%d:0]; "
                       "fields as %s.",
                 PK_REG_ADDR_BITS - 1, o->verilog ? "part-selects" : "masks");
    for (size_t i = 0; i < nr; i++) {
        char what[160];
        snprintf(what, sizeof what, "%s: %s", r[i].access, r[i].meaning);
        def(o, "PK_REG_", r[i].name, "", D_ADDR, r[i].addr, 0, what);
        for (size_t k = 0; k < nf; k++)
            if (!strcmp(f[k].reg, r[i].name)) {
                char pfx[48];
                snprintf(pfx, sizeof pfx, "PK_%s_", f[k].reg);
                def(o, pfx, f[k].name, "", D_MASK, f[k].lsb, f[k].width, f[k].meaning);
            }
    }
}

static void emit_consts(const out_t *o)
{
    size_t n;
    const pk_const_row_t *c = pk_contract_consts(&n);
    pk_emit_line(o->e, "// Sizes, latencies and register-map constants (sections 3, 7, 9).");
    for (size_t i = 0; i < n; i++) {
        dkind_t k = !strcmp(c[i].format, "ADDR")    ? D_ADDR
                    : !strcmp(c[i].format, "BYTE")  ? D_BYTE
                    : !strcmp(c[i].format, "HEX32") ? D_HEX32
                                                      : D_DEC;
        def(o, "PK_", c[i].name, "", k, c[i].value, 0, c[i].meaning);
    }
}

void pk_contract_defs(pk_emit_t *e, int verilog)
{
    const out_t o = {e, verilog};
    const char *g = verilog ? "`" : "#";
    pk_emit_line(e, "%sifndef PK_CONTRACT_%s", g, verilog ? "VH" : "H");
    if (verilog)
        pk_emit_line(e, "`define PK_CONTRACT_VH");
    else
        pk_emit_line(e, "// (skipped where Pike's own core/pk_contract.h, the same rows, is "
                        "included first)");
    void (*const part[])(const out_t *) = {emit_consts, emit_regs,  emit_counters, emit_desc,
                                           emit_kinds,  emit_param, emit_desc2,    emit_orders};
    for (size_t i = 0; i < sizeof part / sizeof part[0]; i++) {
        pk_emit_blank(e);
        part[i](&o);
    }
    pk_emit_blank(e);
    pk_emit_line(e, "%sendif", g);
}

void pk_contract_header_file(pk_emit_t *e, const char *file, int verilog, const char *version)
{
    pk_emit_line(e, "// %s - generated by Pike %s from core/pk_contract.def (the RTL/model", file,
                 version);
    pk_emit_line(e, "// contract, docs/ARCHITECTURE_V1.md sections 3, 5, 8, 9). Do not edit.");
    pk_emit_blank(e);
    if (!verilog) {
        pk_emit_line(e, "#ifndef PK_REGMAP_H");
        pk_emit_line(e, "#define PK_REGMAP_H");
        pk_emit_blank(e);
    }
    pk_contract_defs(e, verilog);
    if (!verilog) {
        pk_emit_blank(e);
        pk_emit_line(e, "#endif");
    }
}

/* The descriptor row of a PK_PAR2_FIELDS row, and its pk_contract.vh macro. */
static const pk_desc_field_t *par2_field(const pk_par2_row_t *p, char *mac, size_t len)
{
    size_t n;
    const pk_desc_field_t *f =
        (p->v2 ? pk_contract_desc2_fields(&n) : pk_contract_desc_fields(&n)) + p->field;
    snprintf(mac, len, "`PK_DESC%s_%s", p->v2 ? "2" : "", f->name);
    return f;
}

/* pk_par2.v: one register per PK_PAR2_FIELDS row, loaded from the word
 * stream in the word's cycle; the positions are pk_contract.vh's macros, so
 * the module spells no bit position either. */
void pk_par2_module(pk_emit_t *e, const char *version)
{
    size_t np;
    const pk_par2_row_t *p = pk_contract_par2(&np);
    char mac[64];
    if (version) {
        pk_emit_line(e, "// pk_par2.v - generated by Pike %s from core/pk_contract.def "
                        "(PK_PAR2_FIELDS):", version);
        pk_emit_line(e, "// the v2 engines' parameter registers (docs/ARCHITECTURE.md V2-11.6). "
                        "Do not edit.");
        pk_emit_line(e, "//");
    }
    pk_emit_line(e, "// l_<field> is descriptor field PK_DESC_<FIELD> or PK_DESC2_<FIELD> of the "
                    "layer whose");
    pk_emit_line(e, "// parameter words pk_ctrl2 streamed last: at the end of a cycle with "
                    "pw_valid and");
    pk_emit_line(e, "// pw_idx = the read row of the field's word w (w / DLW) it takes the bits of "
                    "lane");
    pk_emit_line(e, "// w mod DLW (pw_data[32 (w mod DLW) +: 32]); it keeps them until the row "
                    "comes again");
    pk_emit_line(e, "// (pk_ctrl2 streams rows 0 .. ceil(PK_DESC2_LOAD_WORDS / DLW) - 1 before "
                    "lay_start;");
    pk_emit_line(e, "// DLW = pk_v2_desc_load_lanes(PB), pk_core2's parameter: V2-7.5).");
    pk_emit_line(e, "// rst clears them.  Each port's comment names the engines that take it.");
    pk_emit_line(e, "// SIZED = 0: every register is its field's width.  SIZED = 1 (pk_core2): a "
                    "register");
    pk_emit_line(e, "// keeps only the low bits of its field that pk_core2 reads (the size "
                    "columns of");
    pk_emit_line(e, "// PK_PAR2_FIELDS, in pk_core2's parameters SZ_*), its other bits read 0 "
                    "(no flip-flop):");
    pk_emit_line(e, "// the bits pk_core2 reads, or all a layer's value takes at the config "
                    "(pk_v2_rtl_supported");
    pk_emit_line(e, "// refuses a layer whose field does not fit its register).");
    pk_emit_line(e, "`include \"pk_contract.vh\"");
    pk_emit_line(e, "module pk_par2 #(");
    pk_emit_line(e, "    parameter WA = $clog2(`PK_DESC2_WORDS),  // word address bits (pk_ctrl2's WA)");
    pk_emit_line(e, "    parameter DLW = 1,                       // words a read row (pk_ctrl2's DLW)");
    pk_emit_line(e, "    parameter DLL = DLW > 1 ? $clog2(DLW) : 0,");
    pk_emit_line(e, "    parameter SIZED = 0,");
    static const pk_par2_wbase_t bases[] = {PK_PAR2_W_ADDR_BITS, PK_PAR2_W_AW, PK_PAR2_W_XW,
                                            PK_PAR2_W_YW, PK_PAR2_W_RA, PK_PAR2_W_WA,
                                            PK_PAR2_W_CA, PK_PAR2_W_WBW};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        pk_emit_line(e, "    parameter SZ_%s = 32%s  // pk_core2's %s", pk_contract_par2_wbase_param(bases[b]),
                     b + 1 < sizeof bases / sizeof bases[0] ? "," : "", pk_contract_par2_wbase_param(bases[b]));
    pk_emit_line(e, ") (");
    pk_emit_line(e, "    input  wire clk,");
    pk_emit_line(e, "    input  wire rst,");
    pk_emit_line(e, "    input  wire pw_valid,");
    pk_emit_line(e, "    input  wire [WA-DLL-1:0] pw_idx,");
    pk_emit_line(e, "    input  wire [32*DLW-1:0] pw_data,");
    for (size_t i = 0; i < np; i++) {
        par2_field(&p[i], mac, sizeof mac);
        pk_emit_line(e, "    output reg [%s_WIDTH-1:0] l_%s%s  // %s: %s", mac, p[i].port,
                     i + 1 < np ? "," : "", mac + 1, p[i].users);
    }
    pk_emit_line(e, ");");
    /* the kept bits: a mask of the field's width (a shift by >= the width
     * keeps all of them) */
    for (size_t i = 0; i < np; i++) {
        if (p[i].wbase == PK_PAR2_W_FULL)
            continue;
        par2_field(&p[i], mac, sizeof mac);
        char n[48];
        const char *bp = pk_contract_par2_wbase_param(p[i].wbase);
        if (bp)
            snprintf(n, sizeof n, "SZ_%s %c %d", bp, p[i].wadd < 0 ? '-' : '+',
                     p[i].wadd < 0 ? -p[i].wadd : p[i].wadd);
        else
            snprintf(n, sizeof n, "%d", p[i].wbase == PK_PAR2_W_UNREAD ? 1 : p[i].wadd);
        pk_emit_line(e, "    localparam [%s_WIDTH-1:0] M_%s = SIZED == 0 ? {%s_WIDTH{1'b1}} :", mac,
                     p[i].port, mac);
        pk_emit_line(e, "        ~({%s_WIDTH{1'b1}} << (%s));", mac, n);
    }
    /* each loaded word's read row and the bit of its lane in pw_data */
    for (int w = 0; w < pk_contract_desc2_load_words(); w++)
        for (size_t i = 0; i < np; i++) {
            if (par2_field(&p[i], mac, sizeof mac)->word != w)
                continue;
            pk_emit_line(e, "    localparam integer R_W%d = %s_WORD / DLW, O_W%d = (%s_WORD %% DLW) * 32;",
                         w, mac, w, mac);
            break;
        }
    pk_emit_line(e, "    always @(posedge clk)");
    pk_emit_line(e, "        if (rst) begin");
    for (size_t i = 0; i < np; i++) {
        par2_field(&p[i], mac, sizeof mac);
        pk_emit_line(e, "            l_%s <= {%s_WIDTH{1'b0}};", p[i].port, mac);
    }
    pk_emit_line(e, "        end else if (pw_valid) begin");
    for (int w = 0; w < pk_contract_desc2_load_words(); w++) {
        int first = 1;
        for (size_t i = 0; i < np; i++) {
            if (par2_field(&p[i], mac, sizeof mac)->word != w)
                continue;
            if (first)
                pk_emit_line(e, "            if (pw_idx == R_W%d[WA-DLL-1:0]) begin", w);
            first = 0;
            if (p[i].wbase == PK_PAR2_W_FULL)
                pk_emit_line(e, "                l_%s <= pw_data[O_W%d + %s_LSB +: %s_WIDTH];", p[i].port,
                             w, mac, mac);
            else
                pk_emit_line(e, "                l_%s <= pw_data[O_W%d + %s_LSB +: %s_WIDTH] & M_%s;",
                             p[i].port, w, mac, mac, p[i].port);
        }
        if (!first)
            pk_emit_line(e, "            end");
    }
    pk_emit_line(e, "        end");
    pk_emit_line(e, "endmodule");
}
