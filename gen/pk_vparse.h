/* pk_vparse.h - read the interface (parameters and ports) of one Verilog
 * module from its source text.
 *
 * pikegen wraps template modules (pk_core, pk_board_spi) in generated tops
 * with the same ports; rather than keeping a second copy of those port lists
 * in C, it reads them from the template itself.  Only what a Verilog-2005
 * ANSI header can say is understood:
 *     module NAME #(parameter A = 1, parameter [3:0] B = 4'b1111, C = 2)
 *                  (input wire clk, input [W-1:0] x, y, output reg signed [7:0] z);
 * Comments and attributes (* ... *) are skipped.  Non-ANSI port lists are
 * rejected with a message (the templates are required to use ANSI style).
 *
 * Ownership: pk_vparse_module() fills *out with malloc'd arrays; release
 * with pk_vmodule_free().
 */
#ifndef PK_VPARSE_H
#define PK_VPARSE_H

#include <stddef.h>

#include "pk_error.h"

typedef struct pk_vport {
    char name[96];
    char dir[8];      /* "input", "output", "inout" */
    char range[160];  /* "[ADDR_BITS-1:0]" as written (spaces removed), or "" */
    int is_signed;
} pk_vport_t;

typedef struct pk_vmodule {
    char name[96];
    char (*params)[96];  /* overridable parameter names, in order */
    size_t nparams;
    pk_vport_t *ports;
    size_t nports;
} pk_vmodule_t;

/* Parse the header of module `module` in text (file names the source for
 * messages).  Returns 0, or PK_EINPUT when the module is missing or its
 * header cannot be read (err says where), PK_ENOMEM. */
int pk_vparse_module(const char *text, const char *module, const char *file, pk_vmodule_t *out,
                     pk_error_t *err);

/* found[i] = 1 if text (Verilog source, comments ignored) instantiates
 * module names[i] ("name #(...) inst (...)" or "name inst (...)"), else
 * found[i] is left alone.  The declaration "module name" is not an instance.
 * 0, or PK_ENOMEM. */
int pk_vparse_instances(const char *text, const char *const *names, size_t n,
                        unsigned char *found);

/* 1 if the module declares parameter `name`. */
int pk_vmodule_has_param(const pk_vmodule_t *m, const char *name);

void pk_vmodule_free(pk_vmodule_t *m);

#endif
