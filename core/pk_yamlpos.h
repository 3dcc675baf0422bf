/* pk_yamlpos.h - where things are in a YAML file.
 *
 * libcyaml turns a file into a struct but does not say on which line a value
 * stood, and semantic errors found later (a range, a shape) must still name
 * FILE:LINE.  This module reads the same file with libyaml's event parser and
 * records the line of every mapping key and every sequence item under its key
 * path:  "array.rows", "layers[3]", "layers[3].kernel", "precision.weight_bits[1]".
 *
 * Ownership: pk_yamlpos_load() allocates *out; free it with pk_yamlpos_free().
 */
#ifndef PK_YAMLPOS_H
#define PK_YAMLPOS_H

#include <stddef.h>
#include "pk_error.h"

typedef struct pk_yamlpos pk_yamlpos_t;

/* Parse `path`.  On a YAML syntax error returns PK_EINPUT with
 * "FILE:LINE: syntax: <libyaml problem>".  Nesting deeper than
 * PK_YAMLPOS_MAX_DEPTH is an error, not a crash. */
#define PK_YAMLPOS_MAX_DEPTH 64
/* More than PK_YAMLPOS_MAX_NODES keys and list items in one file is an error
 * too (memory stays bounded: a 100 MB list would otherwise index 30 M paths).
 * A network of PK_NET_MAX_LAYERS layers with every optional key stays below
 * it. */
#define PK_YAMLPOS_MAX_NODES 3000000
int pk_yamlpos_load(const char *path, pk_yamlpos_t **out, pk_error_t *err);

/* 1-based line of the key (mapping entry) or item (sequence entry) at
 * keypath; 0 if absent.  For a repeated key, the FIRST occurrence. */
int pk_yamlpos_line(const pk_yamlpos_t *p, const char *keypath);

/* Number of recorded entries, and entry i (in document order). */
size_t pk_yamlpos_count(const pk_yamlpos_t *p);
void pk_yamlpos_entry(const pk_yamlpos_t *p, size_t i, const char **keypath, int *line);

/* The first key that appears twice in the same mapping, or NULL.  *line gets
 * the line of the second occurrence. */
const char *pk_yamlpos_duplicate(const pk_yamlpos_t *p, int *line);

void pk_yamlpos_free(pk_yamlpos_t *p);

#endif
