"""Latency geolocation: from minimum round-trip times to landmarks at known places, the
region a device must lie in, and the countries that region touches.

A reply cannot outrun light, so an RTT of r ms puts the device within ``v * r / 2`` of the
landmark. Which ``v`` is a bound (:data:`BOUNDS`): light in vacuum for anything that
accuses, light in fibre for likely placement, or a landmark's own calibrated bestline.
Added delay only enlarges discs, so every bound errs towards "cannot tell".
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from dualuse.errors import InputError
from dualuse.tracking.calibration import FIBRE_KM_PER_RTT_MS, SECURE_KM_PER_RTT_MS, Bestline
from dualuse.tracking.region import Disc, FeasibleRegion, cell_bounds_rad, feasible_region
from dualuse.tracking.sphere import distance_km
from dualuse.tracking.world import NO_CONTAINER, CountryIndex, World

MAX_LANDMARKS = 10_000


class Bound(StrEnum):
    SECURE = "secure"
    FIBRE = "fibre"
    CALIBRATED = "calibrated"

    @classmethod
    def parse(cls, text: str) -> Bound:
        try:
            return cls(text.strip().lower())
        except ValueError as exc:
            raise InputError(
                f"unknown bound {text!r}", source="bound", suggestions=[b.value for b in cls]
            ) from exc


@dataclass(frozen=True, slots=True)
class Measurement:
    """The minimum RTT from one landmark to the device."""

    landmark_lat: float
    landmark_lon: float
    rtt_ms: float
    landmark: str = ""
    min_processing_ms: float = 0.0
    """A *certified* lower bound on the device's reply time, subtracted from the RTT."""

    @property
    def flight_ms(self) -> float:
        return max(0.0, self.rtt_ms - self.min_processing_ms)


def check_measurement(m: Measurement, *, where: str) -> Measurement:
    """Raise :class:`InputError` naming ``where`` unless the numbers can be physical."""
    values = {
        "landmark_lat": m.landmark_lat,
        "landmark_lon": m.landmark_lon,
        "rtt_ms": m.rtt_ms,
        "min_processing_ms": m.min_processing_ms,
    }
    for name, value in values.items():
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise InputError(f"{name} must be a finite number, not {value!r}", location=where)
    if not -90.0 <= m.landmark_lat <= 90.0:
        raise InputError(f"landmark_lat {m.landmark_lat} is off the globe", location=where)
    if not -180.0 <= m.landmark_lon <= 180.0:
        raise InputError(f"landmark_lon {m.landmark_lon} is off the globe", location=where)
    if m.rtt_ms < 0:
        raise InputError(f"rtt_ms {m.rtt_ms} is negative", location=where)
    if m.min_processing_ms < 0:
        raise InputError(f"min_processing_ms {m.min_processing_ms} is negative", location=where)
    return m


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int
    reason: str


