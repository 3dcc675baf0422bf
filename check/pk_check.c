/* pk_check.c - run one network on the Verilated RTL and on pikesim, compare.
 *
 * Design: everything the two sides consume comes from one pk_compile result:
 * the memory image (descriptors, parameter records, slot-form weights, the
 * input tensor) goes to the RTL as a file, and the same pk_hwnet_t goes to
 * sim/pk_timing (cycles, counters) and sim/pk_func (output codes).  The model
 * executable runs a plan (one start per layer with a dump of the layer's
 * output tensor, then a reload of the image and one start of all layers with
 * a dump of the whole memory) and writes counters; this file parses those
 * files and compares element by element and counter by counter.  Per-layer
 * starts make the per-layer cycle table exact; the one-start run checks that
 * back-to-back layers cost exactly the sum (ARCHITECTURE_V1.md 7.5).
 */
#include "pk_check_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pk_compile.h"
#include "pk_compile_v2.h"
#include "pk_contract.h"
#include "pk_func.h"
#include "pk_input.h"
#include "pk_net.h"
#include "pk_onnx_import.h"
#include "pk_quant.h"
#include "pk_sim.h"
#include "pk_timing.h"
#include "pk_v2.h"
#include "pk_v2_rtl.h"
#include "pk_v2func.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Where tensor t's bytes live: its own region, or its concat parent's.
 * shift: 0 for v1's image; the v2 image moves the tensor region as a whole
 * (core/pk_compile_v2.h), so its addresses are v1's plus a shift. */
static void tensor_region(const pk_hwnet_t *hw, uint32_t shift, int t, uint32_t *addr,
                          int64_t *bytes, uint32_t *ps, int *ch0)
{
    const pk_tensor_t *x = &hw->tensors[t];
    const pk_tensor_t *p = x->parent >= 0 ? &hw->tensors[x->parent] : x;
    *addr = p->addr + shift;
    *bytes = p->bytes;
    *ps = p->ps;
    *ch0 = x->parent >= 0 ? x->ch_base : 0;
}

static uint32_t get_code(const uint8_t *base, uint64_t bit, int bits)
{
    uint32_t v = 0;
    for (int i = 0; i < bits; i++, bit++)
        v |= (uint32_t)((base[bit / 8] >> (bit % 8)) & 1u) << i;
    return v;
}

/* Compare tensor t as found in mem (whose byte 0 is address mem_addr) with
 * the model's codes.  Returns the number of differing elements; the first is
 * stored in L (when L is not NULL). */
static int64_t compare_tensor(const pk_hwnet_t *hw, uint32_t shift, int t, const uint8_t *mem,
                              uint32_t mem_addr, const uint8_t *model, pk_check_layer_t *L)
{
    const pk_tensor_t *x = &hw->tensors[t];
    uint32_t addr, ps;
    int64_t bytes;
    int ch0;
    tensor_region(hw, shift, t, &addr, &bytes, &ps, &ch0);
    const uint8_t *base = mem + (addr - mem_addr);
    uint32_t mask = (1u << x->bits) - 1;
    int64_t bad = 0;
    for (int y = 0; y < x->h; y++)
        for (int xx = 0; xx < x->w; xx++)
            for (int c = 0; c < x->c; c++) {
                int64_t p = (int64_t)y * x->w + xx;
                uint32_t r = get_code(base + p * ps, (uint64_t)(ch0 + c) * x->bits, x->bits);
                uint32_t m = model[p * x->c + c] & mask;
                if (r != m) {
                    if (!bad && L) {
                        L->first_y = y;
                        L->first_x = xx;
                        L->first_c = c;
                        L->first_rtl = r;
                        L->first_model = m;
                    }
                    bad++;
                }
            }
    return bad;
}

/* The harness's plan (check/harness/pk_check_main.cpp): each layer alone
 * (descriptor i at cmd_base + i * desc_bytes), its output dumped; then the
 * image reloaded, all n layers in one start and the whole memory dumped. */
