/* pk_contract.h - the RTL/model contract (docs/ARCHITECTURE_V1.md sections 3,
 * 5, 8, 9) for C: enums and row tables generated from core/pk_contract.def,
 * the one place the facts are written.
 *
 * Names:
 *   PK_DF_<FIELD>        descriptor field index; pk_contract_desc(i) its row
 *   PK_KIND_<NAME>       code of a layer kind (descriptor field KIND)
 *   PK_PF_<NAME>         parameter-record field index; pk_contract_param(i)
 *   PK_CNT_<NAME>        event counter index (PK_CNT_COUNT of them)
 *   PK_CNT_V2_KEEP       bit i set: counter i is one of the v2 core's 14
 *                        (V2-9 item 8; pk_core2's pk_counters KEEP)
 *   PK_ORDER_<NAME>      loop-order codes (v2 field ORDER): core/pk_plan.h
 *                        pk_plan_order_t; pk_contract_orders() the rows
 *   PK_REG_<NAME>        register address; PK_REG_CNT_LO(i)/PK_REG_CNT_HI(i)
 *   PK_<REG>_<FIELD>     register bit mask (PK_CTRL_START, PK_STATUS_DONE)
 *   PK_<CONST>           sizes, latencies (PK_DESC_BYTES, PK_ARRAY_LAT, ...)
 *   PK_D2_<FIELD>        v2 descriptor field (words 16-63, ARCHITECTURE.md
 *                        V2-9, V2-11.6); pk_contract_desc2_fields()
 *   pk_contract_par2()   the fields the v2 parameter registers hold (pk_par2)
 * The tables are static data; nothing here allocates.  This header is also
 * valid C++ (the Verilator harnesses use the generated pk_regmap.h instead,
 * which pikegen writes from these rows).
 */
#ifndef PK_CONTRACT_H
#define PK_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "pk_contract.def"

#define PK_CT_ENUM_DF(N, w, l, n, m) PK_DF_##N,
#define PK_CT_ENUM_KIND(N, v) PK_KIND_##N = v,
#define PK_CT_COUNT_KIND(N, v) +1
#define PK_CT_ENUM_PF(f, N, o, n, s, t) PK_PF_##N,
#define PK_CT_ENUM_CNT(N, n, v2, m) PK_CNT_##N,
#define PK_CT_V2_KEEP(N, n, v2, m) | ((v2) ? 1u << PK_CNT_##N : 0u)
#define PK_CT_ENUM_REG(N, a, acc, m) PK_REG_##N = a,
#define PK_CT_ENUM_RF(R, N, l, w, m) PK_##R##_##N = ((1u << (w)) - 1u) << (l),
#define PK_CT_ENUM_CONST(N, v, f, m) PK_##N = v,

enum { PK_DESC_FIELDS(PK_CT_ENUM_DF) PK_DF_COUNT };
enum { PK_KINDS(PK_CT_ENUM_KIND) PK_KIND_COUNT = 0 PK_KINDS(PK_CT_COUNT_KIND) };
enum { PK_PARAM_FIELDS(PK_CT_ENUM_PF) PK_PF_COUNT };
enum { PK_COUNTERS(PK_CT_ENUM_CNT) PK_CNT_COUNT };
enum { PK_CNT_V2_KEEP = 0u PK_COUNTERS(PK_CT_V2_KEEP) };
enum { PK_REGS(PK_CT_ENUM_REG) };
enum { PK_REG_FIELDS(PK_CT_ENUM_RF) };
enum { PK_CONSTS(PK_CT_ENUM_CONST) };
#define PK_CT_ENUM_D2(N, w, l, n, m) PK_D2_##N,
enum { PK_DESC2_FIELDS(PK_CT_ENUM_D2) PK_D2_COUNT };
enum { PK_V2_CONSTS(PK_CT_ENUM_CONST) };

#define PK_REG_CNT_LO(i) (PK_REG_CNT_BASE + 2 * (i))
#define PK_REG_CNT_HI(i) (PK_REG_CNT_BASE + 2 * (i) + 1)

/* One descriptor field: bits [lsb, lsb + width) of 32-bit word `word`. */
typedef struct pk_desc_field {
    const char *name; /* "KIND" */
    int word, lsb, width;
    const char *meaning;
} pk_desc_field_t;

/* One parameter-record field: `bytes` little-endian bytes at `offset`. */
typedef struct pk_param_field {
    const char *field; /* member of pk_chan_params_t: "m" */
    const char *name;  /* upper-case name for generated headers: "M" */
    int offset, bytes, is_signed;
    const char *type;  /* "int16" as in ARCHITECTURE_V1.md section 5 */
} pk_param_field_t;

typedef struct pk_counter_row {
    const char *name;  /* "CYCLES" */
    const char *key;   /* "cycles": JSON key, section 8 name */
    int v2;            /* 1: the v2 core keeps it (V2-9 item 8) */
    const char *meaning;
} pk_counter_row_t;

typedef struct pk_reg_row {
    const char *name;   /* "CTRL" */
    unsigned addr;      /* 32-bit word address (host_addr) */
    const char *access; /* "RO", "WO", "RW" */
    const char *meaning;
} pk_reg_row_t;

