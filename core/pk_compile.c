/* pk_compile.c - network -> hardware layers, descriptors, memory image.
 *
 * Design: one pass over the network in topological order.  Each network
 * layer is checked against the config (with the network file's line in every
 * message), lowered to one hardware layer (plus an inserted requantization
 * layer when a conv/fc consumes its input at fewer bits than it is stored;
 * a grouped conv to one CONV layer per group, each reading an input channel
 * slice and writing an output channel slice, as concat's producers do),
 * and given its mapping constants (ARCHITECTURE_V1.md section 6).  A second pass
 * lays out the memory image: descriptors first, then per layer its parameter
 * records and slot-form weights, then every tensor, each region aligned to 64
 * bytes.  Data (weights, parameters) is drawn from pk_net's seeded generator
 * only when asked, so the timing-only path stays cheap.
 */
#include "pk_compile.h"

#include <stdlib.h>
#include <string.h>

#include "pk_quant.h"
#include "pk_imath.h"

static uint64_t align64(uint64_t v)
{
    return (v + 63) & ~(uint64_t)63;
}

static int log2w(int b)
{
    return b == 1 ? 0 : b == 2 ? 1 : b == 4 ? 2 : 3;
}

const char *pk_hwkind_name(pk_hwkind_t k)
{
    size_t n;
    const pk_kind_row_t *r = pk_contract_kinds(&n);
    for (size_t i = 0; i < n; i++)
        if (r[i].code == (int)k)
            return r[i].name;
    return "?";
}

/* A width mode m exists in hardware when some supported (w, a) pair has
 * max(w, a) == m (section 4). */
static int mode_ok(const pk_config_t *cfg, int m)
{
    for (int i = 0; i < cfg->precision.weight_bits_count; i++)
        for (int j = 0; j < cfg->precision.act_bits_count; j++) {
            int w = cfg->precision.weight_bits[i], a = cfg->precision.act_bits[j];
            if ((w > a ? w : a) == m)
                return 1;
        }
    return 0;
}

static int lerr(const pk_net_t *net, const pk_layer_t *L, pk_error_t *err, const char *msg)
{
    char field[PK_NET_MAX_NAME + 16];
    snprintf(field, sizeof field, "layer %s", L->name);
    return pk_error_set(err, PK_EINPUT, net->source, L->line, field, "%s", msg);
}

#define LERR(...)                                                                                  \
    do {                                                                                           \
        char m_[512];                                                                              \
        snprintf(m_, sizeof m_, __VA_ARGS__);                                                      \
        return lerr(net, L, err, m_);                                                              \
    } while (0)

static const char *widths_list(const int *v, int n, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%d", i ? ", " : "", v[i]);
    return buf;
}

static int check_abits(const pk_net_t *net, const pk_layer_t *L, const pk_config_t *cfg,
                       int b, const char *what, pk_error_t *err)
{
    char wl[64];
    if (pk_width_is_float(b))
        LERR("%s is float (%d bits): Pike hardware runs integer widths 1, 2, 4, 8 only", what, b);
    if (!pk_config_has_abits(cfg, b))
        LERR("%s of %d bits is not supported by config '%s' (act_bits: %s)", what, b, cfg->name,
             widths_list(cfg->precision.act_bits, cfg->precision.act_bits_count, wl, sizeof wl));
    return 0;
}

static int check_act(const pk_net_t *net, const pk_layer_t *L, const pk_config_t *cfg, int act,
                     pk_error_t *err)
{
    if (!(cfg->d.act_mask & (1u << act)))
        LERR("activation '%s' is not in config '%s' (postproc.activations)", pk_act_name(act),
             cfg->name);
    return 0;
}

/* Width of descriptor field f, and the largest value it holds (pk_contract.def). */
static int field_bits(int f)
{
    size_t n;
    return pk_contract_desc_fields(&n)[f].width;
}

static int field_max(int f)
{
    return (int)((1u << field_bits(f)) - 1u);
}

static int check_fields(const pk_net_t *net, const pk_layer_t *L, const pk_hwlayer_t *h,
                        pk_error_t *err)
{
    int dims[6] = { h->in_h, h->in_w, h->in_c, h->out_h, h->out_w, h->out_c };
    for (int i = 0; i < 6; i++)
        if (dims[i] > field_max(PK_DF_IN_H))
            LERR("a dimension of %d exceeds the descriptor's %d-bit field (max %d)", dims[i],
                 field_bits(PK_DF_IN_H), field_max(PK_DF_IN_H));
    if (h->kh > field_max(PK_DF_KH) || h->kw > field_max(PK_DF_KW))
        LERR("kernel %dx%d exceeds the descriptor's %d-bit field (max %d)", h->kh, h->kw,
             field_bits(PK_DF_KH), field_max(PK_DF_KH));
    if (h->stride > field_max(PK_DF_STRIDE) || h->pad > field_max(PK_DF_PAD) ||
        h->stride_w > field_max(PK_DF_STRIDE_W) || h->pad_l > field_max(PK_DF_PAD_LEFT))
        LERR("stride %dx%d / padding top %d left %d exceed the descriptor's %d-bit fields (max %d)",
             h->stride, h->stride_w, h->pad, h->pad_l, field_bits(PK_DF_STRIDE),
             field_max(PK_DF_STRIDE));
    if (h->in_c_total > field_max(PK_DF_IN_C_TOTAL))
        LERR("an input of %d channels exceeds the descriptor's %d-bit in_c_total", h->in_c_total,
             field_bits(PK_DF_IN_C_TOTAL));
    if (h->a_shift > field_max(PK_DF_A_SHIFT) || h->r_shift > field_max(PK_DF_R_SHIFT) ||
        h->act_shift > field_max(PK_DF_ACT_SHIFT))
        LERR("a shift exceeds the descriptor's %d-bit field (max %d)", field_bits(PK_DF_A_SHIFT),
             field_max(PK_DF_A_SHIFT));
    return 0;
}