static int write_plan(const pk_hwnet_t *hw, uint32_t shift, uint32_t cmd_base,
                      uint32_t desc_bytes, uint64_t image_bytes, int n, const char *dir,
                      const int64_t *max_cyc, int64_t max_all, pk_error_t *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/plan.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return pk_error_set(err, PK_EIO, path, 0, "plan", "cannot create: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
        uint32_t addr, ps;
        int64_t bytes;
        int ch0;
        tensor_region(hw, shift, hw->layers[i].t_out, &addr, &bytes, &ps, &ch0);
        fprintf(f, "run %" PRIu32 " 1 %" PRId64 "\n", cmd_base + desc_bytes * (uint32_t)i,
                max_cyc[i]);
        fprintf(f, "dump %" PRIu32 " %" PRId64 " %s/layer%d.bin\n", addr, bytes, dir, i);
    }
    fprintf(f, "reload\n");
    fprintf(f, "run %" PRIu32 " %d %" PRId64 "\n", cmd_base, n, max_all);
    fprintf(f, "dump 0 %" PRIu64 " %s/full.bin\n", image_bytes, dir);
    if (fclose(f) != 0)
        return pk_error_set(err, PK_EIO, path, 0, "plan", "write error");
    return 0;
}

/* One "run" line of the results file (*secs: the run's wall time). */
/* STATUS read after a run: done and no error (register fields, section 9). */
static int status_done(int status)
{
    return (status & (PK_STATUS_DONE | PK_STATUS_ERROR)) == PK_STATUS_DONE;
}

static int parse_run(FILE *f, int *status, int64_t *cycles, uint64_t cnt[PK_CNT_COUNT],
                     double *secs)
{
    char line[2048];
    if (!fgets(line, sizeof line, f) || strncmp(line, "run ", 4) != 0)
        return -1;
    char *s = line + 4, *e;
    strtoull(s, &e, 10); /* base */
    s = e;
    strtoull(s, &e, 10); /* count */
    s = e;
    *status = (int)strtol(s, &e, 10);
    s = e;
    *cycles = strtoll(s, &e, 10);
    for (int i = 0; i < PK_CNT_COUNT; i++) {
        s = e;
        cnt[i] = strtoull(s, &e, 10);
        if (e == s)
            return -1;
    }
    s = e;
    *secs = (double)strtoll(s, &e, 10) * 1e-6;
    return e == s ? -1 : 0;
}

