"""bn_ref - references and test vectors for the batch-norm units of bench_hw.py.

QuantNorm (docs/QUANT.md t1):  y = sat_s(rshr(acc * m + b, s), P)
fp16 / fp32 batch norm:        y = sat_P(rne_int(fl(fl(fl(acc) * scale) + bias)))
    fl(): IEEE round to nearest even in the format; a subnormal scale or bias is
    read as zero (the units have no subnormal support: DAZ on operands, FTZ on
    results; FTZ cannot change the integer output since |value| < 2^-14 < 1/2
    there).  NaN -> 0, +-inf and out-of-range values saturate.

Two independent floating-point references: `fp_numpy` (numpy float16/float32
arithmetic, the reference the bench reports) and `fp_exact` (exact rationals,
each step rounded by hand), used to check numpy's float16 arithmetic itself.
"""
from fractions import Fraction
import math

import numpy as np

FMT = {16: (5, 10, np.float16, np.uint16), 32: (8, 23, np.float32, np.uint32)}


def quantnorm(acc, m, b, s, P):
    """QUANT.md: sat_s(rshr(acc*m + b, s), P) on Python ints."""
    v = acc * m + b
    if s > 0:
        v = (v + (1 << (s - 1))) >> s          # floor((v + 2^(s-1)) / 2^s)
    lo, hi = -(1 << (P - 1)), (1 << (P - 1)) - 1
    return min(max(v, lo), hi)


def fp_numpy(acc, scale_bits, bias_bits, bits, P):
    """numpy reference: arrays of acc (int64), scale/bias bit patterns -> int64."""
    _, _, ft, ut = FMT[bits]
    tiny = np.finfo(ft).tiny
    with np.errstate(all="ignore"):
        sc = np.asarray(scale_bits, dtype=ut).view(ft)
        bi = np.asarray(bias_bits, dtype=ut).view(ft)
        sc = np.where(np.abs(sc) < tiny, ft(0), sc).astype(ft)      # DAZ
        bi = np.where(np.abs(bi) < tiny, ft(0), bi).astype(ft)
        fa = np.asarray(acc, dtype=np.int64).astype(np.float64).astype(ft)  # one rounding
        prod = (fa * sc).astype(ft)
        y = (prod + bi).astype(ft)
        r = np.rint(y.astype(np.float64))
        lo, hi = -(2.0 ** (P - 1)), 2.0 ** (P - 1) - 1
        r = np.clip(np.nan_to_num(r, nan=0.0, posinf=hi, neginf=lo), lo, hi)
    return r.astype(np.int64)


# --- exact reference -------------------------------------------------------
NAN = "nan"


def _decode(bitsv, ew, fw):
    s = -1 if (bitsv >> (ew + fw)) & 1 else 1
    e = (bitsv >> fw) & ((1 << ew) - 1)
    f = bitsv & ((1 << fw) - 1)
    if e == (1 << ew) - 1:
        return NAN if f else s * math.inf
    if e == 0:
        return Fraction(0)                      # zero, or subnormal read as zero
    return s * Fraction((1 << fw) | f) * Fraction(2) ** (e - ((1 << (ew - 1)) - 1) - fw)


def _round(q, ew, fw):
    """Round an exact rational to the format (RNE, gradual underflow, overflow to inf)."""
    if q == 0:
        return Fraction(0)
    sign = -1 if q < 0 else 1
    a = abs(q)
    bias = (1 << (ew - 1)) - 1
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1                                   # now 2^e <= a < 2^(e+1)
    e = max(e, 1 - bias)
    quantum = Fraction(2) ** (e - fw)
    n = a / quantum
    fl = math.floor(n)
    rem = n - fl
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and fl % 2 == 1):
        fl += 1
    r = fl * quantum
    if r >= Fraction(2) ** (bias + 1):
        return sign * math.inf
    return sign * r


def _mul(a, b):
    if a is NAN or b is NAN:
        return NAN
    if isinstance(a, float) or isinstance(b, float):    # an infinity
        if a == 0 or b == 0:
            return NAN
        return math.copysign(math.inf, (1 if a > 0 else -1) * (1 if b > 0 else -1))
    return a * b


def _add(a, b):
    if a is NAN or b is NAN:
        return NAN
    if isinstance(a, float) and isinstance(b, float):
        return a if a == b else NAN
    if isinstance(a, float):
        return a
    if isinstance(b, float):
        return b
    return a + b