/* Mapping constants of section 6. */
static void map_layer(const pk_config_t *cfg, pk_hwlayer_t *h)
{
    int C = cfg->array.cols, V = cfg->array.lanes, Lb = cfg->d.slot_bits;
    h->vp = V * Lb / h->mode;
    h->ct = h->kind == PK_HW_CONV ? C : (C < h->vp ? C : h->vp);
    h->M = (int64_t)h->out_h * h->out_w;
    h->Mt = pk_cdiv(h->M, cfg->array.rows);
    h->Nt = pk_cdiv(h->out_c, h->ct);
    h->J = h->kind == PK_HW_CONV ? pk_cdiv(h->in_c, h->vp) : 1;
    h->Ks = h->kind == PK_HW_EW ? 1 : (int64_t)h->kh * h->kw * h->J;
    h->Kc = pk_cdiv(h->Ks, cfg->d.kc_max);
    h->uses_params = h->qn_en || h->rq_en || h->act == PK_ACT_PRELU || h->act == PK_ACT_DPRELU ||
                     h->act == PK_ACT_RPRELU;
    h->n_records = h->uses_params ? h->out_c : 0;
    h->w_image_bytes = (h->kind == PK_HW_CONV || h->kind == PK_HW_DW)
                           ? h->Nt * h->Ks * C * cfg->d.word_bytes
                           : 0;
}

static void set_tensor(pk_tensor_t *t, int h, int w, int c, int bits, int sg)
{
    memset(t, 0, sizeof *t);
    t->h = h;
    t->w = w;
    t->c = c;
    t->bits = bits;
    t->is_signed = bits == 1 ? 1 : sg;
    t->ps = (uint32_t)pk_cdiv((int64_t)c * bits, 8);
    t->bytes = (int64_t)h * w * t->ps;
    t->parent = -1;
}

/* add / mul (EW): operand A at the output pixel, operand B from tensor t_res
 * (mul: the 1 x 1 x c vector, descriptor res_mul, QUANT.md "Channel-wise
 * multiply": B's value is QuantNorm's multiplier, so qn_en). */
static int lower_ew(const pk_hwnet_t *hw, const pk_layer_t *L, const pk_layer_t *O, int t_res,
                    const pk_layer_params_t *lp, pk_hwlayer_t *h, pk_error_t *err)
{
    const pk_net_t *net = &hw->inet;
    const pk_config_t *cfg = hw->cfg;
    const int mul = L->op == PK_OP_MUL;
    int rc;
    if (!cfg->postproc.residual)
        LERR("%s needs the residual unit, which config '%s' lacks (postproc.residual)",
             pk_op_name(L->op), cfg->name);
    if ((rc = check_abits(net, L, cfg, h->a_bits, "operand A width", err)))
        return rc;
    const pk_tensor_t *tr = &hw->tensors[t_res];
    if ((rc = check_abits(net, L, cfg, tr->bits, "operand B width", err)))
        return rc;
    h->kind = PK_HW_EW;
    h->mode = h->a_bits;
    if (!mode_ok(cfg, h->mode))
        LERR("width mode %d is not built into config '%s'", h->mode, cfg->name);
    h->r_bits = tr->bits;
    h->r_signed = tr->is_signed;
    h->res_en = 1;
    h->rq_en = L->scale != PK_SCALE_NONE;
    h->float_scale = O->scale == PK_SCALE_FLOAT;
    h->kh = h->kw = 1;
    h->stride = h->stride_w = 1;
    h->pad = h->pad_l = 0;
    h->a_shift = lp->a_shift;
    h->r_shift = lp->r_shift;
    if (mul) {
        /* B's values must be QuantNorm multipliers: signed bits of the range */
        int need = tr->bits == 1 ? 2 : tr->bits + !tr->is_signed;
        if (need > cfg->postproc.qn_mult_bits)
            LERR("operand B (%d-bit %s) does not fit the QuantNorm multiplier of config '%s' "
                 "(postproc.qn_mult_bits %d, needs %d)", tr->bits,
                 tr->is_signed ? "signed" : "unsigned", cfg->name, cfg->postproc.qn_mult_bits,
                 need);
        h->res_mul = 1;
        h->qn_en = 1;
        h->a_shift = h->r_shift = 0;
    }
    return check_act(net, L, cfg, h->act, err);
}

/* Group g of the n_groups of a grouped conv: input channel slice g (byte
 * aligned), out_c / n_groups output channels (section 5, word 13). */
static int lower_group(const pk_net_t *net, const pk_layer_t *L, int g, int n_groups,
                       pk_hwlayer_t *h, pk_error_t *err)
{
    if (n_groups == 1)
        return 0;
    snprintf(h->name, sizeof h->name, "%s.g%d", L->name, g);
    h->group = g;
    h->n_groups = n_groups;
    h->in_c_total = h->in_c;
    h->in_c /= n_groups;
    h->in_c_base = g * h->in_c;
    h->out_c /= n_groups;
    if ((int64_t)h->in_c * h->a_bits % 8 != 0)
        LERR("grouped conv (groups %d): an input group of %d channels x %d bits is not a whole "
             "number of bytes, so group slices cannot be addressed", n_groups, h->in_c, h->a_bits);
    if ((int64_t)h->out_c * h->out_bits % 8 != 0)
        LERR("grouped conv (groups %d): an output group of %d channels x %d bits is not a whole "
             "number of bytes, so group slices cannot be written", n_groups, h->out_c,
             h->out_bits);
    return 0;
}

