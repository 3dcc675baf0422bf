/* fuzz_net.c - libFuzzer harness for the network loader.
 *
 * Each input is a candidate networks/NAME.yaml.  pk_net_load() must either
 * accept it or return PK_EINPUT with a message - never crash, leak, hang or
 * return another code.  An accepted network is then mapped onto the shipped
 * edge config (pk_compile, without data) and run through the cycle model
 * (pk_timing_run), which is what pikesim --timing-only does with it.
 * Build and run: tests/fuzz/run.sh (see there).
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "pk_compile.h"
#include "pk_net.h"
#include "pk_timing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pk_config_t *edge_cfg = pk_fuzz_edge("fuzz_net");
    const char *path = pk_fuzz_file(data, size, "net.yaml");
    if (!path)
        return 0;
    pk_net_t *net = NULL;
    pk_error_t err = { 0 };
    int rc = pk_net_load(path, &net, &err);
    if (rc) {
        if (net || rc != PK_EINPUT || !err.file[0] || !err.msg[0])
            abort();
        return 0;
    }
    if (!net)
        abort();
    pk_hwnet_t *hw = NULL;
    pk_error_t cerr = { 0 };
    rc = pk_compile(net, edge_cfg, 0, &hw, &cerr);
    if (rc == 0) {
        pk_layer_timing_t *per = calloc((size_t)hw->n_layers, sizeof *per);
        pk_counters_t tot;
        if (per) {
            pk_timing_run(hw, per, &tot);
            free(per);
        }
        pk_hwnet_free(hw);
    } else if (rc != PK_EINPUT || hw) {
        abort();
    }
    pk_net_free(net);
    return 0;
}