def fp_exact(acc, scale_bits, bias_bits, bits, P):
    ew, fw, _, _ = FMT[bits]
    rnd = lambda v: v if (v is NAN or isinstance(v, float)) else _round(v, ew, fw)
    fa = rnd(Fraction(int(acc)))
    p = rnd(_mul(fa, _decode(int(scale_bits), ew, fw)))
    y = rnd(_add(p, _decode(int(bias_bits), ew, fw)))
    lo, hi = -(1 << (P - 1)), (1 << (P - 1)) - 1
    if y is NAN:
        return 0
    if isinstance(y, float):
        return hi if y > 0 else lo
    return min(max(round(y), lo), hi)          # Python round(Fraction) is half-even


# --- vectors ---------------------------------------------------------------
def _fp_bits(vals, bits):
    _, _, ft, ut = FMT[bits]
    with np.errstate(all="ignore"):
        return np.asarray(vals, dtype=np.float64).astype(ft).view(ut).astype(np.int64)


def vectors(n, seed, P, MB, BB, SB):
    """n random vectors: acc, QuantNorm (m, b, s) and fp16/fp32 (scale, bias) bits.

    A quarter of each kind is drawn from bit patterns (all of: specials, subnormals,
    huge values); the rest from BN-like ranges, with a share built to land on exact
    .5 ties of the final rounding; the first vectors are fixed corner cases."""
    rng = np.random.default_rng(seed)
    lo, hi = -(1 << (P - 1)), (1 << (P - 1)) - 1
    k = rng.integers(0, P, n)                                    # magnitude bits
    acc = rng.integers(0, 1 << 62, n, dtype=np.int64) % (np.int64(1) << k.astype(np.int64))
    acc = np.where(rng.random(n) < 0.5, -acc, acc)
    raw = rng.integers(lo, hi + 1, n, dtype=np.int64)
    acc = np.where(rng.random(n) < 0.25, raw, acc)
    corners = [0, 1, -1, 2, -2, 3, hi, lo, lo + 1, 65504, 65519, 65520, -65520, 2049, 4097,
               (1 << 24) + 1, -(1 << 24) - 3, 0x7fffffc0, 0x7fffff80]
    for i, c in enumerate(corners[:n]):
        acc[i] = max(min(c, hi), lo)

    m = rng.integers(-(1 << (MB - 1)), 1 << (MB - 1), n)
    b = rng.integers(-(1 << (BB - 1)), 1 << (BB - 1), n)
    s = rng.integers(0, 1 << SB, n)

    out = {"acc": acc, "m": m, "b": b, "s": s}
    for bits in (16, 32):
        _, _, ft, _ = FMT[bits]
        emax = 15 if bits == 16 else 127
        # BN-like: |scale| in [2^-16, 2^2), |bias| in [2^-4, 2^14)
        sc = np.exp2(rng.uniform(-16, 2, n)) * np.where(rng.random(n) < 0.2, -1, 1)
        bi = np.exp2(rng.uniform(-4, 14, n)) * np.where(rng.random(n) < 0.5, -1, 1)
        # ties: scale 2^-j, bias an odd multiple of 2^-(j+1) or a half-integer
        tie = rng.random(n) < 0.25
        j = rng.integers(0, 8, n)
        sc = np.where(tie, np.exp2(-j.astype(np.float64)), sc)
        bi = np.where(tie, (2 * rng.integers(-64, 64, n) + 1) * 0.5, bi)
        scb = _fp_bits(sc, bits)
        bib = _fp_bits(bi, bits)
        rawmask = (1 << bits) - 1
        rs = rng.random(n) < 0.25
        rb = rng.random(n) < 0.25
        scb = np.where(rs, rng.integers(0, rawmask + 1, n), scb)
        bib = np.where(rb, rng.integers(0, rawmask + 1, n), bib)
        specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5,
                    float(np.finfo(ft).max), float(np.finfo(ft).tiny), 2.0 ** (emax - 1)]
        sp = _fp_bits(specials, bits)
        subn = 1                                                  # smallest subnormal
        off = len(corners)
        for i in range(min(n - off, len(sp) * len(sp) + 2)):
            if i < len(sp) * len(sp):
                scb[off + i], bib[off + i] = sp[i // len(sp)], sp[i % len(sp)]
            else:
                scb[off + i], bib[off + i] = subn, subn
        out[f"scale{bits}"] = scb
        out[f"bias{bits}"] = bib
    return out
