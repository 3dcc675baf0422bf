/* pk_check.h - pikecheck: the generated RTL, run under Verilator, against
 * pikesim, bit for bit, cycle for cycle, counter for counter.
 *
 * pk_check_run() loads a hardware config and a network, compiles the network
 * (core/pk_compile: descriptors + memory image), runs pikesim's library on it
 * (sim/pk_timing: cycles and the 22 counters of ARCHITECTURE_V1.md section 8 per
 * layer; sim/pk_func: every output code), builds (or finds in the cache) a
 * Verilator model of the RTL that pikegen generates for the config, and runs
 * the model as a subprocess on the same memory image:
 *   - one start per hardware layer (CMD_BASE = that layer's descriptor,
 *     CMD_COUNT = 1, CTRL.clear with every start), the memory carried from
 *     layer to layer, counters and the layer's output tensor dumped after
 *     each;
 *   - then, on a fresh copy of the image, one start of all the layers, whose
 *     cycle count must equal the sum of the per-layer runs (section 7.5) and
 *     whose counters and every output tensor must equal the model's.
 * With opts.arch = 2 (pikecheck --arch v2) the RTL is pikegen --arch v2's
 * (pk_core2, same ports and harness) and the model is v2's: the image of
 * core/pk_compile_v2 (descriptors of PK_DESC2_BYTES from address 0), cycles
 * and counters from sim/pk_v2 (each layer alone = pk_v2_timing_run on its
 * descriptor; the one-start run = pk_v2_timing_run on all of them, which is
 * less than the sum since descriptors are prefetched, V2-7.5), outputs from
 * sim/pk_v2func; only V2-9's 14 counters are compared
 * (pk_check_counter_compared); a layer pk_v2_rtl_supported rejects is
 * refused (PK_EINPUT naming it) before anything is built or written.
 * All comparison logic is here, in C; the model executable
 * (check/harness/pk_check_main.cpp + pk_tb.h) only drives the bus and the
 * 7.1 memory and writes what it saw.
 *
 * Model cache: $PIKE_CACHE_DIR (else opts.cache_dir, else ~/.cache/pike),
 * one directory per SHA-256 of (generated RTL files, harness sources,
 * `verilator --version`, build flags, tracing on/off); a second run with the
 * same RTL reuses the executable.  Entries are built in a temporary directory
 * and renamed into place, so concurrent runs never see half a model.
 *
 * Ownership: pk_check_run() allocates *out; free with pk_check_free().
 * Errors: 0 or a negative PK_E* with err filled.  A mismatch is NOT an error:
 * it is reported in the result (pass == 0).
 */
#ifndef PK_CHECK_H
#define PK_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "pk_config.h"
#include "pk_counters.h"
#include "pk_error.h"

typedef struct pk_check_opts {
    const char *config_path;
    const char *network_path;  /* network YAML or a .onnx model (imported first) */
    int approx;                /* .onnx: accept inexact layers (docs/IMPORT.md) */
    int layers;                /* check the first N hardware layers; 0 = all */
    uint64_t seed;             /* network input seed (pikesim's view 0 input) */
    const int32_t *input;      /* NULL: the seeded input; else one image of in_h*in_w*in_c
                                  input code values (h, w, c order; pk_check_input.c) */
    const char *trace_path;    /* waveform (FST) of the whole session, or NULL */
    const char *cache_dir;     /* NULL: $PIKE_CACHE_DIR, else ~/.cache/pike */
    const char *templates_dir; /* NULL: pikegen's default */
    const char *harness_dir;   /* NULL: $PIKE_ROOT/check/harness, else the source tree's */
    /* the model's top and harness (pk_check_model; NULL = pikecheck's own):
     * model_top "pike_board" builds the board top (pk_board_spi) instead of
     * pike_top; harness_files a NULL-terminated list of files in harness_dir
     * (.cpp files are compiled); model_param one "-GNAME=VALUE" for the top */
    const char *model_top;
    const char *const *harness_files;
    const char *model_param;
    FILE *log;                 /* progress lines (build, run); NULL = quiet */
    int arch;                  /* 0 or 1: v1 (pk_core); 2: v2 (pikecheck --arch v2: pk_core2
                                  against sim/pk_v2 and sim/pk_v2func; see below) */
} pk_check_opts_t;

