/* fuzz_onnx.c - libFuzzer harness for the ONNX reader and importer.
 *
 * Each input is a candidate .onnx file.  pk_onnx_net_load() (reader, import
 * with approx onto the shipped edge config, then the network loader on the
 * written YAML) must either accept it or return PK_EINPUT with a message -
 * never crash, leak, hang or return another code.  An accepted network is
 * compiled onto edge.yaml (without data) as pikesim --timing-only would.
 * Build and run: tests/fuzz/run.sh SECONDS onnx.
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "pk_compile.h"
#include "pk_onnx_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pk_config_t *edge_cfg = pk_fuzz_edge("fuzz_onnx");
    const char *path = pk_fuzz_file(data, size, "model.onnx");
    if (!path)
        return 0;
    pk_onnx_opts_t o = { 1, NULL };
    pk_net_t *net = NULL;
    pk_error_t err = { 0 };
    char tmp[64];
    int rc = pk_onnx_net_load(path, edge_cfg, &o, &net, NULL, tmp, &err);
    if (rc) {
        if (net || rc != PK_EINPUT || !err.file[0] || !err.msg[0])
            abort();
        return 0;
    }
    pk_hwnet_t *hw = NULL;
    pk_error_t cerr = { 0 };
    rc = pk_compile(net, edge_cfg, 0, &hw, &cerr);
    if (rc == 0)
        pk_hwnet_free(hw);
    else if (rc != PK_EINPUT || hw)
        abort();
    pk_net_free(net);
    pk_onnx_net_cleanup(tmp);
    return 0;
}
