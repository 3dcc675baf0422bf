/* test_host_util.h - shared by the pikehost tests: the Verilated board top
 * of a config behind the simulated serial line (tests/rtl/host/
 * pk_board_line.cpp), built or found in pikecheck's model cache (in the
 * build tree unless $PIKE_CACHE_DIR says otherwise).  UART_DIV is
 * HOST_TEST_DIV clock cycles per bit instead of the config's (a fast line to
 * simulate; the protocol logic is the same). */
#ifndef TEST_HOST_UTIL_H
#define TEST_HOST_UTIL_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "pk_check.h"

#define HOST_TEST_DIV "8"

/* The board model's executable for cfg into exe (run it as: exe --div
 * HOST_TEST_DIV, the line on stdin/stdout): pikegen's pike_board of arch 1
 * (pk_board_spi) or 2 (pikegen --arch v2: pk_board2). */
static void host_board_model(const pk_config_t *cfg, int arch, char *exe, size_t len)
{
    static const char *const files[] = {"pk_board_line.cpp", NULL};
    setenv("PIKE_CACHE_DIR", PIKE_BIN_DIR "/check-cache", 0);
    pk_check_opts_t o;
    memset(&o, 0, sizeof o);
    o.harness_dir = PIKE_SOURCE_ROOT "/tests/rtl/host";
    o.model_top = "pike_board";
    o.harness_files = files;
    o.model_param = "-GUART_DIV=" HOST_TEST_DIV;
    o.log = stdout;
    o.arch = arch;
    int cached;
    double build_s;
    pk_error_t err;
    pk_error_clear(&err);
    int rc = pk_check_model(cfg, &o, 0, exe, len, &cached, &build_s, &err);
    char msg[2048];
    pk_error_format(&err, msg, sizeof msg);
    cr_assert_eq(rc, 0, "board model: %s", msg);
}

#endif
