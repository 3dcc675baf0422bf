/* pk_metrics.c - MACs, ACE and ACEv2 (Pike definition) of a network IR.
 *
 * Each layer's post-processing is walked as a chain of stages in the order
 * of docs/QUANT.md (norm -> scale -> activation -> output), tracking the
 * operand width and whether the value is still an integer: the chain turns
 * float at the first float stage (or from the start when a MAC operand is
 * float) and stays float until it is quantized to the output width.  Each
 * stage is charged (ops per element from the table) x (element count) x
 * (operand widths), as docs/NETWORK.md "ACEv2" writes out.  Float stages
 * have no rounding shifts, so shift counts are not charged in the float
 * chain.
 */
#include "pk_metrics.h"

#include <stddef.h>
#include <string.h>

static const char *const ew_names[PK_EW_COUNT] = {
    "norm", "scale", "act", "quant", "residual", "pool"
};

const char *pk_ew_kind_name(pk_ew_kind_t k)
{
    return (unsigned)k < PK_EW_COUNT ? ew_names[k] : "?";
}

void pk_metrics_const_default(pk_metrics_const_t *k)
{
    memset(k, 0, sizeof *k);
    k->unquant_bits = 16;
    k->float_bits = 0;
    k->param_bits = 0;
    k->rprelu_shift_bits = 16;
    k->quantnorm = (pk_ew_ops_t){ .mul = 1, .add = 1, .shift = 1 };
    k->dq = (pk_ew_ops_t){ .mul = 1, .shift = 1 };
    k->relu = (pk_ew_ops_t){ .cmp = 1 };
    k->clip = (pk_ew_ops_t){ .cmp = 2 };
    k->prelu = (pk_ew_ops_t){ .mul = 1, .shift = 1, .cmp = 1 };
    k->dprelu = (pk_ew_ops_t){ .mul = 1, .shift = 1, .cmp = 1 };
    k->rprelu = (pk_ew_ops_t){ .mul = 1, .add = 2, .shift = 1, .cmp = 1 };
    k->out_int = (pk_ew_ops_t){ .cmp = 2 };
    k->out_bin = (pk_ew_ops_t){ .cmp = 1 };
    k->residual = (pk_ew_ops_t){ .add = 1, .shift = 1 };
    k->float_bn = (pk_ew_ops_t){ .mul = 1, .add = 1 };
    k->float_scale = (pk_ew_ops_t){ .mul = 1 };
    k->float_quant = (pk_ew_ops_t){ .add = 1, .cmp = 2 };
    k->in_requant_int = (pk_ew_ops_t){ .shift = 1, .cmp = 2 };
    k->in_requant_float = (pk_ew_ops_t){ .mul = 1, .add = 1, .cmp = 2 };
    k->maxpool_term = (pk_ew_ops_t){ .cmp = 1 };
    k->avgpool_term = (pk_ew_ops_t){ .add = 1 };
}

/* ---- override by name ---------------------------------------------------- */

static const struct {
    const char *name;
    size_t off;
} stages[] = {
#define S(n) { #n, offsetof(pk_metrics_const_t, n) }
    S(quantnorm), S(dq), S(relu), S(clip), S(prelu), S(dprelu), S(rprelu), S(out_int),
    S(out_bin), S(residual), S(float_bn), S(float_scale), S(float_quant), S(in_requant_int),
    S(in_requant_float), S(maxpool_term), S(avgpool_term),
#undef S
};

int pk_metrics_const_set(pk_metrics_const_t *k, const char *name, double value,
                         pk_error_t *err)
{
    if (!(value >= 0))
        return pk_error_set(err, PK_EINPUT, "", 0, "acev2", "%s: value must be >= 0", name);
    struct { const char *n; int *p; int lo, hi; } ints[] = {
        { "unquant_bits", &k->unquant_bits, 1, 64 },
        { "float_bits", &k->float_bits, 0, 32 },
        { "param_bits", &k->param_bits, 0, 32 },
        { "rprelu_shift_bits", &k->rprelu_shift_bits, 1, 64 },
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (strcmp(name, ints[i].n) == 0) {
            if (value != (int)value || value < ints[i].lo || value > ints[i].hi)
                return pk_error_set(err, PK_EINPUT, "", 0, "acev2",
                                    "%s: must be an integer in [%d, %d]", name, ints[i].lo,
                                    ints[i].hi);
            if (ints[i].p == &k->float_bits && value != 0 && value != 16 && value != 32)
                return pk_error_set(err, PK_EINPUT, "", 0, "acev2",
                                    "float_bits: must be 0 (per layer), 16 or 32");
            *ints[i].p = (int)value;
            return 0;
        }
    const char *dot = strchr(name, '.');
    if (dot) {
        size_t sl = (size_t)(dot - name);
        for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
            if (strlen(stages[i].name) != sl || strncmp(name, stages[i].name, sl) != 0)
                continue;
            pk_ew_ops_t *o = (pk_ew_ops_t *)((char *)k + stages[i].off);
            const char *f = dot + 1;
            double *p = strcmp(f, "mul") == 0     ? &o->mul
                        : strcmp(f, "add") == 0   ? &o->add
                        : strcmp(f, "shift") == 0 ? &o->shift
                        : strcmp(f, "cmp") == 0   ? &o->cmp
                                                  : NULL;
            if (!p)
                break;
            *p = value;
            return 0;
        }
    }
    return pk_error_set(err, PK_EINPUT, "", 0, "acev2",
                        "unknown constant '%s' (unquant_bits, float_bits, param_bits, "
                        "rprelu_shift_bits, or STAGE.mul|add|shift|cmp; see docs/NETWORK.md)",
                        name);
}

