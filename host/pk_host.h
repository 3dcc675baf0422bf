/* pk_host.h - the host side of the board's serial command protocol
 * (docs/ARCHITECTURE_V1.md 9.1; opcodes and codes from core/pk_contract.def).
 *
 * A pk_host_t is one link to one board: a byte stream (a serial device set
 * up with termios, or any pair of file descriptors, e.g. a pipe to a
 * simulated board).  Every call sends one command frame, reads the response
 * and checks it (ACK, length, checksum); memory transfers longer than
 * PK_HOST_CHUNK bytes are split into several commands.  One command is in
 * flight at a time.
 *
 * Bad bytes on the link are input errors: the board's NAK, an unexpected
 * response byte, a wrong checksum or no response within the timeout give one
 * PK_EINPUT message naming the link (file = its name) and the command
 * (field), e.g. "/dev/ttyUSB0: READ_REG 0x03: response checksum 0x12, expected
 * 0x34".  OS failures are PK_EIO.
 *
 * Ownership: pk_host_open_* allocate *out; pk_host_close frees it and closes
 * the descriptors it opened (pk_host_open_fds: the ones it was given).
 */
#ifndef PK_HOST_H
#define PK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "pk_error.h"

/* Bytes per WRITE_MEM / READ_MEM command (at most PK_UART_MAX_LEN). */
#define PK_HOST_CHUNK 1024

typedef struct pk_host pk_host_t;

/* A serial device (8N1, raw, the given baud rate; one of the standard termios
 * rates).  timeout_s: the longest wait for a response byte. */
int pk_host_open_tty(const char *path, int baud, double timeout_s, pk_host_t **out,
                     pk_error_t *err);

/* An already open byte stream: bytes to the board go to wfd, bytes from it
 * come from rfd (may be equal).  name is used in messages. */
int pk_host_open_fds(int rfd, int wfd, const char *name, double timeout_s, pk_host_t **out,
                     pk_error_t *err);

void pk_host_close(pk_host_t *h);

int pk_host_write_reg(pk_host_t *h, int addr, uint32_t value, pk_error_t *err);
int pk_host_read_reg(pk_host_t *h, int addr, uint32_t *value, pk_error_t *err);
int pk_host_write_mem(pk_host_t *h, uint32_t addr, const uint8_t *data, size_t n,
                      pk_error_t *err);
int pk_host_read_mem(pk_host_t *h, uint32_t addr, uint8_t *data, size_t n, pk_error_t *err);

/* Bytes sent and received so far (for reports). */
void pk_host_traffic(const pk_host_t *h, uint64_t *sent, uint64_t *received);

/* ---- the protocol's pure parts (also what tests/fuzz/fuzz_host.c drives) ---- */

/* The command frame of op (a PK_UART_OP_*): addr is the register (REG ops)
 * or the byte address (MEM ops, 24 bits); value the register value
 * (WRITE_REG); n and data the memory bytes (MEM ops; data only for
 * WRITE_MEM).  Returns the frame's length; buf must hold
 * PK_UART_HDR_BYTES + n + 1 bytes. */
size_t pk_host_frame(int op, uint32_t addr, uint32_t value, const uint8_t *data, size_t n,
                     uint8_t *buf);

/* The response length for a first byte (ACK: 1 + ndata + 1; NAK: 3), or 0
 * when the first byte is neither. */
size_t pk_host_response_len(uint8_t first, size_t ndata);

/* Check a whole response resp[0..len) to a command that expects ndata data
 * bytes; on success copy them to data (may be NULL when ndata is 0).  On a
 * bad response: PK_EINPUT with file = link, field = what (the command). */
int pk_host_check_response(const uint8_t *resp, size_t len, size_t ndata, uint8_t *data,
                           const char *link, const char *what, pk_error_t *err);

#endif
