/* test_host_board.c - pikehost's library against the Verilated board top,
 * byte for byte over a simulated serial line.
 *
 * The board is pikegen's pike_board (pk_board_spi: pike_top, the on-chip
 * memory with ARCHITECTURE_V1.md 7.1 timing, the UART command port) for the
 * shipped hw_configs/ecp5.yaml and ice40.yaml, built by pikecheck's model
 * cache with tests/rtl/host/pk_board_line.cpp, which drives the UART pins
 * bit by bit (UART_DIV = 8 clock cycles per bit instead of the config's
 * 434 / 208, so the line is fast enough to simulate; the protocol logic is
 * the same).  The host side is host/pk_host_run.c, exactly what pikehost
 * runs: identify the board, load the image, one start per layer with STATUS
 * polling, counters, read-back.  Every counter of every layer and every
 * output tensor must equal pikesim's (sim/pk_timing, sim/pk_func), also for a
 * concat's channel slices (tests/data/check/layers/concat.yaml).  Two
 * more cases show that the link's error detection works on both ends: a
 * frame with a corrupted byte gets the board's checksum NAK, and garbage
 * from a "board" is one clear input error.
 *
 * v2 (pikehost --arch v2): pikegen --arch v2's pike_board (pk_board2:
 * pk_core2 in the same board, docs/ARCHITECTURE.md V2-11.7) on ice40.yaml
 * and ecp5.yaml runs a 3-layer slice through pk_host_run_v2 (the v2 image,
 * one start per layer); every one of V2-9's counters of every layer equals
 * sim/pk_v2's for that layer started alone and every output equals
 * sim/pk_v2func's.  The comparison is shown to fail on a perturbed board
 * result (one counter, one output byte), and the link refuses a board of
 * the other arch or of another config (BOARD_ID).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pk_check.h"
#include "pk_contract.h"
#include "pk_func.h"
#include "pk_host.h"
#include "pk_host_run.h"
#include "pk_sim.h"
#include "pk_v2.h"
#include "pk_v2func.h"
#include "test_host_util.h"

typedef struct board {
    pid_t pid;
    pk_host_t *h;
    int to, from; /* raw descriptors (also owned by h) */
} board_t;

static void fail_err(const pk_error_t *err, const char *what)
{
    char msg[2048];
    pk_error_format(err, msg, sizeof msg);
    cr_assert_fail("%s: %s", what, msg);
}

