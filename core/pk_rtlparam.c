/* pk_rtlparam.c - the RTL parameters both tops share (see pk_rtlparam.h). */
#include "pk_rtlparam.h"

#include <string.h>

unsigned pk_rtl_modes(const pk_config_t *cfg)
{
    unsigned modes = 0;
    for (int i = 0; i < cfg->precision.weight_bits_count; i++)
        for (int j = 0; j < cfg->precision.act_bits_count; j++) {
            int w = cfg->precision.weight_bits[i], a = cfg->precision.act_bits[j];
            int m = w > a ? w : a, lg = 0;
            while ((1 << lg) < m)
                lg++;
            modes |= 1u << lg;
        }
    return modes;
}

static int put(pk_rtl_param_t *out, const pk_rtl_param_t *t, int n)
{
    memcpy(out, t, (size_t)n * sizeof t[0]);
    return n;
}

int pk_rtl_params_array(const pk_config_t *cfg, pk_rtl_param_t *out)
{
    const pk_derived_t *d = &cfg->d;
    const pk_rtl_param_t t[PK_RTL_ARRAY_PARAMS] = {
        {"ROWS", cfg->array.rows, 0, "array rows R (output pixels in parallel)"},
        {"COLS", cfg->array.cols, 0, "array columns C (output channels in parallel)"},
        {"LANES", cfg->array.lanes, 0, "lanes per PE V"},
        {"SLOT_BITS", d->slot_bits, 0, "lane width L = max of all widths"},
        {"MODES", pk_rtl_modes(cfg), 4, "bit i: mode m = 2^i (max(w, a) of a supported pair)"},
        {"WMASK", d->width_mask_w, 4, "bit i: weight width 2^i supported"},
        {"AMASK", d->width_mask_a, 4, "bit i: activation width 2^i supported"},
        {"ACC_BITS", cfg->precision.acc_bits, 0, "accumulator width"},
        {"P_BITS", cfg->postproc.internal_bits, 0, "post-processing internal width P"},
        {"PP_LANES", cfg->postproc.lanes, 0, "post-processing lanes PL"},
        {"QN_MULT_BITS", cfg->postproc.qn_mult_bits, 0, "QuantNorm multiplier m bits"},
        {"QN_BIAS_BITS", cfg->postproc.qn_bias_bits, 0, "QuantNorm bias b bits"},
        {"QN_SHIFT_BITS", cfg->postproc.qn_shift_bits, 0, "QuantNorm shift s bits"},
        {"DQ_MANT_BITS", cfg->postproc.dq_mant_bits, 0, "requant mantissa M bits"},
        {"DQ_EXP_BITS", cfg->postproc.dq_exp_bits, 0, "requant exponent E bits"},
        {"ACT_PARAM_BITS", cfg->postproc.act_param_bits, 0, "activation parameter bits"},
        {"ACT_SHIFT_BITS", cfg->postproc.act_shift_bits, 0, "activation shift bits"},
        {"ACT_MASK", d->act_mask, 6, "bit pk_act_t: activation supported"},
        {"RES_EN", cfg->postproc.residual, 0, "residual add present"},
        {"RES_SHIFT_BITS", cfg->postproc.residual_shift_bits, 0, "residual shift bits"},
        {"POOL_MASK", d->pool_mask, 3, "bit pk_pool_t: max, avg, global_avg"},
    };
    return put(out, t, PK_RTL_ARRAY_PARAMS);
}

int pk_rtl_params_port(const pk_config_t *cfg, pk_rtl_param_t *out)
{
    const pk_rtl_param_t t[PK_RTL_PORT_PARAMS] = {
        {"PORT_BYTES", cfg->offchip.bytes_per_cycle, 0, "off-chip port bytes per beat PB"},
        {"MEM_LATENCY", cfg->offchip.latency, 0,
         "off-chip latency LAT (v1: informational; v2: sizes the loader's request FIFO)"},
        {"ADDR_BITS", cfg->offchip.addr_bits, 0, "off-chip address bits"},
    };
    return put(out, t, PK_RTL_PORT_PARAMS);
}
