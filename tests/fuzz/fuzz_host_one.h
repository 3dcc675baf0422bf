/* fuzz_host_one.h - the check of one candidate byte stream from a board
 * (what comes back on pikehost's serial link), shared by the libFuzzer
 * harness (fuzz_host.c) and the replay test (tests/test_host_protocol.c).
 *
 * The bytes go through the response checker on their own (for several
 * expected data lengths) and then, through a pipe, as the board's side of a
 * whole session (READ_REG, WRITE_REG, READ_MEM, WRITE_MEM, a READ_MEM of two
 * chunks): every call must succeed or return PK_EINPUT with the link's name
 * and a message, never crash, hang or leak.  Returns 0 when the contract
 * held, -1 (with a line on stderr) when it did not. */
#ifndef PK_FUZZ_HOST_ONE_H
#define PK_FUZZ_HOST_ONE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pk_contract.h"
#include "pk_host.h"

static int pk_fuzz_host_bad(int rc, const pk_error_t *e, const char *stage)
{
    if (rc == 0 || (rc == PK_EINPUT && !strcmp(e->file, "fuzz") && e->field[0] && e->msg[0]))
        return 0;
    fprintf(stderr, "fuzz_host: %s returned %d (%s: %s)\n", stage, rc, e->field, e->msg);
    return -1;
}

static int pk_fuzz_host_one(const uint8_t *data, size_t size)
{
    static uint8_t buf[2 * PK_HOST_CHUNK + 64];
    const size_t ndata[] = {0, 4, size > 2 ? size - 2 : 0};
    for (size_t k = 0; k < sizeof ndata / sizeof ndata[0]; k++) {
        pk_error_t e = {0};
        int rc = pk_host_check_response(data, size, ndata[k] < sizeof buf ? ndata[k] : 0, buf,
                                        "fuzz", "check", &e);
        if (pk_fuzz_host_bad(rc, &e, "pk_host_check_response"))
            return -1;
    }
    /* a session: the input is all the board ever sends (a pipe holds 64 KiB) */
    if (size > 32768)
        size = 32768;
    int p[2];
    if (pipe(p) != 0)
        return 0;
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0 || write(p[1], data, size) != (ssize_t)size) {
        close(p[0]);
        close(p[1]);
        if (devnull >= 0)
            close(devnull);
        return 0;
    }
    close(p[1]);
    pk_host_t *h = NULL;
    pk_error_t e = {0};
    if (pk_host_open_fds(p[0], devnull, "fuzz", 0.01, &h, &e)) {
        close(p[0]);
        close(devnull);
        return pk_fuzz_host_bad(e.code ? e.code : -1, &e, "pk_host_open_fds") ? -1 : 0;
    }
    int bad = 0;
    uint32_t v;
    static const uint8_t three[3] = {1, 2, 3};
    for (int step = 0; step < 5 && !bad; step++) {
        pk_error_t se = {0};
        int rc = step == 0   ? pk_host_read_reg(h, PK_REG_ID, &v, &se)
                 : step == 1 ? pk_host_write_reg(h, PK_REG_CMD_BASE, 0x40, &se)
                 : step == 2 ? pk_host_read_mem(h, 0, buf, 8, &se)
                 : step == 3 ? pk_host_write_mem(h, 16, three, sizeof three, &se)
                             : pk_host_read_mem(h, 0x100, buf, PK_HOST_CHUNK + 7, &se);
        bad = pk_fuzz_host_bad(rc, &se, "session");
    }
    pk_host_close(h);
    return bad ? -1 : 0;
}

#endif
