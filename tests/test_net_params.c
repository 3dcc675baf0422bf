/* test_net_params.c - the generated parameters give sensible activations:
 * for every conv/fc layer of several zoo networks, outputs computed with the
 * generated weights and parameters through the QUANT.md chain (pk_quant.h)
 * on inputs drawn uniformly over the input code range (the generator's own
 * assumption) are neither all saturated nor all zero, and use several codes.
 * This is a statistical check of the gain rule, not of any network's
 * accuracy. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pk_net.h"
#include "pk_quant.h"

#define P_BITS 32

static int64_t draw_act(pk_rng_t *r, int bits, int is_signed)
{
    if (bits == 1)
        return (pk_rng_next(r) >> 63) ? 1 : -1;
    if (bits > 8)
        bits = 8;
    if (is_signed)
        return pk_rng_range(r, -(1 << (bits - 1)), (1 << (bits - 1)) - 1);
    return pk_rng_range(r, 0, (1 << bits) - 1);
}

static void check_net(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/networks/%s", PIKE_SOURCE_ROOT, file);
    pk_net_t *net;
    pk_error_t err = { 0 };
    cr_assert_eq(pk_net_load(path, &net, &err), 0, "%s: %s", file, err.msg);
    pk_rng_t r;
    pk_rng_seed(&r, 12345);
    int checked = 0;
    for (int li = 0; li < net->n_layers; li++) {
        const pk_layer_t *L = &net->layers[li];
        if ((L->op != PK_OP_CONV && L->op != PK_OP_FC) || pk_width_is_float(L->out_bits))
            continue;
        int32_t *w = malloc((size_t)L->n_weights * sizeof *w);
        pk_chan_params_t *cp = calloc((size_t)L->n_param_sets, sizeof *cp);
        pk_layer_params_t lp;
        cr_assert(w && cp);
        cr_assert_eq(pk_net_layer_weights(net, li, w, &err), 0);
        cr_assert_eq(pk_net_layer_params(net, li, NULL, cp, &lp, &err), 0);
        const int samples = 400;
        int hi_sat = 0, lo_sat = 0, pos = 0;
        unsigned char seen[256] = { 0 };
        int distinct = 0;
        uint32_t top = L->out_bits == 1 ? 1 : L->out_signed ? (1u << (L->out_bits - 1)) - 1
                                                             : (1u << L->out_bits) - 1;
        uint32_t bottom = L->out_signed && L->out_bits > 1 ? 1u << (L->out_bits - 1) : 0;
        for (int n = 0; n < samples; n++) {
            int oc = (int)pk_rng_range(&r, 0, L->out_c - 1);
            int64_t acc = 0;
            for (int64_t k = 0; k < L->K; k++)
                acc += (int64_t)w[(int64_t)oc * L->K + k] *
                       draw_act(&r, L->a_bits, L->a_signed);
            const pk_chan_params_t *p = &cp[L->quant == PK_QUANT_PER_CHANNEL ? oc : 0];
            int64_t t = acc;
            if (L->norm == PK_NORM_QUANTNORM)
                t = pk_q_quantnorm(t, p->m, p->b, p->s, P_BITS);
            if (L->scale == PK_SCALE_DQ)
                t = pk_q_requant(t, p->M, p->E, P_BITS);
            t = pk_q_act(t, (int)L->act, p->an, p->ap, p->g, p->z, lp.act_shift, L->clip_lo,
                         L->clip_hi, P_BITS);
            uint32_t code = pk_q_out_code(t, L->out_bits, L->out_signed);
            hi_sat += code == top;
            lo_sat += code == bottom;
            pos += code == 1;
            if (!seen[code & 255]) {
                seen[code & 255] = 1;
                distinct++;
            }
        }
        if (L->out_bits == 1) {
            cr_expect(pos > samples / 10 && pos < samples * 9 / 10,
                      "%s layer %s: %d of %d outputs +1", file, L->name, pos, samples);
        } else {
            cr_expect_lt(hi_sat, samples * 3 / 10, "%s layer %s: %d of %d at the top code",
                         file, L->name, hi_sat, samples);
            cr_expect_lt(lo_sat, samples * 8 / 10, "%s layer %s: %d of %d at the bottom code",
                         file, L->name, lo_sat, samples);
            cr_expect_geq(distinct, L->out_bits >= 4 ? 5 : 3, "%s layer %s: %d distinct codes",
                          file, L->name, distinct);
        }
        free(w);
        free(cp);
        checked++;
    }
    cr_expect_gt(checked, 0);
    pk_net_free(net);
}

Test(net_params, resnet18_w4a4) { check_net("resnet18_w4a4.yaml"); }
Test(net_params, resnet50_w8a8) { check_net("resnet50_w8a8.yaml"); }
Test(net_params, mobilenetv2_w4a4_prelu) { check_net("mobilenetv2_w4a4_prelu.yaml"); }
Test(net_params, pikelpn_1x) { check_net("pikelpn_1x.yaml"); }
Test(net_params, reactnet_a) { check_net("reactnet_a.yaml"); }
Test(net_params, pokebnn_1_0) { check_net("pokebnn_1_0.yaml"); }
