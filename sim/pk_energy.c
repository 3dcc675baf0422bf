/* pk_energy.c - event counts x energy table (rules in pk_energy.h). */
#include "pk_energy.h"

#include <string.h>

const char *pk_energy_kind_name(int k)
{
    static const char *const n[PK_EK_COUNT] = { "quantnorm", "residual", "requant", "act",
                                                "pool" };
    return k >= 0 && k < PK_EK_COUNT ? n[k] : NULL;
}

double pk_energy_add_pj(const pk_config_t *cfg, int bits)
{
    const pk_energy_t *t = &cfg->energy;
    if (bits <= 8)
        return t->int_add_8b_pj * bits / 8.0;
    return t->int_add_8b_pj + (t->int_add_32b_pj - t->int_add_8b_pj) * (bits - 8) / 24.0;
}

void pk_energy_layer(const pk_hwnet_t *hw, int i, const pk_counters_t *c, pk_energy_split_t *e)
{
    const pk_config_t *cfg = hw->cfg;
    const pk_hwlayer_t *h = &hw->layers[i];
    const pk_energy_t *t = &cfg->energy;
    const int A = cfg->precision.acc_bits, P = cfg->postproc.internal_bits;
    const double addP = pk_energy_add_pj(cfg, P);
    const uint64_t *v = c->v;
    memset(e, 0, sizeof *e);

    if (h->kind == PK_HW_CONV || h->kind == PK_HW_DW)
        e->mac = (double)v[PK_CNT_MACS] *
                 (pk_energy_mult_pj(cfg, h->w_bits, h->a_bits) + pk_energy_add_pj(cfg, A));
    e->ew[PK_EK_POOL] = (double)v[PK_CNT_POOL_OPS] * pk_energy_add_pj(cfg, A);

    double fmul = h->float_bits == 16 ? t->fp16_mult_pj : t->fp32_mult_pj;
    double fadd = h->float_bits == 16 ? t->fp16_add_pj : t->fp32_add_pj;
    double qn = h->float_norm ? fmul + fadd
                              : pk_energy_mult_pj(cfg, A, cfg->postproc.qn_mult_bits) + 2 * addP;
    double rq = h->float_scale ? fmul : pk_energy_mult_pj(cfg, P, cfg->postproc.dq_mant_bits) + addP;
    double act = 0;
    switch (h->act) {
    case PK_ACT_RELU: act = addP; break;
    case PK_ACT_CLIP: act = 2 * addP; break;
    case PK_ACT_PRELU:
    case PK_ACT_DPRELU: act = pk_energy_mult_pj(cfg, P, cfg->postproc.act_param_bits) + 2 * addP; break;
    case PK_ACT_RPRELU: act = pk_energy_mult_pj(cfg, P, cfg->postproc.act_param_bits) + 4 * addP; break;
    default: break;
    }
    double res = addP;
    if (h->float_out) { /* the chain after norm/scale stays float: float adds and compares */
        res = fadd;
        switch (h->act) {
        case PK_ACT_RELU: act = fadd; break;
        case PK_ACT_CLIP: act = 2 * fadd; break;
        case PK_ACT_PRELU:
        case PK_ACT_DPRELU: act = fmul + fadd; break;
        case PK_ACT_RPRELU: act = fmul + 3 * fadd; break;
        default: break;
        }
    }
    e->ew[PK_EK_QN] = (double)v[PK_CNT_QN_OPS] * qn;
    e->ew[PK_EK_RES] = (double)v[PK_CNT_RES_OPS] * res;
    e->ew[PK_EK_RQ] = (double)v[PK_CNT_RQ_OPS] * rq;
    e->ew[PK_EK_ACT] = (double)v[PK_CNT_ACT_OPS] * act;
    for (int k = 0; k < PK_EK_COUNT; k++)
        e->elementwise += e->ew[k];

    double wsc = cfg->d.word_bits / 64.0;
    e->sram = ((double)(v[PK_CNT_WBUF_RD] + v[PK_CNT_PBUF_RD]) * t->sram_read_64b_pj +
               (double)(v[PK_CNT_WBUF_WR] + v[PK_CNT_PBUF_WR]) * t->sram_write_64b_pj) * wsc +
              (double)v[PK_CNT_PARBUF_RD] * t->sram_read_64b_pj * 4.0 +
              (double)v[PK_CNT_PARBUF_WR] * t->sram_write_64b_pj * 4.0 +
              (double)v[PK_CNT_RESBUF_RD] * t->sram_read_64b_pj / 8.0 +
              (double)v[PK_CNT_RESBUF_WR] * t->sram_write_64b_pj / 8.0;
    e->dram = (double)(v[PK_CNT_DRAM_RD_BYTES] + v[PK_CNT_DRAM_WR_BYTES]) * t->dram_byte_pj;
    e->stat = (double)v[PK_CNT_CYCLES] * t->static_pj_per_cycle;
    e->total = e->mac + e->elementwise + e->sram + e->dram + e->stat;
}

void pk_energy_accumulate(pk_energy_split_t *a, const pk_energy_split_t *b)
{
    a->mac += b->mac;
    for (int k = 0; k < PK_EK_COUNT; k++)
        a->ew[k] += b->ew[k];
    a->elementwise += b->elementwise;
    a->sram += b->sram;
    a->dram += b->dram;
    a->stat += b->stat;
    a->total += b->total;
}