/* Lower network layer li (after its optional requant layer); group g of
 * n_groups (1 unless a grouped conv). */
static int lower(pk_hwnet_t *hw, int li, int g, int n_groups, int t_in, int t_res,
                 pk_hwlayer_t *h, pk_error_t *err)
{
    const pk_net_t *net = &hw->inet;
    const pk_layer_t *O = &hw->net->layers[li]; /* as loaded (float flags) */
    const pk_config_t *cfg = hw->cfg;
    const pk_layer_t *L = &net->layers[li];
    const pk_tensor_t *ti = &hw->tensors[t_in];
    char wl[64];

    memset(h, 0, sizeof *h);
    snprintf(h->name, sizeof h->name, "%s", L->name);
    h->net_layer = li;
    h->t_in = t_in;
    h->t_res = t_res;
    h->a_bits = ti->bits;
    h->a_signed = ti->is_signed;
    h->in_h = ti->h;
    h->in_w = ti->w;
    h->in_c = ti->c;
    h->out_h = L->out_h;
    h->out_w = L->out_w;
    h->out_c = L->out_c;
    h->kh = L->kh;
    h->kw = L->kw;
    h->stride = L->sh;
    h->pad = L->pad_t;
    h->stride_w = L->sw;
    h->pad_l = L->pad_l;
    h->n_groups = 1;
    h->act = L->act;
    h->round = L->rounding;
    h->in_zp = L->in_zero_point;
    h->clip_lo = L->clip_lo;
    h->clip_hi = L->clip_hi;
    h->per_tensor = L->quant == PK_QUANT_PER_TENSOR;
    h->float_bits = L->float_bits;
    h->float_out = pk_width_is_float(O->out_bits);

    if (pk_width_is_float(L->out_bits))
        LERR("out_bits %d is float: Pike hardware writes integer widths 1, 2, 4, 8 only",
             L->out_bits);
    h->out_bits = L->out_bits;
    h->out_signed = L->out_signed;

    pk_layer_params_t lp;
    int rc = pk_net_gen_params(net, li, cfg, NULL, &lp, err);
    if (rc)
        return rc;
    h->act_shift = lp.act_shift;

    switch (L->op) {
    case PK_OP_CONV:
    case PK_OP_FC: {
        if ((rc = check_abits(net, L, cfg, h->a_bits, "a_bits", err)))
            return rc;
        if (pk_width_is_float(L->w_bits))
            LERR("w_bits %d is float: Pike hardware runs integer widths 1, 2, 4, 8 only",
                 L->w_bits);
        if (!pk_config_has_wbits(cfg, L->w_bits))
            LERR("w_bits %d is not supported by config '%s' (weight_bits: %s)", L->w_bits,
                 cfg->name,
                 widths_list(cfg->precision.weight_bits, cfg->precision.weight_bits_count, wl,
                             sizeof wl));
        h->w_bits = L->w_bits;
        h->mode = h->w_bits > h->a_bits ? h->w_bits : h->a_bits;
        if (!mode_ok(cfg, h->mode))
            LERR("width mode %d (w%d a%d) is not built into config '%s'", h->mode, h->w_bits,
                 h->a_bits, cfg->name);
        if (L->op == PK_OP_FC) {
            /* flatten: the input tensor read as one pixel of h*w*c channels,
             * which is the same byte string only if pixels have no padding */
            if ((int64_t)ti->c * ti->bits % 8 != 0 && (ti->h > 1 || ti->w > 1))
                LERR("fc input pixels of %d x %d bits are not byte-aligned, so the tensor "
                     "cannot be read flattened", ti->c, ti->bits);
            int64_t n = (int64_t)ti->h * ti->w * ti->c;
            if (n > field_max(PK_DF_IN_C))
                LERR("fc input of %lld features exceeds the descriptor's %d-bit in_c",
                     (long long)n, field_bits(PK_DF_IN_C));
            h->in_h = h->in_w = 1;
            h->in_c = (int)n;
            h->kh = h->kw = 1;
            h->stride = h->stride_w = 1;
            h->pad = h->pad_l = 0;
            h->kind = PK_HW_CONV;
        } else if (L->depthwise) {
            if (!pk_config_has_dw_wbits(cfg, L->w_bits))
                LERR("w_bits %d of a depthwise layer is not supported by config '%s' "
                     "(min_depthwise_weight_bits: %d)",
                     L->w_bits, cfg->name, cfg->precision.min_depthwise_weight_bits);
            h->kind = PK_HW_DW;
        } else {
            h->kind = PK_HW_CONV;
            if ((rc = lower_group(net, L, g, n_groups, h, err)))
                return rc;
        }
        h->qn_en = L->norm != PK_NORM_NONE;
        h->rq_en = L->scale != PK_SCALE_NONE;
        h->float_norm = O->norm == PK_NORM_FLOAT_BN;
        h->float_scale = O->scale == PK_SCALE_FLOAT;
        if ((rc = check_act(net, L, cfg, h->act, err)))
            return rc;
        break;
    }
    case PK_OP_MAXPOOL:
    case PK_OP_AVGPOOL:
    case PK_OP_GLOBAL_AVGPOOL: {
        int pm = L->op == PK_OP_MAXPOOL ? PK_POOL_MAX
                 : L->op == PK_OP_AVGPOOL ? PK_POOL_AVG : PK_POOL_GLOBAL_AVG;
        if (!(cfg->d.pool_mask & (1u << pm)))
            LERR("pooling '%s' is not in config '%s' (postproc.pooling)", pk_pool_name(pm),
                 cfg->name);
        if ((rc = check_abits(net, L, cfg, h->a_bits, "input width", err)))
            return rc;
        h->mode = h->a_bits;
        if (!mode_ok(cfg, h->mode))
            LERR("width mode %d is not built into config '%s'", h->mode, cfg->name);
        if (L->op == PK_OP_MAXPOOL) {
            h->kind = PK_HW_POOLMAX;
        } else {
            h->kind = PK_HW_POOLSUM;
            h->qn_en = L->norm == PK_NORM_QUANTNORM;
            h->rq_en = 1;
            h->per_tensor = 1;
        }
        if (L->op == PK_OP_GLOBAL_AVGPOOL) {
            h->stride = h->stride_w = 1;
            h->pad = h->pad_l = 0;
        }
        h->act = PK_ACT_NONE;
        break;
    }
    case PK_OP_ADD:
    case PK_OP_MUL:
        if ((rc = lower_ew(hw, L, O, t_res, &lp, h, err)))
            return rc;
        break;
    default:
        LERR("op %s cannot be mapped", pk_op_name(L->op));
    }
    if (h->kind != PK_HW_EW) {
        int64_t K = h->kind == PK_HW_CONV ? (int64_t)h->kh * h->kw * h->in_c
                                          : (int64_t)h->kh * h->kw;
        if (K > cfg->precision.max_reduction)
            LERR("reduction length K = %lld exceeds precision.max_reduction = %lld of config "
                 "'%s'", (long long)K, (long long)cfg->precision.max_reduction, cfg->name);
        h->K = K;
    } else {
        h->K = 1;
    }
    if ((rc = check_fields(net, L, h, err)))
        return rc;
    map_layer(cfg, h);
    return 0;
}

