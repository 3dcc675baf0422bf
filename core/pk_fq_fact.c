/* pk_fq_fact.c - pikequant --factorize: Meller et al. 2019 cross-layer
 * weight factorization of the float model (docs/PIKEQUANT.md).
 *
 * For a conv / gemm layer k whose output reaches the next conv / gemm k+1
 * only through per-channel positively homogeneous ops (BatchNormalization,
 * Relu, PRelu, MaxPool, Flatten / layout), output channel i of k is divided
 * by s_i and the matching input channel(s) of k+1 multiplied by s_i:
 *     s_i = sqrt(r_k,i / r_k+1,i),
 * r_k,i = max |W_k[i, ...]|, r_k+1,i = max |W_k+1[:, i, ...]| (for a
 * depthwise k+1 its channel i; for a gemm after a flatten the h*w columns
 * of channel i).  Biases of k and the BN offsets in between are divided by
 * s_i too; Relu / PRelu / MaxPool commute with a positive per-channel scale,
 * so the float function is unchanged (up to float rounding; test
 * quant_cli/factorize_keeps_the_float_function).  After a pass both ranges
 * are sqrt(r_k,i r_k+1,i); in a chain of three layers the second pair's
 * rescaling undoes part of the first's, so passes repeat (as in Nagel et
 * al. 2019's data-free equalization) until no s_i differs from 1 by more
 * than FACT_TOL, at most FACT_PASSES times.
 */
#include <math.h>
#include <stdlib.h>

#include "pk_fq_int.h"

#define FACT_PASSES 100
#define FACT_TOL 1e-4

/* The single consumer of value v (node index), -1 when none or several. */
static int only_consumer(const pk_fq_t *q, int v)
{
    int who = -1;
    for (int i = 0; i < q->n; i++)
        for (int k = 0; k < q->nd[i].n_in; k++)
            if (q->nd[i].in[k] == v) {
                if (who >= 0)
                    return -1;
                who = i;
            }
    return v == q->out_v ? -1 : who;
}

/* Follow layer k's output through homogeneous ops to the next weight layer. */
static int next_layer(const pk_fq_t *q, int k)
{
    for (int i = only_consumer(q, k + 1); i >= 0; i = only_consumer(q, i + 1)) {
        fq_op_t op = q->nd[i].op;
        if (op == FQ_CONV || op == FQ_GEMM)
            return i;
        if (op != FQ_BN && op != FQ_RELU && op != FQ_PRELU && op != FQ_MAXPOOL &&
            op != FQ_FLAT && op != FQ_ID)
            return -1;
    }
    return -1;
}

/* Input channel ch of layer j (from a c-channel producer): its weights are
 * visited by calling fn(weight pointer, scale). */
static double in_range(const pk_fq_t *q, const fq_node_t *nj, int ch, int c, double mul)
{
    double r = 0;
    if (nj->op == FQ_GEMM) {
        int hw = nj->icg / c;
        for (int o = 0; o < nj->oc; o++)
            for (int p = 0; p < hw; p++) {
                float *w = &nj->va[(int64_t)o * nj->icg + (int64_t)ch * hw + p];
                r = fmax(r, fabs(*w));
                *w = (float)(*w * mul);
            }
        return r;
    }
    (void)q;
    int ocg = nj->oc / nj->group, kk = nj->kh * nj->kw;
    for (int o = 0; o < nj->oc; o++) {
        int i = ch - (o / ocg) * nj->icg;
        if (i < 0 || i >= nj->icg)
            continue;
        for (int t = 0; t < kk; t++) {
            float *w = &nj->va[((int64_t)o * nj->icg + i) * kk + t];
            r = fmax(r, fabs(*w));
            *w = (float)(*w * mul);
        }
    }
    return r;
}

/* Rescale the pair (k, j); returns the largest |s_i - 1|. */
static double rescale_pair(pk_fq_t *q, int k, int j)
{
    fq_node_t *nk = &q->nd[k], *nj = &q->nd[j];
    int64_t per = nk->n_w / nk->oc;
    double moved = 0;
    if (nj->op == FQ_GEMM && nj->icg % nk->oc)
        return 0;
    for (int i = 0; i < nk->oc; i++) {
        double r1 = 0;
        for (int64_t t = 0; t < per; t++)
            r1 = fmax(r1, fabs(nk->va[i * per + t]));
        double r2 = in_range(q, nj, i, nk->oc, 1.0);
        if (!(r1 > 0) || !(r2 > 0))
            continue;
        double s = sqrt(r1 / r2);
        moved = fmax(moved, fabs(s - 1));
        for (int64_t t = 0; t < per; t++)
            nk->va[i * per + t] = (float)(nk->va[i * per + t] / s);
        if (nk->b)
            nk->b[i] = (float)(nk->b[i] / s);
        for (int u = only_consumer(q, k + 1); u >= 0 && u != j; u = only_consumer(q, u + 1))
            if (q->nd[u].op == FQ_BN)
                q->nd[u].vb[i] = (float)(q->nd[u].vb[i] / s);
        in_range(q, nj, i, nk->oc, s);
    }
    return moved;
}

int pk_fq_factorize(pk_fq_t *q)
{
    int pairs = 0;
    double moved = 1;
    for (int pass = 0; pass < FACT_PASSES && moved > FACT_TOL; pass++) {
        pairs = 0, moved = 0;
        for (int k = 0; k < q->n; k++) {
            if (q->nd[k].op != FQ_CONV && q->nd[k].op != FQ_GEMM)
                continue;
            int j = next_layer(q, k);
            if (j < 0)
                continue;
            moved = fmax(moved, rescale_pair(q, k, j));
            pairs++;
        }
    }
    return pairs;
}
