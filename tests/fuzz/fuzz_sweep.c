/* fuzz_sweep.c - libFuzzer harness for the pikesweep spec loader
 * (sweep/pk_sweep_spec.c, sweep/pk_expr.c): the property is in
 * fuzz_sweep_check.h.  Build and run: tests/fuzz/run.sh SECONDS sweep. */
#include <stdint.h>

#include "fuzz_common.h"
#include "fuzz_sweep_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int have_base;
    const char *path = pk_fuzz_file(data, size, "sweep.yaml");
    if (!path)
        return 0;
    if (!have_base) {
        if (pk_fuzz_sweep_base(pk_fuzz_dir))
            return 0;
        have_base = 1;
    }
    if (pk_fuzz_sweep_check(path))
        abort();
    return 0;
}