/* ---- widths -------------------------------------------------------------- */

static int ceil_log2(int64_t v)
{
    int b = 0;
    while (b < 63 && ((int64_t)1 << b) < v)
        b++;
    return b;
}

int pk_metrics_acc_bits(const pk_layer_t *L)
{
    if (pk_width_is_float(L->w_bits) || pk_width_is_float(L->a_bits))
        return L->float_bits;
    return L->w_bits + L->a_bits + ceil_log2(L->K);
}

/* Cost of `o` on n elements: operand width x, parameter width y (mul is x*y),
 * add width a.  Float chains skip shifts. */
static double charge(const pk_ew_ops_t *o, int64_t n, int x, int y, int a, int is_float)
{
    double per = o->mul * x * y + o->add * a + o->cmp * x + (is_float ? 0.0 : o->shift * (a));
    return per * (double)n;
}

typedef struct {
    int width;     /* current operand width */
    int is_float;
    int f;         /* float width */
    int p;         /* parameter width */
} chain_t;

static void go_float(chain_t *c)
{
    if (!c->is_float) {
        c->is_float = 1;
        c->width = c->f;
    }
}

/* Activation stage. */
static double act_cost(const pk_metrics_const_t *k, const pk_layer_t *L, chain_t *c, int64_t n)
{
    int x = c->width, y = c->is_float ? c->f : c->p;
    int a = c->is_float ? c->f : x + y; /* the product's width for the rounding shift */
    switch (L->act) {
    case PK_ACT_RELU:
        return charge(&k->relu, n, x, y, a, c->is_float);
    case PK_ACT_CLIP:
        return charge(&k->clip, n, x, y, a, c->is_float);
    case PK_ACT_PRELU:
        return charge(&k->prelu, n, x, y, a, c->is_float);
    case PK_ACT_DPRELU:
        return charge(&k->dprelu, n, x, y, a, c->is_float);
    case PK_ACT_RPRELU: {
        /* the two shifts (x - g, + z) are adds at max(x, width of g/z) */
        int ga = c->is_float ? c->f : (x > k->rprelu_shift_bits ? x : k->rprelu_shift_bits);
        pk_ew_ops_t body = k->rprelu;
        pk_ew_ops_t adds = { .add = body.add };
        body.add = 0;
        return charge(&body, n, x, y, a, c->is_float) + charge(&adds, n, x, y, ga, c->is_float);
    }
    default:
        return 0.0;
    }
}

/* Output stage: quantize / saturate / binarize to out_bits. */
static double out_cost(const pk_metrics_const_t *k, const pk_layer_t *L, const chain_t *c,
                       int64_t n)
{
    if (pk_width_is_float(L->out_bits))
        return 0.0;
    if (L->out_bits == 1)
        return charge(&k->out_bin, n, c->width, 0, c->width, c->is_float);
    if (c->is_float)
        return charge(&k->float_quant, n, c->width, 0, c->width, 1);
    return charge(&k->out_int, n, c->width, 0, c->width, 0);
}

