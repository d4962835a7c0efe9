"""Leave-one-out evaluation on an RTT matrix between places of known position: each place
in turn plays the device, the others the landmarks.

For every device and bound it records the region, its area, the per-country verdicts for
the target countries and whether the device's stated position survives its own
latencies. Landmarks are audited among themselves first (the device's own RTTs are not
used for that), and calibrations are fitted without the device. The baseline is plain
constraint-based geolocation: fibre discs from every other place, no audit, a country
excluded when none of its cities (GeoNames >= 15,000 people) is feasible.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dualuse.tracking.calibration import (
    FIBRE_KM_PER_RTT_MS,
    Bestline,
    Method,
    bestline_from_hull,
    fit_bestline,
    lower_hull,
    usable_points,
)
from dualuse.tracking.landmarks import Conflict, Place, cover_conflicts, find_conflicts
from dualuse.tracking.locate import Bound, LatencyLocator, Measurement
from dualuse.tracking.policy import GeofencePolicy, Verdict, judge
from dualuse.tracking.sphere import distance_km, distances_km
from dualuse.tracking.wondernetwork import Cities, Matrix

TARGETS = ("CN", "RU", "IR")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One device under one bound."""

    server: int
    name: str
    country: str
    bound: str
    landmarks: int
    shaping: int
    area_km2: float
    possible: tuple[str, ...]
    per_country: dict[str, str]
    verdict: str
    claim_consistent: bool
    empty: bool
    nearest_rtt_ms: float
    estimate_error_km: float


@dataclass(frozen=True, slots=True)
class BaselineOutcome:
    server: int
    name: str
    country: str
    feasible_cities: int
    excluded: dict[str, bool]


@dataclass(frozen=True)
class Calibrations:
    """Per-landmark bestlines, refitted without a given device only when it matters."""

    matrix: Matrix
    method: Method = Method.MAX_SPEED
    hulls: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    totals: dict[int, tuple[float, int]] = field(default_factory=dict)
    points: dict[int, dict[int, tuple[float, float]]] = field(default_factory=dict)

    @classmethod
    def build(cls, matrix: Matrix, method: Method = Method.MAX_SPEED) -> Calibrations:
        cal = cls(matrix, method)
        for lid, lm in matrix.servers.items():
            pts: dict[int, tuple[float, float]] = {}
            for oid, other in matrix.servers.items():
                rtt = matrix.rtt(lid, oid) if oid != lid else None
                if rtt is None:
                    continue
                d = distance_km(lm.lat, lm.lon, other.lat, other.lon)
                if usable_points([d], [rtt]):
                    pts[oid] = (d, rtt)
            cal.points[lid] = pts
            cal.hulls[lid] = lower_hull(list(pts.values()))
            cal.totals[lid] = (sum(d for d, _ in pts.values()), len(pts))
        return cal

    def without(self, landmark: int, device: int) -> Bestline | None:
        pts = self.points[landmark]
        if device not in pts:
            total, count = self.totals[landmark]
            if count < 3:
                return None
            return bestline_from_hull(self.hulls[landmark], total, count, method=self.method)
        d, r = pts[device]
        if (d, r) in self.hulls[landmark]:
            rest = [p for k, p in pts.items() if k != device]
            return fit_bestline([p[0] for p in rest], [p[1] for p in rest], method=self.method)
        total, count = self.totals[landmark]
        if count - 1 < 3:
            return None
        return bestline_from_hull(self.hulls[landmark], total - d, count - 1, method=self.method)


def landmark_conflicts(matrix: Matrix) -> list[Conflict[int]]:
    places = [Place(s.id, s.lat, s.lon) for s in matrix.servers.values()]
    return find_conflicts(places, matrix.rtt_ms)


