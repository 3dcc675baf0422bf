/* pk_sweep_eval.c - one (config, network) measurement and its cache record
 * (pk_sweep_eval.h).
 *
 * The record is printed field by field from one table (FIELDS) and parsed
 * back with the same table, so the formatter and the parser cannot drift;
 * a record missing any field is treated as corrupt (recomputed by the caller
 * rather than trusted).
 */
#include "pk_sweep_eval.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pk_sim.h"
#include "pk_sweep_util.h"

/* The row's error on one line: the cache record is line-based (error=...).
 * Commas and quotes stay: CSV quotes the field (RFC 4180), JSON escapes it. */
void pk_sweep_row_oneline(pk_sweep_row_t *row)
{
    for (char *c = row->error; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
}

int pk_sweep_eval(const pk_config_t *cfg, const pk_net_t *net, int arch, pk_sweep_row_t *row,
                  pk_error_t *err)
{
    pk_sim_opts_t o = { .seed = 1, .views = 1, .timing_only = 1, .acev2 = NULL, .arch = arch };
    pk_sim_result_t *r = NULL;
    pk_error_t e = { 0 };
    memset(row, 0, sizeof *row);
    int rc = pk_sim_run(net, cfg, &o, &r, &e);
    if (rc == PK_EINPUT) {
        if (snprintf(row->error, sizeof row->error, "%s: %s", e.field, e.msg) >=
            (int)sizeof row->error)
            memcpy(row->error + sizeof row->error - 4, "...", 4); /* cut: still one line */
        pk_sweep_row_oneline(row);
        return 0;
    }
    if (rc) {
        *err = e;
        return rc;
    }
    row->cycles = r->total.v[PK_CNT_CYCLES];
    row->latency_us = (double)row->cycles / cfg->clock_mhz;
    row->energy_pj = r->energy.total;
    row->e_mac_pj = r->energy.mac;
    row->e_ew_pj = r->energy.elementwise;
    row->e_sram_pj = r->energy.sram;
    row->e_dram_pj = r->energy.dram;
    row->e_static_pj = r->energy.stat;
    row->dram_bytes = r->total.v[PK_CNT_DRAM_RD_BYTES] + r->total.v[PK_CNT_DRAM_WR_BYTES];
    row->macs = r->met.macs;
    row->ace = r->met.ace;
    row->acev2 = r->met.acev2;
    row->utilization = r->utilization;
    row->roofline_cycles = (uint64_t)r->roof.cycles;
    row->roofline_fraction = row->cycles ? (double)r->roof.cycles / (double)row->cycles : 0;
    pk_sim_free(r);
    return 0;
}

int pk_sweep_key(const pk_config_t *cfg, const char *net_sha, int arch, char key[65])
{
    json_t *j = NULL;
    if (pk_config_to_json(cfg, &j))
        return PK_ENOMEM;
    char *cj = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    pk_sw_buf_t b = { 0 };
    pk_sw_buf_add(&b, "%s\npike %s\narch v%d\nconfig %s\nnetwork %s\n", PK_SWEEP_MODEL_VERSION,
                  PIKE_VERSION, arch == 1 ? 1 : 2, cj ? cj : "", net_sha);
    free(cj);
    if (!cj || b.oom) {
        free(b.s);
        return PK_ENOMEM;
    }
    pk_sw_sha256_hex(b.s, b.len, key);
    free(b.s);
    return 0;
}

typedef enum { F_U64, F_I64, F_DBL } ftype_t;

typedef struct field {
    const char *name;
    ftype_t type;
    size_t off;
} field_t;

#define FLD(n, t) { #n, t, offsetof(pk_sweep_row_t, n) }
static const field_t FIELDS[] = {
    FLD(cycles, F_U64),    FLD(latency_us, F_DBL), FLD(energy_pj, F_DBL), FLD(e_mac_pj, F_DBL),
    FLD(e_ew_pj, F_DBL),   FLD(e_sram_pj, F_DBL),  FLD(e_dram_pj, F_DBL), FLD(e_static_pj, F_DBL),
    FLD(dram_bytes, F_U64), FLD(macs, F_I64),      FLD(ace, F_I64),       FLD(acev2, F_DBL),
    FLD(utilization, F_DBL), FLD(roofline_cycles, F_U64), FLD(roofline_fraction, F_DBL),
};
#define N_FIELDS (sizeof FIELDS / sizeof FIELDS[0])

char *pk_sweep_row_format(const pk_sweep_row_t *row)
{
    pk_sw_buf_t b = { 0 };
    pk_sw_buf_add(&b, "%s\n", PK_SWEEP_MODEL_VERSION);
    if (row->error[0])
        pk_sw_buf_add(&b, "error=%s\n", row->error);
    for (size_t i = 0; i < N_FIELDS; i++) {
        const char *p = (const char *)row + FIELDS[i].off;
        if (FIELDS[i].type == F_U64)
            pk_sw_buf_add(&b, "%s=%" PRIu64 "\n", FIELDS[i].name, *(const uint64_t *)p);
        else if (FIELDS[i].type == F_I64)
            pk_sw_buf_add(&b, "%s=%" PRId64 "\n", FIELDS[i].name, *(const int64_t *)p);
        else
            pk_sw_buf_add(&b, "%s=%.17g\n", FIELDS[i].name, *(const double *)p);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static int parse_field(const field_t *f, const char *v, const char *end, pk_sweep_row_t *row)
{
    char *stop;
    char *p = (char *)row + f->off;
    errno = 0;
    if (f->type == F_U64)
        *(uint64_t *)p = strtoull(v, &stop, 10);
    else if (f->type == F_I64)
        *(int64_t *)p = strtoll(v, &stop, 10);
    else
        *(double *)p = strtod(v, &stop);
    return (stop == end && stop > v && !errno) ? 0 : -1;
}

int pk_sweep_row_parse(const char *text, pk_sweep_row_t *row)
{
    size_t hl = strlen(PK_SWEEP_MODEL_VERSION);
    if (strncmp(text, PK_SWEEP_MODEL_VERSION, hl) || text[hl] != '\n')
        return -1;
    memset(row, 0, sizeof *row);
    const char *line = text + hl + 1;
    if (!strncmp(line, "error=", 6)) {
        const char *end = strchr(line, '\n');
        if (!end || end - line - 6 >= (long)sizeof row->error)
            return -1;
        memcpy(row->error, line + 6, (size_t)(end - line - 6));
        line = end + 1;
    }
    for (size_t i = 0; i < N_FIELDS; i++) {
        size_t nl = strlen(FIELDS[i].name);
        const char *end = strchr(line, '\n');
        if (!end || strncmp(line, FIELDS[i].name, nl) || line[nl] != '=' ||
            parse_field(&FIELDS[i], line + nl + 1, end, row))
            return -1;
        line = end + 1;
    }
    return *line ? -1 : 0;
}

static void cache_path(const char *dir, const char key[65], char *buf, size_t len, int sub_only)
{
    if (sub_only)
        snprintf(buf, len, "%s/cache/%.2s", dir, key);
    else
        snprintf(buf, len, "%s/cache/%.2s/%s", dir, key, key);
}

int pk_sweep_cache_get(const char *dir, const char key[65], pk_sweep_row_t *row)
{
    char path[4200];
    cache_path(dir, key, path, sizeof path, 0);
    char *t = pk_sw_read_file(path, NULL);
    if (!t)
        return errno == ENOENT ? 0 : -1;
    int rc = pk_sweep_row_parse(t, row);
    free(t);
    return rc == 0 ? 1 : -1;
}

int pk_sweep_cache_put(const char *dir, const char key[65], const pk_sweep_row_t *row)
{
    char path[4200];
    cache_path(dir, key, path, sizeof path, 1);
    if (pk_sw_mkdirs(path))
        return -1;
    cache_path(dir, key, path, sizeof path, 0);
    char *t = pk_sweep_row_format(row);
    if (!t) {
        errno = ENOMEM;
        return -1;
    }
    int rc = pk_sw_write_atomic(path, t, strlen(t));
    free(t);
    return rc;
}
