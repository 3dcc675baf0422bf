/* pk_counters.c - names and JSON of the section-8 event counters. */
#include "pk_counters.h"

static const char *const names[PK_CNT_COUNT] = {
    "cycles",    "busy",      "stall",     "macs",          "qn_ops",        "res_ops",
    "rq_ops",    "act_ops",   "pool_ops",  "out_elems",     "wbuf_rd",       "wbuf_wr",
    "pbuf_rd",   "pbuf_wr",   "parbuf_rd", "parbuf_wr",     "resbuf_rd",     "resbuf_wr",
    "dram_rd_bytes", "dram_wr_bytes", "dram_rd_reqs", "dram_wr_reqs",
};

const char *pk_counter_name(int i)
{
    return i >= 0 && i < PK_CNT_COUNT ? names[i] : NULL;
}

void pk_counters_add(pk_counters_t *a, const pk_counters_t *b)
{
    for (int i = 0; i < PK_CNT_COUNT; i++)
        a->v[i] += b->v[i];
}

void pk_counters_scale(pk_counters_t *a, uint64_t k)
{
    for (int i = 0; i < PK_CNT_COUNT; i++)
        a->v[i] *= k;
}

json_t *pk_counters_to_json(const pk_counters_t *c)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    for (int i = 0; i < PK_CNT_COUNT; i++)
        if (json_object_set_new(o, names[i], json_integer((json_int_t)c->v[i]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}
