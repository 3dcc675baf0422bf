/* pk_imath.h - the small 64-bit integer helpers the compiler, the plan and
 * the cycle models share (header-only, inline): max, min, ceiling
 * division (b > 0) and greatest common divisor of non-negative values. */
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

static inline int64_t pk_gcd(int64_t a, int64_t b) /* pk_gcd(a, 0) = a */
{
    while (b) {
        int64_t t = a % b;
        a = b, b = t;
    }
    return a;
}

#endif
