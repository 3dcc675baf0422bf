/* pk_yamlpos.c - key path -> line index of a YAML file (see pk_yamlpos.h).
 *
 * A single pass over libyaml events with an explicit stack of containers.
 * Each mapping frame remembers whether the next scalar is a key; each
 * sequence frame counts its items.  Paths are built in a fixed buffer.
 */
#include "pk_yamlpos.h"

#include "pk_fnv1a.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    char *path;
    int line;
} entry_t;

/* Hash slot: entry indices + 1 of the first and the latest entry with one
 * path (0 = empty slot).  first answers pk_yamlpos_line(); last answers "is
 * this key already in the current mapping" (last >= the mapping's first
 * entry), both in O(1), so a mapping with a million keys is not quadratic. */
typedef struct {
    size_t first, last;
} slot_t;

struct pk_yamlpos {
    entry_t *v;
    size_t n, cap;
    slot_t *h;      /* open addressing, linear probing */
    size_t hcap;    /* power of two, > 2 n */
    char *dup_path; /* first duplicate key, owned */
    int dup_line;
};

typedef struct {
    int is_map;       /* 1 mapping, 0 sequence */
    int expect_key;   /* mapping: next node is a key */
    long index;       /* sequence: next item index */
    size_t base_len;  /* length of the path prefix of this container */
    size_t first;     /* first entry index recorded inside this container */
} frame_t;

#define PATH_MAX_LEN 1024

static size_t hash_path(const char *s)
{
    uint64_t x = pk_fnv1a64_str(s);
    return (size_t)(x ^ (x >> 29));
}

static slot_t *find_slot(slot_t *h, size_t hcap, const entry_t *v, const char *path)
{
    size_t i = hash_path(path) & (hcap - 1);
    while (h[i].first && strcmp(v[h[i].first - 1].path, path) != 0)
        i = (i + 1) & (hcap - 1);
    return &h[i];
}

static int grow_hash(pk_yamlpos_t *p)
{
    size_t hcap = p->hcap ? p->hcap * 2 : 128;
    slot_t *h = calloc(hcap, sizeof *h);
    if (!h)
        return -1;
    for (size_t i = 0; i < p->hcap; i++)
        if (p->h[i].first)
            *find_slot(h, hcap, p->v, p->v[p->h[i].first - 1].path) = p->h[i];
    free(p->h);
    p->h = h;
    p->hcap = hcap;
    return 0;
}

static int add_entry(pk_yamlpos_t *p, const char *path, int line)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        entry_t *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    if (2 * (p->n + 1) > p->hcap && grow_hash(p))
        return -1;
    p->v[p->n].path = strdup(path);
    if (!p->v[p->n].path)
        return -1;
    p->v[p->n].line = line;
    p->n++;
    slot_t *s = find_slot(p->h, p->hcap, p->v, path);
    if (!s->first)
        s->first = p->n;
    s->last = p->n;
    return 0;
}

/* Is `path` already a key recorded since index `from`? */
static int seen_since(const pk_yamlpos_t *p, size_t from, const char *path)
{
    if (!p->hcap)
        return 0;
    const slot_t *s = find_slot(p->h, p->hcap, p->v, path);
    return s->first && s->last - 1 >= from;
}

/* Stop before an input can make the index unboundedly large. */
static int too_many(const pk_yamlpos_t *p, const char *path, int line, pk_error_t *err)
{
    if (p->n < PK_YAMLPOS_MAX_NODES)
        return 0;
    return pk_error_set(err, PK_EINPUT, path, line, "file",
                        "more than %d keys and list items; at most %d are read",
                        PK_YAMLPOS_MAX_NODES, PK_YAMLPOS_MAX_NODES);
}

