/* fuzz_host.c - libFuzzer harness for pikehost's response parser.
 *
 * Each input is a byte stream a board might send back on the serial link
 * (ARCHITECTURE_V1.md 9.1); fuzz_host_one.h feeds it to the response checker
 * and to a whole host session over a pipe, which must succeed or fail with
 * PK_EINPUT and a message.  Build and run: tests/fuzz/run.sh SECONDS host.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_host_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (pk_fuzz_host_one(data, size))
        abort();
    return 0;
}