/* Build (or find) the board model of cfg and start it behind a pipe pair. */
static board_t board_start_arch(const pk_config_t *cfg, int arch)
{
    char exe[1024];
    host_board_model(cfg, arch, exe, sizeof exe);
    pk_error_t err;
    pk_error_clear(&err);
    int in[2], out[2];
    cr_assert(pipe(in) == 0 && pipe(out) == 0);
    signal(SIGPIPE, SIG_IGN);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl(exe, exe, "--div", HOST_TEST_DIV, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    board_t b = {pid, NULL, in[1], out[0]};
    if (pk_host_open_fds(out[0], in[1], "simulated line", 60.0, &b.h, &err))
        fail_err(&err, "link");
    return b;
}

static board_t board_start(const pk_config_t *cfg)
{
    return board_start_arch(cfg, 1);
}

/* Close the link; the board exits 0 at EOF. */
static void board_stop(board_t *b)
{
    pk_host_close(b->h);
    int st = 0;
    cr_assert(waitpid(b->pid, &st, 0) == b->pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the board model exited with status 0x%x",
              st);
}

/* The comparison had something to compare: MACs and output bytes counted,
 * every layer run with memory waits, and the last output not constant. */
static void assert_run_compared(const pk_hwnet_t *hw, const pk_host_run_t *run,
                                uint8_t *const *tensors, int n)
{
    cr_assert_gt(run->total.v[PK_CNT_MACS], 0);
    cr_assert_gt(run->total.v[PK_CNT_DRAM_WR_BYTES], 0);
    for (int i = 0; i < n; i++) {
        cr_assert_gt(run->cnt[i].v[PK_CNT_CYCLES], 0, "layer %d", i);
        cr_assert_gt(run->cnt[i].v[PK_CNT_STALL], 0, "layer %d: no memory wait seen", i);
    }
    const pk_tensor_t *t = &hw->tensors[hw->layers[n - 1].t_out];
    int distinct = 0, seen[256] = {0};
    for (int64_t e = 0; e < (int64_t)t->h * t->w * t->c; e++)
        distinct += !seen[tensors[hw->layers[n - 1].t_out][e]]++;
    cr_assert_geq(distinct, 3, "the last output has %d distinct codes", distinct);
}

static void run_on_board(const char *config, const char *network, int layers)
{
    pk_error_t err;
    pk_error_clear(&err);
    pk_config_t *cfg = NULL;
    pk_net_t *net = NULL;
    pk_sim_result_t *res = NULL;
    pk_sim_opts_t so = {.seed = 1, .views = 1, .timing_only = 0, .acev2 = NULL};
    if (pk_config_load(config, &cfg, &err) || pk_net_load(network, &net, &err) ||
        pk_sim_run(net, cfg, &so, &res, &err))
        fail_err(&err, "model");
    const pk_hwnet_t *hw = res->hw;
    int n = layers ? layers : hw->n_layers;
    int64_t nin = (int64_t)net->in_h * net->in_w * net->in_c;
    uint8_t *in8 = pk_sim_view_input(net, 1, 0), *img = NULL, **tensors = NULL;
    uint32_t *in32 = malloc((size_t)nin * sizeof *in32);
    cr_assert(in8 && in32);
    for (int64_t i = 0; i < nin; i++)
        in32[i] = in8[i];
    size_t img_len = 0;
    if (pk_compile_image(hw, in32, &img, &img_len, &err) || pk_func_run(hw, in8, &tensors, &err))
        fail_err(&err, "image");

    board_t b = board_start(cfg);
    pk_host_run_t *run = NULL;
    if (pk_host_run_net(b.h, hw, img, img_len, n, 100000, stdout, &run, &err))
        fail_err(&err, "pk_host_run_net");
    char why[512];
    int64_t diffs = pk_host_compare(hw, run, res->hw_timing, tensors, why, sizeof why);
    uint64_t sent, got;
    pk_host_traffic(b.h, &sent, &got);
    printf("%s on %s: %d layers, %llu cycles, %llu MACs on the board; link %llu bytes out, "
           "%llu in; %lld STATUS polls; load %.2f s, run %.2f s, read-back %.2f s\n",
           net->name, cfg->name, n, (unsigned long long)run->total.v[PK_CNT_CYCLES],
           (unsigned long long)run->total.v[PK_CNT_MACS], (unsigned long long)sent,
           (unsigned long long)got, (long long)run->polls, run->load_s, run->run_s,
           run->read_s);
    fflush(stdout);
    cr_assert_eq(diffs, 0, "%s", why);
    assert_run_compared(hw, run, tensors, n);
    board_stop(&b);

    pk_host_run_free(run);
    pk_func_free(hw, tensors);
    free(img);
    free(in32);
    free(in8);
    pk_sim_free(res);
    pk_net_free(net);
    pk_config_free(cfg);
}

Test(host_board, ecp5_network, .timeout = 600)
{
    run_on_board(PIKE_SOURCE_ROOT "/hw_configs/ecp5.yaml",
                 PIKE_SOURCE_ROOT "/tests/data/host/net_ecp5.yaml", 0);
}

Test(host_board, ice40_network, .timeout = 600)
{
    run_on_board(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml",
                 PIKE_SOURCE_ROOT "/tests/data/check/net_ice40.yaml", 0);
}

/* Two producers writing channel slices of one concat tensor (compared
 * through the parent's pixels). */
Test(host_board, ice40_concat, .timeout = 600)
{
    run_on_board(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml",
                 PIKE_SOURCE_ROOT "/tests/data/check/layers/concat.yaml", 0);
}

/* v2: the first `layers` hardware layers of network on pikegen --arch v2's
 * board of config, against pikesim --arch v2's models; then the comparison
 * on a perturbed copy of the board's result, and the identity checks. */
static void run_on_board_v2(const char *config, const char *network, int layers,
                            const char *other_config)
{
    pk_error_t err;
    pk_error_clear(&err);
    pk_config_t *cfg = NULL;
    pk_net_t *net = NULL;
    pk_sim_result_t *res = NULL;
    pk_sim_opts_t so = {.seed = 1, .views = 1, .timing_only = 0, .acev2 = NULL, .arch = 2};
    if (pk_config_load(config, &cfg, &err) || pk_net_load(network, &net, &err) ||
        pk_sim_run(net, cfg, &so, &res, &err))
        fail_err(&err, "model");
    const pk_hwnet_t *hw = res->hw;
    int n = layers;
    cr_assert(n >= 1 && n <= hw->n_layers);
    int64_t nin = (int64_t)net->in_h * net->in_w * net->in_c;
    uint8_t *in8 = pk_sim_view_input(net, 1, 0), *img = NULL, **tensors = NULL;
    uint32_t *in32 = malloc((size_t)nin * sizeof *in32);
    pk_layer_timing_t *alone = calloc((size_t)n, sizeof *alone);
    cr_assert(in8 && in32 && alone);
    for (int64_t i = 0; i < nin; i++)
        in32[i] = in8[i];
    size_t img_len = 0;
    if (pk_v2img_build(res->v2img, in32, &img, &img_len, &err) ||
        pk_v2_func_tensors(hw, res->v2img, in8, &tensors, &err) ||
        pk_host_v2_model(cfg, res->v2img, n, alone, &err))
        fail_err(&err, "v2 image / model");

    board_t b = board_start_arch(cfg, 2);
    pk_host_run_t *run = NULL;
    /* v1's host on the v2 board: refused before anything is written */
    int rc = pk_host_run_net(b.h, hw, img, img_len, n, 100000, NULL, &run, &err);
    char msg[2048];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert(rc == PK_EINPUT && strstr(msg, "a v2 board (pikegen --arch v2)"), "%s", msg);
    pk_error_clear(&err);
    if (pk_host_run_v2(b.h, hw, res->v2plan, res->v2img, img, img_len, n, 100000, stdout, &run,
                       &err))
        fail_err(&err, "pk_host_run_v2");
    char why[512];
    int64_t diffs = pk_host_compare(hw, run, alone, tensors, why, sizeof why);
    uint64_t sent, got;
    pk_host_traffic(b.h, &sent, &got);
    printf("v2 %s on %s: %d layers, %llu cycles, %llu MACs on the board (CNT_BITS %d); image %zu "
           "bytes; link %llu bytes out, %llu in; %lld STATUS polls; load %.2f s, run %.2f s, "
           "read-back %.2f s\n",
           net->name, cfg->name, n, (unsigned long long)run->total.v[PK_CNT_CYCLES],
           (unsigned long long)run->total.v[PK_CNT_MACS], run->cnt_bits, img_len,
           (unsigned long long)sent, (unsigned long long)got, (long long)run->polls,
           run->load_s, run->run_s, run->read_s);
    fflush(stdout);
    cr_assert_eq(diffs, 0, "%s", why);
    cr_assert_eq(run->arch, 2);
    assert_run_compared(hw, run, tensors, n);

    /* a broken board result fails: one counter one off, then one output byte */
    run->cnt[n - 1].v[PK_CNT_STALL]++;
    diffs = pk_host_compare(hw, run, alone, tensors, why, sizeof why);
    cr_assert(diffs == 1 && strstr(why, "counter stall"), "%lld: %s", (long long)diffs, why);
    run->cnt[n - 1].v[PK_CNT_STALL]--;
    uint32_t at = pk_v2img_tensor_addr(res->v2img, hw->layers[0].t_out);
    run->mem[at] ^= 0x11;
    diffs = pk_host_compare(hw, run, alone, tensors, why, sizeof why);
    cr_assert(diffs >= 1 && strstr(why, "output element (y 0, x 0"), "%lld: %s",
              (long long)diffs, why);

    /* another config's v2 network: BOARD_ID names the mismatch */
    pk_config_t *ocfg = NULL;
    pk_net_t *onet = NULL;
    pk_sim_result_t *ores = NULL;
    if (pk_config_load(other_config, &ocfg, &err) || pk_net_load(network, &onet, &err) ||
        pk_sim_run(onet, ocfg, &so, &ores, &err))
        fail_err(&err, "the other config's model");
    pk_host_run_t *orun = NULL;
    rc = pk_host_run_v2(b.h, ores->hw, ores->v2plan, ores->v2img, img, img_len, 1, 100000, NULL,
                        &orun, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert(rc == PK_EINPUT && strstr(msg, "the board was built from another config"), "%s",
              msg);
    board_stop(&b);

    pk_sim_free(ores);
    pk_net_free(onet);
    pk_config_free(ocfg);
    pk_host_run_free(run);
    pk_func_free(hw, tensors);
    free(alone);
    free(img);
    free(in32);
    free(in8);
    pk_sim_free(res);
    pk_net_free(net);
    pk_config_free(cfg);
}

Test(host_board, v2_ice40_slice, .timeout = 900)
{
    run_on_board_v2(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml",
                    PIKE_SOURCE_ROOT "/tests/data/check/v2/res.yaml", 3,
                    PIKE_SOURCE_ROOT "/tests/data/check/v2/tiny2.yaml");
}

Test(host_board, v2_ecp5_slice, .timeout = 900)
{
    run_on_board_v2(PIKE_SOURCE_ROOT "/hw_configs/ecp5.yaml",
                    PIKE_SOURCE_ROOT "/tests/data/host/net_ecp5.yaml", 3,
                    PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml");
}

/* A byte corrupted on the way to the board: the board answers NAK
 * (checksum), the host reports it as one input error; the board then goes on
 * serving good frames. */
Test(host_board, corrupted_frame_gets_nak, .timeout = 600)
{
    pk_error_t err;
    pk_error_clear(&err);
    pk_config_t *cfg = NULL;
    if (pk_config_load(PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml", &cfg, &err))
        fail_err(&err, "config");
    board_t b = board_start(cfg);
    uint8_t f[16], resp[3];
    size_t n = pk_host_frame(PK_UART_OP_WRITE_REG, PK_REG_CMD_BASE, 0x1234, NULL, 0, f);
    f[3] ^= 0x10; /* one bit of d1 flipped on the line */
    cr_assert_eq(write(b.to, f, n), (ssize_t)n);
    size_t got = 0;
    while (got < 3) {
        ssize_t r = read(b.from, resp + got, 3 - got);
        cr_assert_gt(r, 0);
        got += (size_t)r;
    }
    int rc = pk_host_check_response(resp, 3, 0, NULL, "simulated line", "WRITE_REG 0x04", &err);
    char msg[1024];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, PK_EINPUT);
    cr_assert(strstr(msg, "NAK 0x01") && strstr(msg, "bad checksum"), "%s", msg);
    /* the register was not written; a good frame works */
    uint32_t v = 1;
    if (pk_host_read_reg(b.h, PK_REG_CMD_BASE, &v, &err))
        fail_err(&err, "read after NAK");
    cr_assert_eq(v, 0);
    if (pk_host_write_reg(b.h, PK_REG_CMD_BASE, 0x1234, &err) ||
        pk_host_read_reg(b.h, PK_REG_CMD_BASE, &v, &err))
        fail_err(&err, "write/read");
    cr_assert_eq(v, 0x1234);
    /* past the end of the board memory: NAK range */
    uint8_t buf[4];
    pk_error_clear(&err);
    rc = pk_host_read_mem(b.h, 8190, buf, 4, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert(rc == PK_EINPUT && strstr(msg, "NAK 0x03"), "%s", msg);
    board_stop(&b);
    pk_config_free(cfg);
}

/* Garbage from the other end of the link: one message naming the link and
 * the command; nothing waits for bytes that will not come. */
Test(host_board, garbage_response_is_input_error)
{
    int in[2], out[2];
    cr_assert(pipe(in) == 0 && pipe(out) == 0);
    const uint8_t junk[] = {0x41, 0x42, 0x43};
    cr_assert_eq(write(out[1], junk, sizeof junk), (ssize_t)sizeof junk);
    pk_host_t *h;
    pk_error_t err;
    pk_error_clear(&err);
    cr_assert_eq(pk_host_open_fds(out[0], in[1], "fake board", 1.0, &h, &err), 0);
    uint32_t v;
    int rc = pk_host_read_reg(h, PK_REG_ID, &v, &err);
    char msg[1024];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, PK_EINPUT);
    cr_assert_str_eq(msg, "fake board: READ_REG 0x00: response starts with byte 0x41; expected "
                          "ACK 0x06 or NAK 0x15 (wrong baud rate, or not a Pike board?)");
    /* a good ACK with a bad checksum */
    pk_error_clear(&err);
    uint8_t ack[] = {PK_UART_ACK, 1, 2, 3, 4, 0x00};
    cr_assert_eq(write(out[1], ack, sizeof ack), (ssize_t)sizeof ack);
    uint8_t drain[8];
    cr_assert_eq(read(out[0], drain, 2), 2); /* the rest of the junk */
    rc = pk_host_read_reg(h, PK_REG_ID, &v, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert(rc == PK_EINPUT && strstr(msg, "response checksum 0x00, expected 0xF0"), "%s", msg);
    /* silence: a timeout, not a hang */
    pk_error_clear(&err);
    rc = pk_host_read_reg(h, PK_REG_ID, &v, &err);
    pk_error_format(&err, msg, sizeof msg);
    cr_assert(rc == PK_EINPUT && strstr(msg, "no response byte within 1 s"), "%s", msg);
    pk_host_close(h);
    close(in[0]);
    close(out[1]);
}