/* The inserted requantization (EW) of layer li's input to a_bits. */
static int lower_requant(pk_hwnet_t *hw, int li, int t_in, pk_hwlayer_t *h, pk_error_t *err)
{
    const pk_net_t *net = &hw->inet;
    const pk_config_t *cfg = hw->cfg;
    const pk_layer_t *L = &net->layers[li];
    const pk_tensor_t *ti = &hw->tensors[t_in];
    int rc;

    memset(h, 0, sizeof *h);
    snprintf(h->name, sizeof h->name, "%s.req", L->name);
    h->net_layer = li;
    h->is_requant = 1;
    h->kind = PK_HW_EW;
    h->round = L->rounding; /* the layer's rounding covers its input requant */
    h->t_in = t_in;
    h->t_res = -1;
    if ((rc = check_abits(net, L, cfg, ti->bits, "input tensor width", err)))
        return rc;
    if ((rc = check_abits(net, L, cfg, L->a_bits, "a_bits", err)))
        return rc;
    h->a_bits = ti->bits;
    h->a_signed = ti->is_signed;
    h->in_h = h->out_h = ti->h;
    h->in_w = h->out_w = ti->w;
    h->in_c = h->out_c = ti->c;
    h->kh = h->kw = h->stride = h->stride_w = h->n_groups = 1;
    h->out_bits = L->a_bits;
    h->out_signed = L->a_signed;
    h->mode = h->a_bits;
    if (!mode_ok(cfg, h->mode))
        LERR("width mode %d is not built into config '%s'", h->mode, cfg->name);
    h->rq_en = L->a_bits > 1; /* keep the top a_bits; sign() needs no scaling */
    /* a float input quantized on the way in: a float scale */
    int pin = hw->net->layers[li].input[0];
    h->float_scale = h->rq_en && pk_width_is_float(pin == PK_NET_INPUT ? hw->net->in_bits
                                                                       : hw->net->layers[pin].out_bits);
    h->float_bits = L->float_bits;
    h->per_tensor = 1;
    h->act = PK_ACT_NONE;
    h->clip_lo = -32768;
    h->clip_hi = 32767;
    h->K = 1;
    if ((rc = check_fields(net, L, h, err)))
        return rc;
    map_layer(cfg, h);
    return 0;
}

