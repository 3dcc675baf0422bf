/* pk_regmap.c - the register map table (docs/ARCHITECTURE.md sections 8, 9).
 *
 * Kept as plain static data so both the header emitter (pk_genfiles.c) and
 * the documentation test read the same rows. */
#include "pk_regmap.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const pk_regfield_t ctrl_fields[] = {
    {"START", 0, 1, "run CMD_COUNT layers from CMD_BASE"},
    {"CLEAR", 1, 1, "clear the event counters"},
    {0, 0, 0, 0},
};

static const pk_regfield_t status_fields[] = {
    {"BUSY", 0, 1, "a run is in progress"},
    {"DONE", 1, 1, "the last run finished (sticky until the next start)"},
    {"ERROR", 2, 1, "a bad descriptor was met"},
    {0, 0, 0, 0},
};

static const pk_reg_t regs[] = {
    {"ID", 0x00, "RO", "0x50494B45 (\"PIKE\")", 0},
    {"VERSION", 0x01, "RO", "generator version major<<16 | minor<<8 | patch", 0},
    {"CTRL", 0x02, "WO", "control strobes", ctrl_fields},
    {"STATUS", 0x03, "RO", "run status", status_fields},
    {"CMD_BASE", 0x04, "RW", "byte address of the first descriptor", 0},
    {"CMD_COUNT", 0x05, "RW", "number of descriptors", 0},
    {"LAYER", 0x06, "RO", "index of the layer running (or last run)", 0},
    {"HW_ROWS", 0x08, "RO", "array rows R", 0},
    {"HW_COLS", 0x09, "RO", "array columns C", 0},
    {"HW_LANES", 0x0A, "RO", "lanes per PE V", 0},
    {"HW_SLOT_BITS", 0x0B, "RO", "lane width L", 0},
    {"HW_WMASK", 0x0C, "RO", "bit i: weight width 2^i supported", 0},
    {"HW_AMASK", 0x0D, "RO", "bit i: activation width 2^i supported", 0},
    {"HW_ACC_BITS", 0x0E, "RO", "accumulator width", 0},
    {"HW_PP_LANES", 0x0F, "RO", "post-processing lanes PL", 0},
};

static const pk_counter_t counters[] = {
    {0, "cycles", "cycles from the cycle after CTRL.start to the last layer's end"},
    {1, "busy", "cycles in which a COMPUTE job is active"},
    {2, "stall", "cycles with no COMPUTE job active between descriptor fetch and last COMPUTE"},
    {3, "macs", "valid products"},
    {4, "qn_ops", "valid output elements with qn_en"},
    {5, "res_ops", "valid output elements with res_en"},
    {6, "rq_ops", "valid output elements with rq_en"},
    {7, "act_ops", "valid output elements with act_mode != none"},
    {8, "pool_ops", "POOLMAX/POOLSUM valid terms"},
    {9, "out_elems", "valid output elements written"},
    {10, "wbuf_rd", "weight buffer words read"},
    {11, "wbuf_wr", "weight buffer words written"},
    {12, "pbuf_rd", "patch buffer words read"},
    {13, "pbuf_wr", "patch buffer words written (holes included)"},
    {14, "parbuf_rd", "parameter records read"},
    {15, "parbuf_wr", "parameter records written"},
    {16, "resbuf_rd", "residual elements read"},
    {17, "resbuf_wr", "residual elements written"},
    {18, "dram_rd_bytes", "bytes requested on the read port (descriptors included)"},
    {19, "dram_wr_bytes", "bytes written"},
    {20, "dram_rd_reqs", "read requests"},
    {21, "dram_wr_reqs", "write requests (one per written row)"},
};

const pk_reg_t *pk_regmap_regs(size_t *count)
{
    *count = NELEM(regs);
    return regs;
}

const pk_counter_t *pk_regmap_counters(size_t *count)
{
    *count = NELEM(counters);
    return counters;
}
