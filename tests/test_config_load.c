/* test_config_load.c - the shipped hardware configs load, the derived
 * constants follow docs/ARCHITECTURE_V1.md section 3, defaults apply, and the
 * JSON echo is byte-stable. */
#define _POSIX_C_SOURCE 200809L /* opendir, mkstemp */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_config.h"

#define CFG_DIR PIKE_SOURCE_ROOT "/hw_configs"

static pk_config_t *load_ok(const char *path)
{
    pk_config_t *cfg = NULL;
    pk_error_t err;
    pk_error_clear(&err);
    int rc = pk_config_load(path, &cfg, &err);
    char msg[2048];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "%s did not load: %s", path, msg);
    cr_assert_not_null(cfg);
    return cfg;
}

/* Write text to a fresh temp file; returns its path (caller unlinks). */
static char *temp_yaml(const char *text)
{
    char *path = strdup("/tmp/pk_cfg_test_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* edge.yaml with its energy section replaced by `energy` (may be ""). */
static char *edge_with_energy(const char *energy)
{
    FILE *f = fopen(CFG_DIR "/edge.yaml", "r");
    cr_assert_not_null(f);
    char line[512], text[16384] = "";
    int in_energy = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "energy:", 7)) {
            in_energy = 1;
            strcat(text, energy);
            continue;
        }
        if (in_energy && line[0] == ' ')
            continue;
        in_energy = 0;
        strcat(text, line);
    }
    fclose(f);
    return temp_yaml(text);
}

Test(config_load, every_shipped_config_loads_and_is_named_after_its_file)
{
    DIR *d = opendir(CFG_DIR);
    cr_assert_not_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CFG_DIR, e->d_name);
        pk_config_t *cfg = load_ok(path);
        cr_expect(strlen(cfg->name) == len - 5 && !strncmp(cfg->name, e->d_name, len - 5),
                  "%s has name '%s'", e->d_name, cfg->name);
        cr_expect_str_eq(cfg->source, path);
        pk_config_free(cfg);
        n++;
    }
    closedir(d);
    cr_expect_geq(n, 3, "edge, ice40 and cloud must all be shipped");
}

Test(config_load, edge_fields_and_derived_constants)
{
    pk_config_t *c = load_ok(CFG_DIR "/edge.yaml");
    const pk_derived_t *d = pk_config_derived(c);
    cr_expect_eq(d, &c->d);
    cr_expect_str_eq(c->name, "edge");
    cr_expect_float_eq(c->clock_mhz, 200.0, 1e-12);
    cr_expect_eq(c->array.rows, 16);
    cr_expect_eq(c->array.cols, 16);
    cr_expect_eq(c->array.lanes, 8);
    cr_expect_eq(c->precision.weight_bits_count, 4);
    cr_expect_eq(c->precision.act_bits[3], 8);
    cr_expect_eq(c->precision.acc_bits, 32);
    cr_expect_eq(c->precision.max_reduction, 16384);
    /* min_depthwise_weight_bits 4: depthwise widths [4, 8] of [1, 2, 4, 8] */
    cr_expect_eq(c->precision.min_depthwise_weight_bits, 4);
    cr_expect_eq(pk_config_has_wbits(c, 1), 1);
    cr_expect_eq(pk_config_has_dw_wbits(c, 1), 0);
    cr_expect_eq(pk_config_has_dw_wbits(c, 2), 0);
    cr_expect_eq(pk_config_has_dw_wbits(c, 4), 1);
    cr_expect_eq(c->postproc.lanes, 16);
    cr_expect_eq(c->postproc.residual, 1);
    cr_expect_eq(c->buffers.weights, 65536);
    cr_expect_eq(c->offchip.latency, 20);
    cr_expect_eq(c->fpga.family, PK_FPGA_XILINX);
    cr_expect_str_eq(c->fpga.device, "xcvu7p-flva2104-1-e");
    cr_expect_str_eq(c->fpga.package, "");

    cr_expect_eq(d->slot_bits, 8);
    cr_expect_eq(d->word_bits, 64);
    cr_expect_eq(d->word_bytes, 8);
    cr_expect_eq(d->wbuf_depth, 512);  /* 65536 / (16 * 8) */
    cr_expect_eq(d->pbuf_depth, 512);
    cr_expect_eq(d->kc_max, 512);
    cr_expect_eq(d->param_bytes, 32);
    cr_expect_eq(d->desc_bytes, 64);
    cr_expect_eq(d->width_mask_w, 0xFu);
    cr_expect_eq(d->width_mask_a, 0xFu);
    cr_expect_eq(d->act_mask, 0x3Fu);  /* none + 5 listed */
    cr_expect_eq(d->pool_mask, 0x7u);
    cr_expect_eq(d->ppu_cycles_per_row, 1);
    cr_expect_eq(d->min_acc_bits, 30); /* 8 + 8 + 14 */

    cr_expect_eq(pk_pack_factor(c, 8, 8), 1);
    cr_expect_eq(pk_pack_factor(c, 4, 8), 1);
    cr_expect_eq(pk_pack_factor(c, 4, 4), 2);
    cr_expect_eq(pk_pack_factor(c, 2, 1), 4);
    cr_expect_eq(pk_pack_factor(c, 1, 1), 8);
    cr_expect_eq(pk_pack_factor(c, 3, 3), 0);
    cr_expect_eq(pk_pack_factor(c, 16, 8), 0);
    cr_expect_eq(pk_peak_macs_per_cycle(c, 8, 8), 16 * 16 * 8);
    cr_expect_eq(pk_peak_macs_per_cycle(c, 1, 1), 16 * 16 * 8 * 8);
    cr_expect_float_eq(pk_energy_mult_pj(c, 8, 8), 0.2, 1e-12);
    cr_expect_float_eq(pk_energy_mult_pj(c, 4, 4), 0.05, 1e-12); /* (16/64)^1 */
    pk_config_free(c);
}