static int load_data(pk_hwnet_t *hw, pk_hwlayer_t *h, pk_error_t *err)
{
    const pk_net_t *net = &hw->inet;
    const pk_layer_t *L = &net->layers[h->net_layer];
    if (h->is_requant) {
        h->n_param_sets = 1;
        h->params = calloc(1, sizeof *h->params);
        if (!h->params)
            return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
        h->params->m = 1;
        h->params->M = 1;
        h->params->E = h->rq_en ? hw->tensors[h->t_in].bits - h->out_bits : 0;
        return 0;
    }
    h->n_param_sets = L->n_param_sets;
    h->params = calloc((size_t)L->n_param_sets, sizeof *h->params);
    if (!h->params)
        return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
    /* The network's .npy files when it names them, else the seeded generator. */
    int rc = pk_net_layer_params(net, h->net_layer, hw->cfg, h->params, NULL, err);
    if (rc)
        return rc;
    if (h->n_groups > 1 && h->n_param_sets > 1) { /* group g: its out_c records */
        memmove(h->params, h->params + (int64_t)h->group * h->out_c,
                (size_t)h->out_c * sizeof *h->params);
        h->n_param_sets = h->out_c;
    }
    if (h->kind == PK_HW_CONV || h->kind == PK_HW_DW) {
        int32_t *tmp = malloc((size_t)L->n_weights * sizeof *tmp);
        h->weights = malloc((size_t)L->n_weights);
        if (!tmp || !h->weights) {
            free(tmp);
            return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
        }
        rc = pk_net_layer_weights(net, h->net_layer, tmp, err);
        for (int64_t i = 0; i < L->n_weights && !rc; i++) {
            if (tmp[i] < -128 || tmp[i] > 127)
                rc = pk_error_set(err, PK_EINTERNAL, net->source, L->line, h->name,
                                  "generated weight %d does not fit 8 bits", tmp[i]);
            h->weights[i] = (int8_t)tmp[i];
        }
        free(tmp);
        if (rc)
            return rc;
        if (h->n_groups > 1) { /* group g: its out_c output channels' weights */
            int64_t per = L->n_weights / L->out_c * h->out_c;
            memmove(h->weights, h->weights + h->group * per, (size_t)per);
        }
    }
    return 0;
}

/* The integerized copy of the network (see pk_compile.h, "Float"). */
static int integerize(pk_hwnet_t *hw, pk_error_t *err)
{
    const pk_net_t *net = hw->net;
    hw->inet = *net;
    hw->inet.layers = malloc(sizeof(pk_layer_t) * (size_t)(net->n_layers ? net->n_layers : 1));
    if (!hw->inet.layers)
        return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
    memcpy(hw->inet.layers, net->layers, sizeof(pk_layer_t) * (size_t)net->n_layers);
    if (pk_width_is_float(hw->inet.in_bits)) {
        hw->inet.in_bits = 8;
        hw->inet.in_signed = 1;
    }
    for (int i = 0; i < net->n_layers; i++) {
        pk_layer_t *L = &hw->inet.layers[i];
        for (int k = 0; k < 2; k++)
            if (pk_width_is_float(L->in_bits[k])) {
                L->in_bits[k] = 8;
                L->in_signed[k] = 1;
            }
        if (pk_width_is_float(L->a_bits)) {
            L->a_bits = 8;
            L->a_signed = 1;
        }
        if (pk_width_is_float(L->w_bits))
            L->w_bits = 8;
        if (pk_width_is_float(L->out_bits)) {
            L->out_bits = 8;
            L->out_signed = 1;
            if (L->act != PK_ACT_CLIP) {
                L->clip_lo = -128;
                L->clip_hi = 127;
            }
        }
        if (L->norm == PK_NORM_FLOAT_BN)
            L->norm = PK_NORM_QUANTNORM;
        if (L->scale == PK_SCALE_FLOAT)
            L->scale = PK_SCALE_DQ;
    }
    return 0;
}

/* concat: both producers write slices of one new tensor. */
static int lower_concat(pk_hwnet_t *hw, int li, pk_error_t *err)
{
    const pk_net_t *net = &hw->inet;
    const pk_layer_t *L = &net->layers[li];
    int ts[2];
    for (int k = 0; k < 2; k++) {
        int src = L->input[k];
        if (src == PK_NET_INPUT)
            LERR("concat of the network input is not supported (its producer must write a slice)");
        int uses = 0;
        for (int j = 0; j < net->n_layers; j++)
            for (int q = 0; q < net->layers[j].n_inputs; q++)
                uses += net->layers[j].input[q] == src;
        if (uses != 1)
            LERR("concat input '%s' is also used by another layer (or twice); its producer "
                 "can write only one place", net->layers[src].name);
        if (net->layers[src].op == PK_OP_CONCAT)
            LERR("concat of a concat output ('%s') is not supported", net->layers[src].name);
        ts[k] = hw->net_out_tensor[src];
    }
    const pk_tensor_t *a = &hw->tensors[ts[0]], *b = &hw->tensors[ts[1]];
    if ((int64_t)a->c * a->bits % 8 != 0)
        LERR("concat: the second slice starts at channel %d, not byte-aligned at %d bits", a->c,
             a->bits);
    int t = hw->n_tensors++;
    set_tensor(&hw->tensors[t], a->h, a->w, a->c + b->c, a->bits, a->is_signed);
    for (int k = 0; k < 2; k++) {
        int base = k ? a->c : 0;
        /* a grouped conv's output: its group slices become slices of t */
        for (int j = 0; j < t; j++)
            if (hw->tensors[j].parent == ts[k]) {
                hw->tensors[j].parent = t;
                hw->tensors[j].ch_base += base;
            }
        hw->tensors[ts[k]].parent = t;
        hw->tensors[ts[k]].ch_base = base;
    }
    hw->net_out_tensor[li] = t;
    return 0;
}

/* Hardware layers (and new tensors) of network layer L: a grouped conv has
 * one per group, any conv / fc one more for an input requantization. */
static int64_t hw_layers_of(const pk_layer_t *L)
{
    return 1 + (L->op == PK_OP_CONV || L->op == PK_OP_FC) +
           (L->op == PK_OP_CONV && !L->depthwise ? L->groups - 1 : 0);
}

