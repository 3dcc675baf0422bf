/* pk_v2_rtl.h - the parameters of the v2 top (rtl_templates/pk_core2.v) and
 * the layers it builds (docs/ARCHITECTURE.md V2-11.1, V2-11.6).
 *
 * pk_v2_rtl_params() is the one place the sized widths and masks of
 * pk_core2's parameters are computed from a config (a fact written once):
 * pikegen --arch v2 writes them into pike_top.v, pikecheck --arch v2 and the
 * RTL tests pass them to Verilator.  pk_v2_rtl_supported() says, per layer,
 * whether pk_core2 builds it, and if not, why (pikecheck refuses the layer
 * with that reason before writing anything).
 */
#ifndef PK_V2_RTL_H
#define PK_V2_RTL_H

#include <stddef.h>
#include <stdint.h>

#include "pk_compile.h"
#include "pk_config.h"
#include "pk_contract.h"
#include "pk_plan.h"
#include "pk_rtlparam.h"

/* One parameter of pk_core2 (core/pk_rtlparam.h). */
typedef pk_rtl_param_t pk_v2_rtl_param_t;

/* Most parameters pk_v2_rtl_params() returns. */
#define PK_V2_RTL_MAX_PARAMS 64

/* Every parameter of pk_core2 computed from cfg, in declaration order, into
 * out[0 .. max-1]: returns the count (> max: out holds the first max). */
int pk_v2_rtl_params(const pk_config_t *cfg, pk_v2_rtl_param_t *out, int max);

/* The value of parameter `name` of cfg (-1: no such parameter). */
int64_t pk_v2_rtl_param(const pk_config_t *cfg, const char *name);

/* The identity word of v2's board top (pk_board2's BOARD_ID, read at host
 * register PK_REG_BOARD_ID; ARCHITECTURE.md V2-11.7): 2 << 24 | the low
 * 24 bits of the 32-bit FNV-1a hash (core/pk_fnv1a.h) of every
 * pk_v2_rtl_params row (name, value, width), so a board built for another
 * arch or another config reads a different word (v1's board reads 0). */
uint32_t pk_v2_rtl_board_id(const pk_config_t *cfg);

/* 0 when pk_core2 builds hardware layer `layer` of hw as planned by plan,
 * else 1 with the reason (one line naming what is missing) in why[0 .. n-1].
 * It compiles the network and computes cfg's parameters for one answer: to
 * ask for many layers, use pk_v2_rtl_check below (the same answers). */
int pk_v2_rtl_supported(const pk_config_t *cfg, const pk_hwnet_t *hw, const pk_plan_t *plan,
                        int layer, char *why, size_t n);

/* pk_v2_rtl_supported over the layers of one network: the network compiled
 * (pk_v2_compile) and the parameters it reads computed once, by
 * pk_v2_rtl_check_init; cfg, hw and plan must outlive it.  Layers of one
 * shape share their walks: the ring write rule's backlog and the weight
 * beats' walk are kept per distinct input (memo), so a network that repeats
 * its blocks walks each shape once (the same answers). */
typedef struct {
    const pk_config_t *cfg;
    const pk_hwnet_t *hw;
    const pk_plan_t *plan;
    struct pk_v2img *img;    /* NULL: the network does not compile */
    int own_img;             /* 1: img compiled by init, freed by pk_v2_rtl_check_free */
    int64_t wi, wwl, wfl;    /* parameters WI, WWL, WFL */
    pk_par2_dims_t dims;     /* pk_v2_rtl_par2_dims */
    struct pk_v2_rtl_memo *memo; /* walks seen (NULL: none kept, out of memory) */
} pk_v2_rtl_check_t;

void pk_v2_rtl_check_init(pk_v2_rtl_check_t *c, const pk_config_t *cfg, const pk_hwnet_t *hw,
                          const pk_plan_t *plan);
/* The same with hw's image as planned by plan already compiled
 * (pk_v2_compile(hw, plan, &img)): img is borrowed and must outlive c, and
 * NULL means the network does not compile. */
