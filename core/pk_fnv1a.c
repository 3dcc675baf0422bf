/* pk_fnv1a.c - FNV-1a (see pk_fnv1a.h); primes of the FNV reference:
 * 2^24 + 2^8 + 0x93 (32-bit) and 2^40 + 2^8 + 0xb3 (64-bit). */
#include "pk_fnv1a.h"

#include <string.h>

uint32_t pk_fnv1a32(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

uint64_t pk_fnv1a64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

uint64_t pk_fnv1a64_str(const char *s)
{
    return pk_fnv1a64(PK_FNV1A64_INIT, s, strlen(s));
}
