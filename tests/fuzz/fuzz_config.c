/* fuzz_config.c - libFuzzer harness for the hardware-config loader.
 *
 * Each input is a candidate hw_configs/NAME.yaml.  pk_config_load() must either
 * accept it or return PK_EINPUT with a message of the documented form
 * "FILE[:LINE]: FIELD: ..." - never crash, leak, hang or return another
 * code.  An accepted config is also serialized to JSON (what manifest.json
 * and pikesim --json print), exercising the derived constants.
 * Build and run: tests/fuzz/run.sh (see there).
 */
#include <jansson.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "pk_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = pk_fuzz_file(data, size, "config.yaml");
    if (!path)
        return 0;
    pk_config_t *cfg = NULL;
    pk_error_t err = { 0 };
    int rc = pk_config_load(path, &cfg, &err);
    if (rc == 0) {
        if (!cfg)
            abort();
        json_t *j = NULL;
        if (pk_config_to_json(cfg, &j) == 0)
            json_decref(j);
        pk_config_free(cfg);
    } else {
        /* bad input is PK_EINPUT with a file and a field; ENOMEM would mean
         * an unbounded allocation driven by the input */
        if (cfg || rc != PK_EINPUT || !err.file[0] || !err.msg[0])
            abort();
        char buf[2048];
        pk_error_format(&err, buf, sizeof buf);
    }
    return 0;
}