/* Lower conv/pool/add/fc layer li reading tensor tin (residual tres) into
 * hw->layers; a grouped conv writes slices of one new output tensor. */
static int lower_layer(pk_hwnet_t *hw, int li, int tin, int tres, pk_error_t *err)
{
    const pk_layer_t *L = &hw->inet.layers[li];
    int G = L->op == PK_OP_CONV && !L->depthwise ? L->groups : 1;
    int tg = -1;
    if (G > 1) {
        tg = hw->n_tensors++;
        set_tensor(&hw->tensors[tg], L->out_h, L->out_w, L->out_c, L->out_bits, L->out_signed);
    }
    for (int g = 0; g < G; g++) {
        pk_hwlayer_t *h = &hw->layers[hw->n_layers];
        int rc = lower(hw, li, g, G, tin, tres, h, err);
        if (rc)
            return rc;
        h->t_out = hw->n_tensors;
        set_tensor(&hw->tensors[hw->n_tensors++], h->out_h, h->out_w, h->out_c, h->out_bits,
                   h->out_signed);
        if (tg >= 0) {
            hw->tensors[h->t_out].parent = tg;
            hw->tensors[h->t_out].ch_base = g * h->out_c;
        }
        hw->n_layers++;
        hw->net_out_tensor[li] = tg >= 0 ? tg : h->t_out;
    }
    return 0;
}

int pk_compile(const pk_net_t *net, const pk_config_t *cfg, int with_data, pk_hwnet_t **out,
               pk_error_t *err)
{
    *out = NULL;
    int rc = 0;
    pk_hwnet_t *hw = calloc(1, sizeof *hw);
    if (!hw)
        return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
    hw->net = net;
    hw->cfg = cfg;
    hw->with_data = with_data;
    int64_t n_hw = 0;
    for (int li = 0; li < net->n_layers; li++)
        n_hw += hw_layers_of(&net->layers[li]);
    hw->layers = calloc((size_t)n_hw + 1, sizeof *hw->layers);
    hw->tensors = calloc((size_t)(n_hw + net->n_layers) + 2, sizeof *hw->tensors);
    hw->net_out_tensor = calloc((size_t)net->n_layers + 1, sizeof *hw->net_out_tensor);
    if (!hw->layers || !hw->tensors || !hw->net_out_tensor) {
        rc = pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
        goto done;
    }
    if ((rc = integerize(hw, err)))
        goto done;
    set_tensor(&hw->tensors[0], net->in_h, net->in_w, net->in_c, hw->inet.in_bits,
               hw->inet.in_signed);
    hw->n_tensors = 1;

    for (int li = 0; li < net->n_layers; li++) {
        const pk_layer_t *L = &hw->inet.layers[li];
        if (L->op == PK_OP_CONCAT) {
            if ((rc = lower_concat(hw, li, err)))
                goto done;
            continue;
        }
        int tin = L->input[0] == PK_NET_INPUT ? 0 : hw->net_out_tensor[L->input[0]];
        int tres = -1;
        if (L->n_inputs > 1)
            tres = L->input[1] == PK_NET_INPUT ? 0 : hw->net_out_tensor[L->input[1]];
        if ((L->op == PK_OP_CONV || L->op == PK_OP_FC) && L->a_bits < hw->tensors[tin].bits) {
            pk_hwlayer_t *q = &hw->layers[hw->n_layers];
            if ((rc = lower_requant(hw, li, tin, q, err)))
                goto done;
            q->t_out = hw->n_tensors;
            set_tensor(&hw->tensors[hw->n_tensors++], q->out_h, q->out_w, q->out_c, q->out_bits,
                       q->out_signed);
            hw->n_layers++;
            tin = q->t_out;
        }
        if ((rc = lower_layer(hw, li, tin, tres, err)))
            goto done;
    }

    /* memory image layout */
    uint64_t a = 0;
    hw->cmd_base = 0;
    a = align64((uint64_t)hw->n_layers * PK_DESC_BYTES);
    for (int i = 0; i < hw->n_layers; i++) {
        pk_hwlayer_t *h = &hw->layers[i];
        h->addr_param = (uint32_t)a;
        a = align64(a + (uint64_t)h->n_records * PK_PARAM_BYTES);
        h->addr_w = (uint32_t)a;
        a = align64(a + (uint64_t)h->w_image_bytes);
        if (a > UINT32_MAX)
            break;
    }
    for (int t = 0; t < hw->n_tensors && a <= UINT32_MAX; t++) {
        if (hw->tensors[t].parent >= 0)
            continue;
        hw->tensors[t].addr = (uint32_t)a;
        a = align64(a + (uint64_t)hw->tensors[t].bytes);
    }
    for (int t = 0; t < hw->n_tensors; t++)
        if (hw->tensors[t].parent >= 0)
            hw->tensors[t].addr = hw->tensors[hw->tensors[t].parent].addr;
    hw->image_bytes = a;
    if (a > ((uint64_t)1 << cfg->offchip.addr_bits)) {
        rc = pk_error_set(err, PK_EINPUT, net->source, 0, net->name,
                          "the memory image needs %llu bytes, more than the %d-bit address "
                          "space of config '%s' (offchip.addr_bits)",
                          (unsigned long long)a, cfg->offchip.addr_bits, cfg->name);
        goto done;
    }
    for (int i = 0; i < hw->n_layers; i++) {
        pk_hwlayer_t *h = &hw->layers[i];
        h->addr_in = hw->tensors[h->t_in].addr +
                      (uint32_t)((int64_t)h->in_c_base * h->a_bits / 8);
        h->addr_res = h->t_res >= 0 ? hw->tensors[h->t_res].addr : 0;
        h->addr_out = hw->tensors[h->t_out].addr;
        if (hw->tensors[h->t_out].parent >= 0) {
            h->out_c_total = hw->tensors[hw->tensors[h->t_out].parent].c;
            h->out_c_base = hw->tensors[h->t_out].ch_base;
        }
        if (!h->uses_params)
            h->addr_param = 0;
        if (!h->w_image_bytes)
            h->addr_w = 0;
        if (with_data && (rc = load_data(hw, h, err)))
            goto done;
    }
done:
    if (rc) {
        pk_hwnet_free(hw);
        return rc;
    }
    *out = hw;
    return 0;
}

