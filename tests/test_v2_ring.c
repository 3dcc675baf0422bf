/* test_v2_ring.c - the windowed ring layout of docs/ARCHITECTURE.md
 * V2-3.1 (core/pk_v2ring) on the layers the v2 compiler emits, from their
 * descriptors: a stored row's words get distinct (bank, address) pairs
 * inside its slot's WB words per bank, cap rows fit the bank depth DA, and
 * every k-step's R array rows read R different banks (the claim that makes
 * one k-step per cycle possible for any stride, kernel and x-fold).
 */
#include "test_v2_util.h"

#include "pk_contract.h"
#include "pk_v2desc.h"
#include "pk_sim.h"
#include "pk_v2func.h"
#include "pk_v2ring.h"

static void check_layer(const pk_config_t *cfg, const pk_v2_desc_t *d, const char *what)
{
    int64_t R = cfg->array.rows;
    int64_t DA = 2 * cfg->buffers.activations / (R * cfg->d.word_bytes);
    cr_assert(d->wbw > 0 && d->gx > 0 && d->sf > 0, "%s: windowed fields", what);
    cr_expect_leq(d->cap * d->wbw, DA, "%s: %lld rows of %lld words > DA %lld", what,
                  (long long)d->cap, (long long)d->wbw, (long long)DA);
    /* one stored row (slot 1): distinct places inside its slot */
    int64_t npos = d->gx * d->sf * R, n = R * d->wbw, bad = 0;
    char *seen = calloc((size_t)n, 1);
    cr_assert(seen);
    for (int64_t x = 0; x < npos; x++)
        for (int64_t jc = 0; jc < d->jw; jc++) {
            int64_t b, a;
            pk_v2_ring_place(d, R, d->pad, x, jc, 1, &b, &a);
            a -= d->wbw;
            if (a < 0 || a >= d->wbw || seen[b * d->wbw + a]++)
                bad++;
        }
    free(seen);
    cr_expect_eq(bad, 0, "%s: %lld words collide or leave their slot", what, (long long)bad);
    /* every k-step of every pixel tile: R rows, R banks, positions stored */
    int64_t M = d->out_h * d->out_w, conflicts = 0, outside = 0;
    int64_t nsteps = d->kind == PK_KIND_CONV ? d->ks : d->kh * d->kw;
    for (int64_t p0 = 0; p0 < M; p0 += R)
        for (int64_t k = 0; k < nsteps; k++) {
            int64_t i, jf, jc;
            if (d->kind == PK_KIND_CONV) {
                jc = k % d->jw;
                i = k / d->jw / d->kwf;
                jf = k / d->jw % d->kwf;
            } else {
                jc = 0;
                i = k / d->kw;
                jf = k % d->kw;
            }
            uint64_t used = 0; /* R <= 64 in these configs */
            for (int64_t r = 0; r < R && p0 + r < M; r++) {
                int64_t oy = (p0 + r) / d->out_w, ox = (p0 + r) % d->out_w, b, a;
                int64_t xf = ox * d->sf + jf;
                pk_v2_ring_place(d, R, oy * d->s + i, xf, jc, 0, &b, &a);
                outside += xf >= npos;
                conflicts += (used >> b) & 1;
                used |= (uint64_t)1 << b;
            }
        }
    cr_expect_eq(conflicts, 0, "%s: %lld bank conflicts", what, (long long)conflicts);
    cr_expect_eq(outside, 0, "%s: %lld reads past the stored row", what, (long long)outside);
}

static void check_net(fx_t *f, const char *what)
{
    cr_assert_leq(f->cfg->array.rows, 64);
    for (int i = 0; i < f->hw->n_layers; i++) {
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(f->img, i), &d);
        if (d.flat || d.global || d.kind == PK_KIND_EW)
            continue;
        char w[300];
        snprintf(w, sizeof w, "%s %s", what, f->hw->layers[i].name);
        check_layer(f->cfg, &d, w);
    }
}

