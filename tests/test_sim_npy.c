/* test_sim_npy.c - weights and parameters loaded from .npy files reach the
 * compiled network (core/pk_compile) and so the functional model: a network
 * whose files hold exactly what the seeded generator would draw gives the
 * same outputs as the network without files, and negated weights give
 * different outputs that still match the naive QUANT.md reference. */
#include "test_sim_util.h"

#include "pk_func.h"

static const char *CFG =
    "name: tiny\nclock_mhz: 100\narray: {rows: 2, cols: 8, lanes: 8}\n"
    "precision: {weight_bits: [4, 8], act_bits: [4, 8], acc_bits: 32, max_reduction: 4096}\n"
    "postproc: {lanes: 4, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24, qn_shift_bits: 5,"
    " dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8, act_shift_bits: 4,"
    " activations: [relu, prelu], residual: true, residual_shift_bits: 4, pooling: []}\n"
    "buffers: {weights: 512, activations: 128}\n"
    "offchip: {bytes_per_cycle: 4, latency: 5, addr_bits: 32}\nfpga: {family: generic}\n";

#define NET_HEAD "name: npy\ninput: {h: 6, w: 6, c: 8, bits: 8, signed: false}\nseed: 11\nlayers:\n"
#define LAYER "  - {name: c1, op: conv, out_c: 8, kernel: 3, padding: 1, w_bits: 4, out_bits: 8," \
              " norm: quantnorm, scale: dq, act: prelu%s}\n"

/* A little-endian int32 C-order .npy (format 1.0) of the given shape. */
static void write_npy_i32(const char *path, const char *shape, const int32_t *v, size_t n)
{
    char hdr[128];
    int len = snprintf(hdr, sizeof hdr,
                       "{'descr': '<i4', 'fortran_order': False, 'shape': %s, }", shape);
    int total = 10 + len + 1;
    int pad = (64 - total % 64) % 64;
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    uint16_t hl = (uint16_t)(len + pad + 1);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fputc(hl & 0xff, f);
    fputc(hl >> 8, f);
    fwrite(hdr, 1, (size_t)len, f);
    for (int i = 0; i < pad; i++)
        fputc(' ', f);
    fputc('\n', f);
    fwrite(v, sizeof *v, n, f); /* x86-64: little-endian */
    fclose(f);
}

static uint8_t **run(pk_net_t *net, pk_config_t *cfg, pk_hwnet_t **hwp, const uint8_t *in)
{
    pk_error_t e;
    pk_error_clear(&e);
    cr_assert_eq(pk_compile(net, cfg, 1, hwp, &e), 0, "%s", e.msg);
    uint8_t **ts = NULL;
    cr_assert_eq(pk_func_run(*hwp, in, &ts, &e), 0, "%s", e.msg);
    return ts;
}

Test(sim_npy, file_weights_and_params_reach_the_model)
{
    pk_config_t *cfg = tsu_cfg(tsu_write("tiny.yaml", CFG));
    char text[1024];
    snprintf(text, sizeof text, NET_HEAD LAYER, "");
    const char *gen_path = tsu_write("gen.yaml", text);
    pk_net_t *gen = tsu_net(gen_path);

    /* What the generator draws for c1, written to files next to the YAML. */
    int li = pk_net_find(gen, "c1");
    const pk_layer_t *L = &gen->layers[li];
    int32_t *w = malloc((size_t)L->n_weights * sizeof *w);
    pk_chan_params_t *p = calloc((size_t)L->n_param_sets, sizeof *p);
    pk_error_t e;
    pk_error_clear(&e);
    cr_assert_eq(pk_net_gen_weights(gen, li, w, &e), 0, "%s", e.msg);
    cr_assert_eq(pk_net_gen_params(gen, li, cfg, p, NULL, &e), 0, "%s", e.msg);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", gen_path);
    *strrchr(dir, '/') = '\0';
    char wpath[300], ppath[300], npath[300];
    snprintf(wpath, sizeof wpath, "%s/w.npy", dir);
    snprintf(ppath, sizeof ppath, "%s/p.npy", dir);
    snprintf(npath, sizeof npath, "%s/wneg.npy", dir);
    write_npy_i32(wpath, "(8, 3, 3, 8)", w, (size_t)L->n_weights);
    int32_t rows[8 * 9];
    for (int c = 0; c < L->n_param_sets; c++) {
        int32_t r[9] = { p[c].m, p[c].b, p[c].s, p[c].M, p[c].E, p[c].an, p[c].ap, p[c].g, p[c].z };
        memcpy(rows + 9 * c, r, sizeof r);
    }
    write_npy_i32(ppath, "(8, 9)", rows, 9 * (size_t)L->n_param_sets);
    for (int64_t i = 0; i < L->n_weights; i++)
        w[i] = w[i] == -8 ? 7 : -w[i]; /* negate within 4 bits */
    write_npy_i32(npath, "(8, 3, 3, 8)", w, (size_t)L->n_weights);

    snprintf(text, sizeof text, NET_HEAD LAYER, ", weights: w.npy, params: p.npy");
    pk_net_t *same = tsu_net(tsu_write("same.yaml", text));
    snprintf(text, sizeof text, NET_HEAD LAYER, ", weights: wneg.npy, params: p.npy");
    pk_net_t *neg = tsu_net(tsu_write("neg.yaml", text));

    uint8_t in[6 * 6 * 8];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 37 + 11);
    pk_hwnet_t *h0, *h1, *h2;
    uint8_t **t0 = run(gen, cfg, &h0, in), **t1 = run(same, cfg, &h1, in), **t2 = run(neg, cfg, &h2, in);
    int to = h0->layers[0].t_out;
    size_t n = 6 * 6 * 8;
    cr_expect_eq(memcmp(t0[to], t1[to], n), 0, "files holding the generator's numbers change the output");
    cr_expect_neq(memcmp(t0[to], t2[to], n), 0, "negated file weights did not change the output");
    uint8_t ref[6 * 6 * 8];
    nv_layer(h2, 0, t2, ref);
    cr_expect_eq(memcmp(ref, t2[h2->layers[0].t_out], n), 0, "file weights: model != naive reference");

    pk_func_free(h0, t0);
    pk_func_free(h1, t1);
    pk_func_free(h2, t2);
    pk_hwnet_free(h0);
    pk_hwnet_free(h1);
    pk_hwnet_free(h2);
    pk_net_free(gen);
    pk_net_free(same);
    pk_net_free(neg);
    pk_config_free(cfg);
    free(w);
    free(p);
}
