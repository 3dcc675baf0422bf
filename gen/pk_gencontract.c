/* pk_gencontract.c - the contract of core/pk_contract.def in the bundle:
 * rtl/pk_contract.vh (Verilog `defines the templates `include), the
 * "contract" object of manifest.json (for the Python benches), and pikegen
 * --contract-header DIR (both headers without a config, for host code).
 *
 * Design: the header text itself is pk_contract_text.c's (also used by the
 * build at configure time); this file only places it and walks the rows
 * once more into JSON.
 */
#include "pk_gen_int.h"
#include "pk_contract_text.h"

#include <ctype.h>
#include <stdio.h>

#include <jansson.h>

#include "pk_contract.h"

static void lower(char *dst, const char *src, size_t len)
{
    size_t i = 0;
    for (; src[i] && i + 1 < len; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

int pk_gen_contract_vh(pk_genctx_t *g)
{
    pk_emit_t *e = pk_emit_new();
    if (!e)
        return pk_error_set(g->err, PK_ENOMEM, "", 0, "pk_contract.vh", "out of memory");
    pk_gen_header(g, e, "// ", "pk_contract.vh",
                  "the RTL/model contract (core/pk_contract.def) for rtl_templates/");
    pk_emit_blank(e);
    pk_contract_defs(e, 1);
    int rc = pk_gen_add(g, "rtl/pk_contract.vh", e);
    pk_emit_free(e);
    return rc;
}

/* {NAME: {word, lsb, width}} of a descriptor table. */
static json_t *fields_json(const pk_desc_field_t *d, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, d[i].name, json_pack("{s:i, s:i, s:i}", "word", d[i].word, "lsb",
                                                    d[i].lsb, "width", d[i].width));
    return o;
}

static void consts_json(json_t *k, const pk_const_row_t *co, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char low[64];
        lower(low, co[i].name, sizeof low);
        json_object_set_new(k, low, json_integer(co[i].value));
    }
}

json_t *pk_gen_contract_json(void)
{
    json_t *c = json_object(), *pf = json_object(), *cn = json_array(), *rg = json_object(),
           *k = json_object();
    size_t n;
    const pk_desc_field_t *d = pk_contract_desc_fields(&n);
    json_t *df = fields_json(d, n);
    d = pk_contract_desc2_fields(&n);
    json_t *df2 = fields_json(d, n);
    const pk_param_field_t *p = pk_contract_param_fields(&n);
    for (size_t i = 0; i < n; i++)
        json_object_set_new(pf, p[i].field, json_pack("{s:i, s:i, s:s}", "offset", p[i].offset,
                                                      "bytes", p[i].bytes, "type", p[i].type));
    const pk_counter_row_t *r = pk_contract_counters(&n);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(cn, json_string(r[i].key));
    const pk_reg_row_t *re = pk_contract_regs(&n);
    for (size_t i = 0; i < n; i++)
        json_object_set_new(rg, re[i].name, json_integer(re[i].addr));
    const pk_const_row_t *co = pk_contract_consts(&n);
    consts_json(k, co, n);
    co = pk_contract_v2_consts(&n);
    consts_json(k, co, n);
    json_object_set_new(k, "desc2_load_words", json_integer(pk_contract_desc2_load_words()));
    json_object_set_new(c, "descriptor_fields", df);
    json_object_set_new(c, "descriptor2_fields", df2);
    json_object_set_new(c, "param_fields", pf);
    json_object_set_new(c, "counters", cn);
    json_object_set_new(c, "registers", rg);
    json_object_set_new(c, "constants", k);
    return c;
}

/* One file of the --contract-header directory. */
static int add_header(pk_bundle_t *b, const char *path, int verilog, pk_error_t *err)
{
    pk_emit_t *e = pk_emit_new();
    if (!e)
        return pk_error_set(err, PK_ENOMEM, "", 0, path, "out of memory");
    pk_contract_header_file(e, path, verilog, pk_gen_version());
    size_t len;
    char *data = pk_emit_failed(e) ? NULL : pk_emit_take(e, &len);
    pk_emit_free(e);
    if (!data)
        return pk_error_set(err, PK_ENOMEM, "", 0, path, "out of memory");
    return pk_bundle_add(b, path, data, len, err);
}

int pk_gen_contract_headers(const char *dir, pk_error_t *err)
{
    pk_bundle_t *b = pk_bundle_new();
    if (!b)
        return pk_error_set(err, PK_ENOMEM, "", 0, "--contract-header", "out of memory");
    int rc = add_header(b, "pk_contract.vh", 1, err);
    if (!rc)
        rc = add_header(b, "pk_regmap.h", 0, err);
    if (!rc)
        rc = pk_bundle_write(b, dir, 1, err);
    pk_bundle_free(b);
    return rc;
}
