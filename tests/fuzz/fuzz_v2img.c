/* fuzz_v2img.c - libFuzzer harness for the v2 memory-image decoder: the
 * descriptors (core/pk_v2desc) and the image they point into, as the v2
 * model's functional path (sim/pk_v2func) reads them; the reference the v2
 * RTL will be checked against, so it must never crash on any image.
 *
 * Input: byte 0 is the number of descriptors, the rest the image (a copy:
 * the run writes its outputs into it), run on the shipped edge config.
 * pk_v2_func_run must return 0, or PK_EINPUT / PK_ENOMEM with a message -
 * never crash, leak, hang or return another code.  Seeds
 * (tests/fuzz/corpus/v2img/): real images from pk_v2img_build on edge
 * (named after the network and input seed: tests/data/check/net_small.yaml
 * seed 1, tests/fuzz/corpus/net/fold_dw_gap.yaml seed 2; byte 0 the layer
 * count, then the image of pk_v2img_build with pk_sim_view_input's view 0).
 * They follow the descriptor size: rebuilt when PK_DESC2_BYTES grew to 256.  Build and run:
 * tests/fuzz/run.sh SECONDS v2img.
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "pk_v2func.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pk_config_t *cfg = pk_fuzz_edge("fuzz_v2img");
    if (size < 1)
        return 0;
    size_t len = size - 1;
    uint8_t *img = malloc(len ? len : 1);
    if (!img)
        return 0;
    memcpy(img, data + 1, len);
    pk_error_t err = { 0 };
    int rc = pk_v2_func_run(cfg, data[0], img, len, &err);
    if (rc && ((rc != PK_EINPUT && rc != PK_ENOMEM) || !err.msg[0]))
        abort();
    free(img);
    return 0;
}
