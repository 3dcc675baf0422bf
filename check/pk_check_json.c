/* pk_check_json.c - pikecheck --json: the result of pk_check_run() as JSON,
 * for scripts (benches/bench_verilator.py): the verdict, the cycles of both
 * sides per layer and for the one-start run, all event counters of the one-start
 * run, and the wall times of each side measured separately.  RTL times are
 * those of the Verilated model's runs alone (taken inside the model
 * executable around each run; no model build, no process start, no memory
 * dumps); pikesim times are in-process means over repeats filling >= 50 ms.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */

#include "pk_check_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static json_t *counters(int arch, const uint64_t *v)
{
    json_t *o = json_object();
    for (int i = 0; o && i < PK_CNT_COUNT; i++)
        if (pk_check_counter_compared(arch, i)) /* v2: the 14 pk_core2 counts */
            json_object_set_new(o, pk_counter_name(i), json_integer((json_int_t)v[i]));
    return o;
}

static json_t *to_json(const pk_check_result_t *r)
{
    json_t *layers = json_array();
    for (int i = 0; layers && i < r->n_layers; i++) {
        const pk_check_layer_t *L = &r->layers[i];
        json_array_append_new(
            layers, json_pack("{s:s, s:s, s:I, s:I, s:f, s:I, s:I, s:i, s:b}", "name", L->name,
                              "kind", L->kind ? L->kind : "", "rtl_cycles",
                              (json_int_t)L->rtl_cycles, "model_cycles",
                              (json_int_t)L->model_cycles, "rtl_s", L->rtl_s, "out_elems",
                              (json_int_t)L->out_elems, "out_mismatch",
                              (json_int_t)L->out_mismatch, "counter_mismatch", L->cnt_mismatch,
                              "done", !L->timeout && (L->status & 6) == 2));
    }
    json_t *rtl = json_pack(
        "{s:I, s:I, s:f, s:I, s:f, s:b, s:f, s:s, s:o}", "one_start_cycles",
        (json_int_t)r->full_rtl_cnt[PK_CNT_CYCLES], "per_layer_cycles_sum", (json_int_t)r->rtl_sum,
        "one_start_s", r->full_rtl_s, "all_runs_cycles", (json_int_t)r->rtl_sim_cycles,
        "all_runs_s", r->rtl_s, "model_cached", r->cached, "model_build_s", r->build_s,
        "model_exe", r->model_exe, "one_start_counters", counters(r->arch, r->full_rtl_cnt));
    json_t *model = json_pack(
        "{s:I, s:I, s:I, s:f, s:i, s:f, s:i, s:o}", "one_start_cycles",
        (json_int_t)r->full_model_cnt[PK_CNT_CYCLES], "per_layer_cycles_sum",
        (json_int_t)r->model_sum, "network_cycles", (json_int_t)r->model_sim_cycles,
        "full_s", r->model_s, "full_reps", r->model_reps, "timing_only_s", r->model_timing_s,
        "timing_only_reps", r->model_timing_reps, "one_start_counters",
        counters(r->arch, r->full_model_cnt));
    return json_pack("{s:s, s:s, s:s, s:I, s:i, s:i, s:b, s:s, s:I, s:i, s:o, s:o, s:o}",
                     "arch", r->arch == 2 ? "v2" : "v1", "config", r->config_name, "network", r->network_name, "seed", (json_int_t)r->seed,
                     "layers_checked", r->n_layers, "network_hw_layers", r->net_layers, "pass",
                     r->pass, "first_diff", r->first_diff, "one_start_out_mismatch",
                     (json_int_t)r->full_out_mismatch, "one_start_counter_mismatch",
                     r->full_cnt_mismatch, "rtl", rtl, "pikesim", model, "layers", layers);
}

int pk_check_write_json(const char *path, const pk_check_result_t *r, pk_error_t *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return pk_error_set(err, PK_EIO, path, 0, "--json", "cannot create a temporary file: %s",
                            strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return pk_error_set(err, PK_EIO, path, 0, "--json", "%s", strerror(errno));
    }
    json_t *j = to_json(r);
    int bad = !j || json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(9)) != 0;
    json_decref(j);
    bad |= fputc('\n', f) == EOF;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return pk_error_set(err, PK_EIO, path, 0, "--json", "write error");
    }
    return 0;
}
