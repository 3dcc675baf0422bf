/* test_sim_zoo.c - every network of networks/ at 32 x 32 input resolution:
 * it compiles on an edge-like config (max_reduction raised so ReActNet's
 * 3x3x1024 binary conv fits), and every hardware layer's functional output
 * equals the naive QUANT.md reference computed from the same inputs. */
#include "test_sim_util.h"

#include <dirent.h>

#include "pk_func.h"

static const char *CFG =
    "name: edge_zoo\nclock_mhz: 200\narray: {rows: 16, cols: 16, lanes: 8}\n"
    "precision: {weight_bits: [1, 2, 4, 8], act_bits: [1, 2, 4, 8], acc_bits: 32, max_reduction: 16384}\n"
    "postproc: {lanes: 16, internal_bits: 32, qn_mult_bits: 8, qn_bias_bits: 24, qn_shift_bits: 5,"
    " dq_mant_bits: 8, dq_exp_bits: 5, act_param_bits: 8, act_shift_bits: 4,"
    " activations: [relu, clip, prelu, dprelu, rprelu], residual: true, residual_shift_bits: 4,"
    " pooling: [max, avg, global_avg]}\n"
    "buffers: {weights: 65536, activations: 65536}\n"
    "offchip: {bytes_per_cycle: 8, latency: 20, addr_bits: 32}\nfpga: {family: generic}\n";

/* The network text with its input resolution replaced by 32 x 32. */
static char *reduced(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *out = malloc(n + 64), *o = out;
    const char *p = buf, *in = strstr(buf, "input: {");
    cr_assert(in, "%s: no input line", path);
    const char *h = strstr(in, "h: "), *w = strstr(in, "w: ");
    cr_assert(h && w && w > h);
    memcpy(o, p, (size_t)(h - p));
    o += h - p;
    o += sprintf(o, "h: 32, w: 32");
    p = strchr(w, ',');
    strcpy(o, p);
    return out;
}

Test(sim_zoo, every_network_at_32x32_matches_naive)
{
    pk_config_t *cfg = tsu_cfg(tsu_write("edge_zoo.yaml", CFG));
    DIR *d = opendir(PIKE_SOURCE_ROOT "/networks");
    cr_assert(d);
    struct dirent *de;
    char names[128][256];
    int nn = 0;
    while ((de = readdir(d)) && nn < 128)
        if (strstr(de->d_name, ".yaml"))
            snprintf(names[nn++], 256, "%.200s", de->d_name);
    closedir(d);
    cr_assert(nn >= 10, "zoo has %d networks", nn);
    for (int k = 0; k < nn; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%.700s/networks/%.200s", PIKE_SOURCE_ROOT, names[k]);
        char *text = reduced(path);
        pk_net_t *net = tsu_net(tsu_write("zoo.yaml", text));
        free(text);
        pk_hwnet_t *hw = NULL;
        pk_error_t e;
        pk_error_clear(&e);
        cr_assert_eq(pk_compile(net, cfg, 1, &hw, &e), 0, "%s: %s: %s", names[k], e.field, e.msg);
        int64_t nin = (int64_t)net->in_h * net->in_w * net->in_c;
        uint8_t *in = malloc((size_t)nin);
        for (int64_t i = 0; i < nin; i++)
            in[i] = (uint8_t)((i * 2654435761u >> 13) & ((1u << hw->tensors[0].bits) - 1));
        uint8_t **ts = NULL;
        cr_assert_eq(pk_func_run(hw, in, &ts, &e), 0, "%s: %s", names[k], e.msg);
        for (int i = 0; i < hw->n_layers; i++) {
            const pk_hwlayer_t *h = &hw->layers[i];
            int64_t n = (int64_t)h->out_h * h->out_w * h->out_c;
            uint8_t *ref = malloc((size_t)n);
            nv_layer(hw, i, ts, ref);
            int64_t bad = 0;
            for (int64_t q = 0; q < n; q++)
                bad += ref[q] != ts[h->t_out][q];
            cr_expect_eq(bad, 0, "%s layer %s: %lld of %lld differ", names[k], h->name,
                         (long long)bad, (long long)n);
            free(ref);
        }
        pk_func_free(hw, ts);
        free(in);
        pk_hwnet_free(hw);
        pk_net_free(net);
    }
    pk_config_free(cfg);
}