void pk_hwnet_free(pk_hwnet_t *hw)
{
    if (!hw)
        return;
    for (int i = 0; hw->layers && i < hw->n_layers + 1; i++) {
        free(hw->layers[i].params);
        free(hw->layers[i].weights);
    }
    free(hw->layers);
    free(hw->inet.layers);
    free(hw->tensors);
    free(hw->net_out_tensor);
    free(hw);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void pk_compile_descriptor(const pk_hwnet_t *hw, int i, uint8_t out[PK_DESC_BYTES])
{
    const pk_hwlayer_t *h = &hw->layers[i];
    /* value of every field, in pk_contract.def order (fields not listed: 0) */
    const uint32_t v[PK_DF_COUNT] = {
        [PK_DF_KIND] = (uint32_t)h->kind,
        [PK_DF_W_LOG2] = (uint32_t)log2w(h->w_bits ? h->w_bits : 1),
        [PK_DF_A_LOG2] = (uint32_t)log2w(h->a_bits),
        [PK_DF_A_SIGNED] = (uint32_t)h->a_signed,
        [PK_DF_OUT_LOG2] = (uint32_t)log2w(h->out_bits),
        [PK_DF_OUT_SIGNED] = (uint32_t)h->out_signed,
        [PK_DF_R_LOG2] = (uint32_t)log2w(h->r_bits ? h->r_bits : 1),
        [PK_DF_R_SIGNED] = (uint32_t)h->r_signed,
        [PK_DF_QN_EN] = (uint32_t)h->qn_en,
        [PK_DF_RES_EN] = (uint32_t)h->res_en,
        [PK_DF_RQ_EN] = (uint32_t)h->rq_en,
        [PK_DF_PER_TENSOR] = (uint32_t)h->per_tensor,
        [PK_DF_ACT_MODE] = (uint32_t)h->act,
        [PK_DF_IN_H] = (uint32_t)h->in_h,
        [PK_DF_IN_W] = (uint32_t)h->in_w,
        [PK_DF_IN_C] = (uint32_t)h->in_c,
        [PK_DF_OUT_C] = (uint32_t)h->out_c,
        [PK_DF_OUT_H] = (uint32_t)h->out_h,
        [PK_DF_OUT_W] = (uint32_t)h->out_w,
        [PK_DF_KH] = (uint32_t)h->kh,
        [PK_DF_KW] = (uint32_t)h->kw,
        [PK_DF_STRIDE] = (uint32_t)h->stride,
        [PK_DF_PAD] = (uint32_t)h->pad,
        [PK_DF_A_SHIFT] = (uint32_t)h->a_shift,
        [PK_DF_R_SHIFT] = (uint32_t)h->r_shift,
        [PK_DF_CLIP_LO] = (uint32_t)h->clip_lo,
        [PK_DF_CLIP_HI] = (uint32_t)h->clip_hi,
        [PK_DF_ACT_SHIFT] = (uint32_t)h->act_shift,
        [PK_DF_ROUND] = (uint32_t)h->round,
        [PK_DF_RES_MUL] = (uint32_t)h->res_mul,
        [PK_DF_IN_ZP] = (uint32_t)h->in_zp & ((1u << (h->a_bits < 8 ? h->a_bits : 8)) - 1u),
        [PK_DF_ADDR_IN] = h->addr_in,
        [PK_DF_ADDR_W] = h->addr_w,
        [PK_DF_ADDR_PARAM] = h->addr_param,
        [PK_DF_ADDR_RES] = h->addr_res,
        [PK_DF_ADDR_OUT] = h->addr_out,
        [PK_DF_OUT_C_TOTAL] = (uint32_t)h->out_c_total,
        [PK_DF_OUT_C_BASE] = (uint32_t)h->out_c_base,
        [PK_DF_STRIDE_W] = (uint32_t)h->stride_w,
        [PK_DF_PAD_LEFT] = (uint32_t)h->pad_l,
        [PK_DF_IN_C_TOTAL] = (uint32_t)h->in_c_total,
    };
    uint32_t w[PK_DESC_WORDS];
    memset(w, 0, sizeof w);
    for (int f = 0; f < PK_DF_COUNT; f++)
        pk_desc_put(w, f, v[f]);
    for (int k = 0; k < PK_DESC_WORDS; k++)
        put32(out + 4 * k, w[k]);
}

void pk_compile_descriptors(const pk_hwnet_t *hw, uint8_t *buf)
{
    for (int i = 0; i < hw->n_layers; i++)
        pk_compile_descriptor(hw, i, buf + PK_DESC_BYTES * (size_t)i);
}

void pk_compile_param_record(const pk_chan_params_t *p, uint8_t out[PK_PARAM_BYTES])
{
    memset(out, 0, PK_PARAM_BYTES);
#define PUT_FIELD(f, N, off, n, sg, t)                                                             \
    for (int k = 0; k < (n); k++)                                                                  \
        out[(off) + k] = (uint8_t)((uint32_t)p->f >> (8 * k));
    PK_PARAM_FIELDS(PUT_FIELD)
#undef PUT_FIELD
}

static void put_bits(uint8_t *base, uint64_t bitoff, int n, uint32_t v)
{
    for (int i = 0; i < n; i++)
        if ((v >> i) & 1)
            base[(bitoff + i) >> 3] |= (uint8_t)(1u << ((bitoff + i) & 7));
}

static uint32_t get_bits(const uint8_t *base, uint64_t bitoff, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint32_t)((base[(bitoff + i) >> 3] >> ((bitoff + i) & 7)) & 1) << i;
    return v;
}