def read_measurements_csv(
    text: str, *, source: str = "measurements"
) -> tuple[list[Measurement], list[RejectedRow]]:
    """Parse ``landmark_lat,landmark_lon,rtt_ms`` rows (optional ``landmark``,
    ``min_processing_ms``). Bad rows are returned with their reason; the rest are used,
    since leaving a disc out only makes the region larger."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("landmark_lat", "landmark_lon", "rtt_ms") if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(header) or 'none'}",
            source=source,
            location="header",
            suggestions=["landmark_lat,landmark_lon,rtt_ms"],
        )
    good: list[Measurement] = []
    bad: list[RejectedRow] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        where = f"row {number}"
        try:
            m = Measurement(
                landmark_lat=_number(row, "landmark_lat", where),
                landmark_lon=_number(row, "landmark_lon", where),
                rtt_ms=_number(row, "rtt_ms", where),
                landmark=row.get("landmark", "") or row.get("name", ""),
                min_processing_ms=_number(row, "min_processing_ms", where, default=0.0),
            )
            good.append(check_measurement(m, where=where))
        except InputError as exc:
            bad.append(RejectedRow(number, exc.message))
        if len(good) > MAX_LANDMARKS:
            raise InputError(f"more than {MAX_LANDMARKS} landmarks", source=source)
    return good, bad


def _number(row: Mapping[str, str], name: str, where: str, default: float | None = None) -> float:
    text = row.get(name, "")
    if text == "" and default is not None:
        return default
    try:
        return float(text)
    except ValueError as exc:
        raise InputError(f"{name} {text!r} is not a number", location=where) from exc


@dataclass(frozen=True, slots=True)
class SpeedBound:
    """Distance per millisecond of RTT; the docstring of each says when to use it."""

    name: Bound
    km_per_rtt_ms: float
    accuses: bool
    doc: str


BOUNDS: dict[Bound, SpeedBound] = {
    Bound.SECURE: SpeedBound(
        Bound.SECURE,
        SECURE_KM_PER_RTT_MS,
        True,
        "Light in vacuum: no medium (radio, microwave, laser, satellite) beats it. "
        "Use for every verdict that accuses or that an adversary wants.",
    ),
    Bound.FIBRE: SpeedBound(
        Bound.FIBRE,
        FIBRE_KM_PER_RTT_MS,
        False,
        "Light in fibre (2/3 c): holds for 99.7 % of real pairs; fast radio links "
        "beat it, so it scores risk, never accuses.",
    ),
    Bound.CALIBRATED: SpeedBound(
        Bound.CALIBRATED,
        SECURE_KM_PER_RTT_MS,
        False,
        "The landmark's own bestline where it has one (else light in fibre): tighter, "
        "empirical, for placement only.",
    ),
}


@dataclass(frozen=True, slots=True)
class LandmarkConstraint:
    """One landmark's disc, and whether it shapes the region."""

    landmark: str
    lat: float
    lon: float
    rtt_ms: float
    radius_km: float
    shapes_region: bool
    calibrated: bool = False


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """A self-reported position tested against the discs."""

    lat: float
    lon: float
    accuracy_km: float
    consistent: bool
    ruled_out_by: tuple[str, ...]
    """Landmarks whose disc (widened by the claim's accuracy) misses the claimed point."""
    worst_excess_km: float


@dataclass(frozen=True)
class Location:
    """Where a device can be under one bound, with everything needed to explain it."""

    bound: Bound
    region: FeasibleRegion
    possible_countries: tuple[str, ...]
    """ISO-2 codes of every country within ``buffer_km`` of the region."""
    inside_countries: tuple[str, ...]
    """If the region lies entirely (by more than the buffer) inside countries, their codes."""
    constraints: tuple[LandmarkConstraint, ...]
    buffer_km: float
    conflicts: tuple[tuple[str, str], ...] = ()
    """Pairs of landmarks whose discs do not meet (only when the region is empty)."""
    claim: ClaimCheck | None = None
    estimate: tuple[float, float] | None = None
    """Centre of mass of the region (lat, lon): a placement, never proof."""

    @property
    def region_km2(self) -> float:
        return self.region.area_km2

    @property
    def empty(self) -> bool:
        return self.region.empty