void pk_metrics_layer(const pk_net_t *net, int li, const pk_metrics_const_t *kin,
                      pk_metrics_t *out)
{
    pk_metrics_const_t kd;
    if (!kin) {
        pk_metrics_const_default(&kd);
        kin = &kd;
    }
    const pk_metrics_const_t *k = kin;
    const pk_layer_t *L = &net->layers[li];
    memset(out, 0, sizeof *out);
    chain_t c = { 0 };
    c.f = k->float_bits ? k->float_bits : L->float_bits;
    c.p = k->param_bits ? k->param_bits : L->param_bits;
    int64_t n = L->out_elems;

    switch (L->op) {
    case PK_OP_CONV:
    case PK_OP_FC: {
        int bw = pk_width_is_float(L->w_bits) ? k->unquant_bits : L->w_bits;
        int ba = pk_width_is_float(L->a_bits) ? k->unquant_bits : L->a_bits;
        out->macs = L->macs;
        out->ace = L->macs * bw * ba;
        out->ew_elems = n;
        /* input requantization (a_bits below the producer's width) */
        if (L->a_bits < L->in_bits[0]) {
            int64_t ni = (int64_t)L->in_h * L->in_w * L->in_c;
            int iw = L->in_bits[0];
            int isf = pk_width_is_float(iw);
            const pk_ew_ops_t *o = L->a_bits == 1 ? &k->out_bin
                                   : isf          ? &k->in_requant_float
                                                  : &k->in_requant_int;
            out->ew[PK_EW_QUANT] += charge(o, ni, iw, iw, iw, isf);
        }
        c.width = pk_metrics_acc_bits(L);
        c.is_float = pk_width_is_float(L->w_bits) || pk_width_is_float(L->a_bits);
        if (c.is_float)
            c.width = c.f;
        if (L->norm == PK_NORM_QUANTNORM && !c.is_float) {
            out->ew[PK_EW_NORM] += charge(&k->quantnorm, n, c.width, c.p, c.width + c.p, 0);
        } else if (L->norm != PK_NORM_NONE) {
            go_float(&c);
            out->ew[PK_EW_NORM] += charge(&k->float_bn, n, c.f, c.f, c.f, 1);
        }
        if (L->scale == PK_SCALE_DQ && !c.is_float) {
            out->ew[PK_EW_SCALE] += charge(&k->dq, n, c.width, c.p, c.width + c.p, 0);
        } else if (L->scale != PK_SCALE_NONE) {
            go_float(&c);
            out->ew[PK_EW_SCALE] += charge(&k->float_scale, n, c.f, c.f, c.f, 1);
        }
        out->ew[PK_EW_ACT] += act_cost(k, L, &c, n);
        out->ew[PK_EW_QUANT] += out_cost(k, L, &c, n);
        break;
    }
    case PK_OP_ADD:
    case PK_OP_MUL: {
        out->ew_elems = n;
        int b0 = L->in_bits[0], b1 = L->in_bits[1];
        int w = b0 > b1 ? b0 : b1;
        if (pk_width_is_float(b0) || pk_width_is_float(b1)) {
            c.is_float = 1;
            c.width = c.f > w ? c.f : w;
            out->ew[PK_EW_RESIDUAL] += charge(&k->residual, n, c.width, 0, c.width, 1);
        } else if (L->op == PK_OP_MUL) { /* the QuantNorm multiplier takes operand B */
            out->ew[PK_EW_NORM] += charge(&k->quantnorm, n, b0, b1, b0 + b1, 0);
            c.width = b0 + b1; /* the product */
        } else {
            c.width = w;
            out->ew[PK_EW_RESIDUAL] += charge(&k->residual, n, w, 0, w, 0);
            c.width = w + 1; /* the sum */
        }
        if (L->scale == PK_SCALE_DQ && !c.is_float) {
            out->ew[PK_EW_SCALE] += charge(&k->dq, n, c.width, c.p, c.width + c.p, 0);
        } else if (L->scale == PK_SCALE_FLOAT) {
            go_float(&c);
            out->ew[PK_EW_SCALE] += charge(&k->float_scale, n, c.f, c.f, c.f, 1);
        }
        out->ew[PK_EW_ACT] += act_cost(k, L, &c, n);
        out->ew[PK_EW_QUANT] += out_cost(k, L, &c, n);
        break;
    }
    case PK_OP_MAXPOOL:
    case PK_OP_AVGPOOL:
    case PK_OP_GLOBAL_AVGPOOL: {
        out->ew_elems = n;
        int iw = L->in_bits[0];
        int isf = pk_width_is_float(iw);
        int64_t terms = L->K > 1 ? L->K - 1 : 0;
        int64_t nt = n * terms;
        if (L->op == PK_OP_MAXPOOL) {
            out->ew[PK_EW_POOL] += charge(&k->maxpool_term, nt, iw, 0, iw, isf);
            break; /* same width out: no requant (QUANT.md) */
        }
        c.is_float = isf;
        c.width = isf ? iw : iw + ceil_log2(L->K);
        out->ew[PK_EW_POOL] += charge(&k->avgpool_term, nt, c.width, 0, c.width, isf);
        if (isf) {
            c.f = iw;
            out->ew[PK_EW_POOL] += charge(&k->float_scale, n, c.f, c.f, c.f, 1);
        } else {
            out->ew[PK_EW_POOL] += charge(&k->dq, n, c.width, c.p, c.width + c.p, 0);
        }
        out->ew[PK_EW_QUANT] += out_cost(k, L, &c, n);
        break;
    }
    default: /* concat: a layout operation, free */
        break;
    }
    for (int e = 0; e < PK_EW_COUNT; e++)
        out->ew_total += out->ew[e];
    out->acev2 = (double)out->ace + out->ew_total;
}

void pk_metrics_net(const pk_net_t *net, const pk_metrics_const_t *k, pk_metrics_t *per_layer,
                    pk_metrics_t *total)
{
    memset(total, 0, sizeof *total);
    for (int i = 0; i < net->n_layers; i++) {
        pk_metrics_t m;
        pk_metrics_layer(net, i, k, &m);
        if (per_layer)
            per_layer[i] = m;
        total->macs += m.macs;
        total->ace += m.ace;
        total->ew_elems += m.ew_elems;
        for (int e = 0; e < PK_EW_COUNT; e++)
            total->ew[e] += m.ew[e];
        total->ew_total += m.ew_total;
    }
    total->acev2 = (double)total->ace + total->ew_total;
}