Test(v2_ring, zoo_and_random, .timeout = 300)
{
    static const char *const nets[] = {"resnet18_w4a4", "resnet50_w4a4", "mobilenetv2_w4a4",
                                       "pikelpn_1x", "pokebnn_1_0"};
    static const char *const cfgs[] = {"edge", "cloud"};
    for (size_t c = 0; c < 2; c++)
        for (size_t n = 0; n < sizeof nets / sizeof *nets; n++) {
            char cp[512], np[512], what[128];
            snprintf(cp, sizeof cp, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cfgs[c]);
            snprintf(np, sizeof np, "%s/networks/%s.yaml", PIKE_SOURCE_ROOT, nets[n]);
            snprintf(what, sizeof what, "%s/%s", cfgs[c], nets[n]);
            fx_t f;
            pk_error_t e;
            cr_assert_eq(fx_make(&f, cp, np, 0, &e), 0, "%s: %s", what, e.msg);
            check_net(&f, what);
            fx_free(&f);
        }
    cr_expect_geq(random_cases(80, 0, check_net), 10);
}

/* The functional path reads windowed DW and pool layers through the ring
 * (sim/pk_v2func): with the first such layer's CAP cut to one row, its
 * 3-row windows miss rows, and the run fails naming the ring and the layer
 * (a path reading the input tensor directly would not notice). */
static void expect_ring_reads(const char *cfgname, const char *netname, int kind)
{
    char cp[512], np[512];
    snprintf(cp, sizeof cp, "%s/hw_configs/%s.yaml", PIKE_SOURCE_ROOT, cfgname);
    snprintf(np, sizeof np, "%s/networks/%s.yaml", PIKE_SOURCE_ROOT, netname);
    fx_t f;
    pk_error_t e;
    cr_assert_eq(fx_make(&f, cp, np, 1, &e), 0, "%s: %s", netname, e.msg);
    int li = -1;
    for (int i = 0; i < f.hw->n_layers && li < 0; i++) {
        pk_v2_desc_t d;
        pk_v2_desc_decode(pk_v2img_descriptor(f.img, i), &d);
        if (d.kind == kind && !d.flat && !d.global && d.kh == 3)
            li = i;
    }
    cr_assert_geq(li, 0, "%s: no 3x3 windowed layer of kind %d", netname, kind);
    const pk_tensor_t *t0 = &f.hw->tensors[0];
    int64_t n0 = (int64_t)t0->h * t0->w * t0->c;
    uint8_t *in = pk_sim_view_input(f.net, 1, 0), *img = NULL;
    uint32_t *in32 = malloc((size_t)n0 * sizeof *in32), w[PK_DESC2_WORDS];
    cr_assert(in && in32);
    for (int64_t i = 0; i < n0; i++)
        in32[i] = in[i];
    size_t len = 0;
    cr_assert_eq(pk_v2img_build(f.img, in32, &img, &len, &e), 0, "%s", e.msg);
    uint8_t *b = img + (size_t)li * PK_DESC2_BYTES;
    memcpy(w, b, sizeof w); /* little-endian host, as the image */
    pk_desc2_put(w, PK_D2_CAP, 1);
    memcpy(b, w, sizeof w);
    pk_error_clear(&e);
    cr_expect_eq(pk_v2_func_run(f.cfg, f.hw->n_layers, img, len, &e), PK_EINPUT,
                 "%s layer %d: CAP 1 not noticed", netname, li);
    char want[32];
    snprintf(want, sizeof want, "layer %d:", li);
    cr_expect(strcmp(e.field, "v2 ring") == 0 && strstr(e.msg, want),
              "%s: %s: %s (want the ring miss of layer %d)", netname, e.field, e.msg, li);
    free(img);
    free(in);
    free(in32);
    fx_free(&f);
}

Test(v2_ring, dw_and_pool_read_through_ring, .timeout = 120)
{
    expect_ring_reads("edge", "mobilenetv2_w4a4", PK_KIND_DW);
    expect_ring_reads("edge", "resnet18_w4a4", PK_KIND_POOLMAX);
}