def leave_one_out(
    matrix: Matrix,
    locator: LatencyLocator,
    bounds: Sequence[Bound],
    *,
    targets: Sequence[str] = TARGETS,
    claim_accuracy_km: float = 25.0,
    servers: Sequence[int] | None = None,
    calibration_method: Method = Method.MAX_SPEED,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Outcome], dict[int, frozenset[int]]]:
    """Run every device under every bound; also return the landmarks excluded per device."""
    conflicts = landmark_conflicts(matrix)
    calibrations = (
        Calibrations.build(matrix, calibration_method) if Bound.CALIBRATED in bounds else None
    )
    policy = GeofencePolicy(frozenset(targets))
    outcomes: list[Outcome] = []
    excluded_by_device: dict[int, frozenset[int]] = {}
    for tid in servers if servers is not None else sorted(matrix.servers):
        target = matrix.servers[tid]
        audit = cover_conflicts([c for c in conflicts if tid not in (c.a, c.b)])
        excluded_by_device[tid] = audit.excluded
        rows = []
        for lid, lm in matrix.servers.items():
            rtt = matrix.rtt(tid, lid) if lid != tid else None
            if rtt is None or lid in audit.excluded:
                continue
            rows.append((lid, Measurement(lm.lat, lm.lon, rtt, str(lid))))
        measurements = [m for _, m in rows]
        for bound in bounds:
            calibration = None
            if bound is Bound.CALIBRATED and calibrations is not None:
                calibration = {
                    str(lid): b
                    for lid, _ in rows
                    if (b := calibrations.without(lid, tid)) is not None
                }
            loc = locator.locate(
                measurements,
                bound,
                claimed=(target.lat, target.lon, claim_accuracy_km),
                calibration=calibration,
            )
            verdict = judge(loc, policy)
            est = loc.estimate
            outcomes.append(
                Outcome(
                    server=tid,
                    name=target.name,
                    country=target.country,
                    bound=(
                        f"{bound.value} ({calibration_method.value})"
                        if bound is Bound.CALIBRATED
                        else bound.value
                    ),
                    landmarks=len(measurements),
                    shaping=len(loc.region.discs),
                    area_km2=loc.region_km2,
                    possible=loc.possible_countries,
                    per_country={c.code: c.verdict.value for c in verdict.countries},
                    verdict=verdict.verdict.value,
                    claim_consistent=loc.claim is not None and loc.claim.consistent,
                    empty=loc.empty,
                    nearest_rtt_ms=min(m.rtt_ms for m in measurements),
                    estimate_error_km=(
                        distance_km(est[0], est[1], target.lat, target.lon) if est else math.nan
                    ),
                )
            )
        if progress is not None:
            progress(1)
    return outcomes, excluded_by_device