typedef struct pk_check_layer {
    char name[96];
    const char *kind;          /* "conv", "dw", ... (pk_hwkind_name) */
    int status;                /* STATUS register after the run */
    int timeout;               /* no irq within the cycle limit */
    int64_t rtl_cycles, model_cycles;
    int64_t out_elems, out_mismatch;
    int out_distinct;          /* distinct codes in the model's output (a test that
                                  compares constant tensors proves little) */
    int first_y, first_x, first_c;   /* first differing element (out_mismatch > 0) */
    uint32_t first_rtl, first_model; /* its codes */
    int cnt_mismatch;          /* counters (of PK_CNT_COUNT) that differ */
    int first_cnt;             /* index of the first, or -1 */
    uint64_t rtl_cnt[PK_CNT_COUNT], model_cnt[PK_CNT_COUNT];
    double rtl_s;              /* wall time of this layer's RTL run alone */
} pk_check_layer_t;

typedef struct pk_check_result {
    int arch;                  /* 1 or 2 */
    char config_name[64], network_name[64];
    uint64_t seed;
    int n_layers;              /* hardware layers checked */
    pk_check_layer_t *layers;
    int64_t rtl_sum, model_sum;          /* sums of the per-layer cycles */
    /* the one-start run of all n_layers layers */
    int full_status, full_timeout;
    int64_t full_out_mismatch;
    int full_cnt_mismatch;
    uint64_t full_rtl_cnt[PK_CNT_COUNT], full_model_cnt[PK_CNT_COUNT];
    int fault;                 /* the RTL accessed memory outside the image */
    uint64_t fault_addr;
    /* speeds */
    int cached;                /* the model came from the cache */
    double build_s;            /* wall time to build the model (0 if cached) */
    int64_t rtl_sim_cycles;    /* clock cycles simulated in the runs */
    double rtl_s;              /* wall time of those runs */
    double full_rtl_s;         /* wall time of the one-start RTL run alone */
    double model_s;            /* wall time of one pk_timing + pk_func run of all
                                  layers (mean over repeats filling >= 50 ms) */
    int model_reps;            /* the repeats behind model_s */
    double model_timing_s;     /* the same for pk_timing_run alone (--timing-only) */
    int model_timing_reps;
    int net_layers;            /* hardware layers of the whole network: the model
                                  runs (and model_s times) all of them */
    int64_t model_sim_cycles;  /* cycles of one model run of all layers */
    char model_exe[1024];
    int32_t *out_codes;        /* the model's output code values of the last checked
                                  layer (h, w, c order; equal to the RTL's when pass) */
    int64_t out_n;
    int pass;                  /* every difference is zero */
    char first_diff[512];      /* "" when pass */
} pk_check_result_t;

int pk_check_run(const pk_check_opts_t *o, pk_check_result_t **out, pk_error_t *err);

/* 1 when counter i (PK_CNT_*) is compared for arch: v1 all of them; v2 the
 * 14 of ARCHITECTURE.md V2-9 (in their v1 slots; qn/res/rq/act_ops and
 * the parameter and residual buffer counters are not counted by pk_core2). */
int pk_check_counter_compared(int arch, int i);
void pk_check_free(pk_check_result_t *r);

/* The per-layer table, the one-start line, speeds and the verdict. */
void pk_check_report(FILE *f, const pk_check_result_t *r);

/* The result as JSON (cycles and wall times of both sides, per layer and in
 * total; model build time excluded from every RTL time), written to a
 * temporary file beside path and renamed.  0 or a negative PK_E*. */
int pk_check_write_json(const char *path, const pk_check_result_t *r, pk_error_t *err);

/* pikecheck --input (check/pk_check_input.c): images from an .npy file, with
 * pikesim --input's semantics (sim/pk_input.h), each run by pk_check_run()
 * as its input; o->input is ignored. */
typedef struct pk_check_inputs {
    const char *input;     /* the .npy images (required) */
    const char *labels;    /* NULL: no top-1 */
    int64_t count;         /* check only the first count images; 0 = all */
    const char *json_path; /* NULL, or the JSON result (one image only) */
} pk_check_inputs_t;

/* Prints pikecheck's report (one image) or one line per image and totals to
 * f; *pass = 1 when every image agrees.  0 or a negative PK_E*. */
int pk_check_inputs(const pk_check_opts_t *o, const pk_check_inputs_t *in, FILE *f, int *pass,
                    pk_error_t *err);

/* Build or find the Verilator model of cfg's generated RTL; exe (len bytes)
 * gets its path.  *cached = 1 when it was found in the cache. */
int pk_check_model(const pk_config_t *cfg, const pk_check_opts_t *o, int trace, char *exe,
                   size_t len, int *cached, double *build_s, pk_error_t *err);

#endif
