/* pk_host_run.c - a compiled network on a board, over pk_host's link.
 *
 * Design: everything goes through the register map of core/pk_contract.def
 * (PK_REG_*, PK_CTRL_*, PK_STATUS_*, PK_REG_CNT_LO/HI), the same rows
 * pikegen writes into the bundle's pk_regmap.h, and through the board memory
 * with the section 5 image of core/pk_compile (v2: core/pk_compile_v2's).
 * The board is first identified (ID register; BOARD_ID: 0 on v1's board,
 * pk_v2_rtl_board_id(cfg) on v2's; its HW_* registers against the config
 * the network was compiled for), so a link to the wrong board, a board of
 * the other arch or a board built from another config fails before
 * anything is written.  Both archs run the same way (one start per layer);
 * they differ in the image, the descriptor stride, what BOARD_ID reads and
 * which counters compare (pk_host_compare).
 */
#include "pk_host_run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pk_contract.h"
#include "pk_v2.h"
#include "pk_v2_rtl.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The board answers ID, its BOARD_ID is board_id (arch's) and its HW_*
 * registers match cfg. */
static int identify(pk_host_t *h, const pk_config_t *cfg, int arch, uint32_t board_id,
                    pk_error_t *err)
{
    uint32_t v;
    int rc = pk_host_read_reg(h, PK_REG_ID, &v, err);
    if (rc)
        return rc;
    if (v != PK_ID_VALUE)
        return pk_error_set(err, PK_EINPUT, "pikehost", 0, "ID",
                            "the board's ID register reads 0x%08" PRIX32
                            ", expected 0x%08X (\"PIKE\"): not a Pike board",
                            v, PK_ID_VALUE);
    if ((rc = pk_host_read_reg(h, PK_REG_BOARD_ID, &v, err)))
        return rc;
    if (v != board_id) {
        if (arch == 2 && v == 0)
            return pk_error_set(err, PK_EINPUT, "pikehost", 0, "BOARD_ID",
                                "the board's BOARD_ID register reads 0: a v1 board (pikegen "
                                "--arch v1); run pikehost --arch v1, or program the "
                                "pike_board of pikegen --arch v2 (the default)");
        if (arch == 2 && v >> 24 == 2)
            return pk_error_set(err, PK_EINPUT, "pikehost", 0, "BOARD_ID",
                                "the board's BOARD_ID register reads 0x%08" PRIX32
                                ", config '%s' gives 0x%08" PRIX32
                                ": the board was built from another config",
                                v, cfg->name, board_id);
        if (arch != 2 && v >> 24 == 2)
            return pk_error_set(err, PK_EINPUT, "pikehost", 0, "BOARD_ID",
                                "the board's BOARD_ID register reads 0x%08" PRIX32
                                ": a v2 board (pikegen --arch v2); run pikehost --arch v2",
                                v);
        return pk_error_set(err, PK_EINPUT, "pikehost", 0, "BOARD_ID",
                            "the board's BOARD_ID register reads 0x%08" PRIX32
                            ", expected 0x%08" PRIX32 ": not a board of this pikehost",
                            v, board_id);
    }
    const struct {
        int reg;
        const char *name;
        uint32_t want;
    } hw[] = {
        {PK_REG_HW_ROWS, "HW_ROWS (array.rows)", (uint32_t)cfg->array.rows},
        {PK_REG_HW_COLS, "HW_COLS (array.cols)", (uint32_t)cfg->array.cols},
        {PK_REG_HW_LANES, "HW_LANES (array.lanes)", (uint32_t)cfg->array.lanes},
        {PK_REG_HW_SLOT_BITS, "HW_SLOT_BITS", (uint32_t)cfg->d.slot_bits},
        {PK_REG_HW_WMASK, "HW_WMASK (precision.weight_bits)", cfg->d.width_mask_w},
        {PK_REG_HW_AMASK, "HW_AMASK (precision.act_bits)", cfg->d.width_mask_a},
        {PK_REG_HW_ACC_BITS, "HW_ACC_BITS (precision.acc_bits)",
         (uint32_t)cfg->precision.acc_bits},
        {PK_REG_HW_PP_LANES, "HW_PP_LANES (postproc.lanes)", (uint32_t)cfg->postproc.lanes},
    };
    for (size_t i = 0; i < sizeof hw / sizeof hw[0]; i++) {
        if ((rc = pk_host_read_reg(h, hw[i].reg, &v, err)))
            return rc;
        if (v != hw[i].want)
            return pk_error_set(err, PK_EINPUT, "pikehost", 0, hw[i].name,
                                "the board has %" PRIu32 ", config '%s' has %" PRIu32
                                ": the board was built from another config",
                                v, cfg->name, hw[i].want);
    }
    return 0;
}

