/* pikeimport - import a quantized ONNX model (onnxruntime QDQ or QONNX) as a
 * Pike network: DIR/NAME.yaml plus one .npy weight and parameter file per
 * layer, for inspection and editing (docs/IMPORT.md).
 *
 *   pikeimport --model M.onnx --config CFG.yaml --out DIR [--approx]
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
    fprintf(f, "usage: pikeimport --model M.onnx --config CFG.yaml --out DIR [--approx]\n");
}

int main(int argc, char **argv)
{
    const char *model = NULL, *cfg_path = NULL, *out = NULL;
    pk_onnx_opts_t o = { 0, stdout };
    pk_error_t err;
    pk_error_clear(&err);
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = strcmp(a, "--model") == 0 ? &model
                           : strcmp(a, "--config") == 0 ? &cfg_path
                           : strcmp(a, "--out") == 0 ? &out : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
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
    if (rc) {
        char msg[2048];
        pk_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return pk_error_exit_status(rc);
    }
    return 0;
}
