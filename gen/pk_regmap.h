/* pk_regmap.h - the host register map and event counters of
 * docs/ARCHITECTURE.md sections 8 and 9, as one table.
 *
 * This table is the single C source of the map: the generator emits the
 * bundle's C header (rtl/../pk_regmap.h) from it, and a test checks every
 * entry against ARCHITECTURE.md so the two cannot drift apart silently.
 * (The RTL, pk_regs.v, implements the same document.)
 */
#ifndef PK_GEN_REGMAP_H
#define PK_GEN_REGMAP_H

#include <stddef.h>

typedef struct pk_regfield {
    const char *name; /* "START" */
    int lsb, width;
    const char *meaning;
} pk_regfield_t;

typedef struct pk_reg {
    const char *name;    /* "CTRL" */
    unsigned addr;       /* 32-bit word address (host_addr) */
    const char *access;  /* "RO", "WO", "RW" */
    const char *meaning;
    const pk_regfield_t *fields; /* NULL-name terminated, or NULL */
} pk_reg_t;

typedef struct pk_counter {
    int index;
    const char *name; /* "cycles" */
    const char *meaning;
} pk_counter_t;

/* Registers in address order (counter registers excluded: see below). */
const pk_reg_t *pk_regmap_regs(size_t *count);
/* Event counters in index order; counter i is read at CNT_LO(i)/CNT_HI(i). */
const pk_counter_t *pk_regmap_counters(size_t *count);

#define PK_REGMAP_ID_VALUE 0x50494B45u /* "PIKE" */
#define PK_REGMAP_CNT_BASE 0x20u        /* CNT_i_LO = base + 2i, CNT_i_HI = base + 2i + 1 */
#define PK_REGMAP_ADDR_BITS 8

#endif
