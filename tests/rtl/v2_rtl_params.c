/* v2_rtl_params - print pk_core2's parameters for a config (core/pk_v2_rtl.h),
 * one `-GNAME=value` a line (Verilator's and Icarus' -P syntax differ; the
 * lint scripts turn these into either), so that the lint sets use the one
 * function pikegen and pikecheck use.  Usage: v2_rtl_params CONFIG.yaml */
#include <stdio.h>

#include "pk_config.h"
#include "pk_v2_rtl.h"

int main(int argc, char **argv)
{
    pk_config_t *cfg;
    pk_error_t e;
    if (argc != 2) {
        fprintf(stderr, "usage: v2_rtl_params CONFIG.yaml\n");
        return 2;
    }
    if (pk_config_load(argv[1], &cfg, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 2;
    }
    pk_v2_rtl_param_t p[PK_V2_RTL_MAX_PARAMS];
    int n = pk_v2_rtl_params(cfg, p, PK_V2_RTL_MAX_PARAMS);
    for (int i = 0; i < n && i < PK_V2_RTL_MAX_PARAMS; i++)
        printf("-G%s=%lld\n", p[i].name, (long long)p[i].value);
    pk_config_free(cfg);
    return 0;
}
