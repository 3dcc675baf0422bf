/* fuzz_quant.c - libFuzzer harness for pikequant's float side: each input is
 * a candidate float .onnx model, checked by pk_fuzz_quant_one()
 * (fuzz_quant_one.h): loaded, executed, calibrated, factorized, written as
 * QONNX and imported - every step succeeds or says PK_EINPUT; never a crash,
 * leak or hang.  Build and run: tests/fuzz/run.sh SECONDS quant. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "fuzz_quant_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pk_config_t *cfg = pk_fuzz_edge("fuzz_quant");
    const char *path = pk_fuzz_file(data, size, "model.onnx");
    if (path && pk_fuzz_quant_one(path, cfg))
        abort();
    return 0;
}
