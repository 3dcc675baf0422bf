/* pk_gen_int.h - what the gen/ source files share (not installed, not used
 * outside gen/).  The generation context carries the config, its parameter
 * table and identity (file name, SHA-256), and the bundle being filled. */
#ifndef PK_GEN_INT_H
#define PK_GEN_INT_H

#include "pk_emit.h"
#include "pk_gen.h"
#include "pk_vparse.h"

typedef struct pk_genctx {
    const pk_config_t *cfg;
    const pk_config_t *src_cfg; /* the config as loaded (= cfg since v2 has a board top) */
    int arch;            /* 1: pike_top wraps pk_core; 2: pk_core2 (pikegen --arch v2) */
    pk_gparam_t params[PK_GEN_MAX_PARAMS]; /* the config's (pk_gen_params; pk_regmap.h) */
    size_t nparams;
    const pk_gparam_t *top_params; /* pike_top's: params (v1) or v2_params (v2) */
    size_t ntop;
    pk_gparam_t v2_params[PK_GEN_MAX_TOP_PARAMS]; /* pk_v2_rtl_params (core/pk_v2_rtl.h) */
    char cfg_file[512];  /* base name of the config file */
    char cfg_sha[65];    /* SHA-256 of the config file bytes */
    const char *templates_dir;
    char **rtl;          /* rtl/ file names (sorted), as they appear in files.f */
    size_t nrtl;
    int has_board;       /* rtl/pike_board.v generated (iCE40, ECP5) */
    pk_vmodule_t core;   /* interface of pk_core (= pike_top's ports) */
    pk_vmodule_t board;  /* interface of pk_board_spi / pk_board2 (= pike_board's) */
    char top[32];        /* "pike_top" */
    pk_bundle_t *b;
    pk_error_t *err;
} pk_genctx_t;

/* Add a file (takes ownership of data; path copied).  Keeps path order. */
int pk_bundle_add(pk_bundle_t *b, const char *path, char *data, size_t len, pk_error_t *err);
pk_bundle_t *pk_bundle_new(void);

/* Move the emitter's text into the bundle as path. */
int pk_gen_add(pk_genctx_t *g, const char *path, pk_emit_t *e);

/* The self-description every generated file starts with, each line
 * prefixed by prefix ("// ", "# "). */
void pk_gen_header(const pk_genctx_t *g, pk_emit_t *e, const char *prefix, const char *file,
                   const char *what);


/* Whole file into a malloc'd buffer (NUL-terminated); -1 on failure (errno set). */
int pk_gen_read_file(const char *path, char **out, size_t *len);

/* Emitters (pk_genrtl.c, pk_genflow.c, pk_genmeta.c). */
int pk_gen_rtl(pk_genctx_t *g);
int pk_gen_flow(pk_genctx_t *g);
int pk_gen_regmap_header(pk_genctx_t *g);
int pk_gen_readme(pk_genctx_t *g);
int pk_gen_manifest(pk_genctx_t *g);

/* The contract (core/pk_contract.def) in the bundle (pk_gencontract.c): the
 * file rtl/pk_contract.vh; the manifest's "contract" object (new reference,
 * NULL on allocation failure).  The header text: pk_contract_text.h. */
int pk_gen_contract_vh(pk_genctx_t *g);
struct json_t *pk_gen_contract_json(void);

#endif
