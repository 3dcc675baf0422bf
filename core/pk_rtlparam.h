/* pk_rtlparam.h - the RTL parameters both tops share (v1 pk_core and v2
 * pk_core2): the array's and the post-processing unit's widths and masks,
 * and the off-chip port's.  One row each, written once: pikegen's v1 table
 * (gen/pk_gen.c pk_gen_params) and pk_core2's (core/pk_v2_rtl.c
 * pk_v2_rtl_params) both take their shared rows from here.
 */
#ifndef PK_RTLPARAM_H
#define PK_RTLPARAM_H

#include <stdint.h>

#include "pk_config.h"

/* One RTL parameter: name, value, Verilog width (0: an unsized decimal;
 * > 0: a sized binary literal of that many bits) and one line saying what
 * it is (the comment of pike_top.v and the manifest's entry). */
typedef struct pk_rtl_param {
    const char *name;
    int64_t value;
    int width;
    const char *what;
} pk_rtl_param_t;

/* Rows of pk_rtl_params_array() and pk_rtl_params_port(). */
#define PK_RTL_ARRAY_PARAMS 21
#define PK_RTL_PORT_PARAMS 3

/* MODES: bit log2 m set for each mode m = max(w, a) of a supported (w, a). */
unsigned pk_rtl_modes(const pk_config_t *cfg);

/* The array's and post-processing's rows (ROWS .. POOL_MASK), in both tops'
 * declaration order, into out[0 .. PK_RTL_ARRAY_PARAMS - 1]; returns the count. */
int pk_rtl_params_array(const pk_config_t *cfg, pk_rtl_param_t *out);

/* The off-chip port's rows (PORT_BYTES, MEM_LATENCY, ADDR_BITS) into
 * out[0 .. PK_RTL_PORT_PARAMS - 1]; returns the count. */
int pk_rtl_params_port(const pk_config_t *cfg, pk_rtl_param_t *out);

#endif
