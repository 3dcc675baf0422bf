/* contract_headers.c - write DIR/pk_contract.vh and DIR/pk_regmap.h, the
 * RTL/model contract of core/pk_contract.def, and DIR/pk_par2.v, the v2
 * parameter registers generated from it, for the Verilator models of the
 * tests that compile rtl_templates/ directly.
 *
 * Design: tests/rtl/CMakeLists.txt compiles and runs this at configure time,
 * because verilate() runs Verilator while configuring, before any target
 * (pikegen among them) exists.  The text is pikegen's own
 * (gen/pk_contract_text.c, the same code as `pikegen --contract-header`);
 * this file only writes it.  Exit status 0, or 1 with a message.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pk_contract_text.h"

/* verilog 2: pk_par2.v, the parameter registers generated from the rows. */
static int write_one(const char *dir, const char *name, int verilog)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    pk_emit_t *e = pk_emit_new();
    if (!e)
        return 1;
    if (verilog == 2)
        pk_par2_module(e, PIKE_VERSION);
    else
        pk_contract_header_file(e, name, verilog, PIKE_VERSION);
    size_t len = 0;
    const char *text = pk_emit_failed(e) ? NULL : pk_emit_data(e, &len);
    FILE *f = text ? fopen(path, "w") : NULL;
    int rc = !f || fwrite(text, 1, len, f) != len;
    if (f && fclose(f) != 0)
        rc = 1;
    if (rc)
        fprintf(stderr, "contract_headers: cannot write %s\n", path);
    pk_emit_free(e);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: contract_headers DIR\n");
        return 1;
    }
    return write_one(argv[1], "pk_contract.vh", 1) || write_one(argv[1], "pk_regmap.h", 0) ||
           write_one(argv[1], "pk_par2.v", 2);
}
