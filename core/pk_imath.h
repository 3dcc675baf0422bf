/* pk_imath.h - the small 64-bit integer helpers the compiler, the plan and
 * the cycle models share (header-only, inline): max, min and ceiling
 * division of non-negative values (b > 0). */
#ifndef PK_IMATH_H
#define PK_IMATH_H

#include <stdint.h>

static inline int64_t pk_max2(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static inline int64_t pk_min2(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static inline int64_t pk_cdiv(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

#endif