/* Start layer i alone and wait for STATUS.done; then read its counters. */
static int run_layer(pk_host_t *h, const pk_hwnet_t *hw, uint32_t cmd_base, uint32_t desc_bytes,
                     int i, int64_t max_polls, pk_host_run_t *r, pk_error_t *err)
{
    uint32_t base = cmd_base + desc_bytes * (uint32_t)i, st = 0;
    int rc = pk_host_write_reg(h, PK_REG_CMD_BASE, base, err);
    if (!rc)
        rc = pk_host_write_reg(h, PK_REG_CMD_COUNT, 1, err);
    if (!rc)
        rc = pk_host_write_reg(h, PK_REG_CTRL, PK_CTRL_START | PK_CTRL_CLEAR, err);
    int64_t n = 0;
    while (!rc && !(st & PK_STATUS_DONE) && n < max_polls) {
        rc = pk_host_read_reg(h, PK_REG_STATUS, &st, err);
        n++;
    }
    r->polls += n;
    if (rc)
        return rc;
    r->status[i] = st;
    if (!(st & PK_STATUS_DONE))
        return pk_error_set(err, PK_EINPUT, "pikehost", 0, hw->layers[i].name,
                            "the board did not finish the layer within %" PRId64
                            " STATUS reads (STATUS 0x%08" PRIX32 ")",
                            max_polls, st);
    if (st & PK_STATUS_ERROR)
        return pk_error_set(err, PK_EINPUT, "pikehost", 0, hw->layers[i].name,
                            "the board reports STATUS.error (a bad descriptor)");
    for (int c = 0; c < PK_CNT_COUNT && !rc; c++) {
        uint32_t lo = 0, hi = 0;
        rc = pk_host_read_reg(h, PK_REG_CNT_LO(c), &lo, err);
        if (!rc)
            rc = pk_host_read_reg(h, PK_REG_CNT_HI(c), &hi, err);
        r->cnt[i].v[c] = (uint64_t)hi << 32 | lo;
    }
    if (!rc)
        pk_counters_add(&r->total, &r->cnt[i]);
    return rc;
}

void pk_host_run_free(pk_host_run_t *r)
{
    if (!r)
        return;
    free(r->status);
    free(r->cnt);
    free(r->mem);
    free(r);
}