class LatencyLocator:
    """Intersect landmark discs on the sphere and list the countries the region touches.

    Sound by construction: the cells kept cover the whole region, each country test
    widens the cell by ``buffer_km`` (Natural Earth 1:50m borders are off by a few km), so
    a country missing from ``possible_countries`` is excluded under the chosen bound.
    """

    NAME = "latency-discs"

    def __init__(
        self,
        world: World,
        *,
        buffer_km: float = 5.0,
        max_level: int = 9,
        index: CountryIndex | None = None,
    ) -> None:
        self.world = world
        self.index = index or CountryIndex(world, buffer_km)
        self.buffer_km = self.index.buffer_km
        self.max_level = max_level

    def radius_km(
        self, m: Measurement, bound: Bound, bestline: Bestline | None = None
    ) -> tuple[float, bool]:
        """The disc radius for one measurement, and whether a calibration was used."""
        if bound is Bound.CALIBRATED and bestline is not None:
            return min(bestline.radius_km(m.flight_ms), m.flight_ms * SECURE_KM_PER_RTT_MS), True
        speed = FIBRE_KM_PER_RTT_MS if bound is Bound.CALIBRATED else BOUNDS[bound].km_per_rtt_ms
        return m.flight_ms * speed, False

    def locate(
        self,
        measurements: Sequence[Measurement],
        bound: Bound = Bound.SECURE,
        *,
        claimed: tuple[float, float, float] | None = None,
        calibration: Mapping[str, Bestline] | None = None,
    ) -> Location:
        """The feasible region under ``bound``; ``claimed`` is (lat, lon, accuracy_km)."""
        if not measurements:
            raise InputError("at least one landmark measurement is needed", source="measurements")
        discs: list[Disc] = []
        calibrated: list[bool] = []
        for i, m in enumerate(measurements):
            check_measurement(m, where=f"measurement {i + 1}")
            best = (calibration or {}).get(m.landmark)
            radius, used = self.radius_km(m, bound, best)
            discs.append(Disc(m.landmark_lat, m.landmark_lon, radius, m.landmark or f"#{i + 1}"))
            calibrated.append(used)
        region = feasible_region(discs, max_level=self.max_level, stop=self.index.pure)
        shaping = set(region.discs)
        constraints = tuple(
            LandmarkConstraint(
                landmark=d.label,
                lat=d.lat,
                lon=d.lon,
                rtt_ms=m.rtt_ms,
                radius_km=d.radius_km,
                shapes_region=d in shaping,
                calibrated=used,
            )
            for d, m, used in zip(discs, measurements, calibrated, strict=True)
        )
        possible, inside = self._countries(region)
        return Location(
            bound=bound,
            region=region,
            possible_countries=possible,
            inside_countries=inside,
            constraints=constraints,
            buffer_km=self.buffer_km,
            conflicts=conflicting_pairs(discs) if region.empty else (),
            claim=check_claim(discs, *claimed) if claimed is not None else None,
            estimate=region_centroid(region),
        )

    def _countries(self, region: FeasibleRegion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        touched: set[int] = set()
        containers: set[int] = set()
        all_contained = not region.empty
        for cells in region.cells:
            for feats, container in self.index.classify(cells.level, cells.ix, cells.iy):
                touched.update(feats)
                if container == NO_CONTAINER:
                    all_contained = False
                else:
                    containers.add(container)
        codes = sorted({code for f in touched for code in self.world.codes[f]})
        inside = (
            sorted({code for f in containers for code in self.world.codes[f]})
            if all_contained
            else []
        )
        return tuple(codes), tuple(inside)


def check_claim(discs: Sequence[Disc], lat: float, lon: float, accuracy_km: float) -> ClaimCheck:
    """Is a claimed point (with its stated accuracy) inside every disc?"""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and math.isfinite(accuracy_km)):
        raise InputError("claimed position is off the globe", source="claimed")
    ruled_out: list[str] = []
    worst = 0.0
    for d in discs:
        excess = distance_km(lat, lon, d.lat, d.lon) - d.radius_km - max(accuracy_km, 0.0)
        if excess > 1e-6:
            ruled_out.append(d.label)
            worst = max(worst, excess)
    return ClaimCheck(lat, lon, accuracy_km, not ruled_out, tuple(ruled_out), worst)


def conflicting_pairs(discs: Sequence[Disc]) -> tuple[tuple[str, str], ...]:
    """Landmark pairs whose discs cannot both hold: one of the two is mislabelled or its
    measurement is wrong."""
    pairs = []
    for i, a in enumerate(discs):
        for b in discs[i + 1 :]:
            if distance_km(a.lat, a.lon, b.lat, b.lon) > a.radius_km + b.radius_km:
                pairs.append((a.label, b.label))
    return tuple(pairs)


def region_centroid(region: FeasibleRegion) -> tuple[float, float] | None:
    """Area-weighted mean of the cell centres as unit vectors, projected back."""
    if region.empty:
        return None
    total = np.zeros(3)
    for cells in region.cells:
        lat0, lat1, lon0, lon1 = cell_bounds_rad(cells.level, cells.ix, cells.iy)
        lat, lon = (lat0 + lat1) / 2, (lon0 + lon1) / 2
        weight = (lon1 - lon0) * (np.sin(lat1) - np.sin(lat0))
        vec = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        total += (vec * weight).sum(axis=1)
    norm = float(np.linalg.norm(total))
    if norm < 1e-12:
        return None
    x, y, z = total / norm
    return math.degrees(math.asin(z)), math.degrees(math.atan2(y, x))
