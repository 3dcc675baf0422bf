/* test_net_zoo.c - every networks/NAME.yaml loads; the MAC counts of the zoo
 * equal the published ones; ACE matches the reference value of
 * domain/METRICS.md; shapes of a few hand-checked layers; the parameter
 * generator is deterministic and stays inside its ranges. */
#define _POSIX_C_SOURCE 200809L /* popen */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pk_metrics.h"
#include "pk_net.h"

#define NETS PIKE_SOURCE_ROOT "/networks/"

static pk_net_t *load(const char *path)
{
    pk_net_t *net = NULL;
    pk_error_t err = { 0 };
    int rc = pk_net_load(path, &net, &err);
    char msg[2048];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s: %s", path, msg);
    return net;
}

Test(net_zoo, every_network_loads)
{
    FILE *p = popen("ls " NETS "*.yaml", "r");
    cr_assert_not_null(p);
    char path[1024];
    int n = 0;
    while (fgets(path, sizeof path, p)) {
        path[strcspn(path, "\n")] = '\0';
        pk_net_t *net = load(path);
        cr_expect_gt(net->n_layers, 0, "%s", path);
        cr_expect_gt(net->total_macs, 0, "%s", path);
        /* the file name is the network name */
        const char *base = strrchr(path, '/') + 1;
        cr_expect(strncmp(base, net->name, strlen(net->name)) == 0 &&
                  strcmp(base + strlen(net->name), ".yaml") == 0, "%s vs name %s", base,
                  net->name);
        pk_net_free(net);
        n++;
    }
    pclose(p);
    cr_expect_geq(n, 20, "zoo has %d networks", n);
}

typedef struct {
    const char *file;
    int64_t macs;
} macs_case_t;

/* Published counts (224x224, one image, conv + fc): METRICS.md for ResNet-18,
 * ResNet-50, MobileNetV1; ResNet-34 and MobileNetV2 checked independently
 * (closed-form per-stage sums, docs/NETWORK.md). */
static const macs_case_t published[] = {
    { "resnet18_w8a8.yaml", 1814073344LL },   { "resnet18_w4a4.yaml", 1814073344LL },
    { "resnet18_w4a4_fe.yaml", 1814073344LL }, { "resnet34_w8a8.yaml", 3663761408LL },
    { "resnet34_w4a4.yaml", 3663761408LL },   { "resnet50_w8a8.yaml", 4089184256LL },
    { "resnet50_w4a4.yaml", 4089184256LL },   { "resnet50_w4a4_fe.yaml", 4089184256LL },
    { "mobilenetv1_w4a4.yaml", 568740352LL }, { "mobilenetv1_w4a4_prelu.yaml", 568740352LL },
    { "mobilenetv2_w4a4.yaml", 300774272LL }, { "mobilenetv2_w4a4_prelu_fe.yaml", 300774272LL },
};

Test(net_zoo, published_mac_counts)
{
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", NETS, published[i].file);
        pk_net_t *net = load(path);
        cr_expect_eq(net->total_macs, published[i].macs, "%s: %lld MACs, want %lld",
                     published[i].file, (long long)net->total_macs,
                     (long long)published[i].macs);
        pk_metrics_t t;
        pk_metrics_net(net, NULL, NULL, &t);
        cr_expect_eq(t.macs, net->total_macs);
        pk_net_free(net);
    }
}

/* METRICS.md: ResNet-50 with every layer at 4-bit weights and activations
 * has ACE 65,426,948,096 (google/aqt size_stats). */
Test(net_zoo, resnet50_all4_ace)
{
    pk_net_t *net = load(PIKE_SOURCE_ROOT "/tests/data/net/resnet50_all4.yaml");
    pk_metrics_t t;
    pk_metrics_net(net, NULL, NULL, &t);
    cr_expect_eq(t.macs, 4089184256LL);
    cr_expect_eq(t.ace, 65426948096LL, "ACE %lld", (long long)t.ace);
    pk_net_free(net);
}

/* ACE = sum MACs * b_w * b_a with a_bits the INPUT width: the w4a4 ResNet-50
 * with 8-bit first and last layers, computed here layer by layer from the
 * published geometry (conv1 118,013,952 MACs at 8x8, fc 2,048,000 at 8x8,
 * the rest at 4x4). */
Test(net_zoo, resnet50_w4a4_ace_first_last_8bit)
{
    pk_net_t *net = load(NETS "resnet50_w4a4.yaml");
    pk_metrics_t t;
    pk_metrics_net(net, NULL, NULL, &t);
    int64_t first = 112LL * 112 * 64 * 7 * 7 * 3, last = 2048LL * 1000;
    cr_expect_eq(net->layers[0].macs, first);
    cr_expect_eq(net->layers[net->n_layers - 1].macs, last);
    int64_t want = (first + last) * 64 + (4089184256LL - first - last) * 16;
    cr_expect_eq(t.ace, want, "ACE %lld want %lld", (long long)t.ace, (long long)want);
    pk_net_free(net);
}

/* A float-elementwise variant has the same ACE as its integer twin (same MAC
 * layers and widths) but a larger ACEv2: the cost ACE misses. */