/* The run of both archs: identify, load, one start per layer, read back. */
static int run_net(pk_host_t *h, const pk_hwnet_t *hw, int arch, uint32_t board_id,
                   uint32_t cmd_base, uint32_t desc_bytes, uint32_t shift, int cnt_bits,
                   const uint8_t *img, size_t img_len, int n_layers, int64_t max_polls,
                   FILE *log, pk_host_run_t **out, pk_error_t *err)
{
    *out = NULL;
    if (n_layers < 1 || n_layers > hw->n_layers)
        return pk_error_set(err, PK_EINPUT, "pikehost", 0, "--layers",
                            "%d is out of range: the network has %d hardware layers", n_layers,
                            hw->n_layers);
    pk_host_run_t *r = calloc(1, sizeof *r);
    if (!r || !(r->status = calloc((size_t)n_layers, sizeof *r->status)) ||
        !(r->cnt = calloc((size_t)n_layers, sizeof *r->cnt)) || !(r->mem = malloc(img_len + 1))) {
        pk_host_run_free(r);
        return pk_error_set(err, PK_ENOMEM, "pikehost", 0, "memory", "out of memory");
    }
    r->arch = arch;
    r->n_layers = n_layers;
    r->tensor_shift = shift;
    r->cnt_bits = cnt_bits;
    r->mem_len = img_len;
    double t0 = now_s();
    int rc = identify(h, hw->cfg, arch, board_id, err);
    if (!rc && log)
        fprintf(log, "pikehost: board identified; loading the image (%zu bytes)\n", img_len);
    if (!rc)
        rc = pk_host_write_mem(h, 0, img, img_len, err);
    double t1 = now_s();
    for (int i = 0; i < n_layers && !rc; i++) {
        if (log)
            fprintf(log, "pikehost: layer %d/%d %s\n", i + 1, n_layers, hw->layers[i].name);
        rc = run_layer(h, hw, cmd_base, desc_bytes, i, max_polls, r, err);
    }
    double t2 = now_s();
    if (!rc && log)
        fprintf(log, "pikehost: reading the memory back\n");
    if (!rc)
        rc = pk_host_read_mem(h, 0, r->mem, img_len, err);
    r->load_s = t1 - t0;
    r->run_s = t2 - t1;
    r->read_s = now_s() - t2;
    if (rc) {
        pk_host_run_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int pk_host_run_net(pk_host_t *h, const pk_hwnet_t *hw, const uint8_t *img, size_t img_len,
                    int n_layers, int64_t max_polls, FILE *log, pk_host_run_t **out,
                    pk_error_t *err)
{
    return run_net(h, hw, 1, 0, hw->cmd_base, PK_DESC_BYTES, 0, 64, img, img_len, n_layers,
                   max_polls, log, out, err);
}

int pk_host_run_v2(pk_host_t *h, const pk_hwnet_t *hw, const pk_plan_t *plan,
                   const pk_v2img_t *m, const uint8_t *img, size_t img_len, int n_layers,
                   int64_t max_polls, FILE *log, pk_host_run_t **out, pk_error_t *err)
{
    *out = NULL;
    /* every layer run must be one pk_core2 builds: refused before anything
     * is written (as pikecheck --arch v2) */
    pk_v2_rtl_check_t chk;
    int rc = 0;
    pk_v2_rtl_check_init(&chk, hw->cfg, hw, plan);
    for (int i = 0; i < n_layers && i < hw->n_layers && !rc; i++) {
        char why[400];
        if (pk_v2_rtl_check(&chk, i, why, sizeof why))
            rc = pk_error_set(err, PK_EINPUT, "pikehost", 0, "--arch v2",
                              "layer %d (%s, %s): not supported by pk_core2: %s", i,
                              hw->layers[i].name, pk_hwkind_name(hw->layers[i].kind), why);
    }
    pk_v2_rtl_check_free(&chk);
    if (rc)
        return rc;
    int64_t cnt_bits = pk_v2_rtl_param(hw->cfg, "CNT_BITS");
    return run_net(h, hw, 2, pk_v2_rtl_board_id(hw->cfg), 0, PK_DESC2_BYTES,
                   pk_v2img_tensor_addr(m, 0) - hw->tensors[0].addr, (int)cnt_bits, img,
                   img_len, n_layers, max_polls, log, out, err);
}

int pk_host_v2_model(const pk_config_t *cfg, const pk_v2img_t *m, int n,
                     pk_layer_timing_t *alone, pk_error_t *err)
{
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        pk_counters_t t;
        rc = pk_v2_timing_run(cfg, NULL, 1, pk_v2img_descriptor(m, i), &alone[i], &t, err);
    }
    return rc;
}

/* Output tensor of layer i in the board memory against the model's codes:
 * the number of differing elements; the first one into why.  A channel slice
 * of a concat tensor is read from its parent's pixels (ARCHITECTURE_V1.md 5,
 * descriptor word 12). */
static int64_t compare_tensor(const pk_hwnet_t *hw, const pk_host_run_t *r, int i,
                              const uint8_t *model, char *why, size_t len)
{
    const pk_tensor_t *t = &hw->tensors[hw->layers[i].t_out];
    const pk_tensor_t *p = t->parent >= 0 ? &hw->tensors[t->parent] : t;
    int ch0 = t->parent >= 0 ? t->ch_base : 0;
    int64_t n = (int64_t)p->h * p->w * p->c, bad = 0;
    pk_tensor_t at = *p; /* where the run's image holds it (v2: the moved region; the
                            shift wraps mod 2^32 when v2's region starts lower) */
    at.addr = p->addr + r->tensor_shift;
    if ((uint64_t)at.addr + (uint64_t)p->bytes > r->mem_len) {
        snprintf(why, len, "layer %s: output outside the image", hw->layers[i].name);
        return 1;
    }
    uint32_t *codes = malloc((size_t)n * sizeof *codes + 1);
    if (!codes) {
        snprintf(why, len, "out of memory");
        return 1;
    }
    pk_tensor_unpack(&at, r->mem, codes);
    for (int64_t e = 0; e < (int64_t)t->h * t->w * t->c; e++) {
        uint32_t b = codes[e / t->c * p->c + ch0 + e % t->c];
        if (b != model[e] && bad++ == 0 && !*why)
            snprintf(why, len,
                     "layer %s: output element (y %" PRId64 ", x %" PRId64 ", c %" PRId64
                     ") is %" PRIu32 " on the board, %u in the model",
                     hw->layers[i].name, e / t->c / t->w, e / t->c % t->w, e % t->c, b,
                     model[e]);
    }
    free(codes);
    return bad;
}

int64_t pk_host_compare(const pk_hwnet_t *hw, const pk_host_run_t *r,
                        const pk_layer_timing_t *model, uint8_t *const *tensors, char *why,
                        size_t len)
{
    int64_t diffs = 0;
    why[0] = 0;
    /* v2: V2-9's counters only, as wide as the board's (they wrap at
     * 2^CNT_BITS, V2-9 item 8) */
    uint64_t mask = r->cnt_bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << r->cnt_bits) - 1;
    for (int i = 0; i < r->n_layers; i++) {
        for (int c = 0; c < PK_CNT_COUNT; c++)
            if ((r->arch != 2 || pk_v2_counter_kept(c)) &&
                ((r->cnt[i].v[c] ^ model[i].cnt.v[c]) & mask) && diffs++ == 0)
                snprintf(why, len,
                         "layer %s: counter %s is %" PRIu64 " on the board, %" PRIu64
                         " in the model",
                         hw->layers[i].name, pk_counter_name(c), r->cnt[i].v[c],
                         model[i].cnt.v[c]);
        diffs += compare_tensor(hw, r, i, tensors[hw->layers[i].t_out], why, len);
    }
    return diffs;
}
