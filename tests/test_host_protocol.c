/* test_host_protocol.c - the host side of the serial command protocol
 * (ARCHITECTURE_V1.md 9.1) without a board: the frames pk_host builds, byte for
 * byte; the response checker on good and bad responses; the opcode table
 * of the doc against core/pk_contract.def; and a replay of the fuzzing seed
 * corpus and regressions (tests/fuzz/{corpus,regress}/host) through
 * fuzz_host_one.h, the libFuzzer harness's own check.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_host_one.h"
#include "pk_contract.h"
#include "pk_host.h"

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

Test(host_protocol, frames)
{
    uint8_t f[64];
    size_t n = pk_host_frame(PK_UART_OP_WRITE_REG, 0x04, 0x11223344u, NULL, 0, f);
    const uint8_t wr[] = {0x01, 0x04, 0x44, 0x33, 0x22, 0x11, 0x51};
    cr_assert_eq(n, sizeof wr);
    cr_assert_arr_eq(f, wr, sizeof wr);
    n = pk_host_frame(PK_UART_OP_READ_REG, 0x03, 0, NULL, 0, f);
    const uint8_t rr[] = {0x02, 0x03, 0xFB};
    cr_assert_eq(n, sizeof rr);
    cr_assert_arr_eq(f, rr, sizeof rr);
    const uint8_t data[3] = {0xAA, 0xBB, 0xCC};
    n = pk_host_frame(PK_UART_OP_WRITE_MEM, 0x012345, 0, data, 3, f);
    const uint8_t wm[] = {0x03, 0x45, 0x23, 0x01, 0x03, 0x00, 0xAA, 0xBB, 0xCC, 0x00};
    cr_assert_eq(n, sizeof wm);
    cr_assert_arr_eq(f, wm, sizeof wm - 1);
    cr_assert_eq(sum8(f, n), 0);
    n = pk_host_frame(PK_UART_OP_READ_MEM, 0x000100, 0, NULL, 1024, f);
    cr_assert_eq(n, (size_t)PK_UART_HDR_BYTES + 1);
    cr_assert_eq(f[4], 0x00);
    cr_assert_eq(f[5], 0x04);
    cr_assert_eq(sum8(f, n), 0);
}

Test(host_protocol, responses)
{
    uint8_t d[4];
    pk_error_t e = {0};
    const uint8_t ok[] = {PK_UART_ACK, 0x45, 0x4B, 0x49, 0x50, 0x00};
    uint8_t r[6];
    memcpy(r, ok, sizeof r);
    r[5] = (uint8_t)(0u - sum8(r, 5));
    cr_assert_eq(pk_host_check_response(r, 6, 4, d, "l", "w", &e), 0);
    cr_assert_eq(d[0], 0x45);
    cr_assert_eq(d[3], 0x50);
    /* every single-byte corruption of a good response is caught */
    for (size_t i = 0; i < sizeof r; i++)
        for (int bit = 0; bit < 8; bit++) {
            uint8_t c[6];
            memcpy(c, r, sizeof c);
            c[i] ^= (uint8_t)(1u << bit);
            pk_error_t ce = {0};
            size_t len = pk_host_response_len(c[0], 4) ? pk_host_response_len(c[0], 4) : 1;
            cr_assert_eq(pk_host_check_response(c, len < 6 ? len : 6, 4, d, "l", "w", &ce),
                         PK_EINPUT, "byte %zu bit %d", i, bit);
        }
    const uint8_t nak[] = {PK_UART_NAK, PK_UART_NAK_RANGE,
                           (uint8_t)(0u - PK_UART_NAK - PK_UART_NAK_RANGE)};
    cr_assert_eq(pk_host_check_response(nak, 3, 4, d, "/dev/ttyUSB1", "READ_MEM 0x001FFE+4", &e),
                 PK_EINPUT);
    char msg[1024];
    pk_error_format(&e, msg, sizeof msg);
    cr_assert_str_eq(msg, "/dev/ttyUSB1: READ_MEM 0x001FFE+4: board answered NAK 0x03: the "
                          "address range is past the end of the board memory");
}

/* ARCHITECTURE_V1.md 9.1's opcode table has the opcodes of the contract. */
Test(host_protocol, doc_table)
{
    FILE *f = fopen(PIKE_SOURCE_ROOT "/docs/ARCHITECTURE_V1.md", "r");
    cr_assert(f);
    static char doc[200000];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = 0;
    const char *s = strstr(doc, "### 9.1 ");
    cr_assert(s, "ARCHITECTURE_V1.md has no section 9.1");
    const struct {
        int code;
        const char *name;
    } ops[] = {{PK_UART_OP_WRITE_REG, "WRITE_REG"},
               {PK_UART_OP_READ_REG, "READ_REG"},
               {PK_UART_OP_WRITE_MEM, "WRITE_MEM"},
               {PK_UART_OP_READ_MEM, "READ_MEM"}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        char row[64];
        snprintf(row, sizeof row, "| `0x%02X` %s |", ops[i].code, ops[i].name);
        cr_assert(strstr(s, row), "'%s' not in ARCHITECTURE_V1.md 9.1", row);
    }
    char ack[64];
    snprintf(ack, sizeof ack, "`ACK` (`0x%02X`) or `NAK` (`0x%02X`)", PK_UART_ACK, PK_UART_NAK);
    cr_assert(strstr(s, ack), "'%s' not in ARCHITECTURE_V1.md 9.1", ack);
}

static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert(f, "%s", path);
        static uint8_t buf[65536];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        cr_assert_eq(pk_fuzz_host_one(buf, len), 0, "%s", path);
        n++;
    }
    closedir(d);
    return n;
}

Test(host_protocol, fuzz_corpus_replay)
{
    int n = replay_dir(PIKE_SOURCE_ROOT "/tests/fuzz/corpus/host");
    n += replay_dir(PIKE_SOURCE_ROOT "/tests/fuzz/regress/host");
    cr_assert_geq(n, 6, "only %d inputs replayed", n);
}
