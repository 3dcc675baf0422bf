/* test_host_cli.c - the pikehost command: its flags, a serial device that
 * answers garbage (a pseudo-terminal, so the termios path is the real one),
 * and a whole run over --fd on the Verilated ice40 board (the model of
 * tests/test_host_board.c, from the same cache), whose report is pikesim's
 * with the board's counters and whose exit status says they agree.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_host_util.h"

#define HOST PIKE_BIN_DIR "/host/pikehost"
#define ICE40 PIKE_SOURCE_ROOT "/hw_configs/ice40.yaml"
#define NET PIKE_SOURCE_ROOT "/tests/data/check/net_ice40.yaml"

/* Run argv with stdout+stderr to a file; exit status, output in out. */
static int run(const char *const *argv, int keep_fd, char *out, size_t len)
{
    char path[] = "/tmp/pikehost-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        if (keep_fd >= 0 && keep_fd != 3) {
            dup2(keep_fd, 3);
            close(keep_fd);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    ssize_t n = pread(fd, out, len - 1, 0);
    out[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

Test(host_cli, bad_flags)
{
    char out[4096];
    const char *a1[] = {HOST, "--config", ICE40, "--network", NET, NULL};
    cr_assert_eq(run(a1, -1, out, sizeof out), 2);
    cr_assert_str_eq(out, "pikehost: --device: give exactly one of --device TTY and --fd N\n");
    const char *a2[] = {HOST, "--config", ICE40, "--network", NET, "--device", "/nonexistent/tty",
                        NULL};
    cr_assert_eq(run(a2, -1, out, sizeof out), 2);
    cr_assert_str_eq(out, "/nonexistent/tty: --device: cannot open: No such file or directory\n");
    const char *a3[] = {HOST, "--config", ICE40, "--network", NET, "--device", "/dev/null",
                        "--baud", "12345", NULL};
    cr_assert_eq(run(a3, -1, out, sizeof out), 2);
    cr_assert(strstr(out, "pikehost: --baud: 12345 is not a rate the serial driver takes"), "%s",
              out);
    const char *a4[] = {HOST, "--config", ICE40, "--network", NET, "--device", "/dev/null", NULL};
    cr_assert_eq(run(a4, -1, out, sizeof out), 2);
    cr_assert(strstr(out, "/dev/null: --device: not a serial device"), "%s", out);
    const char *a5[] = {HOST, "--config", ICE40, "--network", NET, "--fd", "0", "--arch", "v3",
                        NULL};
    cr_assert_eq(run(a5, -1, out, sizeof out), 2);
    cr_assert_str_eq(out, "pikehost: --arch: expected v1 or v2\n");
}

/* A serial device whose other end answers "XYZ": one message, exit 2. */
Test(host_cli, garbage_on_a_tty)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
    char slave[128];
    snprintf(slave, sizeof slave, "%s", ptsname(m));
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        /* the "board": read the first frame (READ_REG ID), answer garbage */
        uint8_t f[3];
        size_t got = 0;
        while (got < 3) {
            ssize_t r = read(m, f + got, 3 - got);
            if (r <= 0)
                _exit(1);
            got += (size_t)r;
        }
        _exit(f[0] == 0x02 && f[1] == 0x00 && f[2] == 0xFE && write(m, "XYZ", 3) == 3 ? 0 : 1);
    }
    char out[4096], want[512];
    const char *a[] = {HOST, "--config", ICE40, "--network", NET, "--device", slave,
                       "--timeout", "2", "--quiet", NULL};
    int rc = run(a, -1, out, sizeof out);
    int st;
    waitpid(pid, &st, 0);
    close(m);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the fake board saw a wrong frame");
    snprintf(want, sizeof want,
             "%s: READ_REG 0x00: response starts with byte 0x58; expected ACK 0x06 or NAK 0x15 "
             "(wrong baud rate, or not a Pike board?)\n",
             slave);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert_str_eq(out, want);
}

