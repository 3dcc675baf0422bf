/* test_sweep_area.c - the area model: the committed coefficients are the fit
 * of the committed Yosys data (sweep/pk_area_coef.h == pikesweep-areafit
 * benches/area/data.csv), the held-out error meets the target (median
 * |error| < 10%), and the estimate grows with the array. */
#include "pk_area.h"
#include "pk_config.h"
#include "test_sweep_util.h"

#define AREAFIT PIKE_BIN_DIR "/sweep/pikesweep-areafit"

Test(sweep_area, committed_coefficients_are_the_fit_of_the_committed_data)
{
    char *d = sw_tmpdir("area");
    cr_assert_eq(sw_sh("%s %s/benches/area/data.csv > %s/coef.h 2> %s/report", AREAFIT,
                       PIKE_SOURCE_ROOT, d, d), 0);
    char *fit = sw_slurp("%s/coef.h", d), *committed = sw_slurp("%s/sweep/pk_area_coef.h",
                                                                  PIKE_SOURCE_ROOT);
    cr_assert(fit && committed);
    cr_assert_str_eq(fit, committed, "refit: %s benches/area/data.csv > sweep/pk_area_coef.h",
                     AREAFIT);
    char *rep = sw_slurp("%s/report", d);
    const char *h = rep ? strstr(rep, "held out: ") : NULL;
    int n = 0;
    double med = 100, max = 100;
    cr_assert(h, "no held-out line in: %s", rep);
    cr_assert_eq(sscanf(h, "held out: %d configs, median |error| %lf%%, max %lf%%", &n, &med, &max),
                 3, "%s", h);
    cr_assert_geq(n, 3, "held-out configs");
    cr_expect_lt(med, 10.0, "held-out median |error| %.1f%% (target < 10%%)", med);
    free(rep);
    free(fit);
    free(committed);
    sw_rmdir(d);
}

Test(sweep_area, grows_with_the_array)
{
    pk_config_t *cfg = NULL;
    pk_error_t err = { 0 };
    cr_assert(pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml", &cfg, &err) == 0);
    pk_area_in_t in;
    pk_area_in_from_config(cfg, &in);
    double base = pk_area_estimate(&in);
    cr_assert_gt(base, 0);
    in.rows *= 2;
    cr_assert_gt(pk_area_estimate(&in), base);
    in.rows /= 2;
    in.lanes *= 2;
    cr_assert_gt(pk_area_estimate(&in), base);
    in.lanes /= 2;
    in.wmask = in.amask = 1u << 2; /* 4-bit only: fewer multiplier sets */
    cr_assert_lt(pk_area_estimate(&in), base);
    cr_assert_eq(pk_area_ram_bits(cfg), 2 * 8 * (65536 + 65536));
    pk_config_free(cfg);
}