Test(config_load, ice40_is_small_and_narrow)
{
    pk_config_t *c = load_ok(CFG_DIR "/ice40.yaml");
    const pk_derived_t *d = &c->d;
    cr_expect_eq(c->fpga.family, PK_FPGA_ICE40);
    cr_expect_str_eq(c->fpga.device, "up5k");
    cr_expect_str_eq(c->fpga.package, "sg48");
    cr_expect_eq(d->slot_bits, 4);
    cr_expect_eq(d->word_bytes, 4);
    cr_expect_eq(d->width_mask_w, 0x6u); /* {2, 4} */
    cr_expect_eq(d->ppu_cycles_per_row, c->array.cols / c->postproc.lanes);
    cr_expect_eq(d->kc_max, d->wbuf_depth < d->pbuf_depth ? d->wbuf_depth : d->pbuf_depth);
    cr_expect(c->precision.acc_bits >= d->min_acc_bits);
    cr_expect_eq(pk_pack_factor(c, 2, 2), 2);
    cr_expect_eq(pk_pack_factor(c, 8, 8), 0, "8-bit is not supported on ice40.yaml");
    cr_expect_eq(pk_pack_factor(c, 1, 1), 0);
    cr_expect_eq(pk_config_has_wbits(c, 4), 1);
    cr_expect_eq(pk_config_has_abits(c, 1), 0);
    /* min_depthwise_weight_bits 4: depthwise widths [4] of [2, 4] */
    cr_expect_eq(pk_config_has_dw_wbits(c, 2), 0);
    cr_expect_eq(pk_config_has_dw_wbits(c, 4), 1);
    cr_expect_eq(pk_config_has_dw_wbits(c, 8), 0); /* not a weight width */
    pk_config_free(c);
    /* no min_depthwise_weight_bits (tiny2): 1, every weight width */
    c = load_ok(PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml");
    cr_expect_eq(c->precision.min_depthwise_weight_bits, 1);
    for (int i = 0; i < c->precision.weight_bits_count; i++)
        cr_expect_eq(pk_config_has_dw_wbits(c, c->precision.weight_bits[i]), 1);
    cr_expect_eq(pk_config_has_dw_wbits(c, 3), 0);
    pk_config_free(c);
}

Test(config_load, omitted_energy_keys_take_the_documented_defaults)
{
    /* ice40.yaml has no energy section; edge.yaml writes the defaults out. */
    pk_config_t *a = load_ok(CFG_DIR "/ice40.yaml");
    pk_config_t *b = load_ok(CFG_DIR "/edge.yaml");
    cr_expect_eq(memcmp(&a->energy, &b->energy, sizeof a->energy), 0);
    cr_expect_float_eq(a->energy.dram_byte_pj, 243.75, 1e-12);
    cr_expect_float_eq(a->energy.mult_exponent, 2.0, 1e-12);
    pk_config_free(a);
    pk_config_free(b);

    /* one key overridden, the rest default */
    char *p = edge_with_energy("energy:\n  mult_exponent: 1.5\n");
    pk_config_t *c = load_ok(p);
    cr_expect_float_eq(c->energy.mult_exponent, 1.5, 1e-12);
    cr_expect_float_eq(c->energy.int_mult_8b_pj, 0.2, 1e-12);
    cr_expect_float_eq(pk_energy_mult_pj(c, 4, 4), 0.2 * pow(0.25, 0.75), 1e-12);
    pk_config_free(c);
    unlink(p);
    free(p);

    /* no energy section at all, and an empty one */
    p = edge_with_energy("");
    c = load_ok(p);
    cr_expect_float_eq(c->energy.sram_read_64b_pj, 10.0, 1e-12);
    pk_config_free(c);
    unlink(p);
    free(p);
    p = edge_with_energy("energy: {}\n");
    c = load_ok(p);
    cr_expect_float_eq(c->energy.static_pj_per_cycle, 0.0, 1e-12);
    pk_config_free(c);
    unlink(p);
    free(p);
}

static char *dump(const pk_config_t *c, size_t flags)
{
    json_t *j = NULL;
    cr_assert_eq(pk_config_to_json(c, &j), 0);
    char *s = json_dumps(j, flags);
    json_decref(j);
    cr_assert_not_null(s);
    return s;
}

Test(config_load, json_echo_is_stable_sorted_and_complete)
{
    pk_config_t *a = load_ok(CFG_DIR "/edge.yaml");
    pk_config_t *b = load_ok(CFG_DIR "/edge.yaml");
    char *s1 = dump(a, JSON_COMPACT);
    char *s2 = dump(b, JSON_COMPACT);
    char *s3 = dump(a, JSON_COMPACT | JSON_SORT_KEYS);
    cr_expect_str_eq(s1, s2, "two loads of one file must echo identically");
    cr_expect_str_eq(s1, s3, "objects must already be in sorted key order");

    json_error_t je;
    json_t *j = json_loads(s1, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    json_t *cfg = json_object_get(j, "config"), *der = json_object_get(j, "derived");
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(cfg, "array"), "rows")), 16);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(cfg, "fpga"), "family")),
                     "xilinx");
    cr_expect_eq(json_array_size(json_object_get(json_object_get(cfg, "postproc"),
                                                 "activations")), 5);
    cr_expect_eq(json_object_size(json_object_get(cfg, "energy")), 13);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(cfg, "precision"),
                                                    "min_depthwise_weight_bits")), 4);
    cr_expect_eq(json_integer_value(json_object_get(der, "kc_max")), 512);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(der, "peak_macs_per_cycle"),
                                                    "w4a4")), 4096);
    /* every top-level YAML key appears in the echo */
    const char *keys[] = {"name", "clock_mhz", "array", "precision", "postproc",
                          "buffers", "offchip", "energy", "fpga"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        cr_expect_not_null(json_object_get(cfg, keys[i]), "echo lacks %s", keys[i]);
    json_decref(j);

    pk_config_t *c = load_ok(CFG_DIR "/cloud.yaml");
    char *s4 = dump(c, JSON_COMPACT);
    cr_expect_str_neq(s1, s4);
    free(s1);
    free(s2);
    free(s3);
    free(s4);
    pk_config_free(a);
    pk_config_free(b);
    pk_config_free(c);
}

