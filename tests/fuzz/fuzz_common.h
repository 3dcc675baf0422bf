/* fuzz_common.h - shared by the libFuzzer harnesses: the loaders take a path,
 * so each input is written to one file in a private temporary directory
 * (created once per process) and loaded from there.  Paths the input names
 * (weights:/params: files) resolve inside that directory, which holds
 * nothing else. */
#ifndef PK_FUZZ_COMMON_H
#define PK_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_config.h"

static char pk_fuzz_dir[64];
static char pk_fuzz_path[96];

static void pk_fuzz_cleanup(void)
{
    if (pk_fuzz_path[0])
        unlink(pk_fuzz_path);
    if (pk_fuzz_dir[0])
        rmdir(pk_fuzz_dir);
}

/* Write data[0..size) to the per-process input file; returns its path or
 * NULL (then the caller skips the input). */
static const char *pk_fuzz_file(const unsigned char *data, size_t size, const char *name)
{
    if (!pk_fuzz_dir[0]) {
        strcpy(pk_fuzz_dir, "/tmp/pike-fuzz-XXXXXX");
        if (!mkdtemp(pk_fuzz_dir)) {
            pk_fuzz_dir[0] = 0;
            return NULL;
        }
        snprintf(pk_fuzz_path, sizeof pk_fuzz_path, "%s/%s", pk_fuzz_dir, name);
        atexit(pk_fuzz_cleanup);
    }
    FILE *f = fopen(pk_fuzz_path, "wb");
    if (!f)
        return NULL;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    if (fclose(f))
        return NULL;
    return pk_fuzz_path;
}

/* The shipped edge config, loaded once per process (aborts if it cannot be). */
static pk_config_t *pk_fuzz_edge_cfg;

static inline void pk_fuzz_free_edge(void)
{
    pk_config_free(pk_fuzz_edge_cfg);
}

static inline const pk_config_t *pk_fuzz_edge(const char *who)
{
    if (!pk_fuzz_edge_cfg) {
        pk_error_t e = { 0 };
        if (pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/edge.yaml", &pk_fuzz_edge_cfg, &e)) {
            fprintf(stderr, "%s: cannot load edge.yaml: %s\n", who, e.msg);
            abort();
        }
        atexit(pk_fuzz_free_edge);
    }
    return pk_fuzz_edge_cfg;
}

#endif