void pk_tensor_pack(const pk_tensor_t *t, const uint32_t *codes, uint8_t *img)
{
    uint8_t *base = img + t->addr;
    uint32_t mask = t->bits >= 32 ? 0xffffffffu : (1u << t->bits) - 1;
    int64_t px = (int64_t)t->h * t->w;
    memset(base, 0, (size_t)t->bytes);
    for (int64_t p = 0; p < px; p++)
        for (int c = 0; c < t->c; c++)
            put_bits(base + p * t->ps, (uint64_t)c * t->bits, t->bits,
                     codes[p * t->c + c] & mask);
}

void pk_tensor_unpack(const pk_tensor_t *t, const uint8_t *img, uint32_t *codes)
{
    const uint8_t *base = img + t->addr;
    int64_t px = (int64_t)t->h * t->w;
    for (int64_t p = 0; p < px; p++)
        for (int c = 0; c < t->c; c++)
            codes[p * t->c + c] = get_bits(base + p * t->ps, (uint64_t)c * t->bits, t->bits);
}

static uint32_t wcode(int v, int bits)
{
    if (bits == 1)
        return v > 0 ? 1u : 0u;
    return (uint32_t)v & ((1u << bits) - 1);
}

static void image_weights(const pk_hwnet_t *hw, const pk_hwlayer_t *h, uint8_t *img)
{
    const pk_config_t *cfg = hw->cfg;
    int C = cfg->array.cols, wb = cfg->d.word_bytes;
    int cin_g = h->kind == PK_HW_CONV ? h->in_c : 1;
    for (int64_t nt = 0; nt < h->Nt; nt++)
        for (int64_t k = 0; k < h->Ks; k++)
            for (int c = 0; c < C; c++) {
                uint8_t *word = img + h->addr_w + ((nt * h->Ks + k) * C + c) * wb;
                int64_t oc = nt * h->ct + c;
                if (c >= h->ct || oc >= h->out_c)
                    continue;
                int64_t tap = h->kind == PK_HW_CONV ? k / h->J : k;
                int64_t jc = h->kind == PK_HW_CONV ? k % h->J : 0;
                const int8_t *wrow = h->weights + (oc * h->kh * h->kw + tap) * cin_g;
                if (h->kind == PK_HW_DW) {
                    pk_q_pack_slot(word, 0, h->mode,
                                   pk_q_widen(wcode(wrow[0], h->w_bits), h->w_bits, 1, h->mode));
                    continue;
                }
                for (int e = 0; e < h->vp; e++) {
                    int64_t ic = jc * h->vp + e;
                    if (ic >= h->in_c)
                        break;
                    pk_q_pack_slot(word, e, h->mode,
                                   pk_q_widen(wcode(wrow[ic], h->w_bits), h->w_bits, 1, h->mode));
                }
            }
}

int pk_compile_image(const pk_hwnet_t *hw, const uint32_t *input_codes, uint8_t **img,
                     size_t *len, pk_error_t *err)
{
    *img = NULL;
    *len = 0;
    if (!hw->with_data)
        return pk_error_set(err, PK_EINTERNAL, "", 0, "pk_compile_image",
                            "the network was compiled without data");
    uint8_t *m = calloc(1, (size_t)hw->image_bytes ? (size_t)hw->image_bytes : 1);
    if (!m)
        return pk_error_set(err, PK_ENOMEM, "", 0, "", "out of memory");
    pk_compile_descriptors(hw, m + hw->cmd_base);
    for (int i = 0; i < hw->n_layers; i++) {
        const pk_hwlayer_t *h = &hw->layers[i];
        for (int64_t c = 0; c < h->n_records; c++)
            pk_compile_param_record(&h->params[h->per_tensor ? 0 : c],
                                    m + h->addr_param + PK_PARAM_BYTES * c);
        if (h->w_image_bytes)
            image_weights(hw, h, m);
    }
    if (input_codes)
        pk_tensor_pack(&hw->tensors[0], input_codes, m);
    *img = m;
    *len = (size_t)hw->image_bytes;
    return 0;
}

/* Shared with the v2 image (core/pk_compile_v2.c): the bit packing and the
 * weight codes of this file, not a second copy. */
void pk_bits_put(uint8_t *base, uint64_t bitoff, int n, uint32_t v)
{
    put_bits(base, bitoff, n, v);
}

uint32_t pk_bits_get(const uint8_t *base, uint64_t bitoff, int n)
{
    return get_bits(base, bitoff, n);
}

uint32_t pk_weight_code(int v, int bits)
{
    return wcode(v, bits);
}