int pk_yamlpos_load(const char *path, pk_yamlpos_t **out, pk_error_t *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pk_error_set(err, PK_EINPUT, path, 0, "file", "cannot open: %s",
                            "no such file or not readable");
    pk_yamlpos_t *p = calloc(1, sizeof *p);
    yaml_parser_t parser;
    if (!p || !yaml_parser_initialize(&parser)) {
        free(p);
        fclose(f);
        return pk_error_set(err, PK_ENOMEM, path, 0, "", "out of memory");
    }
    yaml_parser_set_input_file(&parser, f);

    frame_t stack[PK_YAMLPOS_MAX_DEPTH];
    int depth = 0;
    char buf[PATH_MAX_LEN] = "";
    size_t len = 0;
    int rc = PK_OK, done = 0;

    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = pk_error_set(err, PK_EINPUT, path, (int)parser.problem_mark.line + 1, "syntax",
                              "%s%s%s", parser.problem ? parser.problem : "invalid YAML",
                              parser.context ? " " : "", parser.context ? parser.context : "");
            break;
        }
        int line = (int)ev.start_mark.line + 1;
        /* A node inside a container: decide its path. */
        int is_node = ev.type == YAML_SCALAR_EVENT || ev.type == YAML_MAPPING_START_EVENT ||
                      ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_ALIAS_EVENT;
        if (is_node && depth > 0) {
            frame_t *top = &stack[depth - 1];
            len = top->base_len;
            buf[len] = '\0';
            if (top->is_map && top->expect_key && ev.type != YAML_SCALAR_EVENT &&
                ev.type != YAML_ALIAS_EVENT) {
                /* a complex key ("? [a]" or "{[a]: 1}"): it would be a
                 * container we never descend into, so its end event would
                 * unbalance the stack */
                rc = pk_error_set(err, PK_EINPUT, path, line, "syntax",
                                  "a key must be a plain scalar, not a list or mapping");
                yaml_event_delete(&ev);
                break;
            }
            if (top->is_map && top->expect_key) {
                const char *key = ev.type == YAML_SCALAR_EVENT ? (const char *)ev.data.scalar.value : "?";
                int w = snprintf(buf + len, sizeof buf - len, "%s%s", len ? "." : "", key);
                if (w < 0 || (size_t)w >= sizeof buf - len) {
                    rc = pk_error_set(err, PK_EINPUT, path, line, "syntax", "key path too long");
                    yaml_event_delete(&ev);
                    break;
                }
                if ((rc = too_many(p, path, line, err))) {
                    yaml_event_delete(&ev);
                    break;
                }
                if (seen_since(p, top->first, buf) && !p->dup_path) {
                    p->dup_path = strdup(buf);
                    p->dup_line = line;
                }
                if (add_entry(p, buf, line)) {
                    rc = pk_error_set(err, PK_ENOMEM, path, 0, "", "out of memory");
                    yaml_event_delete(&ev);
                    break;
                }
                top->expect_key = 0;
                yaml_event_delete(&ev);
                continue; /* keys are never containers we descend into */
            }
            if (top->is_map) {
                top->expect_key = 1;   /* value consumed: the next node is a key */
                len = strlen(buf);     /* value lives under the key's path */
                /* buf currently holds base; restore "base.key" from last entry */
                snprintf(buf, sizeof buf, "%s", p->v[p->n - 1].path);
                len = strlen(buf);
            } else {
                int w = snprintf(buf + len, sizeof buf - len, "[%ld]", top->index++);
                if (w < 0 || (size_t)w >= sizeof buf - len) {
                    rc = pk_error_set(err, PK_EINPUT, path, line, "syntax", "key path too long");
                    yaml_event_delete(&ev);
                    break;
                }
                len += (size_t)w;
                if ((rc = too_many(p, path, line, err))) {
                    yaml_event_delete(&ev);
                    break;
                }
                if (add_entry(p, buf, line)) {
                    rc = pk_error_set(err, PK_ENOMEM, path, 0, "", "out of memory");
                    yaml_event_delete(&ev);
                    break;
                }
            }
        }
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (depth == PK_YAMLPOS_MAX_DEPTH) {
                rc = pk_error_set(err, PK_EINPUT, path, line, "syntax",
                                  "nesting deeper than %d levels", PK_YAMLPOS_MAX_DEPTH);
                done = 1;
                break;
            }
            stack[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
            stack[depth].expect_key = 1;
            stack[depth].index = 0;
            stack[depth].base_len = depth == 0 ? 0 : len;
            stack[depth].first = p->n;
            depth++;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (depth > 0)
                depth--;
            break;
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            done = ev.type == YAML_STREAM_END_EVENT;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (rc != PK_OK) {
        pk_yamlpos_free(p);
        return rc;
    }
    *out = p;
    return PK_OK;
}

int pk_yamlpos_line(const pk_yamlpos_t *p, const char *keypath)
{
    if (!p || !p->hcap)
        return 0;
    const slot_t *s = find_slot(p->h, p->hcap, p->v, keypath);
    return s->first ? p->v[s->first - 1].line : 0;
}

size_t pk_yamlpos_count(const pk_yamlpos_t *p)
{
    return p ? p->n : 0;
}

void pk_yamlpos_entry(const pk_yamlpos_t *p, size_t i, const char **keypath, int *line)
{
    *keypath = p->v[i].path;
    *line = p->v[i].line;
}

const char *pk_yamlpos_duplicate(const pk_yamlpos_t *p, int *line)
{
    if (!p || !p->dup_path)
        return NULL;
    if (line)
        *line = p->dup_line;
    return p->dup_path;
}

void pk_yamlpos_free(pk_yamlpos_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].path);
    free(p->v);
    free(p->h);
    free(p->dup_path);
    free(p);
}
