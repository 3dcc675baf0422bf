/* pk_contract_text.h - the RTL/model contract (core/pk_contract.def) as
 * header text for generated files.
 *
 *   pk_contract_defs(e, verilog)   the guarded definition block: #define
 *       (verilog 0; skipped where core/pk_contract.h is already included) or
 *       `define (verilog 1, guard PK_CONTRACT_VH);
 *   pk_contract_header_file(...)   a whole standalone file: a banner naming
 *       file and version, then the block (C: inside a PK_REGMAP_H guard).
 *   pk_par2_module(e, version)     rtl/pk_par2.v: the v2 parameter registers,
 *       one per PK_PAR2_FIELDS row, `including pk_contract.vh; with a
 *       banner naming the version, or (version NULL) after the caller's.
 * All append to e (allocation failures are sticky in e).  Needs only
 * pk_emit and core/pk_contract: the build compiles it at configure time.
 */
#ifndef PK_CONTRACT_TEXT_H
#define PK_CONTRACT_TEXT_H

#include "pk_emit.h"

void pk_contract_defs(pk_emit_t *e, int verilog);
void pk_contract_header_file(pk_emit_t *e, const char *file, int verilog, const char *version);
void pk_par2_module(pk_emit_t *e, const char *version);

#endif
