/* test_sweep_area.c - the area model, one coefficient set per architecture:
 * the committed coefficients are the fit of the committed Yosys data
 * (sweep/pk_area_coef_v1.h == pikesweep-areafit --arch v1
 * benches/area/data.csv, pk_area_coef_v2.h == pikesweep-areafit --arch v2
 * benches/area/data_v2.csv), the held-out error meets the target (median
 * |error| < 10%), the estimate grows with the array, and v2's estimate is
 * not v1's. */
#include "pk_area.h"
#include "pk_config.h"
#include "test_sweep_util.h"

#define AREAFIT PIKE_BIN_DIR "/sweep/pikesweep-areafit"

/* pikesweep-areafit --arch ARCH DATA equals the committed COEF header; its
 * held-out line: at least min_held configs, median |error| < 10%. */
static void committed_fit(const char *arch, const char *data, const char *coef, int min_held)
{
    char *d = sw_tmpdir("area");
    cr_assert_eq(sw_sh("%s --arch %s %s/benches/area/%s > %s/coef.h 2> %s/report", AREAFIT, arch,
                       PIKE_SOURCE_ROOT, data, d, d), 0, "%s", sw_slurp("%s/report", d));
    char *fit = sw_slurp("%s/coef.h", d), *committed = sw_slurp("%s/sweep/%s", PIKE_SOURCE_ROOT,
                                                                  coef);
    cr_assert(fit && committed);
    cr_assert_str_eq(fit, committed, "refit: %s --arch %s benches/area/%s > sweep/%s", AREAFIT,
                     arch, data, coef);
    char *rep = sw_slurp("%s/report", d);
    const char *h = rep ? strstr(rep, "held out: ") : NULL;
    int n = 0;
    double med = 100, max = 100;
    cr_assert(h, "no held-out line in: %s", rep);
    cr_assert_eq(sscanf(h, "held out: %d configs, median |error| %lf%%, max %lf%%", &n, &med, &max),
                 3, "%s", h);
    cr_assert_geq(n, min_held, "held-out configs");
    cr_expect_lt(med, 10.0, "%s: held-out median |error| %.1f%% (target < 10%%)", arch, med);
    free(rep);
    free(fit);
    free(committed);
    sw_rmdir(d);
}

Test(sweep_area, committed_v1_coefficients_are_the_fit_of_the_v1_data)
{
    committed_fit("v1", "data.csv", "pk_area_coef_v1.h", 3);
}

Test(sweep_area, committed_v2_coefficients_are_the_fit_of_the_v2_data)
{
    committed_fit("v2", "data_v2.csv", "pk_area_coef_v2.h", 3);
}

Test(sweep_area, grows_with_the_array_in_both_arches)
{
    pk_config_t *cfg = NULL;
    pk_error_t err = { 0 };
    cr_assert(pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml", &cfg, &err) == 0);
    double est[3];
    for (int arch = 1; arch <= 2; arch++) {
        pk_area_in_t in;
        pk_area_in_from_config(cfg, arch, &in);
        double base = est[arch] = pk_area_estimate(&in);
        cr_assert_gt(base, 0);
        in.rows *= 2;
        cr_assert_gt(pk_area_estimate(&in), base, "v%d: rows", arch);
        in.rows /= 2;
        in.lanes *= 2;
        cr_assert_gt(pk_area_estimate(&in), base, "v%d: lanes", arch);
        in.lanes /= 2;
        in.wmask = in.amask = 1u << 2; /* 4-bit only: fewer multiplier sets */
        cr_assert_lt(pk_area_estimate(&in), base, "v%d: modes", arch);
    }
    cr_assert_neq(est[1], est[2], "v2's estimate is v1's");
    cr_assert_eq(pk_area_ram_bits(cfg), 2 * 8 * (65536 + 65536));
    pk_config_free(cfg);
}
