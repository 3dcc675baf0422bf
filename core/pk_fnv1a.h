/* pk_fnv1a.h - FNV-1a, Pike's one non-cryptographic hash (Fowler, Noll, Vo:
 * for each byte, h = (h ^ byte) * prime), in its 32- and 64-bit forms.
 *
 * Incremental: start from PK_FNV1A32_INIT / PK_FNV1A64_INIT and feed the
 * bytes in as many pieces as convenient; the result is the hash of their
 * concatenation.  Users: the string-keyed open-addressing tables of
 * pk_net.c, pk_onnx.c and pk_yamlpos.c (64-bit; a slot index only, never
 * written anywhere), and pk_v2_rtl_board_id (32-bit; the value is in
 * generated RTL and pikehost checks it on the board, so it must stay the
 * standard FNV-1a 32).  Not for anything an adversary chooses the keys of
 * with an interest in collisions.
 */
#ifndef PK_FNV1A_H
#define PK_FNV1A_H

#include <stddef.h>
#include <stdint.h>

#define PK_FNV1A32_INIT 0x811c9dc5u             /* offset basis 2166136261 */
#define PK_FNV1A64_INIT 0xcbf29ce484222325ull   /* offset basis 14695981039346656037 */

/* h continued over the n bytes at p (p may be NULL when n is 0). */
uint32_t pk_fnv1a32(uint32_t h, const void *p, size_t n);
uint64_t pk_fnv1a64(uint64_t h, const void *p, size_t n);

/* The 64-bit hash of the NUL-terminated string s (its bytes, not the NUL). */
uint64_t pk_fnv1a64_str(const char *s);

#endif
