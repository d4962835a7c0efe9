"""Geofence policies and their verdicts on a located device.

A policy names prohibited countries (where the licence says the equipment must not be)
and, optionally, permitted countries or sites (where the licence says it should be).
Verdicts, strongest first:

* ``inconsistent``: the evidence contradicts itself: no point satisfies every landmark
  (a landmark is mislabelled or a measurement is wrong) or the device's own GPS claim
  lies outside the region the latencies allow (the device, or its GPS, is lying);
* ``violation``: the whole region lies, by more than the border buffer, inside prohibited
  countries; a physical proof under the secure bound;
* ``proven_outside``: no prohibited country comes within the buffer of the region;
* ``consistent``: the region touches a prohibited country without lying inside it: the
  latencies cannot tell. Never read this as "proven inside".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from dualuse.errors import InputError
from dualuse.reference.countries import require_country
from dualuse.tracking.locate import Bound, Location
from dualuse.tracking.region import FeasibleRegion, cell_bounds_rad
from dualuse.tracking.sphere import EARTH_RADIUS_KM, box_min_angle


class Verdict(StrEnum):
    PROVEN_OUTSIDE = "proven_outside"
    CONSISTENT = "consistent"
    VIOLATION = "violation"
    INCONSISTENT = "inconsistent"


@dataclass(frozen=True, slots=True)
class Site:
    """A permitted site: a disc around a licensed address."""

    lat: float
    lon: float
    radius_km: float

    def __str__(self) -> str:
        return f"site:{self.lat:g},{self.lon:g},{self.radius_km:g}"


def country_code(text: str, *, source: str = "country") -> str:
    """An upper-case ISO-2 code from a code, name or alias."""
    return require_country(text, source=source).upper()


def parse_region(text: str, *, source: str = "permitted") -> str | Site:
    """``DE``, ``Germany`` or ``site:LAT,LON,RADIUS_KM``."""
    text = text.strip()
    if text.lower().startswith("site:"):
        parts = text[5:].split(",")
        try:
            lat, lon, radius = (float(p) for p in parts)
        except ValueError as exc:
            raise InputError(
                f"{text!r} is not site:LAT,LON,RADIUS_KM",
                source=source,
                suggestions=["site:48.14,11.58,50"],
            ) from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius >= 0 and math.isfinite(radius)):
            raise InputError(f"{text!r} is off the globe or has a bad radius", source=source)
        return Site(lat, lon, radius)
    return country_code(text, source=source)


@dataclass(frozen=True, slots=True)
class GeofencePolicy:
    prohibited: frozenset[str]
    permitted_countries: frozenset[str] = frozenset()
    permitted_sites: tuple[Site, ...] = ()
    name: str = "licence"

    @classmethod
    def build(
        cls, prohibited: Iterable[str], permitted: Iterable[str] = (), name: str = "licence"
    ) -> GeofencePolicy:
        codes = frozenset(country_code(p, source="prohibited") for p in prohibited if p.strip())
        regions = [parse_region(p) for p in permitted if p.strip()]
        countries = frozenset(r for r in regions if isinstance(r, str))
        overlap = codes & countries
        if overlap:
            raise InputError(
                f"{', '.join(sorted(overlap))} both permitted and prohibited", source="policy"
            )
        sites = tuple(r for r in regions if isinstance(r, Site))
        return cls(codes, countries, sites, name)

    @property
    def permitted(self) -> tuple[str, ...]:
        return tuple(sorted(self.permitted_countries)) + tuple(str(s) for s in self.permitted_sites)


@dataclass(frozen=True, slots=True)
class CountryVerdict:
    code: str
    verdict: Verdict
    reason: str


@dataclass(frozen=True, slots=True)
class PolicyVerdict:
    policy: str
    bound: Bound
    verdict: Verdict
    countries: tuple[CountryVerdict, ...]
    permitted_possible: bool | None
    """Whether the region reaches a permitted country or site (``None``: none given)."""
    reasons: tuple[str, ...]

    @property
    def allows_operation(self) -> bool:
        """Proven outside every prohibited country and not ruled out of the permitted area."""
        return self.verdict is Verdict.PROVEN_OUTSIDE and self.permitted_possible is not False


def region_reaches_site(region: FeasibleRegion, site: Site) -> bool:
    """Whether some kept cell comes within the site's radius (outer cover: errs to yes)."""
    lat, lon = math.radians(site.lat), math.radians(site.lon)
    for cells in region.cells:
        lat0, lat1, lon0, lon1 = cell_bounds_rad(cells.level, cells.ix, cells.iy)
        nearest = box_min_angle(np.float64(lat), np.float64(lon), lat0, lat1, lon0, lon1)
        if bool((nearest * EARTH_RADIUS_KM <= site.radius_km).any()):
            return True
    return False


def judge(location: Location, policy: GeofencePolicy) -> PolicyVerdict:
    """Apply a policy to a location; each verdict carries its reasons."""
    reasons: list[str] = []
    possible = set(location.possible_countries)
    inside = set(location.inside_countries)
    buffer = f"{location.buffer_km:g} km"
    per_country: list[CountryVerdict] = []
    for code in sorted(policy.prohibited):
        if location.empty:
            per_country.append(CountryVerdict(code, Verdict.INCONSISTENT, "region is empty"))
        elif code not in possible:
            per_country.append(
                CountryVerdict(
                    code, Verdict.PROVEN_OUTSIDE, f"no part of the region within {buffer}"
                )
            )
        elif inside == {code}:
            per_country.append(
                CountryVerdict(
                    code, Verdict.VIOLATION, f"whole region inside by more than {buffer}"
                )
            )
        else:
            per_country.append(CountryVerdict(code, Verdict.CONSISTENT, "region reaches it"))

    permitted_possible: bool | None = None
    if policy.permitted_countries or policy.permitted_sites:
        permitted_possible = not location.empty and (
            bool(possible & policy.permitted_countries)
            or any(region_reaches_site(location.region, s) for s in policy.permitted_sites)
        )
        if permitted_possible is False:
            reasons.append("the region reaches no permitted country or site")

    if location.empty:
        verdict = Verdict.INCONSISTENT
        pairs = "; ".join(f"{a} / {b}" for a, b in location.conflicts[:5])
        reasons.append(f"no point satisfies every landmark (conflicting: {pairs or 'several'})")
    elif inside and inside <= policy.prohibited:
        verdict = Verdict.VIOLATION
        reasons.append(f"region lies entirely inside {', '.join(sorted(inside))}")
    elif location.claim is not None and not location.claim.consistent:
        verdict = Verdict.INCONSISTENT
        reasons.append(
            "claimed position ruled out by "
            + ", ".join(location.claim.ruled_out_by[:5])
            + f" (by {location.claim.worst_excess_km:.0f} km)"
        )
    elif not policy.prohibited:
        verdict = Verdict.CONSISTENT
        reasons.append("no prohibited country given; the evidence is consistent")
    elif not (possible & policy.prohibited):
        verdict = Verdict.PROVEN_OUTSIDE
        if policy.prohibited:
            reasons.append(
                f"outside {', '.join(sorted(policy.prohibited))} under the {location.bound} bound"
            )
    else:
        verdict = Verdict.CONSISTENT
        reached = ", ".join(sorted(possible & policy.prohibited))
        reasons.append(f"region reaches {reached}; latencies cannot tell")
    return PolicyVerdict(
        policy=policy.name,
        bound=location.bound,
        verdict=verdict,
        countries=tuple(per_country),
        permitted_possible=permitted_possible,
        reasons=tuple(reasons),
    )
