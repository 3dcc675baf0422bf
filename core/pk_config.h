/* pk_config.h - the hardware description: load, validate, derive.
 *
 * One YAML file (hw_configs/NAME.yaml, keys documented in docs/CONFIG.md) is
 * parsed with libcyaml, validated rule by rule, and turned into a plain
 * pk_config_t plus the constants derived from it (pk_derived_t).  This struct
 * is the single source of truth for the hardware: pikegen takes its RTL
 * parameters from it, pikesim its constants, pikecheck both.  Nothing else
 * may re-derive these numbers.
 *
 * Ownership: pk_config_load() allocates *out; release it with
 * pk_config_free().  A loaded config is immutable and self-contained (no
 * pointers into libcyaml memory), so it may be shared read-only.
 *
 * Errors: every failure fills err as "FILE:LINE: FIELD: message" where FIELD
 * is the YAML key path (e.g. "array.rows", "precision.weight_bits[2]") and
 * LINE is the line of that key (for a missing key the line of its parent
 * mapping; 0 for a missing top-level key and when the file itself is the
 * problem, e.g. missing or empty).  FIELD is "config" for whole-file
 * problems and "syntax" for YAML syntax errors.  Bad input (including a
 * missing file) returns PK_EINPUT (exit status 2); allocation PK_ENOMEM.
 * Rules and messages: docs/CONFIG.md; cases: tests/data/config/.
 */
#ifndef PK_CONFIG_H
#define PK_CONFIG_H

#include <stdint.h>

#include <jansson.h>

#include "pk_error.h"

/* Supported operand widths are powers of two 1, 2, 4, 8: bit i of a width
 * mask means width (1 << i) is supported. */
#define PK_WIDTH_MAX_COUNT 4

/* Activation functions of the post-processing unit; bit (1 << id) of
 * act_mask.  PK_ACT_NONE (identity) is always available. */
typedef enum pk_act {
    PK_ACT_NONE = 0,
    PK_ACT_RELU = 1,
    PK_ACT_CLIP = 2,
    PK_ACT_PRELU = 3,
    PK_ACT_DPRELU = 4,
    PK_ACT_RPRELU = 5,
    PK_ACT_COUNT = 6
} pk_act_t;

/* Pooling modes; bit (1 << id) of pool_mask.  The set may be empty. */
typedef enum pk_pool {
    PK_POOL_MAX = 0,
    PK_POOL_AVG = 1,
    PK_POOL_GLOBAL_AVG = 2,
    PK_POOL_COUNT = 3
} pk_pool_t;

typedef enum pk_fpga_family {
    PK_FPGA_GENERIC = 0,
    PK_FPGA_ICE40 = 1,
    PK_FPGA_XILINX = 2,
    PK_FPGA_ECP5 = 3
} pk_fpga_family_t;

/* Energy per event in picojoules (see docs/CONFIG.md for the defaults and
 * METRICS.md for their source).  Every field is filled after loading. */
typedef struct pk_energy {
    double int_add_32b_pj;
    double int_mult_32b_pj;
    double int_add_8b_pj;
    double int_mult_8b_pj;
    double fp16_add_pj;
    double fp16_mult_pj;
    double fp32_add_pj;
    double fp32_mult_pj;
    double mult_exponent;      /* multiplier energy scaling exponent */
    double sram_read_64b_pj;   /* per 64-bit on-chip buffer read */
    double sram_write_64b_pj;  /* per 64-bit on-chip buffer write */
    double dram_byte_pj;       /* per off-chip byte moved */
    double static_pj_per_cycle;
} pk_energy_t;

/* Constants derived once from the validated config (docs/ARCHITECTURE_V1.md). */
typedef struct pk_derived {
    int slot_bits;          /* L = max(all weight and act widths) */
    int word_bits;          /* array.lanes * L (multiple of 8) */
    int word_bytes;         /* word_bits / 8 */
    int64_t wbuf_depth;     /* buffers.weights / (cols * word_bytes): words per column per half */
    int64_t pbuf_depth;     /* buffers.activations / (rows * word_bytes): words per row per half */
    int64_t kc_max;         /* min(wbuf_depth, pbuf_depth): k-steps per chunk */
    int param_bytes;        /* 32: bytes per per-channel parameter record */
    int desc_bytes;         /* 64: bytes per layer descriptor */
    unsigned width_mask_w;  /* bit i: weight width 2^i supported */
    unsigned width_mask_a;  /* bit i: activation width 2^i supported */
    unsigned act_mask;      /* bit pk_act_t; PK_ACT_NONE always set */
    unsigned pool_mask;     /* bit pk_pool_t */
    int ppu_cycles_per_row; /* array.cols / postproc.lanes */
    int min_acc_bits;       /* max(w) + max(a) + ceil(log2(max_reduction)) */
} pk_derived_t;

