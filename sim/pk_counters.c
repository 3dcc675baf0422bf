/* pk_counters.c - arithmetic and JSON of the section-8 event counters.
 *
 * Design: no table of its own; names are the `key` column of the counter
 * rows in core/pk_contract.def (pk_contract_counters), so the JSON keys, the
 * RTL's counter order and the generated headers cannot disagree. */
#include "pk_counters.h"

const char *pk_counter_name(int i)
{
    size_t n;
    const pk_counter_row_t *rows = pk_contract_counters(&n);
    return i >= 0 && (size_t)i < n ? rows[i].key : NULL;
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
        if (json_object_set_new(o, pk_counter_name(i), json_integer((json_int_t)c->v[i]))) {
            json_decref(o);
            return NULL;
        }
    return o;
}
