/* pk_gen.h - pikegen as a library: config -> FPGA hand-off bundle.
 *
 * Pipeline: a validated pk_config_t (core/pk_config.h) -> the RTL parameter
 * table (pk_gen_params) -> a bundle built entirely in memory
 * (pk_gen_bundle: copied templates, pike_top.v, pike_board.v for iCE40, the
 * register-map header, constraints, scripts, Makefile, README, manifest) ->
 * pk_bundle_write(), which puts it on disk atomically.  Nothing touches the
 * file system before every file has been generated, so a failure never
 * leaves a half-written bundle.
 *
 * Determinism: the same config bytes and template bytes give byte-identical
 * bundles (no timestamps, no absolute paths, sorted file order, manifest
 * with sorted keys).
 *
 * Ownership: pk_gen_bundle() allocates *out; free with pk_bundle_free().
 * Errors: 0 or a negative PK_E*, with err filled ("FILE:LINE: FIELD: ...").
 */
#ifndef PK_GEN_H
#define PK_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_rtlparam.h"

/* One parameter of pk_core / pike_top (core/pk_rtlparam.h). */
typedef pk_rtl_param_t pk_gparam_t;

#define PK_GEN_MAX_PARAMS 32
#define PK_GEN_MAX_TOP_PARAMS 96 /* pike_top's parameters, either architecture */

/* The RTL parameters of this config, in pk_core order (ARCHITECTURE_V1.md,
 * section 3 and the pk_core contract).  Returns the count. */
size_t pk_gen_params(const pk_config_t *cfg, pk_gparam_t out[PK_GEN_MAX_PARAMS]);

/* Verilog literal of a parameter ("4'b1011" or "16"). */
void pk_gen_param_literal(const pk_gparam_t *p, char *buf, size_t len);

/* VERSION register value of this generator: major<<16 | minor<<8 | patch. */
uint32_t pk_gen_version_word(void);

/* Generator version string ("0.1.0"). */
const char *pk_gen_version(void);

/* Directory of the shipped templates: $PIKE_ROOT/rtl_templates if PIKE_ROOT
 * is set, else the source tree's rtl_templates. */
const char *pk_gen_default_templates(char *buf, size_t len);

typedef struct pk_bundle_file {
    char *path;   /* relative, '/'-separated: "rtl/pike_top.v" */
    char *data;
    size_t len;
} pk_bundle_file_t;

typedef struct pk_bundle pk_bundle_t;

/* Generate the whole bundle in memory.  templates_dir holds the *.v
 * templates (pk_core.v is required; pk_board_spi.v for iCE40 and ECP5 configs).
 * Only the templates reachable from the tops by instantiation are copied. */
int pk_gen_bundle(const pk_config_t *cfg, const char *templates_dir, pk_bundle_t **out,
                  pk_error_t *err);

/* pk_gen_bundle for architecture arch: 1 (v1, pk_core: the default) or 2
 * (pikegen --arch v2: pike_top wraps pk_core2 with every parameter of
 * pk_v2_rtl_params, core/pk_v2_rtl.h, and the bundle has the generated
 * rtl/pk_par2.v; an iCE40 or ECP5 config's board top pike_board wraps
 * pk_board2, pike_top in the board of pk_board_spi).  Another arch:
 * PK_EINPUT. */
int pk_gen_bundle_arch(const pk_config_t *cfg, const char *templates_dir, int arch,
                       pk_bundle_t **out, pk_error_t *err);

/* Files in path order (manifest.json included). */
size_t pk_bundle_count(const pk_bundle_t *b);
const pk_bundle_file_t *pk_bundle_file(const pk_bundle_t *b, size_t i);
/* The file at path, or NULL. */
const pk_bundle_file_t *pk_bundle_find(const pk_bundle_t *b, const char *path);

/* Write the bundle to dir.  It is built in "DIR.tmp-XXXXXX" next to dir and
 * renamed into place at the end.  If dir exists: without force, PK_EINPUT
 * and nothing is touched; with force, the old directory is replaced (removed
 * only after the new one is complete).  Missing parent directories are
 * created.  On failure no DIR.tmp-* is left behind. */
int pk_bundle_write(const pk_bundle_t *b, const char *dir, int force, pk_error_t *err);

void pk_bundle_free(pk_bundle_t *b);

/* pikegen --contract-header DIR: write DIR/pk_contract.vh (Verilog) and
 * DIR/pk_regmap.h (C) with the contract of core/pk_contract.def only (no
 * config), for builds that compile rtl_templates/ or a harness directly.
 * DIR is replaced as a whole (pk_bundle_write with force). */
int pk_gen_contract_headers(const char *dir, pk_error_t *err);

/* Lower-case hex SHA-256 of data (out: 65 bytes). */
int pk_sha256_hex(const void *data, size_t len, char out[65]);

#endif
