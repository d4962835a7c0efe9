"""The F, t and incomplete-beta functions against published table values; Chow and QLR
on series with a known break."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dualuse.diversion.trade import stats


def test_table_values() -> None:
    # F(2, 30) 5 % critical value 3.316; t(26) 97.5 % quantile 2.056; t(10) P(T>2)=0.0367
    assert abs(stats.f_sf(3.316, 2, 30) - 0.05) < 1e-3
    assert abs(stats.t_quantile(0.975, 26) - 2.0555) < 1e-3
    assert abs(stats.t_sf(2.0, 10) - 0.03669) < 1e-4
    assert abs(stats.betainc(2, 3, 0.4) - 0.5248) < 1e-9
    assert stats.f_sf(math.inf, 2, 30) == 0.0 and stats.f_sf(0.0, 2, 30) == 1.0


@given(st.floats(0.01, 50), st.floats(0.01, 50), st.floats(1e-6, 1 - 1e-6))
def test_betainc_is_a_cdf(a: float, b: float, x: float) -> None:
    # (x below 1e-6 would make 1 - x round to 1.0, and the symmetry below untestable)
    value = stats.betainc(a, b, x)
    assert -1e-9 <= value <= 1 + 1e-9
    assert abs(value + stats.betainc(b, a, 1 - x) - 1) < 1e-7


def test_chow_finds_a_step() -> None:
    rng = np.random.default_rng(1)
    y = np.concatenate([np.zeros(24), np.full(12, 2.0)]) + rng.normal(0, 0.2, 36)
    _f, p = stats.chow(y, 24)
    assert p < 1e-6
    k, _best = stats.qlr(y)
    assert k == 24
    flat = rng.normal(0, 0.2, 36)
    assert stats.chow(flat, 24)[1] > 0.001


def test_robust_scale_floor() -> None:
    assert stats.robust_scale(np.zeros(10), 0.1) == 0.1
    assert abs(stats.robust_scale(np.array([1.0, 2, 3, 4, 100]), 0.1) - 1.4826) < 1e-9
