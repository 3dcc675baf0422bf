/* pk_host.c - the serial command protocol, host side (ARCHITECTURE_V1.md 9.1).
 *
 * Design: the frame builder and the response checker are pure functions over
 * byte buffers (pk_host_frame, pk_host_check_response), so the fuzz harness
 * drives exactly the code that reads a board; the link itself is a pair of
 * file descriptors read with poll() and a per-byte timeout.  A response is
 * read in two steps: its first byte says how long it is (ACK + data + chk,
 * or NAK + reason + chk), then the rest is read and the whole checked.  A
 * first byte that is neither ACK nor NAK is reported at once (the bytes that
 * may follow are not waited for).
 */
/* cfmakeraw, CRTSCTS: _DEFAULT_SOURCE (set for the whole build) */
#include "pk_host.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pk_contract.h"

struct pk_host {
    int rfd, wfd;
    int own_r, own_w;   /* close on pk_host_close */
    double timeout_s;
    char name[256];
    uint64_t sent, received;
};

/* ---- pure protocol -------------------------------------------------------------------- */

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

size_t pk_host_frame(int op, uint32_t addr, uint32_t value, const uint8_t *data, size_t n,
                     uint8_t *buf)
{
    size_t k = 0;
    buf[k++] = (uint8_t)op;
    if (op == PK_UART_OP_WRITE_REG || op == PK_UART_OP_READ_REG) {
        buf[k++] = (uint8_t)addr;
        if (op == PK_UART_OP_WRITE_REG)
            for (int i = 0; i < 4; i++)
                buf[k++] = (uint8_t)(value >> (8 * i));
    } else {
        for (int i = 0; i < 3; i++)
            buf[k++] = (uint8_t)(addr >> (8 * i));
        buf[k++] = (uint8_t)n;
        buf[k++] = (uint8_t)(n >> 8);
        if (op == PK_UART_OP_WRITE_MEM && n) {
            memcpy(buf + k, data, n);
            k += n;
        }
    }
    buf[k] = (uint8_t)(0u - sum8(buf, k));
    return k + 1;
}

size_t pk_host_response_len(uint8_t first, size_t ndata)
{
    if (first == PK_UART_ACK)
        return ndata + 2;
    if (first == PK_UART_NAK)
        return 3;
    return 0;
}

static const char *nak_reason(uint8_t r)
{
    switch (r) {
    case PK_UART_NAK_CHECKSUM: return "the board got a frame with a bad checksum (a byte was "
                                      "corrupted on the way to the board)";
    case PK_UART_NAK_OPCODE: return "the board got an unknown opcode (a byte was corrupted on "
                                    "the way to the board, or the line is out of step)";
    case PK_UART_NAK_RANGE: return "the address range is past the end of the board memory";
    case PK_UART_NAK_FRAMING: return "the board got a byte without its stop bit (wrong baud "
                                     "rate or a noisy line)";
    default: return "unknown NAK reason";
    }
}

int pk_host_check_response(const uint8_t *resp, size_t len, size_t ndata, uint8_t *data,
                           const char *link, const char *what, pk_error_t *err)
{
    if (len == 0)
        return pk_error_set(err, PK_EINPUT, link, 0, what, "empty response");
    size_t want = pk_host_response_len(resp[0], ndata);
    if (!want)
        return pk_error_set(err, PK_EINPUT, link, 0, what,
                            "response starts with byte 0x%02X; expected ACK 0x%02X or NAK 0x%02X "
                            "(wrong baud rate, or not a Pike board?)",
                            resp[0], PK_UART_ACK, PK_UART_NAK);
    if (len != want)
        return pk_error_set(err, PK_EINPUT, link, 0, what,
                            "response of %zu bytes; a %s response here has %zu", len,
                            resp[0] == PK_UART_ACK ? "ACK" : "NAK", want);
    uint8_t s = sum8(resp, len);
    if (s != 0)
        return pk_error_set(err, PK_EINPUT, link, 0, what,
                            "response checksum 0x%02X, expected 0x%02X (a byte was corrupted on "
                            "the way from the board)",
                            resp[len - 1], (uint8_t)(resp[len - 1] - s));
    if (resp[0] == PK_UART_NAK)
        return pk_error_set(err, PK_EINPUT, link, 0, what, "board answered NAK 0x%02X: %s",
                            resp[1], nak_reason(resp[1]));
    if (ndata && data)
        memcpy(data, resp + 1, ndata);
    return 0;
}