static void set_first(pk_check_result_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_first(pk_check_result_t *r, const char *fmt, ...)
{
    if (r->first_diff[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->first_diff, sizeof r->first_diff, fmt, ap);
    va_end(ap);
}

/* The counters compared: v1 all PK_CNT_COUNT; v2 the 14 of V2-9 (in their
 * v1 slots, sim/pk_v2.h; PK_CNT_V2_KEEP, the v2 column of
 * core/pk_contract.def's counter rows): qn/res/rq/act_ops are derived by the
 * model, not counted, and the parameter and residual buffers are gone. */
int pk_check_counter_compared(int arch, int i)
{
    if (arch != 2)
        return i >= 0 && i < PK_CNT_COUNT;
    return pk_v2_counter_kept(i);
}

/* Counters that differ, the RTL's (a) against the model's (b) as the
 * registers read them: v2's counters are `bits` wide and wrap
 * (ARCHITECTURE.md V2-9 item 8), v1's are 64-bit here. */
static int count_cnt(int arch, int bits, const uint64_t *a, const uint64_t *b, int *first)
{
    int n = 0;
    uint64_t mask = bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
    *first = -1;
    for (int i = 0; i < PK_CNT_COUNT; i++)
        if (pk_check_counter_compared(arch, i) && ((a[i] ^ b[i]) & mask)) {
            if (*first < 0)
                *first = i;
            n++;
        }
    return n;
}

/* The model's output code values of layer n-1, kept in r (top-1 of pikecheck --input). */
static int keep_output(const pk_hwnet_t *hw, int n, uint8_t *const *tensors,
                       pk_check_result_t *r, pk_error_t *err)
{
    const pk_tensor_t *t = &hw->tensors[hw->layers[n - 1].t_out];
    r->out_n = (int64_t)t->h * t->w * t->c;
    r->out_codes = malloc((size_t)r->out_n * sizeof *r->out_codes + 1);
    if (!r->out_codes)
        return pk_error_set(err, PK_ENOMEM, "pikecheck", 0, "memory", "out of memory");
    for (int64_t e = 0; e < r->out_n; e++)
        r->out_codes[e] = (int32_t)pk_q_decode(tensors[hw->layers[n - 1].t_out][e], t->bits,
                                               t->is_signed);
    return 0;
}

int pk_check_run(const pk_check_opts_t *o, pk_check_result_t **out, pk_error_t *err)
{
    pk_config_t *cfg = NULL;
    pk_net_t *net = NULL;
    pk_hwnet_t *hw = NULL;
    pk_check_result_t *r = NULL;
    pk_layer_timing_t *per = NULL;
    uint8_t *in8 = NULL, *img = NULL, **tensors = NULL, *dump = NULL;
    uint32_t *in32 = NULL;
    int64_t *max_cyc = NULL;
    pk_plan_t *v2plan = NULL;        /* v2: the plan and image of core/pk_compile_v2 */
    pk_v2img_t *v2 = NULL;
    pk_layer_timing_t *alone = NULL; /* v2: each layer run alone (its own start) */
    pk_counters_t full_tot;          /* v2: the model's one start of the n layers */
    int arch = o->arch == 2 ? 2 : 1;
    char dir[1100] = "", onnx_tmp[64] = "";
    pk_onnx_opts_t onnx = { o->approx, o->log }; /* a .onnx network is imported first */
    int rc;
    *out = NULL;

    if ((rc = pk_config_load(o->config_path, &cfg, err)) ||
        (rc = pk_onnx_net_load(o->network_path, cfg, &onnx, &net, NULL, onnx_tmp, err)) ||
        (rc = pk_compile(net, cfg, 1, &hw, err)))
        goto done;
    int n = o->layers ? o->layers : hw->n_layers;
    if (n < 1 || n > hw->n_layers) {
        rc = pk_error_set(err, PK_EINPUT, "pikecheck", 0, "--layers",
                          "%d is out of range: the network has %d hardware layers", o->layers,
                          hw->n_layers);
        goto done;
    }
    if (arch == 2) {
        /* the v2 plan and image; every checked layer must be one pk_core2
         * builds (core/pk_v2_rtl.h), refused here, before anything is built
         * or written */
        if ((rc = pk_plan_make(hw, NULL, &v2plan, err)) ||
            (rc = pk_v2_compile(hw, v2plan, &v2, err)))
            goto done;
        pk_v2_rtl_check_t chk;
        pk_v2_rtl_check_init(&chk, cfg, hw, v2plan);
        for (int i = 0; i < n && !rc; i++) {
            char why[400];
            if (pk_v2_rtl_check(&chk, i, why, sizeof why))
                rc = pk_error_set(err, PK_EINPUT, o->network_path, 0, "--arch v2",
                                  "layer %d (%s, %s): not supported by pk_core2: %s (--layers "
                                  "%d checks the layers before it; --arch v1 checks the whole "
                                  "network on v1's pk_core)",
                                  i, hw->layers[i].name, pk_hwkind_name(hw->layers[i].kind), why,
                                  i);
        }
        pk_v2_rtl_check_free(&chk);
        if (rc)
            goto done;
    }
    /* where the harness finds things: v1's image, or v2's (descriptors of
     * PK_DESC2_BYTES from address 0, tensors moved by a constant) */
    const uint32_t shift = v2 ? pk_v2img_tensor_addr(v2, 0) - hw->tensors[0].addr : 0;
    const uint32_t cmd_base = v2 ? 0 : hw->cmd_base;
    const uint32_t desc_bytes = v2 ? (uint32_t)PK_DESC2_BYTES : (uint32_t)PK_DESC_BYTES;
    const uint64_t image_bytes = v2 ? pk_v2img_bytes(v2) : hw->image_bytes;
    const int cnt_bits = v2 ? (int)pk_v2_rtl_param(cfg, "CNT_BITS") : 64;
    r = calloc(1, sizeof *r);
    per = calloc((size_t)hw->n_layers, sizeof *per);
    max_cyc = calloc((size_t)n, sizeof *max_cyc);
    if (!r || !per || !max_cyc || !(r->layers = calloc((size_t)n, sizeof *r->layers))) {
        rc = pk_error_set(err, PK_ENOMEM, "pikecheck", 0, "memory", "out of memory");
        goto done;
    }
    snprintf(r->config_name, sizeof r->config_name, "%s", cfg->name);
    snprintf(r->network_name, sizeof r->network_name, "%s", net->name);
    r->seed = o->seed;
    r->n_layers = n;
    r->arch = arch;

    /* the inputs, and the model's side */
    int64_t nin = (int64_t)net->in_h * net->in_w * net->in_c;
    in8 = o->input ? malloc((size_t)nin + 1) : pk_sim_view_input(net, o->seed, 0);
    in32 = malloc((size_t)nin * sizeof *in32 + 1);
    if (in8 && o->input)
        pk_input_encode(hw->tensors[0].bits, o->input, nin, in8);
    if (!in8 || !in32) {
        rc = pk_error_set(err, PK_ENOMEM, "pikecheck", 0, "memory", "out of memory");
        goto done;
    }
    for (int64_t i = 0; i < nin; i++)
        in32[i] = in8[i];
    size_t img_len;
    if ((rc = v2 ? pk_v2img_build(v2, in32, &img, &img_len, err)
                 : pk_compile_image(hw, in32, &img, &img_len, err)))
        goto done;
    /* pikesim's speed: repeat the model run until 50 ms have passed (a small
     * network takes microseconds; one sample would be noise) */
    double t0 = now_s(), t1;
    pk_counters_t tot;
    int reps = 0;
    do {
        if (tensors)
            pk_func_free(hw, tensors);
        tensors = NULL;
        if (v2) {
            if ((rc = pk_v2_timing_run(cfg, NULL, hw->n_layers, pk_v2img_descriptor(v2, 0), per,
                                       &tot, err)) ||
                (rc = pk_v2_func_tensors(hw, v2, in8, &tensors, err)))
                goto done;
        } else {
            pk_timing_run(hw, per, &tot);
            if ((rc = pk_func_run(hw, in8, &tensors, err)))
                goto done;
        }
        reps++;
        t1 = now_s();
    } while (t1 - t0 < 0.05 && reps < 100000);
    r->model_s = (t1 - t0) / reps;
    r->model_reps = reps;
    /* the timing model alone (pikesim --timing-only), the same way */
    t0 = now_s();
    reps = 0;
    do {
        if (v2) {
            if ((rc = pk_v2_timing_run(cfg, NULL, hw->n_layers, pk_v2img_descriptor(v2, 0), per,
                                       &tot, err)))
                goto done;
        } else {
            pk_timing_run(hw, per, &tot);
        }
        reps++;
        t1 = now_s();
    } while (t1 - t0 < 0.05 && reps < 1000000);
    r->model_timing_s = (t1 - t0) / reps;
    r->model_timing_reps = reps;
    r->net_layers = hw->n_layers;
    r->model_sim_cycles = per[hw->n_layers - 1].end - per[0].start;
    int64_t all = 0;
    if (v2) {
        /* the model's side of the plan: each layer started alone (its own
         * descriptor fetch and parameter load, V2-7.5), and the n layers in
         * one start (descriptors fetched while the layer before computes, so
         * its cycles are not the sum of the alone runs') */
        if (!(alone = calloc((size_t)n, sizeof *alone))) {
            rc = pk_error_set(err, PK_ENOMEM, "pikecheck", 0, "memory", "out of memory");
            goto done;
        }
        pk_counters_t t;
        for (int i = 0; i < n; i++)
            if ((rc = pk_v2_timing_run(cfg, NULL, 1, pk_v2img_descriptor(v2, i), &alone[i], &t,
                                       err)))
                goto done;
        if ((rc = pk_v2_timing_run(cfg, NULL, n, pk_v2img_descriptor(v2, 0), NULL, &full_tot,
                                   err)))
            goto done;
    }
    for (int i = 0; i < n; i++) {
        max_cyc[i] = 4 * (v2 ? alone : per)[i].cnt.v[PK_CNT_CYCLES] + 10000;
        all += max_cyc[i];
    }

    /* the RTL's side */
    if ((rc = pk_check_model(cfg, o, o->trace_path != NULL, r->model_exe, sizeof r->model_exe,
                             &r->cached, &r->build_s, err)))
        goto done;
    const char *td = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/pikecheck-XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(dir)) {
        rc = pk_error_set(err, PK_EIO, dir, 0, "directory", "cannot create: %s", strerror(errno));
        dir[0] = 0;
        goto done;
    }
    char path[1300], plan[1300], res[1300], logp[1300], pbs[16], lats[16];
    snprintf(path, sizeof path, "%s/image.bin", dir);
    snprintf(plan, sizeof plan, "%s/plan.txt", dir);
    snprintf(res, sizeof res, "%s/results.txt", dir);
    snprintf(logp, sizeof logp, "%s/model.log", dir);
    snprintf(pbs, sizeof pbs, "%d", cfg->offchip.bytes_per_cycle);
    snprintf(lats, sizeof lats, "%d", cfg->offchip.latency);
    if ((rc = pk_check_write_file(path, img, img_len, err)) ||
        (rc = write_plan(hw, shift, cmd_base, desc_bytes, image_bytes, n, dir, max_cyc, all,
                         err)))
        goto done;
    const char *argv[16] = {r->model_exe, "--image", path, "--plan", plan, "--results", res,
                            "--pb", pbs, "--lat", lats, NULL, NULL, NULL};
    if (o->trace_path) {
        argv[11] = "--trace";
        argv[12] = o->trace_path;
    }
    if (o->log)
        fprintf(o->log, "pikecheck: running %d layers on the RTL (%s)\n", n, dir);
    rc = pk_check_exec(argv, NULL, logp, "model", "the model executable", err);
    if (rc)
        goto done;

    /* compare, layer by layer */
    FILE *rf = fopen(res, "r");
    if (!rf) {
        rc = pk_error_set(err, PK_EIO, res, 0, "results", "cannot open: %s", strerror(errno));
        goto done;
    }
    const char *why = NULL;
    for (int i = 0; i < n && !why; i++) {
        pk_check_layer_t *L = &r->layers[i];
        const pk_hwlayer_t *h = &hw->layers[i];
        snprintf(L->name, sizeof L->name, "%s", h->name);
        L->kind = pk_hwkind_name(h->kind);
        if (parse_run(rf, &L->status, &L->rtl_cycles, L->rtl_cnt, &L->rtl_s)) {
            why = "a run line";
            break;
        }
        L->timeout = L->rtl_cycles < 0;
        L->rtl_cycles = (int64_t)L->rtl_cnt[PK_CNT_CYCLES];
        memcpy(L->model_cnt, (v2 ? alone : per)[i].cnt.v, sizeof L->model_cnt);
        L->model_cycles = (int64_t)L->model_cnt[PK_CNT_CYCLES];
        r->rtl_sum += L->rtl_cycles;
        r->model_sum += L->model_cycles;
        L->cnt_mismatch = count_cnt(arch, cnt_bits, L->rtl_cnt, L->model_cnt, &L->first_cnt);
        const pk_tensor_t *t = &hw->tensors[h->t_out];
        L->out_elems = (int64_t)t->h * t->w * t->c;
        uint32_t addr, ps;
        int64_t bytes;
        int ch0;
        size_t dl;
        tensor_region(hw, shift, h->t_out, &addr, &bytes, &ps, &ch0);
        snprintf(path, sizeof path, "%s/layer%d.bin", dir, i);
        if ((rc = pk_check_read_file(path, (char **)&dump, &dl, err)))
            break;
        if ((int64_t)dl != bytes) {
            why = "a layer dump";
            break;
        }
        {
            uint32_t seen[8] = {0}; /* codes are <= 8 bits */
            const uint8_t *mo = tensors[h->t_out];
            for (int64_t e = 0; e < L->out_elems; e++)
                seen[mo[e] >> 5] |= 1u << (mo[e] & 31);
            for (int k = 0; k < 256; k++)
                L->out_distinct += (seen[k >> 5] >> (k & 31)) & 1;
        }
        L->out_mismatch = compare_tensor(hw, shift, h->t_out, dump, addr, tensors[h->t_out], L);
        free(dump);
        dump = NULL;
        if (L->timeout || !status_done(L->status))
            set_first(r, "layer %d (%s, %s): %s (STATUS 0x%x)", i, L->name, L->kind,
                      L->timeout ? "no irq within the cycle limit" : "not done or error",
                      L->status);
        if (L->rtl_cycles != L->model_cycles)
            set_first(r, "layer %d (%s, %s): cycles: RTL %" PRId64 ", model %" PRId64, i,
                      L->name, L->kind, L->rtl_cycles, L->model_cycles);
        if (L->out_mismatch)
            set_first(r,
                      "layer %d (%s, %s): output element (y %d, x %d, c %d): RTL code 0x%x, "
                      "model 0x%x (%" PRId64 " of %" PRId64 " elements differ)",
                      i, L->name, L->kind, L->first_y, L->first_x, L->first_c, L->first_rtl,
                      L->first_model, L->out_mismatch, L->out_elems);
        if (L->cnt_mismatch)
            set_first(r, "layer %d (%s, %s): counter %s: RTL %" PRIu64 ", model %" PRIu64, i,
                      L->name, L->kind, pk_counter_name(L->first_cnt),
                      L->rtl_cnt[L->first_cnt], L->model_cnt[L->first_cnt]);
    }
    if (rc) {
        fclose(rf);
        goto done;
    }
    /* the one-start run */
    int64_t full_cyc = 0;
    if (!why && parse_run(rf, &r->full_status, &full_cyc, r->full_rtl_cnt, &r->full_rtl_s))
        why = "the one-start run line";
    char line[256];
    while (!why && fgets(line, sizeof line, rf)) {
        long long a, b;
        unsigned long long fa;
        int fl;
        if (sscanf(line, "speed %lld %lld", &a, &b) == 2) {
            r->rtl_sim_cycles = a;
            r->rtl_s = (double)b * 1e-6;
        } else if (sscanf(line, "fault %d %llu", &fl, &fa) == 2) {
            r->fault = fl;
            r->fault_addr = fa;
        }
    }
    fclose(rf);
    if (why) {
        rc = pk_error_set(err, PK_EINTERNAL, res, 0, "results", "missing or malformed: %s", why);
        goto done;
    }
    r->full_timeout = full_cyc < 0;
    memset(r->full_model_cnt, 0, sizeof r->full_model_cnt);
    if (v2) {
        memcpy(r->full_model_cnt, full_tot.v, sizeof r->full_model_cnt);
    } else {
        for (int i = 0; i < n; i++)
            for (int k = 0; k < PK_CNT_COUNT; k++)
                r->full_model_cnt[k] += per[i].cnt.v[k];
        r->full_model_cnt[PK_CNT_CYCLES] = (uint64_t)(per[n - 1].end - per[0].start);
    }
    int fc;
    r->full_cnt_mismatch = count_cnt(arch, cnt_bits, r->full_rtl_cnt, r->full_model_cnt, &fc);
    size_t dl;
    snprintf(path, sizeof path, "%s/full.bin", dir);
    if ((rc = pk_check_read_file(path, (char **)&dump, &dl, err)))
        goto done;
    if (dl != image_bytes) {
        rc = pk_error_set(err, PK_EINTERNAL, path, 0, "results", "short memory dump");
        goto done;
    }
    pk_check_layer_t first = {0};
    int first_layer = -1;
    for (int i = 0; i < n; i++) {
        pk_check_layer_t tmp;
        int64_t b = compare_tensor(hw, shift, hw->layers[i].t_out, dump, 0,
                                   tensors[hw->layers[i].t_out], &tmp);
        if (b && first_layer < 0) {
            first = tmp;
            first_layer = i;
        }
        r->full_out_mismatch += b;
    }
    if (r->full_timeout || !status_done(r->full_status))
        set_first(r, "one-start run of %d layers: %s (STATUS 0x%x)", n,
                  r->full_timeout ? "no irq within the cycle limit" : "not done or error",
                  r->full_status);
    if (v2 && r->full_rtl_cnt[PK_CNT_CYCLES] != r->full_model_cnt[PK_CNT_CYCLES])
        set_first(r, "one-start run of %d layers: RTL %" PRIu64 " cycles, model %" PRIu64, n,
                  r->full_rtl_cnt[PK_CNT_CYCLES], r->full_model_cnt[PK_CNT_CYCLES]);
    if (!v2 && r->full_rtl_cnt[PK_CNT_CYCLES] != (uint64_t)r->rtl_sum)
        set_first(r,
                  "one-start run of %d layers: %" PRIu64 " RTL cycles, but the per-layer runs "
                  "sum to %" PRId64,
                  n, r->full_rtl_cnt[PK_CNT_CYCLES], r->rtl_sum);
    if (first_layer >= 0)
        set_first(r,
                  "one-start run: layer %d (%s) output element (y %d, x %d, c %d): RTL code "
                  "0x%x, model 0x%x",
                  first_layer, hw->layers[first_layer].name, first.first_y, first.first_x,
                  first.first_c, first.first_rtl, first.first_model);
    if (r->full_cnt_mismatch)
        set_first(r, "one-start run: counter %s: RTL %" PRIu64 ", model %" PRIu64,
                  pk_counter_name(fc), r->full_rtl_cnt[fc], r->full_model_cnt[fc]);
    if (r->fault)
        set_first(r, "the RTL accessed byte 0x%" PRIx64 ", outside the %" PRIu64 "-byte image",
                  r->fault_addr, image_bytes);
    if ((rc = keep_output(hw, n, tensors, r, err)))
        goto done;
    r->pass = r->first_diff[0] == 0;
    *out = r;
    r = NULL;
done:
    if (dir[0])
        pk_check_rmtree(dir);
    free(dump);
    free(max_cyc);
    free(in8);
    free(in32);
    free(img);
    free(per);
    free(alone);
    if (tensors)
        pk_func_free(hw, tensors);
    pk_check_free(r);
    pk_v2img_free(v2);
    pk_plan_free(v2plan);
    pk_hwnet_free(hw);
    pk_net_free(net);
    pk_onnx_net_cleanup(onnx_tmp);
    pk_config_free(cfg);
    return rc;
}

void pk_check_free(pk_check_result_t *r)
{
    if (!r)
        return;
    free(r->layers);
    free(r->out_codes);
    free(r);
}

void pk_check_report(FILE *f, const pk_check_result_t *r)
{
    int ncmp = 0;
    for (int k = 0; k < PK_CNT_COUNT; k++)
        ncmp += pk_check_counter_compared(r->arch, k);
    fprintf(f, "pikecheck: config %s, network %s, seed %" PRIu64 ", %d hardware layers%s\n",
            r->config_name, r->network_name, r->seed, r->n_layers,
            r->arch == 2 ? ", arch v2 (pk_core2)" : "");
    fprintf(f, "%3s  %-20s %-8s %12s %12s %6s %16s %9s\n", "#", "layer", "kind", "RTL cycles",
            "model cycles", "diff", "out mismatches", "counters");
    for (int i = 0; i < r->n_layers; i++) {
        const pk_check_layer_t *L = &r->layers[i];
        char om[48], cm[24];
        snprintf(om, sizeof om, "%" PRId64 "/%" PRId64, L->out_mismatch, L->out_elems);
        snprintf(cm, sizeof cm, "%d/%d", L->cnt_mismatch, ncmp);
        fprintf(f, "%3d  %-20.20s %-8s %12" PRId64 " %12" PRId64 " %6" PRId64 " %16s %9s%s\n", i,
                L->name, L->kind, L->rtl_cycles, L->model_cycles, L->rtl_cycles - L->model_cycles,
                om, cm, L->timeout || !status_done(L->status) ? "  NOT DONE" : "");
    }
    fprintf(f, "%3s  %-20s %-8s %12" PRId64 " %12" PRId64 " %6" PRId64 "\n", "", "sum", "",
            r->rtl_sum, r->model_sum, r->rtl_sum - r->model_sum);
    fprintf(f,
            "one start of %d layers: RTL %" PRIu64 " cycles, model %" PRIu64
            " cycles, diff %" PRId64 "; outputs %" PRId64 " mismatches; counters %d/%d differ\n",
            r->n_layers, r->full_rtl_cnt[PK_CNT_CYCLES], r->full_model_cnt[PK_CNT_CYCLES],
            (int64_t)(r->full_rtl_cnt[PK_CNT_CYCLES] - r->full_model_cnt[PK_CNT_CYCLES]),
            r->full_out_mismatch, r->full_cnt_mismatch, ncmp);
    double rs = r->rtl_s > 0 ? (double)r->rtl_sim_cycles / r->rtl_s : 0;
    double ms = r->model_s > 0 ? (double)r->model_sim_cycles / r->model_s : 0;
    fprintf(f,
            "speed: RTL (Verilator) %" PRId64 " cycles in %.3f s = %.3g cycles/s; pikesim %" PRId64
            " cycles in %.4f s = %.3g cycles/s; model %s",
            r->rtl_sim_cycles, r->rtl_s, rs, r->model_sim_cycles, r->model_s, ms,
            r->cached ? "cached" : "built");
    if (!r->cached)
        fprintf(f, " in %.1f s", r->build_s);
    fprintf(f, "\n");
    for (int i = 0; !r->pass && i < r->n_layers; i++) { /* each failing layer's first differences */
        const pk_check_layer_t *L = &r->layers[i];
        if (L->out_mismatch)
            fprintf(f, "layer %d (%s): first output difference (y %d, x %d, c %d): RTL 0x%x, "
                       "model 0x%x\n",
                    i, L->name, L->first_y, L->first_x, L->first_c, L->first_rtl, L->first_model);
        if (L->cnt_mismatch)
            fprintf(f, "layer %d (%s): first counter difference %s: RTL %" PRIu64 ", model %" PRIu64
                       "\n",
                    i, L->name, pk_counter_name(L->first_cnt), L->rtl_cnt[L->first_cnt],
                    L->model_cnt[L->first_cnt]);
    }
    if (r->pass)
        fprintf(f, "PASS: every output element, cycle count and counter is equal\n");
    else
        fprintf(f, "FAIL: first difference: %s\n", r->first_diff);
}