def baseline_cities(
    matrix: Matrix,
    city_lat: NDArray[np.float64],
    city_lon: NDArray[np.float64],
    city_country: NDArray[np.str_],
    *,
    targets: Sequence[str] = TARGETS,
    servers: Sequence[int] | None = None,
) -> list[BaselineOutcome]:
    """Plain CBG with the fibre bound over candidate cities, no landmark audit."""
    out: list[BaselineOutcome] = []
    for tid in servers if servers is not None else sorted(matrix.servers):
        target = matrix.servers[tid]
        discs = []
        for lid, lm in matrix.servers.items():
            rtt = matrix.rtt(tid, lid) if lid != tid else None
            if rtt is not None:
                discs.append((rtt * FIBRE_KM_PER_RTT_MS, lm.lat, lm.lon))
        discs.sort()
        radius, lat, lon = discs[0]
        keep = np.flatnonzero(distances_km(lat, lon, city_lat, city_lon) <= radius)
        for radius, lat, lon in discs[1:]:
            if keep.size == 0:
                break
            keep = keep[distances_km(lat, lon, city_lat[keep], city_lon[keep]) <= radius]
        feasible = set(city_country[keep].tolist())
        out.append(
            BaselineOutcome(
                server=tid,
                name=target.name,
                country=target.country,
                feasible_cities=int(keep.size),
                excluded={t: bool(keep.size) and t not in feasible for t in targets},
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class BoundSummary:
    bound: str
    devices: int
    outside_targets: int
    proven_outside: dict[str, float]
    """Share of devices stated outside every target proven outside each target."""
    false_violations: int
    true_violations: int
    false_exonerations: int
    """Devices stated inside a target country yet proven outside it (must be 0 under the
    secure bound unless the statement is false)."""
    median_area_km2: float
    empty_regions: int
    flagged: tuple[str, ...]
    """Devices whose stated position their own latencies rule out."""
    median_error_km: float


def summarise(outcomes: Sequence[Outcome], targets: Sequence[str] = TARGETS) -> list[BoundSummary]:
    out = []
    for bound in dict.fromkeys(o.bound for o in outcomes):
        rows = [o for o in outcomes if o.bound == bound]
        outside = [o for o in rows if o.country not in targets]
        shares = {
            t: (sum(o.per_country.get(t) == Verdict.PROVEN_OUTSIDE for o in outside) / len(outside))
            if outside
            else math.nan
            for t in targets
        }
        violations = [o for o in rows if o.verdict == Verdict.VIOLATION]
        areas = [o.area_km2 for o in rows if not o.empty]
        errors = [o.estimate_error_km for o in rows if not math.isnan(o.estimate_error_km)]
        out.append(
            BoundSummary(
                bound=bound,
                devices=len(rows),
                outside_targets=len(outside),
                proven_outside=shares,
                false_violations=sum(o.country not in targets for o in violations),
                true_violations=sum(o.country in targets for o in violations),
                false_exonerations=sum(
                    o.country in targets and o.per_country.get(o.country) == Verdict.PROVEN_OUTSIDE
                    for o in rows
                ),
                median_area_km2=statistics.median(areas) if areas else math.nan,
                empty_regions=sum(o.empty for o in rows),
                flagged=tuple(sorted(o.name for o in rows if not o.claim_consistent)),
                median_error_km=statistics.median(errors) if errors else math.nan,
            )
        )
    return out


def summarise_baseline(
    rows: Sequence[BaselineOutcome], targets: Sequence[str] = TARGETS
) -> dict[str, float]:
    outside = [r for r in rows if r.country not in targets]
    return {
        t: sum(r.excluded[t] for r in outside) / len(outside) if outside else math.nan
        for t in targets
    }


def evaluate_matrix(
    matrix: Matrix,
    cities: Cities,
    locator: LatencyLocator,
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Every bound (and the CBG bestline for comparison) and the baseline, in one run."""
    outcomes, _ = leave_one_out(
        matrix, locator, [Bound.SECURE, Bound.FIBRE, Bound.CALIBRATED], progress=progress
    )
    cbg, _ = leave_one_out(matrix, locator, [Bound.CALIBRATED], calibration_method=Method.BESTLINE)
    baseline = baseline_cities(matrix, cities.lat, cities.lon, cities.country)
    conflicts = landmark_conflicts(matrix)
    audit = cover_conflicts(conflicts)
    names = {s.id: s.name for s in matrix.servers.values()}
    outside = [b for b in baseline if b.country not in TARGETS]
    return {
        "summary": {
            "servers": len(matrix.servers),
            "pairs": len(matrix.rtt_ms),
            "bounds": [asdict(s) for s in summarise([*outcomes, *cbg])],
            "baseline_fibre_cities": {
                "proven_outside": summarise_baseline(baseline),
                "empty_counted_as_proof": {
                    t: sum(b.excluded[t] or b.feasible_cities == 0 for b in outside) / len(outside)
                    for t in TARGETS
                },
                "empty_regions": sum(b.feasible_cities == 0 for b in baseline),
                "false_exonerations": sum(
                    b.country in TARGETS and (b.excluded[b.country] or b.feasible_cities == 0)
                    for b in baseline
                ),
            },
            "landmark_audit": {
                "impossible_pairs": [
                    [names[c.a], names[c.b], round(c.distance_km), c.rtt_ms] for c in conflicts
                ],
                "excluded": sorted(names[k] for k in audit.excluded),
                "unresolved_pairs": [[names[a], names[b]] for a, b in audit.unresolved_pairs],
            },
        },
        "outcomes": [asdict(o) for o in [*outcomes, *cbg]],
        "baseline": [asdict(b) for b in baseline],
    }
