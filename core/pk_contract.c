/* pk_contract.c - the row tables of core/pk_contract.def as C data.
 *
 * Design: each table is one X-macro expansion of its .def list, so the rows
 * here cannot differ from the enums of pk_contract.h; the generators
 * (gen/pk_gencontract.c, gen/pk_genmeta.c) and the documentation test walk
 * these arrays.  Descriptor access is by field index through the row, so the
 * packers never spell a bit position.
 */
#include "pk_contract.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define ROW_DF(N, w, l, n, m) {#N, w, l, n, m},
#define ROW_PF(f, N, o, n, s, t) {#f, #N, o, n, s, t},
#define ROW_CNT(N, k, v2, m) {#N, #k, v2, m},
#define ROW_REG(N, a, acc, m) {#N, a, #acc, m},
#define ROW_RF(R, N, l, w, m) {#R, #N, l, w, m},
#define ROW_CONST(N, v, f, m) {#N, v, #f, m},
#define ROW_KIND(N, v) {#N, v},
#define ROW_ORDER(N, v, m) {#N, v, m},

static const pk_desc_field_t desc_rows[] = {PK_DESC_FIELDS(ROW_DF)};
static const pk_param_field_t param_rows[] = {PK_PARAM_FIELDS(ROW_PF)};
static const pk_counter_row_t counter_rows[] = {PK_COUNTERS(ROW_CNT)};
static const pk_reg_row_t reg_rows[] = {PK_REGS(ROW_REG)};
static const pk_regfield_row_t regfield_rows[] = {PK_REG_FIELDS(ROW_RF)};
static const pk_const_row_t const_rows[] = {PK_CONSTS(ROW_CONST)};
static const pk_kind_row_t kind_rows[] = {PK_KINDS(ROW_KIND)};
static const pk_order_row_t order_rows[] = {PK_ORDERS(ROW_ORDER)};
static const pk_const_row_t v2_const_rows[] = {PK_V2_CONSTS(ROW_CONST)};
static const pk_desc_field_t desc2_rows[] = {PK_DESC2_FIELDS(ROW_DF)};
#define PAR2_V2_DF 0
#define PAR2_V2_D2 1
#define ROW_PAR2(T, N, p, B, A, F, u) {PAR2_V2_##T, PK_##T##_##N, #p, PK_PAR2_W_##B, A, #F[0] == 'L', u},
static const pk_par2_row_t par2_rows[] = {PK_PAR2_FIELDS(ROW_PAR2)};

#define TABLE_GETTER(fn, type, rows)                                                               \
    const type *fn(size_t *count)                                                                  \
    {                                                                                              \
        *count = NELEM(rows);                                                                      \
        return rows;                                                                               \
    }

TABLE_GETTER(pk_contract_desc_fields, pk_desc_field_t, desc_rows)
TABLE_GETTER(pk_contract_param_fields, pk_param_field_t, param_rows)
TABLE_GETTER(pk_contract_counters, pk_counter_row_t, counter_rows)
TABLE_GETTER(pk_contract_regs, pk_reg_row_t, reg_rows)
TABLE_GETTER(pk_contract_reg_fields, pk_regfield_row_t, regfield_rows)
TABLE_GETTER(pk_contract_consts, pk_const_row_t, const_rows)
TABLE_GETTER(pk_contract_kinds, pk_kind_row_t, kind_rows)
TABLE_GETTER(pk_contract_orders, pk_order_row_t, order_rows)
TABLE_GETTER(pk_contract_v2_consts, pk_const_row_t, v2_const_rows)
TABLE_GETTER(pk_contract_desc2_fields, pk_desc_field_t, desc2_rows)
TABLE_GETTER(pk_contract_par2, pk_par2_row_t, par2_rows)

int pk_contract_desc2_load_words(void)
{
    int last = 0;
    for (size_t f = 0; f < NELEM(desc_rows); f++)
        last = desc_rows[f].word > last ? desc_rows[f].word : last;
    for (size_t f = 0; f < NELEM(desc2_rows); f++)
        last = desc2_rows[f].word > last ? desc2_rows[f].word : last;
    return last + 1;
}

static uint32_t field_mask(const pk_desc_field_t *r)
{
    return r->width >= 32 ? 0xffffffffu : ((1u << r->width) - 1u);
}

static void row_put(const pk_desc_field_t *r, uint32_t *words, uint32_t v)
{
    uint32_t m = field_mask(r);
    words[r->word] = (words[r->word] & ~(m << r->lsb)) | (v & m) << r->lsb;
}

static uint32_t row_get(const pk_desc_field_t *r, const uint32_t *words)
{
    return words[r->word] >> r->lsb & field_mask(r);
}

void pk_desc_put(uint32_t *words, int f, uint32_t v)
{
    row_put(&desc_rows[f], words, v);
}

uint32_t pk_desc_get(const uint32_t *words, int f)
{
    return row_get(&desc_rows[f], words);
}

void pk_desc2_put(uint32_t *words, int f, uint32_t v)
{
    row_put(&desc2_rows[f], words, v);
}

uint32_t pk_desc2_get(const uint32_t *words, int f)
{
    return row_get(&desc2_rows[f], words);
}

void pk_desc_words(const uint8_t *b, int n, uint32_t *w)
{
    for (int k = 0; k < n; k++)
        w[k] = (uint32_t)b[4 * k] | (uint32_t)b[4 * k + 1] << 8 | (uint32_t)b[4 * k + 2] << 16 |
               (uint32_t)b[4 * k + 3] << 24;
}

const char *pk_contract_par2_wbase_param(pk_par2_wbase_t b)
{
    switch (b) {
    case PK_PAR2_W_ADDR_BITS: return "ADDR_BITS";
    case PK_PAR2_W_AW: return "AW";
    case PK_PAR2_W_XW: return "XW";
    case PK_PAR2_W_YW: return "YW";
    case PK_PAR2_W_RA: return "RA";
    case PK_PAR2_W_WA: return "WA";
    case PK_PAR2_W_CA: return "CA";
    case PK_PAR2_W_WBW: return "WBW";
    default: return NULL;
    }
}

int pk_contract_par2_width(const pk_par2_row_t *p, const pk_par2_dims_t *d)
{
    size_t n;
    int fw = (p->v2 ? pk_contract_desc2_fields(&n) : pk_contract_desc_fields(&n))[p->field].width;
    int w = fw;
    if (!d)
        return fw;
    switch (p->wbase) {
    case PK_PAR2_W_FULL: w = fw; break;
    case PK_PAR2_W_UNREAD: w = 1; break;
    case PK_PAR2_W_K: w = p->wadd; break;
    case PK_PAR2_W_ADDR_BITS: w = d->addr_bits + p->wadd; break;
    case PK_PAR2_W_AW: w = d->aw + p->wadd; break;
    case PK_PAR2_W_XW: w = d->xw + p->wadd; break;
    case PK_PAR2_W_YW: w = d->yw + p->wadd; break;
    case PK_PAR2_W_RA: w = d->ra + p->wadd; break;
    case PK_PAR2_W_WA: w = d->wa + p->wadd; break;
    case PK_PAR2_W_CA: w = d->ca + p->wadd; break;
    case PK_PAR2_W_WBW: w = d->wbw + p->wadd; break;
    }
    return w < fw ? w : fw;
}
