/* pk_roofline.c - the roofline bound of one hardware layer (rules in pk_roofline.h).
 *
 * Everything is taken from the layer's geometry and widths and from the
 * config, never from the compiler's mapping or memory image (slot-form
 * weights, repeated per-tensor records, tiling): the bound has to stay the
 * same when the schedule or the layout improves, or the fraction reached
 * would measure nothing.
 */
#include "pk_roofline.h"
#include "pk_imath.h"

#include <string.h>

static int64_t tensor_bytes(const pk_hwnet_t *hw, int t)
{
    if (t < 0)
        return 0;
    const pk_tensor_t *x = &hw->tensors[t];
    return (int64_t)x->h * x->w * pk_cdiv((int64_t)x->c * x->bits, 8);
}

/* Ops per cycle at the layer's mode: VP products per PE (CONV), else one
 * element per PE row and channel of the Cd-wide channel tile. */
static int64_t peak_per_cycle(const pk_config_t *cfg, const pk_hwlayer_t *h)
{
    int wide = h->kind == PK_HW_CONV || h->kind == PK_HW_DW;
    int m = wide && h->w_bits > h->a_bits ? h->w_bits : h->a_bits;
    if (m < 1)
        return 0;
    int64_t vp = (int64_t)cfg->array.lanes * cfg->d.slot_bits / m;
    int64_t R = cfg->array.rows, C = cfg->array.cols;
    if (h->kind == PK_HW_CONV)
        return R * C * vp;
    return R * (C < vp ? C : vp);
}

void pk_roofline_layer(const pk_hwnet_t *hw, int i, pk_roofline_t *out)
{
    const pk_config_t *cfg = hw->cfg;
    const pk_hwlayer_t *h = &hw->layers[i];
    const int64_t outs = (int64_t)h->out_h * h->out_w * h->out_c;
    const int64_t taps = (int64_t)h->kh * h->kw;
    memset(out, 0, sizeof *out);

    int64_t n_weights = 0;
    if (h->kind == PK_HW_CONV) {
        out->ops = outs * h->K;
        n_weights = (int64_t)h->out_c * h->K;
    } else if (h->kind == PK_HW_DW) {
        out->ops = outs * taps;
        n_weights = (int64_t)h->out_c * taps;
    } else if (h->kind == PK_HW_EW) {
        out->ops = outs;
    } else {
        out->ops = outs * taps;
    }
    out->peak = peak_per_cycle(cfg, h);

    out->weight_bytes = pk_cdiv(n_weights * h->w_bits, 8);
    if (h->uses_params)
        out->param_bytes = cfg->d.param_bytes * (h->per_tensor ? 1 : (int64_t)h->out_c);
    out->input_bytes = tensor_bytes(hw, h->t_in);
    out->residual_bytes = tensor_bytes(hw, h->t_res);
    out->output_bytes = (int64_t)h->out_h * h->out_w * pk_cdiv((int64_t)h->out_c * h->out_bits, 8);
    out->compulsory_bytes = out->weight_bytes + out->param_bytes + out->input_bytes +
                            out->residual_bytes + out->output_bytes;

    out->compute_cycles = out->peak > 0 ? pk_cdiv(out->ops, out->peak) : 0; /* no compute unit: 0 */
    out->memory_cycles = pk_cdiv(out->compulsory_bytes, cfg->offchip.bytes_per_cycle);
    out->cycles = out->compute_cycles > out->memory_cycles ? out->compute_cycles
                                                           : out->memory_cycles;
}

void pk_roofline_add(pk_roofline_t *a, const pk_roofline_t *b)
{
    a->peak = a->peak == b->peak ? a->peak : 0;
    a->ops += b->ops;
    a->weight_bytes += b->weight_bytes;
    a->param_bytes += b->param_bytes;
    a->input_bytes += b->input_bytes;
    a->residual_bytes += b->residual_bytes;
    a->output_bytes += b->output_bytes;
    a->compulsory_bytes += b->compulsory_bytes;
    a->compute_cycles += b->compute_cycles;
    a->memory_cycles += b->memory_cycles;
    a->cycles += b->cycles;
}

void pk_roofline_scale(pk_roofline_t *a, int64_t k)
{
    a->ops *= k;
    a->weight_bytes *= k;
    a->param_bytes *= k;
    a->input_bytes *= k;
    a->residual_bytes *= k;
    a->output_bytes *= k;
    a->compulsory_bytes *= k;
    a->compute_cycles *= k;
    a->memory_cycles *= k;
    a->cycles *= k;
}

int pk_roofline_memory_bound(const pk_roofline_t *r)
{
    return r->memory_cycles > r->compute_cycles;
}