void pk_v2_rtl_check_init_img(pk_v2_rtl_check_t *c, const pk_config_t *cfg, const pk_hwnet_t *hw,
                              const pk_plan_t *plan, struct pk_v2img *img);
int pk_v2_rtl_check(const pk_v2_rtl_check_t *c, int layer, char *why, size_t n);
void pk_v2_rtl_check_free(pk_v2_rtl_check_t *c);

/* The sizes of pk_par2's registers at cfg as pk_core2 instantiates it (its
 * SZ_* parameters: pk_v2_rtl_params' ADDR_BITS, AW, XW, YW, RA, WA, CA, WBW). */
void pk_v2_rtl_par2_dims(const pk_config_t *cfg, pk_par2_dims_t *d);

/* 0 when every field of the v2 descriptor desc (PK_DESC2_BYTES bytes) fits
 * its register of a sized pk_par2 at cfg (every PK_PAR2_FIELDS row but
 * UNREAD: pk_contract_par2_width bits), else 1 with the first field that does
 * not, its value and its register, in why[0 .. n-1]; pk_v2_rtl_supported
 * refuses such a layer (ARCHITECTURE.md V2-11.5 "Lean control, step 5"). */
int pk_v2_rtl_par2_fits(const pk_config_t *cfg, const uint8_t *desc, char *why, size_t n);

/* The most weight-buffer words one read-port beat of PB bytes completes in
 * one column (*per_col) and in all (*per_beat) for a unit of nc columns, ks
 * k-steps of wcb source bits a word, unit_bytes dense bytes of a full
 * n-tile of ct columns, and per column rw record words of rbits bits after
 * the weights at rec bytes a column (V2-3.2 "DRAM form"; the unit starts at
 * a beat boundary).  The loader's lanes: V2-11.6 "The weight buffer's write
 * port". */
void pk_v2_rtl_wbeat(int64_t pb, int64_t nc, int64_t ct, int64_t ks, int64_t wcb,
                     int64_t unit_bytes, int64_t rec, int64_t rw, int64_t rbits,
                     int64_t *per_col, int64_t *per_beat);

/* The same over one IS weight block (V2-11.4 item 8): nb units back to back
 * in one run, unit j at byte j * unit_total (descriptor field UNIT_TOTAL,
 * core/pk_v2_consts.h pk_v2_unit_total), the last of nc_last columns (the
 * others ct), so a beat may complete words of two units. */
void pk_v2_rtl_wbeat_block(int64_t pb, int64_t nb, int64_t unit_total, int64_t nc_last,
                           int64_t ct, int64_t ks, int64_t wcb, int64_t unit_bytes, int64_t rec,
                           int64_t rw, int64_t rbits, int64_t *per_col, int64_t *per_beat);

/* The loader's lanes a whole word may take (V2-11.6 "WFL"): 1 + the highest
 * place among its beat's words of a CONV weight word or a record word, over
 * nb units of one run as pk_v2_rtl_wbeat_block (WS: nb = 1); dw: the weight
 * words are depthwise codes (8 data bits, any lane), so only records count. */
int64_t pk_v2_rtl_wlanes(int64_t pb, int64_t nb, int64_t unit_total, int64_t nc_last, int64_t ct,
                         int64_t ks, int64_t wcb, int64_t unit_bytes, int64_t rec, int64_t rw,
                         int64_t rbits, int dw);

/* The walk behind the three above: out = {per_col, per_beat, the lanes of
 * pk_v2_rtl_wlanes before its floor of 1}. all = 0 walks one period of unit
 * starts (where a unit starts in a beat) and the last unit, as the three do;
 * all = 1 walks every unit (the reference the shortcut is tested against). */
void pk_v2_rtl_wwalk(int64_t pb, int64_t nb, int64_t unit_total, int64_t nc_last, int64_t ct,
                     int64_t ks, int64_t wcb, int64_t unit_bytes, int64_t rec, int64_t rw,
                     int64_t rbits, int dw, int all, int64_t out[3]);

#endif
