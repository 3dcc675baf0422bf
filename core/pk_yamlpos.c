/* pk_yamlpos.c - key path -> line index of a YAML file (see pk_yamlpos.h).
 *
 * A single pass over libyaml events with an explicit stack of containers.
 * Each mapping frame remembers whether the next scalar is a key; each
 * sequence frame counts its items.  Paths are built in a fixed buffer.
 */
#include "pk_yamlpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    char *path;
    int line;
} entry_t;

struct pk_yamlpos {
    entry_t *v;
    size_t n, cap;
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
    p->v[p->n].path = strdup(path);
    if (!p->v[p->n].path)
        return -1;
    p->v[p->n].line = line;
    p->n++;
    return 0;
}

/* Is `path` already a key recorded since index `from`? */
static int seen_since(const pk_yamlpos_t *p, size_t from, const char *path)
{
    for (size_t i = from; i < p->n; i++)
        if (strcmp(p->v[i].path, path) == 0)
            return 1;
    return 0;
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
    if (!p)
        return 0;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].path, keypath) == 0)
            return p->v[i].line;
    return 0;
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
    free(p->dup_path);
    free(p);
}
