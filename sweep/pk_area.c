/* pk_area.c - the fitted area model (pk_area.h).
 *
 * Why these features: pk_dot builds, per PE, one multiplier set per
 * supported mode m (union of weight and activation widths, m <= L): V*L/m
 * slots of (m+1) x (m+1)-bit signed products (f1), summed by a balanced
 * adder tree of 2m-bit terms, about V*L bits of adders per mode, and each PE
 * keeps an acc_bits accumulator (f2, one feature: adders and registers cost
 * about the same per bit).  The post-processing unit is replicated per lane
 * (f3), PReLU-class activations add a multiplier per lane (f4).  Everything
 * else (controller, DMA engines, register file, counters, the row and column
 * word paths, which the data show to be small) is the constant f0.  Five
 * coefficients, so that a dozen synthesized configs over-determine them.
 *
 * v2 (pk_core2) has the same features and its own coefficients (pk_area_coef_v2.h).
 * Two v2-specific variants fitted its 15 configs worse on the held-out ones
 * (docs/SWEEP.md, "Area model, v2"): f1 as pk_dot_planes' bit-plane adders
 * (R*C * V*L * the widest mode) and a word-path term (R + C) * V*L for v2's
 * ring and weight lanes.
 */
#include "pk_area.h"

#include "pk_area_coef_v1.h"
#include "pk_area_coef_v2.h"

static int slot_bits(unsigned mask)
{
    int l = 1;
    for (int i = 0; i < 4; i++)
        if (mask & (1u << i))
            l = 1 << i;
    return l;
}

void pk_area_in_from_config(const pk_config_t *cfg, int arch, pk_area_in_t *in)
{
    in->arch = arch == 1 ? 1 : 2;
    const pk_derived_t *d = pk_config_derived(cfg);
    in->rows = cfg->array.rows;
    in->cols = cfg->array.cols;
    in->lanes = cfg->array.lanes;
    in->wmask = d->width_mask_w;
    in->amask = d->width_mask_a;
    in->acc_bits = cfg->precision.acc_bits;
    in->pplanes = cfg->postproc.lanes;
    in->prelu = (d->act_mask & ((1u << PK_ACT_PRELU) | (1u << PK_ACT_DPRELU) |
                                (1u << PK_ACT_RPRELU))) != 0;
}

void pk_area_features(const pk_area_in_t *in, double f[PK_AREA_NFEAT])
{
    unsigned modes = in->wmask | in->amask;
    int L = slot_bits(modes), n_modes = 0;
    double pes = (double)in->rows * in->cols, vl = (double)in->lanes * L, mult = 0;
    for (int i = 0; i < 4; i++) {
        int m = 1 << i;
        if (!(modes & (1u << i)) || m > L)
            continue;
        n_modes++;
        mult += vl / m * (m + 1) * (m + 1);
    }
    f[0] = 1;
    f[1] = pes * mult;
    f[2] = pes * (vl * n_modes + in->acc_bits);
    f[3] = in->pplanes;
    f[4] = in->prelu ? in->pplanes : 0;
}

static const double *coef_of(int arch)
{
    return arch == 1 ? PK_AREA_COEF_V1 : PK_AREA_COEF_V2;
}

double pk_area_estimate(const pk_area_in_t *in)
{
    double f[PK_AREA_NFEAT], s = 0;
    const double *c = coef_of(in->arch);
    pk_area_features(in, f);
    for (int i = 0; i < PK_AREA_NFEAT; i++)
        s += c[i] * f[i];
    return s;
}

int64_t pk_area_ram_bits(const pk_config_t *cfg)
{
    return 2 * 8 * (cfg->buffers.weights + cfg->buffers.activations);
}
