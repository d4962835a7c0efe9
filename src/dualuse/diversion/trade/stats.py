"""Robust statistics, the Chow break test and the F and t distributions in numpy only
(no SciPy dependency): the regularized incomplete beta function by Lentz's continued
fraction (Numerical Recipes, 3rd ed., §6.4)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]
MAD_NORMAL = 1.4826
"""MAD to standard deviation for normal data."""
Z_THRESHOLD = 3.5
"""Modified z-score outlier threshold (Iglewicz and Hoaglin, "How to Detect and Handle
Outliers", ASQC 1993)."""


def robust_scale(values: Vector, floor: float) -> float:
    """1.4826 x MAD, floored so a flat or all-zero baseline does not give infinite z."""
    med = float(np.median(values))
    return max(MAD_NORMAL * float(np.median(np.abs(values - med))), floor)


def _betacf(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
        + b * math.log1p(-x)
    )  # fmt: skip
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def f_sf(f: float, d1: float, d2: float) -> float:
    """P(F > f) for an F(d1, d2) variable."""
    if not math.isfinite(f):
        return 0.0
    if f <= 0:
        return 1.0
    return betainc(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))


def t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t."""
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p (bisection; p in (0.5, 1))."""
    lo, hi = 0.0, 1e3
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1.0 - t_sf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _ssr_line(y: Vector, t: Vector) -> float:
    """Residual sum of squares of y on a constant and a linear trend."""
    if len(y) < 3:
        return 0.0
    tc, yc = t - t.mean(), y - y.mean()
    sxx = float(tc @ tc)
    return float(yc @ yc) - (float(tc @ yc) ** 2 / sxx if sxx else 0.0)


def chow(y: Vector, k: int) -> tuple[float, float]:
    """Chow F test for a break in level and trend between y[:k] and y[k:]; (F, p).

    Serial correlation makes the p-value too small; the tests compare it against placebo
    goods and a placebo date rather than trusting it alone."""
    n = len(y)
    t = np.arange(n, dtype=np.float64)
    pooled = _ssr_line(y, t)
    split = _ssr_line(y[:k], t[:k]) + _ssr_line(y[k:], t[k:])
    dof = n - 4
    if dof <= 0 or k < 3 or n - k < 3:
        return math.nan, math.nan
    if split <= 1e-12:
        return math.inf, 0.0
    f = ((pooled - split) / 2) / (split / dof)
    return f, f_sf(f, 2, dof)


def qlr(y: Vector, trim: float = 0.15) -> tuple[int, float]:
    """Quandt likelihood ratio: the break index with the largest Chow F (15 % trimming,
    Andrews 1993); (index, F)."""
    n = len(y)
    lo, hi = max(3, math.ceil(trim * n)), min(n - 3, math.floor((1 - trim) * n))
    best, best_f = -1, -math.inf
    for k in range(lo, hi + 1):
        f, _p = chow(y, k)
        if math.isfinite(f) and f > best_f:
            best, best_f = k, f
    return best, best_f