Test(net_zoo, float_elementwise_variants)
{
    static const char *pairs[][2] = {
        { "resnet18_w4a4", "resnet18_w4a4_fe" },       { "resnet50_w4a4", "resnet50_w4a4_fe" },
        { "mobilenetv1_w4a4", "mobilenetv1_w4a4_fe" }, { "mobilenetv2_w4a4_prelu",
                                                         "mobilenetv2_w4a4_prelu_fe" },
        { "pikelpn_1x", "pikelpn_1x_fe" },             { "pikelpn_3x", "pikelpn_3x_fe" },
        { "reactnet_a", "reactnet_a_fe" },             { "pokebnn_1_0", "pokebnn_1_0_fe" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s%s.yaml", NETS, pairs[i][0]);
        snprintf(b, sizeof b, "%s%s.yaml", NETS, pairs[i][1]);
        pk_net_t *ni = load(a), *nf = load(b);
        pk_metrics_t ti, tf;
        pk_metrics_net(ni, NULL, NULL, &ti);
        pk_metrics_net(nf, NULL, NULL, &tf);
        cr_expect_eq(ti.macs, tf.macs, "%s", pairs[i][1]);
        cr_expect_eq(ti.ace, tf.ace, "%s: ACE %lld vs %lld", pairs[i][1], (long long)ti.ace,
                     (long long)tf.ace);
        cr_expect_gt(tf.ew_total, 2.0 * ti.ew_total, "%s: float elementwise %.0f vs int %.0f",
                     pairs[i][1], tf.ew_total, ti.ew_total);
        pk_net_free(ni);
        pk_net_free(nf);
    }
}

/* Hand-checked shapes: ResNet-18 conv1 / pool1 / the first downsample, a
 * MobileNetV1 depthwise layer, the ReActNet concat. */
Test(net_zoo, shapes)
{
    pk_net_t *net = load(NETS "resnet18_w4a4.yaml");
    const pk_layer_t *L = &net->layers[pk_net_find(net, "conv1")];
    cr_expect(L->out_h == 112 && L->out_w == 112 && L->out_c == 64 && L->K == 147);
    L = &net->layers[pk_net_find(net, "pool1")];
    cr_expect(L->out_h == 56 && L->out_c == 64 && L->macs == 0 && L->K == 9);
    L = &net->layers[pk_net_find(net, "s2b1_down")];
    cr_expect(L->in_h == 56 && L->out_h == 28 && L->out_c == 128 && L->K == 64);
    cr_expect_eq(L->input[0], pk_net_find(net, "s1b2_add"));
    L = &net->layers[pk_net_find(net, "s2b1_add")];
    cr_expect_eq(L->n_inputs, 2);
    cr_expect_eq(L->input[1], pk_net_find(net, "s2b1_down"));
    L = &net->layers[pk_net_find(net, "fc")];
    cr_expect(L->K == 512 && L->out_c == 1000 && L->a_bits == 8 && L->w_bits == 8);
    pk_net_free(net);

    net = load(NETS "mobilenetv1_w4a4.yaml");
    L = &net->layers[pk_net_find(net, "dw2")];
    cr_expect(L->depthwise && L->groups == 64 && L->K == 9 && L->out_h == 56 &&
              L->macs == 56LL * 56 * 64 * 9);
    pk_net_free(net);

    net = load(NETS "reactnet_a.yaml");
    L = &net->layers[pk_net_find(net, "b1_cat")];
    cr_expect(L->op == PK_OP_CONCAT && L->in_c == 32 && L->out_c == 64 && L->macs == 0);
    L = &net->layers[pk_net_find(net, "b2_c3")];
    cr_expect(L->w_bits == 1 && L->a_bits == 1 && L->in_bits[0] == 8);
    pk_net_free(net);
}

/* The generator: same seed, same numbers; different layers differ; values
 * within the documented ranges. */
Test(net_zoo, deterministic_params)
{
    pk_net_t *net = load(NETS "resnet18_w4a4.yaml");
    int li = pk_net_find(net, "s1b1_c1");
    const pk_layer_t *L = &net->layers[li];
    int64_t n = L->n_weights;
    int32_t *w1 = malloc(n * sizeof *w1), *w2 = malloc(n * sizeof *w2);
    cr_assert(w1 && w2);
    cr_assert_eq(pk_net_gen_weights(net, li, w1, NULL), 0);
    cr_assert_eq(pk_net_gen_weights(net, li, w2, NULL), 0);
    cr_expect(memcmp(w1, w2, n * sizeof *w1) == 0);
    int lo = 0, hi = 0;
    for (int64_t i = 0; i < n; i++) {
        cr_assert(w1[i] >= -7 && w1[i] <= 7, "weight %d", w1[i]);
        lo |= w1[i] == -7;
        hi |= w1[i] == 7;
    }
    cr_expect(lo && hi, "the full 4-bit range is drawn");
    cr_assert_eq(pk_net_gen_weights(net, li + 1, w2, NULL), 0);
    cr_expect(memcmp(w1, w2, n * sizeof *w1) != 0, "layers draw from different streams");

    pk_chan_params_t *p = calloc(L->n_param_sets, sizeof *p);
    pk_layer_params_t lp;
    cr_assert_eq(pk_net_gen_params(net, li, NULL, p, &lp, NULL), 0);
    int distinct = 0;
    for (int c = 0; c < L->n_param_sets; c++) {
        cr_expect(p[c].m >= 1 && p[c].m <= 127 && p[c].s >= 0 && p[c].s <= 31);
        cr_expect(p[c].M >= 1 && p[c].M <= 255 && p[c].E >= 0 && p[c].E <= 31);
        distinct += c > 0 && p[c].m != p[0].m;
    }
    cr_expect_gt(distinct, 0, "per-channel parameters differ");
    /* no net draws from the clock: a second load gives the same parameters */
    pk_net_t *again = load(NETS "resnet18_w4a4.yaml");
    pk_chan_params_t *q = calloc(L->n_param_sets, sizeof *q);
    cr_assert_eq(pk_net_gen_params(again, li, NULL, q, NULL, NULL), 0);
    cr_expect(memcmp(p, q, L->n_param_sets * sizeof *p) == 0);
    free(w1);
    free(w2);
    free(p);
    free(q);
    pk_net_free(net);
    pk_net_free(again);

    /* fc has no weights to refuse; a pool layer has none */
    net = load(NETS "resnet18_w4a4.yaml");
    pk_error_t err = { 0 };
    int32_t dummy;
    cr_expect_eq(pk_net_gen_weights(net, pk_net_find(net, "pool1"), &dummy, &err), PK_EINPUT);
    pk_net_free(net);
}

/* splitmix64 reference values (seed 0): the first three outputs of the
 * published algorithm (Steele et al.; also java.util.SplittableRandom). */
Test(net_zoo, splitmix64_reference)
{
    pk_rng_t r;
    pk_rng_seed(&r, 0);
    cr_expect_eq(pk_rng_next(&r), 0xE220A8397B1DCDAFull);
    cr_expect_eq(pk_rng_next(&r), 0x6E789E6AA1B965F4ull);
    cr_expect_eq(pk_rng_next(&r), 0x06C45D188009454Full);
    for (int i = 0; i < 1000; i++) {
        int64_t v = pk_rng_range(&r, -3, 5);
        cr_assert(v >= -3 && v <= 5);
    }
}

/* The ACEv2 table is overridable by name; unknown names are refused. */
Test(net_zoo, acev2_constants)
{
    pk_net_t *net = load(NETS "mobilenetv1_w4a4_prelu_fe.yaml");
    pk_metrics_const_t k;
    pk_metrics_const_default(&k);
    pk_metrics_t a, b;
    pk_metrics_net(net, &k, NULL, &a);
    pk_error_t err = { 0 };
    cr_expect_eq(pk_metrics_const_set(&k, "float_bits", 16, &err), 0);
    pk_metrics_net(net, &k, NULL, &b);
    cr_expect_lt(b.acev2, a.acev2, "fp16 elementwise is cheaper than fp32");
    cr_expect_eq(b.ace, a.ace);
    cr_expect_eq(pk_metrics_const_set(&k, "prelu.mul", 0, &err), 0);
    pk_metrics_t c;
    pk_metrics_net(net, &k, NULL, &c);
    cr_expect_lt(c.ew[PK_EW_ACT], b.ew[PK_EW_ACT]);
    cr_expect_eq(pk_metrics_const_set(&k, "nonsense", 1, &err), PK_EINPUT);
    cr_expect(strstr(err.msg, "unknown constant 'nonsense'") != NULL, "%s", err.msg);
    pk_error_clear(&err);
    cr_expect_eq(pk_metrics_const_set(&k, "relu.div", 1, &err), PK_EINPUT);
    pk_net_free(net);
}

/* docs/NETWORK.md's zoo table is measured, not typed: every row between the
 * zoo-table markers must equal what pk_metrics_net computes now. */
Test(net_zoo, doc_table)
{
    FILE *f = fopen(PIKE_SOURCE_ROOT "/docs/NETWORK.md", "r");
    cr_assert_not_null(f);
    char line[1024];
    int in_table = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "<!-- zoo-table -->")) {
            in_table = 1;
            continue;
        }
        if (strstr(line, "<!-- /zoo-table -->"))
            break;
        char name[128];
        long long macs, ace, acev2;
        if (!in_table || sscanf(line, "| %127s | %lld | %lld | %lld |", name, &macs, &ace,
                                &acev2) != 4)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s%s.yaml", NETS, name);
        pk_net_t *net = load(path);
        pk_metrics_t t;
        pk_metrics_net(net, NULL, NULL, &t);
        cr_expect_eq(t.macs, macs, "%s MACs %lld", name, (long long)t.macs);
        cr_expect_eq(t.ace, ace, "%s ACE %lld", name, (long long)t.ace);
        cr_expect_eq(llround(t.acev2), acev2, "%s ACEv2 %.0f", name, t.acev2);
        pk_net_free(net);
        rows++;
    }
    fclose(f);
    cr_expect_geq(rows, 27, "table rows found: %d", rows);
}
