/* pk_counters.h - the event counters of docs/ARCHITECTURE_V1.md section 8.
 *
 * One struct of 64-bit counters indexed like the RTL's counter block
 * (CNT_i at register PK_REG_CNT_LO(i)), so a pikecheck comparison is a loop
 * over i.  Indices and names are the rows of core/pk_contract.def.
 * pk_counters_to_json() dumps them as {"name": value, ...} in index order.
 */
#ifndef PK_COUNTERS_H
#define PK_COUNTERS_H

#include <stdint.h>

#include <jansson.h>

#include "pk_contract.h"

/* PK_CNT_<NAME> indices and PK_CNT_COUNT: the counter rows of core/pk_contract.def. */

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
