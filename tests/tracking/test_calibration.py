import itertools
import sys
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dualuse.tracking.calibration import (
    MIN_SLOPE_MS_PER_KM,
    Method,
    fit_bestline,
    usable_points,
)

points = st.lists(
    st.tuples(st.floats(0.0, 15000.0), st.floats(0.0, 400.0)), min_size=3, max_size=40
)


_FLOAT_MAX = Fraction(sys.float_info.max)


def brute_force_bestline(pts: list[tuple[float, float]]) -> float:
    """Least total gap over every line through two points, or through one point with
    intercept 0 or the light-speed slope, that lies below all points. In exact
    arithmetic: with float tolerances, points a few picometres apart let a line that
    crosses one of them pass as feasible (found by hypothesis: (0, 0), (1, 38),
    (2.7e-11, 2.7e-11) "allowed" the line through the first two)."""
    exact = [(Fraction(d), Fraction(r)) for d, r in pts]
    min_slope = Fraction(MIN_SLOPE_MS_PER_KM)
    candidates = []
    for (d0, r0), (d1, r1) in itertools.combinations(exact, 2):
        if d1 != d0:
            m = (r1 - r0) / (d1 - d0)
            candidates.append((m, r0 - m * d0))
    for d, r in exact:
        if d > 0:
            candidates.append((r / d, Fraction(0)))
        candidates.append((min_slope, r - min_slope * d))
    best: Fraction | None = None
    for m, b in candidates:
        if m < min_slope or b < 0 or m > _FLOAT_MAX or b > _FLOAT_MAX:
            continue  # outside the rules, or a slope no float can hold
        if any(r < m * d + b for d, r in exact):
            continue
        gap = sum((r - m * d - b for d, r in exact), Fraction(0))
        best = gap if best is None else min(best, gap)
    return float("inf") if best is None else float(best)


@settings(max_examples=150, deadline=None)
@given(points)
@example([(0.0, 0.0), (0.0, 0.0), (2.2250738585e-313, 1.0)])  # a slope that overflows
@example([(0.0, 0.0), (1.0, 38.0), (2.746142516357239e-11, 2.746142516357239e-11)])
def test_bestline_is_the_lp_optimum_below_every_point(raw) -> None:  # type: ignore[no-untyped-def]
    pts = usable_points([p[0] for p in raw], [p[1] for p in raw])
    line = fit_bestline([p[0] for p in raw], [p[1] for p in raw], method=Method.BESTLINE)
    if len(pts) < 3:
        assert line is None
        return
    assert line is not None
    assert line.slope_ms_per_km >= MIN_SLOPE_MS_PER_KM - 1e-12 and line.intercept_ms >= 0
    for d, r in pts:
        assert r >= line.slope_ms_per_km * d + line.intercept_ms - 1e-6
    gap = sum(r - line.slope_ms_per_km * d - line.intercept_ms for d, r in pts)
    assert gap <= brute_force_bestline(pts) + 1e-6 * (1 + abs(gap))


@settings(max_examples=100, deadline=None)
@given(points)
def test_max_speed_radius_never_exceeds_light(raw) -> None:  # type: ignore[no-untyped-def]
    line = fit_bestline([p[0] for p in raw], [p[1] for p in raw])
    if line is None:
        return
    for rtt in (0.5, 10.0, 200.0):
        assert line.radius_km(rtt) <= rtt / MIN_SLOPE_MS_PER_KM + 1e-6


def test_faster_than_light_points_are_dropped() -> None:
    # 1,000 km in 1 ms beats light (limit about 150 km): a mislabelled place.
    assert usable_points([1000.0, 100.0], [1.0, 2.0]) == [(100.0, 2.0)]
