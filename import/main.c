/* pikeimport - import a quantized ONNX model (onnxruntime QDQ or QONNX) as a
 * Pike network: DIR/NAME.yaml plus one .npy weight and parameter file per
 * layer, for inspection and editing (docs/IMPORT.md).
 *
 *   pikeimport --model M.onnx --config CFG.yaml --out DIR [--approx]
 *   pikeimport --model M.onnx --check-configs CFG.yaml...
 *
 * --check-configs writes nothing: per config and layer, "exact" or the
 * worst-case error and the config keys too narrow with the widths an exact
 * form needs (exit 0 when some config runs the whole model exactly, else 1).
 *
 * The parameters are fitted to CFG's post-processing widths.  A layer that
 * cannot be exact on CFG is an error unless --approx (then its worst-case
 * error in output LSBs is printed).  Exit status: 0 ok, 2 bad input (one
 * "FILE: node NAME (OpType): message"; nothing written), 1 other.
 */
#include <stdio.h>
#include <string.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_onnx_import.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: pikeimport --model M.onnx --config CFG.yaml --out DIR [--approx]\n"
               "       pikeimport --model M.onnx --check-configs CFG.yaml...\n");
}

/* --check-configs: one table over the configs; 0 when one of them is exact. */
static int check_configs(const char *model, char **cfgs, int n, pk_error_t *err)
{
    int any = 0, rc = 0;
    printf("%-16s %-20s %s\n", "config", "layer", "exact / worst case and what is too narrow");
    for (int i = 0; i < n && !rc; i++) {
        pk_config_t *cfg = NULL;
        int bad = 0;
        rc = pk_config_load(cfgs[i], &cfg, err);
        if (!rc)
            rc = pk_onnx_check(model, cfg, stdout, &bad, err);
        if (!rc)
            printf("%-16s %s\n", cfg->name, bad ? "not exact" : "EXACT: runs the model exactly");
        any |= !rc && !bad;
        pk_config_free(cfg);
    }
    return rc ? rc : any ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *model = NULL, *cfg_path = NULL, *out = NULL;
    pk_onnx_opts_t o = { 0, stdout };
    pk_error_t err;
    pk_error_clear(&err);
    int rc = 0, n_ccfg = 0;
    char **ccfg = NULL;
    for (int i = 1; i < argc && !rc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = strcmp(a, "--model") == 0 ? &model
                           : strcmp(a, "--config") == 0 ? &cfg_path
                           : strcmp(a, "--out") == 0 ? &out : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--check-configs") == 0) {
            int n = 0;
            while (i + 1 + n < argc && strncmp(argv[i + 1 + n], "--", 2) != 0)
                n++;
            if (!n)
                rc = pk_error_set(&err, PK_EINPUT, "pikeimport", 0, a, "missing config files");
            ccfg = argv + i + 1;
            n_ccfg = n;
            i += n;
        } else if (strcmp(a, "--approx") == 0) {
            o.approx = 1;
        } else if (!dst) {
            rc = pk_error_set(&err, PK_EINPUT, "pikeimport", 0, a, "unknown option (see --help)");
        } else if (!v) {
            rc = pk_error_set(&err, PK_EINPUT, "pikeimport", 0, a, "missing value");
        } else {
            *dst = v;
            i++;
        }
    }
    if (!rc && n_ccfg && model) {
        rc = check_configs(model, ccfg, n_ccfg, &err);
        if (rc <= 0)
            goto out;
        return rc;
    }
    const char *missing = !model ? "--model" : !cfg_path ? "--config" : !out ? "--out" : NULL;
    if (!rc && missing)
        rc = pk_error_set(&err, PK_EINPUT, "pikeimport", 0, missing, "missing (see --help)");
    pk_config_t *cfg = NULL;
    if (!rc)
        rc = pk_config_load(cfg_path, &cfg, &err);
    char yaml[4096];
    if (!rc)
        rc = pk_onnx_import(model, cfg, &o, out, yaml, sizeof yaml, NULL, &err);
    if (!rc)
        printf("pikeimport: wrote %s\n", yaml);
    pk_config_free(cfg);
out:
    if (rc) {
        char msg[2048];
        pk_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return pk_error_exit_status(rc);
    }
    return 0;
}
