"""Per-landmark delay-to-distance calibration from RTTs to other landmarks.

Two methods, both lines ``rtt = intercept + slope * distance`` below the calibration
points, so that a new RTT bounds distance by ``(rtt - intercept) / slope``:

* ``max-speed`` (default): through the origin, at the fastest speed the landmark ever
  showed, times a safety margin (default 1.1); never faster than light.
* ``bestline``: the CBG bestline (Gueye et al., IMC 2004): below every point and as close
  to them as possible (least total gap), ``intercept >= 0``. On the WonderNetwork matrix
  it is too tight for a new device: its intercept shrinks exactly the short, decisive
  discs (see docs/tracking.md), so it is kept for comparison only.

Both are empirical: a device with a path faster than every calibration path escapes
them, so calibrated discs serve risk scoring and placement, never accusations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from dualuse.tracking.sphere import C_KM_PER_MS

SECURE_KM_PER_RTT_MS = C_KM_PER_MS / 2
FIBRE_KM_PER_RTT_MS = C_KM_PER_MS / 3
MIN_SLOPE_MS_PER_KM = 1 / SECURE_KM_PER_RTT_MS


@dataclass(frozen=True, slots=True)
class Bestline:
    """``rtt_ms >= intercept_ms + slope_ms_per_km * distance_km`` for every calibration
    point of one landmark."""

    slope_ms_per_km: float
    intercept_ms: float
    points: int

    def radius_km(self, rtt_ms: float) -> float:
        return max(0.0, rtt_ms - self.intercept_ms) / self.slope_ms_per_km


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def lower_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Lower convex hull (Andrew's monotone chain), left to right."""
    hull: list[tuple[float, float]] = []
    for p in sorted(set(points)):
        while len(hull) >= 2 and _cross(hull[-2], hull[-1], p) <= 0:
            hull.pop()
        hull.append(p)
    return hull


class Method(StrEnum):
    MAX_SPEED = "max-speed"
    BESTLINE = "bestline"


DEFAULT_MARGIN = 1.1


def fit_bestline(
    distances_km: Sequence[float],
    rtts_ms: Sequence[float],
    *,
    min_points: int = 3,
    method: Method = Method.MAX_SPEED,
    margin: float = DEFAULT_MARGIN,
) -> Bestline | None:
    """The bestline of (distance, rtt) points, or ``None`` with too few usable points.

    Points faster than light (``rtt < distance / (c/2)``) cannot be real and are left
    out: they reveal a mislabelled place, not a fast path.
    """
    pts = usable_points(distances_km, rtts_ms)
    if len(pts) < min_points:
        return None
    return bestline_from_hull(
        lower_hull(pts), sum(d for d, _ in pts), len(pts), method=method, margin=margin
    )


def usable_points(
    distances_km: Sequence[float], rtts_ms: Sequence[float]
) -> list[tuple[float, float]]:
    return [
        (float(d), float(r))
        for d, r in zip(distances_km, rtts_ms, strict=True)
        if d >= 0 and r >= 0 and r >= d * MIN_SLOPE_MS_PER_KM
    ]


def bestline_from_hull(
    hull: Sequence[tuple[float, float]],
    total_distance_km: float,
    count: int,
    *,
    method: Method = Method.MAX_SPEED,
    margin: float = DEFAULT_MARGIN,
) -> Bestline | None:
    """Fit from the lower hull and the point totals alone.

    ``max-speed``: the least ``rtt/d`` over all points is reached on the lower hull.
    ``bestline``: the objective ``sum(rtt - slope*d - intercept)`` is least where ``slope * sum(d) +
    count * intercept`` is greatest, at a vertex of the feasible set: a lower-hull edge,
    the line through the origin and the hull point of least ``rtt/d``, or the
    light-speed slope through the hull point of least ``rtt - d/(c/2)``. Every point lies
    on or above each of those lines, so only ``slope >= 1/(c/2)`` and ``intercept >= 0``
    need checking; all three depend only on hull points, so a landmark's fit need not be
    redone when a point off its hull is left out.
    """
    if not hull:
        return None
    if method is Method.MAX_SPEED:
        with_d = [r / d for d, r in hull if d > 0 and math.isfinite(r / d)]
        if not with_d:
            return None
        slope = max(min(with_d) / margin, MIN_SLOPE_MS_PER_KM)
        return Bestline(slope_ms_per_km=slope, intercept_ms=0.0, points=count)
    candidates: list[tuple[float, float]] = []
    with_distance = [p for p in hull if p[0] > 0]
    if with_distance:
        candidates.append((min(r / d for d, r in with_distance), 0.0))
    candidates.append((MIN_SLOPE_MS_PER_KM, min(r - MIN_SLOPE_MS_PER_KM * d for d, r in hull)))
    for (d0, r0), (d1, r1) in pairwise(hull):
        if d1 > d0:
            slope = (r1 - r0) / (d1 - d0)
            candidates.append((slope, r0 - slope * d0))
    best: tuple[float, float] | None = None
    best_score = -1.0
    for slope, intercept in candidates:
        # Points a sub-metre apart give no speed: their slopes overflow to infinity.
        if not (math.isfinite(slope) and math.isfinite(intercept)):
            continue
        if slope < MIN_SLOPE_MS_PER_KM - 1e-12 or intercept < -1e-9:
            continue
        score = slope * total_distance_km + count * intercept
        if score > best_score:
            best, best_score = (slope, max(intercept, 0.0)), score
    if best is None:
        return None
    return Bestline(slope_ms_per_km=best[0], intercept_ms=best[1], points=count)


def calibrate_places(
    places: dict[str, tuple[float, float]],
    rtts: Sequence[tuple[str, str, float]],
    *,
    method: Method = Method.MAX_SPEED,
) -> dict[str, Bestline | None]:
    """Fit every place's line from RTTs between places of known position (both directions
    of a pair count for both places; pairs with an unknown place are ignored)."""
    from dualuse.tracking.sphere import distance_km

    points: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in places}
    for a, b, rtt in rtts:
        if a not in places or b not in places or a == b:
            continue
        d = distance_km(*places[a], *places[b])
        for key in (a, b):
            points[key][0].append(d)
            points[key][1].append(rtt)
    return {k: fit_bestline(ds, rs, method=method) for k, (ds, rs) in points.items()}