/* ---- the link ----------------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int link_write(pk_host_t *h, const uint8_t *p, size_t n, const char *what,
                      pk_error_t *err)
{
    while (n) {
        ssize_t w = write(h->wfd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return pk_error_set(err, PK_EIO, h->name, 0, what, "write failed: %s",
                                w < 0 ? strerror(errno) : "nothing written");
        p += w;
        n -= (size_t)w;
        h->sent += (uint64_t)w;
    }
    return 0;
}

/* Exactly n bytes, each within the timeout of the previous one. */
static int link_read(pk_host_t *h, uint8_t *p, size_t n, const char *what, pk_error_t *err)
{
    size_t got = 0;
    double deadline = now_s() + h->timeout_s;
    while (got < n) {
        double left = deadline - now_s();
        struct pollfd pf = {.fd = h->rfd, .events = POLLIN};
        int pr = left > 0 ? poll(&pf, 1, (int)(left * 1000) + 1) : 0;
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return pk_error_set(err, PK_EIO, h->name, 0, what, "poll failed: %s",
                                strerror(errno));
        if (pr == 0)
            return pk_error_set(err, PK_EINPUT, h->name, 0, what,
                                "no response byte within %g s (%zu of %zu bytes received; is "
                                "the board programmed, powered and at this baud rate?)",
                                h->timeout_s, got, n);
        ssize_t r = read(h->rfd, p + got, n - got);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r <= 0)
            return pk_error_set(err, r < 0 ? PK_EIO : PK_EINPUT, h->name, 0, what,
                                "%s after %zu of %zu response bytes",
                                r < 0 ? strerror(errno) : "the link closed", got, n);
        got += (size_t)r;
        h->received += (uint64_t)r;
        deadline = now_s() + h->timeout_s;
    }
    return 0;
}

/* Send one frame and check its response (ndata data bytes into data). */
static int command(pk_host_t *h, const uint8_t *frame, size_t flen, size_t ndata, uint8_t *data,
                   const char *what, pk_error_t *err)
{
    uint8_t *resp = malloc(ndata + 3); /* the longer of ACK data chk and NAK reason chk */
    if (!resp)
        return pk_error_set(err, PK_ENOMEM, h->name, 0, what, "out of memory");
    int rc = link_write(h, frame, flen, what, err);
    if (!rc)
        rc = link_read(h, resp, 1, what, err);
    size_t want = rc ? 0 : pk_host_response_len(resp[0], ndata);
    if (!rc && want)
        rc = link_read(h, resp + 1, want - 1, what, err);
    if (!rc)
        rc = pk_host_check_response(resp, want ? want : 1, ndata, data, h->name, what, err);
    free(resp);
    return rc;
}

static int host_new(int rfd, int wfd, const char *name, double timeout_s, pk_host_t **out,
                    pk_error_t *err)
{
    pk_host_t *h = calloc(1, sizeof *h);
    if (!h)
        return pk_error_set(err, PK_ENOMEM, name, 0, "link", "out of memory");
    h->rfd = rfd;
    h->wfd = wfd;
    h->timeout_s = timeout_s > 0 ? timeout_s : 2.0;
    snprintf(h->name, sizeof h->name, "%s", name);
    *out = h;
    return 0;
}

int pk_host_open_fds(int rfd, int wfd, const char *name, double timeout_s, pk_host_t **out,
                     pk_error_t *err)
{
    int rc = host_new(rfd, wfd, name, timeout_s, out, err);
    if (!rc) {
        (*out)->own_r = 1;
        (*out)->own_w = wfd != rfd;
    }
    return rc;
}

static speed_t baud_code(int baud)
{
    static const struct {
        int baud;
        speed_t code;
    } t[] = {{9600, B9600},     {19200, B19200},   {38400, B38400},     {57600, B57600},
             {115200, B115200}, {230400, B230400}, {460800, B460800},   {500000, B500000},
             {921600, B921600}, {1000000, B1000000}, {2000000, B2000000}, {3000000, B3000000}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].baud == baud)
            return t[i].code;
    return (speed_t)0;
}