Test(config_load, width_lists_are_stored_ascending)
{
    char *p = edge_with_energy("");
    /* rewrite the width lists out of order */
    FILE *f = fopen(p, "r");
    char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *w = strstr(text, "weight_bits: [1, 2, 4, 8]");
    cr_assert_not_null(w);
    memcpy(w, "weight_bits: [8, 1, 4, 2]", 25);
    char *q = temp_yaml(text);
    pk_config_t *c = load_ok(q);
    cr_expect_eq(c->precision.weight_bits[0], 1);
    cr_expect_eq(c->precision.weight_bits[3], 8);
    cr_expect_eq(c->d.width_mask_w, 0xFu);
    pk_config_free(c);
    unlink(p);
    unlink(q);
    free(p);
    free(q);
}

Test(config_load, free_null_is_a_no_op)
{
    pk_config_free(NULL);
    cr_expect_str_eq(pk_act_name(PK_ACT_RPRELU), "rprelu");
    cr_expect_str_eq(pk_pool_name(PK_POOL_GLOBAL_AVG), "global_avg");
    cr_expect_str_eq(pk_fpga_family_name(PK_FPGA_ICE40), "ice40");
    cr_expect_null(pk_act_name(PK_ACT_COUNT));
}

Test(config_load, pooling_defaults_to_none_and_generic_needs_no_device)
{
    char *p = edge_with_energy("");
    FILE *f = fopen(p, "r");
    char out[16384] = "", line[512];
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "pooling:") || strstr(line, "device:"))
            continue;
        if (strstr(line, "family:"))
            strcpy(line, "  family: generic\n");
        strcat(out, line);
    }
    fclose(f);
    char *q = temp_yaml(out);
    pk_config_t *c = load_ok(q);
    cr_expect_eq(c->d.pool_mask, 0u);
    cr_expect_eq(c->fpga.family, PK_FPGA_GENERIC);
    cr_expect_str_eq(c->fpga.device, "");
    json_t *j = NULL;
    cr_assert_eq(pk_config_to_json(c, &j), 0);
    cr_expect_eq(json_array_size(json_object_get(json_object_get(json_object_get(j, "config"),
                                                                 "postproc"), "pooling")), 0);
    json_decref(j);
    pk_config_free(c);
    unlink(p);
    unlink(q);
    free(p);
    free(q);
}