typedef struct pk_config {
    char source[512];       /* path the config was loaded from (for messages) */
    char name[64];          /* [a-z0-9_-]+ */
    double clock_mhz;       /* > 0 */

    struct {
        int rows;           /* R [1, 256] */
        int cols;           /* C [1, 256] */
        int lanes;          /* V [1, 64] */
    } array;

    struct {
        int weight_bits[PK_WIDTH_MAX_COUNT]; /* ascending, no duplicates */
        int weight_bits_count;
        int act_bits[PK_WIDTH_MAX_COUNT];    /* ascending, no duplicates */
        int act_bits_count;
        int acc_bits;
        int64_t max_reduction;
        /* the narrowest weight width a depthwise layer may have (1, 2, 4,
         * 8; default 1): the depthwise widths are weight_bits from it up,
         * possibly none (pk_config_has_dw_wbits).  They set the v2
         * loader's weight lanes (ARCHITECTURE.md V2-11.6): a beat completes
         * 8 PB / w_bits depthwise codes */
        int min_depthwise_weight_bits;
    } precision;

    struct {
        int lanes;                  /* PL, divides array.cols */
        int internal_bits;          /* P [acc_bits, 40] */
        int qn_mult_bits;           /* [2, 16] */
        int qn_bias_bits;           /* [2, 32] */
        int qn_shift_bits;          /* [1, 6] */
        int dq_mant_bits;           /* [2, 16] */
        int dq_exp_bits;            /* [1, 6] */
        int act_param_bits;         /* [2, 16] */
        int act_shift_bits;         /* [1, 4]: 4-bit descriptor field */
        int residual;               /* 0 / 1 */
        int residual_shift_bits;    /* [1, 4]: 4-bit descriptor fields */
        /* activations / pooling: see pk_derived_t.act_mask / pool_mask */
    } postproc;

    struct {
        int64_t weights;            /* bytes per half */
        int64_t activations;        /* bytes per half */
    } buffers;

    struct {
        int bytes_per_cycle;        /* power of two [1, 64] */
        int latency;                /* [1, 1000] (ARCHITECTURE_V1.md: LAT >= 1) */
        int addr_bits;              /* [16, 32] (descriptor addresses are 32-bit) */
    } offchip;

    pk_energy_t energy;

    struct {
        pk_fpga_family_t family;
        char device[64];            /* "" for generic when not given */
        char package[32];           /* ice40 only, else "" */
        int uart_baud;              /* board UART rate (fpga.uart_baud, default PK_UART_BAUD) */
        int uart_div;               /* its clock cycles per bit: round(clock_mhz * 1e6 / baud) */
    } fpga;

    pk_derived_t d;                 /* derived constants */
} pk_config_t;

/* Parse, validate and derive.  On success *out is a new config (free with
 * pk_config_free) and 0 is returned; on failure *out is NULL, err is filled
 * and a negative PK_E* is returned. */
int pk_config_load(const char *path, pk_config_t **out, pk_error_t *err);

/* Release a config (NULL is a no-op). */
void pk_config_free(pk_config_t *cfg);

/* The derived constants (same as &cfg->d). */
const pk_derived_t *pk_config_derived(const pk_config_t *cfg);

/* 1 if weight width w_bits / activation width a_bits is supported. */
int pk_config_has_wbits(const pk_config_t *cfg, int w_bits);
/* 1 if a depthwise layer may have w_bits (a weight width >= precision.min_depthwise_weight_bits) */
int pk_config_has_dw_wbits(const pk_config_t *cfg, int w_bits);
int pk_config_has_abits(const pk_config_t *cfg, int a_bits);

/* How many operand pairs one lane slot of L bits holds at widths
 * (w_bits, a_bits): L / max(w_bits, a_bits).  Returns 0 if either width is
 * not supported by this config. */
int pk_pack_factor(const pk_config_t *cfg, int w_bits, int a_bits);

/* Peak MACs per cycle at (w_bits, a_bits):
 * rows * cols * lanes * pk_pack_factor(); 0 if unsupported. */
int64_t pk_peak_macs_per_cycle(const pk_config_t *cfg, int w_bits, int a_bits);

/* Energy of one b_w x b_a multiply, the rule documented in docs/CONFIG.md:
 *   int_mult_8b_pj * (b_w * b_a / 64) ^ (mult_exponent / 2)          */
double pk_energy_mult_pj(const pk_config_t *cfg, int w_bits, int a_bits);

/* Canonical names ("relu", "global_avg", "ice40", ...); NULL if out of range. */
const char *pk_act_name(int act);
const char *pk_pool_name(int pool);
const char *pk_fpga_family_name(int family);

/* JSON echo: {"config": {...every key as in the YAML, defaults filled...},
 * "derived": {...}}.  Every object is built in sorted key order, so the
 * same config dumps to the same bytes with or without JSON_SORT_KEYS.
 * *out is a new reference (json_decref it).  Returns 0 or PK_ENOMEM. */
int pk_config_to_json(const pk_config_t *cfg, json_t **out);

#endif