int pk_host_open_tty(const char *path, int baud, double timeout_s, pk_host_t **out,
                     pk_error_t *err)
{
    speed_t sp = baud_code(baud);
    if (!sp)
        return pk_error_set(err, PK_EINPUT, "pikehost", 0, "--baud",
                            "%d is not a rate the serial driver takes; allowed: 9600 19200 "
                            "38400 57600 115200 230400 460800 500000 921600 1000000 2000000 "
                            "3000000 (and the board's fpga.uart_baud must match)",
                            baud);
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return pk_error_set(err, errno == ENOENT ? PK_EINPUT : PK_EIO, path, 0, "--device",
                            "cannot open: %s", strerror(errno));
    struct termios t;
    if (tcgetattr(fd, &t) != 0) {
        int e = errno;
        close(fd);
        return pk_error_set(err, PK_EINPUT, path, 0, "--device",
                            "not a serial device (tcgetattr: %s)", strerror(e));
    }
    cfmakeraw(&t);
    t.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
    t.c_cflag |= CLOCAL | CREAD | CS8;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    if (cfsetispeed(&t, sp) || cfsetospeed(&t, sp) || tcsetattr(fd, TCSANOW, &t) ||
        tcflush(fd, TCIOFLUSH)) {
        int e = errno;
        close(fd);
        return pk_error_set(err, PK_EIO, path, 0, "--device", "cannot set up the line: %s",
                            strerror(e));
    }
    int rc = host_new(fd, fd, path, timeout_s, out, err);
    if (rc)
        close(fd);
    else
        (*out)->own_r = 1;
    return rc;
}

void pk_host_close(pk_host_t *h)
{
    if (!h)
        return;
    if (h->own_r)
        close(h->rfd);
    if (h->own_w)
        close(h->wfd);
    free(h);
}

void pk_host_traffic(const pk_host_t *h, uint64_t *sent, uint64_t *received)
{
    *sent = h->sent;
    *received = h->received;
}

/* ---- commands ------------------------------------------------------------------------------ */

int pk_host_write_reg(pk_host_t *h, int addr, uint32_t value, pk_error_t *err)
{
    uint8_t f[16];
    char what[64];
    snprintf(what, sizeof what, "WRITE_REG 0x%02X", addr & 0xFF);
    size_t n = pk_host_frame(PK_UART_OP_WRITE_REG, (uint32_t)addr, value, NULL, 0, f);
    return command(h, f, n, 0, NULL, what, err);
}

int pk_host_read_reg(pk_host_t *h, int addr, uint32_t *value, pk_error_t *err)
{
    uint8_t f[16], d[4];
    char what[64];
    snprintf(what, sizeof what, "READ_REG 0x%02X", addr & 0xFF);
    size_t n = pk_host_frame(PK_UART_OP_READ_REG, (uint32_t)addr, 0, NULL, 0, f);
    int rc = command(h, f, n, 4, d, what, err);
    if (!rc)
        *value = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
                 (uint32_t)d[3] << 24;
    return rc;
}

/* One memory command per PK_HOST_CHUNK bytes: WRITE_MEM sends src, READ_MEM
 * fills dst. */
static int mem_op(pk_host_t *h, int op, uint32_t addr, const uint8_t *src, uint8_t *dst, size_t n,
                  pk_error_t *err)
{
    uint8_t *f = malloc(PK_UART_HDR_BYTES + PK_HOST_CHUNK + 1);
    if (!f)
        return pk_error_set(err, PK_ENOMEM, h->name, 0, "memory", "out of memory");
    int rc = 0;
    for (size_t off = 0; off < n && !rc; off += PK_HOST_CHUNK) {
        size_t k = n - off < PK_HOST_CHUNK ? n - off : PK_HOST_CHUNK;
        uint32_t a = addr + (uint32_t)off;
        char what[80];
        snprintf(what, sizeof what, "%s 0x%06X+%zu",
                 op == PK_UART_OP_WRITE_MEM ? "WRITE_MEM" : "READ_MEM", a, k);
        if (a + k > (1u << 24)) {
            rc = pk_error_set(err, PK_EINPUT, h->name, 0, what,
                              "past the 24-bit address space of the board");
            break;
        }
        size_t fl = pk_host_frame(op, a, 0, src ? src + off : NULL, k, f);
        rc = command(h, f, fl, dst ? k : 0, dst ? dst + off : NULL, what, err);
    }
    free(f);
    return rc;
}

int pk_host_write_mem(pk_host_t *h, uint32_t addr, const uint8_t *data, size_t n,
                      pk_error_t *err)
{
    return mem_op(h, PK_UART_OP_WRITE_MEM, addr, data, NULL, n, err);
}

int pk_host_read_mem(pk_host_t *h, uint32_t addr, uint8_t *data, size_t n, pk_error_t *err)
{
    return mem_op(h, PK_UART_OP_READ_MEM, addr, NULL, data, n, err);
}