typedef struct pk_regfield_row {
    const char *reg, *name; /* "CTRL", "START" */
    int lsb, width;
    const char *meaning;
} pk_regfield_row_t;

typedef struct pk_kind_row {
    const char *name; /* "CONV" */
    int code;
} pk_kind_row_t;

typedef struct pk_order_row {
    const char *name; /* "IS" */
    int code;         /* the value of v2 descriptor field ORDER */
    const char *meaning;
} pk_order_row_t;

typedef struct pk_const_row {
    const char *name; /* "DESC_BYTES" */
    int64_t value;
    const char *format; /* "DEC", "ADDR", "BYTE", "HEX32" */
    const char *meaning;
} pk_const_row_t;

/* Row tables in .def order; *count receives the number of rows. */
const pk_desc_field_t *pk_contract_desc_fields(size_t *count);
const pk_param_field_t *pk_contract_param_fields(size_t *count);
const pk_counter_row_t *pk_contract_counters(size_t *count);
const pk_reg_row_t *pk_contract_regs(size_t *count);
const pk_regfield_row_t *pk_contract_reg_fields(size_t *count);
const pk_const_row_t *pk_contract_consts(size_t *count);
const pk_kind_row_t *pk_contract_kinds(size_t *count);
const pk_order_row_t *pk_contract_orders(size_t *count);     /* PK_ORDERS */
const pk_const_row_t *pk_contract_v2_consts(size_t *count); /* PK_V2_CONSTS */

/* Descriptor words (PK_DESC_WORDS of them): put the low `width` bits of v
 * into field f (other bits kept), read field f (zero-extended). */
void pk_desc_put(uint32_t *words, int f, uint32_t v);
uint32_t pk_desc_get(const uint32_t *words, int f);

/* v2 (draft): the plan-field rows (words 16-31 of a PK_DESC2_WORDS-word
 * descriptor) and their put/get, as pk_desc_put/pk_desc_get. */
const pk_desc_field_t *pk_contract_desc2_fields(size_t *count);
void pk_desc2_put(uint32_t *words, int f, uint32_t v);
uint32_t pk_desc2_get(const uint32_t *words, int f);

/* A descriptor's bytes (little-endian, as DRAM and pk_v2img hold them) as
 * its first n 32-bit words, for pk_desc_get / pk_desc2_get. */
void pk_desc_words(const uint8_t *bytes, int n, uint32_t *words);

/* The words the v2 controller streams to the parameter registers at a layer
 * boundary: 0 .. this - 1, the last word any PK_DESC_FIELDS or
 * PK_DESC2_FIELDS row uses, plus one (V2-7.5). */
int pk_contract_desc2_load_words(void);

/* How many low bits of its field a parameter register keeps when pk_par2 is
 * sized (SIZED = 1, as pk_core2 instantiates it): the bits pk_core2 reads
 * (PK_PAR2_FIELDS' size columns BASE, ADD).  FULL: the field's width; UNREAD:
 * 1 (pk_core2 reads none); K: ADD; the others: that pk_core2 parameter + ADD
 * (ADD may be negative).  Never more than the field's width. */
typedef enum pk_par2_wbase {
    PK_PAR2_W_FULL,
    PK_PAR2_W_UNREAD,
    PK_PAR2_W_K,
    PK_PAR2_W_ADDR_BITS,
    PK_PAR2_W_AW,
    PK_PAR2_W_XW,
    PK_PAR2_W_YW,
    PK_PAR2_W_RA,
    PK_PAR2_W_WA,
    PK_PAR2_W_CA,
    PK_PAR2_W_WBW
} pk_par2_wbase_t;

/* One row of PK_PAR2_FIELDS: the descriptor field (a row of
 * pk_contract_desc_fields, or of pk_contract_desc2_fields when v2) that the
 * parameter register l_<port> holds, and the bits of it a sized pk_par2 keeps. */
typedef struct pk_par2_row {
    int v2;              /* 0: PK_DESC_FIELDS row, 1: PK_DESC2_FIELDS row */
    int field;           /* its index: PK_DF_* or PK_D2_* */
    const char *port;    /* "kind": the register is l_kind */
    pk_par2_wbase_t wbase; /* the size columns (pk_par2_wbase_t) */
    int wadd;
    int low;             /* FIT L: pk_core2 reads the low bits only (never refused) */
    const char *users;   /* "pk_post2, pk_ld2" */
} pk_par2_row_t;

const pk_par2_row_t *pk_contract_par2(size_t *count);

/* pk_core2's parameters a sized pk_par2 takes (pk_v2_rtl_params' values). */
typedef struct pk_par2_dims {
    int addr_bits, aw, xw, yw, ra, wa, ca, wbw;
} pk_par2_dims_t;

/* The bits register p keeps: with d NULL (SIZED = 0) the field's width, else
 * min(the field's width, its size columns at d). */
int pk_contract_par2_width(const pk_par2_row_t *p, const pk_par2_dims_t *d);

/* The pk_core2 parameter a size base names ("AW"), NULL for FULL, UNREAD, K. */
const char *pk_contract_par2_wbase_param(pk_par2_wbase_t b);

#endif