/* Starts the simulated ice40 board of arch (1: pikegen --arch v1, 2: v2) on
 * one end of a socket pair; *fd is the host's end. */
static pid_t start_board(int arch, int *fd)
{
    pk_config_t *cfg = NULL;
    pk_error_t err = {0};
    cr_assert_eq(pk_config_load(ICE40, &cfg, &err), 0);
    char exe[1024];
    host_board_model(cfg, arch, exe, sizeof exe);
    pk_config_free(cfg);
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    pid_t board = fork();
    cr_assert(board >= 0);
    if (board == 0) {
        dup2(sv[0], 0);
        dup2(sv[0], 1);
        close(sv[0]);
        close(sv[1]);
        execl(exe, exe, "--div", HOST_TEST_DIV, (char *)NULL);
        _exit(127);
    }
    close(sv[0]);
    *fd = sv[1];
    return board;
}

/* The whole command on the simulated ice40 board of arch (1: pikegen --arch v1,
 * 2: pikegen's default, v2): exit 0, pikesim's report; the JSON names the
 * network and the arch and has the board's cycles. */
static void cli_on_board(int arch, const char *net, const char *layers_line, const char *jnet,
                         const char *jcycles)
{
    int fd;
    pid_t board = start_board(arch, &fd);
    char out[65536], js[] = "/tmp/pikehost-json-XXXXXX";
    int jfd = mkstemp(js);
    cr_assert(jfd >= 0);
    close(jfd);
    const char *a[] = {HOST, "--config", ICE40, "--network", net, "--fd", "3", "--json", js,
                       "--arch", arch == 2 ? "v2" : "v1", NULL};
    int rc = run(a, fd, out, sizeof out);
    close(fd);
    int st;
    waitpid(board, &st, 0);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "pikehost: every counter and output of the board equals pikesim's"),
              "%s", out);
    cr_assert(strstr(out, layers_line), "%s", out);
    FILE *f = fopen(js, "r");
    cr_assert(f);
    char j[65536];
    size_t n = fread(j, 1, sizeof j - 1, f);
    fclose(f);
    unlink(js);
    j[n] = 0;
    cr_assert(strstr(j, jnet) && strstr(j, jcycles), "%s", j);
    cr_assert(strstr(j, arch == 2 ? "\"arch\": \"v2\"" : "\"arch\": \"v1\""), "%s", j);
}

Test(host_cli, run_on_simulated_board, .timeout = 600)
{
    cli_on_board(1, NET, "pikehost: 7 layers on the board", "\"network\": \"check_ice40\"",
                 "\"cycles\": 10851");
}

/* Without --arch pikehost is v2 (the default, as pikegen's): on the v1
 * board (pikegen --arch v1) it stops at the board identity check, exit 2,
 * one line naming the board and the flag for it. */
Test(host_cli, default_arch_v2_refuses_a_v1_board, .timeout = 600)
{
    int fd;
    pid_t board = start_board(1, &fd);
    char out[4096];
    const char *a[] = {HOST, "--config", ICE40, "--network", NET, "--fd", "3", "--quiet", NULL};
    int rc = run(a, fd, out, sizeof out);
    close(fd);
    int st;
    waitpid(board, &st, 0);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert_str_eq(out, "pikehost: BOARD_ID: the board's BOARD_ID register reads 0: a v1 board "
                          "(pikegen --arch v1); run pikehost --arch v1, or program the pike_board "
                          "of pikegen --arch v2 (the default)\n");
}

/* --arch v2: the v2 board, pikesim --arch v2's report; the cycles are the
 * board's (each layer started alone: 1591, the sum of sim/pk_v2's alone
 * runs), not pikesim's one-start run. */
Test(host_cli, run_on_simulated_v2_board, .timeout = 600)
{
    cli_on_board(2, PIKE_SOURCE_ROOT "/tests/data/check/v2/res.yaml",
                 "pikehost: 3 layers on the board", "\"network\": \"v2_res\"",
                 "\"cycles\": 1591");
}
