/* pk_sweep_eval.h - one sweep measurement: a hardware config x a network,
 * timed and costed by pikesim's library in-process (pk_sim_run,
 * timing-only), and its content-addressed cache record.
 *
 * The cache key is SHA-256 of: the record format / model version
 * (PK_SWEEP_MODEL_VERSION), PIKE_VERSION, the architecture (v1 or v2), the config's canonical JSON
 * (pk_config_to_json, compact, sorted keys - every key with defaults filled,
 * so two YAML spellings of one config share a key) and the SHA-256 of the
 * network file's bytes.  A record is a small "name=value" text file, numbers
 * printed so they read back to the same bits (%.17g, integers exactly), so
 * results merged from the cache are identical to freshly computed ones.
 */
#ifndef PK_SWEEP_EVAL_H
#define PK_SWEEP_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "pk_config.h"
#include "pk_error.h"
#include "pk_net.h"

/* Bump when pikesim's cycle/energy model or this record changes, so old
 * cache records are not reused. */
#define PK_SWEEP_MODEL_VERSION "pikesweep-record-3"

typedef struct pk_sweep_row {
    uint64_t cycles;            /* one inference */
    double latency_us;          /* cycles / clock_mhz */
    double energy_pj;           /* total, one inference */
    double e_mac_pj, e_ew_pj, e_sram_pj, e_dram_pj, e_static_pj; /* by class */
    uint64_t dram_bytes;        /* read + written */
    int64_t macs, ace;          /* analytical (network only) */
    double acev2;               /* ACEv2 (Pike definition) */
    double utilization;         /* MACs / (cycles x peak MACs per cycle) */
    uint64_t roofline_cycles;   /* the roofline bound (sim/pk_roofline.h) */
    double roofline_fraction;   /* roofline_cycles / cycles: 1 = at the bound */
    char error[240];            /* "" or why this network cannot run on this
                                   config (bad input: the point is skipped) */
} pk_sweep_row_t;

/* Run net on cfg (timing-only, one view) with the model of arch (1: v1,
 * 2: v2; pk_sim_opts_t.arch, as pikesim --arch).  0 or a negative PK_E* with err;
 * a network the config cannot run (PK_EINPUT) is a result, not a failure:
 * 0 with row->error set. */
int pk_sweep_eval(const pk_config_t *cfg, const pk_net_t *net, int arch, pk_sweep_row_t *row,
                  pk_error_t *err);

/* row->error on one line (newlines to spaces), as the cache record needs;
 * its commas and quotes are kept (the CSV writer quotes the field). */
void pk_sweep_row_oneline(pk_sweep_row_t *row);

/* The cache key (64 hex digits) of cfg with a network whose file hash is
 * net_sha (64 hex digits), evaluated with arch.  0 or PK_ENOMEM. */
int pk_sweep_key(const pk_config_t *cfg, const char *net_sha, int arch, char key[65]);

/* Record text of row (malloc'd; NULL on allocation failure). */
char *pk_sweep_row_format(const pk_sweep_row_t *row);

/* Parse a record; 0, or -1 if it is not a complete record. */
int pk_sweep_row_parse(const char *text, pk_sweep_row_t *row);

/* The cache: DIR/cache/KK/KEY (KK = first two digits of the key).
 * get: 1 found (row filled), 0 absent, -1 present but unreadable/corrupt.
 * put: 0 or -1 (errno set); atomic (a killed writer leaves no record). */
int pk_sweep_cache_get(const char *dir, const char key[65], pk_sweep_row_t *row);
int pk_sweep_cache_put(const char *dir, const char key[65], const pk_sweep_row_t *row);

#endif
