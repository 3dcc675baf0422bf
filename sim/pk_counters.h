/* pk_counters.h - the event counters of docs/ARCHITECTURE.md section 8.
 *
 * One struct of 64-bit counters indexed like the RTL's counter block
 * (CNT_i at register 0x20 + 2i), so a pikecheck comparison is a loop over i.
 * pk_counters_to_json() dumps them as {"name": value, ...} in index order.
 */
#ifndef PK_COUNTERS_H
#define PK_COUNTERS_H

#include <stdint.h>

#include <jansson.h>

enum {
    PK_CNT_CYCLES = 0,
    PK_CNT_BUSY,
    PK_CNT_STALL,
    PK_CNT_MACS,
    PK_CNT_QN_OPS,
    PK_CNT_RES_OPS,
    PK_CNT_RQ_OPS,
    PK_CNT_ACT_OPS,
    PK_CNT_POOL_OPS,
    PK_CNT_OUT_ELEMS,
    PK_CNT_WBUF_RD,
    PK_CNT_WBUF_WR,
    PK_CNT_PBUF_RD,
    PK_CNT_PBUF_WR,
    PK_CNT_PARBUF_RD,
    PK_CNT_PARBUF_WR,
    PK_CNT_RESBUF_RD,
    PK_CNT_RESBUF_WR,
    PK_CNT_DRAM_RD_BYTES,
    PK_CNT_DRAM_WR_BYTES,
    PK_CNT_DRAM_RD_REQS,
    PK_CNT_DRAM_WR_REQS,
    PK_CNT_COUNT
};

typedef struct pk_counters {
    uint64_t v[PK_CNT_COUNT];
} pk_counters_t;

/* Section 8 name of counter i ("cycles", "dram_rd_bytes", ...); NULL if out of range. */
const char *pk_counter_name(int i);

/* a += b, counter by counter. */
void pk_counters_add(pk_counters_t *a, const pk_counters_t *b);

/* a *= k (N runs of the same work). */
void pk_counters_scale(pk_counters_t *a, uint64_t k);

/* New JSON object {"cycles": n, ...} (NULL on allocation failure). */
json_t *pk_counters_to_json(const pk_counters_t *c);

#endif
