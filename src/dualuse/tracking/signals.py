"""Tamper and diversion signals, and a risk score that explains itself.

Each signal kind is a feature with a weight (how strongly it alone suggests diversion or
tampering) and a docstring-like explanation. The score combines the distinct kinds seen
as ``1 - prod(1 - weight)``: it stays in [0, 1], one strong signal dominates, and each
kind's part is listed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dualuse.tracking.evidence import Reason, Rejection
from dualuse.tracking.locate import Location
from dualuse.tracking.policy import PolicyVerdict, Verdict
from dualuse.tracking.region import Disc
from dualuse.tracking.sphere import distance_km


@dataclass(frozen=True, slots=True)
class Feature:
    weight: float
    blocks_lease: bool
    doc: str


@dataclass(frozen=True, slots=True)
class Signal:
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


class DiversionSignals:
    """Signals a verifier raises about a device, and their combined risk."""

    NAME = "diversion-signals"
    FEATURES: ClassVar[dict[str, Feature]] = {
        "impossible_travel": Feature(
            1.0,
            True,
            "Two fixes farther apart (by the nearest points of their regions) than a "
            "vehicle could cover in the time between: a cloned key or a relay.",
        ),
        "key_on_two_devices": Feature(
            1.0, True, "One signing key presented for two devices: cloning or a swapped chip."
        ),
        "revoked_key_used": Feature(
            1.0, True, "A correctly signed token from a revoked key: the key has escaped."
        ),
        "bootcount_reset": Feature(
            0.7,
            True,
            "The boot counter went backwards: its non-volatile memory was reset or replaced.",
        ),
        "violation": Feature(1.0, True, "The feasible region lies inside a prohibited country."),
        "gps_inconsistent": Feature(
            0.8, False, "The device's own GPS claim is ruled out by its latencies."
        ),
        "outside_permitted": Feature(
            0.6, False, "The region reaches no permitted country or site of the licence."
        ),
        "empty_region": Feature(
            0.4, False, "No point satisfies every landmark: a landmark or a timing is wrong."
        ),
        "clock_rollback": Feature(0.4, False, "The device clock went backwards between reports."),
        "missed_checkin": Feature(
            0.3,
            False,
            "The device was silent past its check-in interval (Alperovitch: "
            "silence is the signal).",
        ),
        "reboot": Feature(
            0.1,
            False,
            "A power cycle; relocation detectors on machine tools treat power "
            "loss as a possible move.",
        ),
    }

    def weight(self, kind: str) -> float:
        return self.FEATURES[kind].weight

    def blocking(self, kinds: Iterable[str]) -> list[str]:
        return sorted({k for k in kinds if k in self.FEATURES and self.FEATURES[k].blocks_lease})

    def score(self, kinds: Iterable[str]) -> tuple[float, list[tuple[str, float, str]]]:
        """Risk in [0, 1] and, per distinct kind, its weight and meaning."""
        seen = sorted({k for k in kinds if k in self.FEATURES})
        keep = 1.0
        parts = []
        for kind in seen:
            feature = self.FEATURES[kind]
            keep *= 1.0 - feature.weight
            parts.append((kind, feature.weight, feature.doc))
        return 1.0 - keep, parts


DEFAULT_MAX_SPEED_KMH = 1000.0
"""Faster than an airliner's cruise; travel faster than this between fixes is impossible."""


def region_gap_km(a: Sequence[Disc], b: Sequence[Disc]) -> float:
    """A lower bound on the distance between two regions: each region lies inside every
    one of its discs, so no two points are closer than ``d(ci, cj) - ri - rj``."""
    best = 0.0
    for da in a:
        for db in b:
            gap = distance_km(da.lat, da.lon, db.lat, db.lon) - da.radius_km - db.radius_km
            best = max(best, gap)
    return best


def impossible_travel(
    before: Sequence[Disc],
    before_at: float,
    after: Sequence[Disc],
    after_at: float,
    max_speed_kmh: float = DEFAULT_MAX_SPEED_KMH,
) -> Signal | None:
    if not before or not after:
        return None
    gap = region_gap_km(before, after)
    hours = abs(after_at - before_at) / 3600.0
    reachable = max_speed_kmh * hours
    if gap <= reachable:
        return None
    speed = gap / hours if hours > 0 else math.inf
    return Signal(
        "impossible_travel",
        {
            "gap_km": round(gap, 1),
            "hours": round(hours, 4),
            "implied_kmh": None if math.isinf(speed) else round(speed),
            "limit_kmh": max_speed_kmh,
        },
    )


def missed_checkins(
    last_seen: float | None, now: float, interval_s: float, grace: float = 0.1
) -> int:
    """Check-ins due since ``last_seen`` that did not come (a tenth of an interval late is
    still on time)."""
    if last_seen is None or interval_s <= 0 or now <= last_seen:
        return 0
    return max(0, math.floor((now - last_seen) / interval_s - grace))


def from_rejection(rejection: Rejection, device_id: str) -> list[Signal]:
    """Signals a verified-but-rejected token justifies. Only rejections whose signature
    held carry an owner; an unverifiable token raises nothing (anyone can forge one)."""
    if rejection.key_owner is None:
        return []
    out: list[Signal] = []
    kid = rejection.kid.hex() if rejection.kid else None
    if rejection.reason is Reason.REVOKED_KEY:
        out.append(Signal("revoked_key_used", {"kid": kid}))
    if rejection.reason is Reason.BOOTCOUNT_ROLLBACK and rejection.claims is not None:
        out.append(Signal("bootcount_reset", {"bootcount": rejection.claims.bootcount}))
    if rejection.reason is Reason.WRONG_KEY and rejection.key_owner != device_id:
        out.append(Signal("key_on_two_devices", {"kid": kid, "owner": rejection.key_owner}))
    return out


def from_notes(notes: Iterable[str]) -> list[Signal]:
    return [Signal(n) for n in notes if n in ("reboot", "clock_rollback")]


def location_signals(
    location: Location,
    verdict: PolicyVerdict,
    *,
    permitted: Sequence[str],
    previous: tuple[Sequence[Disc], float] | None,
    now: float,
    max_speed_kmh: float = DEFAULT_MAX_SPEED_KMH,
) -> list[Signal]:
    """Signals one located, judged piece of evidence raises; ``previous`` is the last
    fix's discs and time, for impossible travel."""
    found: list[Signal] = []
    if location.empty:
        found.append(
            Signal("empty_region", {"conflicts": [list(p) for p in location.conflicts[:10]]})
        )
    if verdict.verdict is Verdict.VIOLATION:
        found.append(Signal("violation", {"inside": list(location.inside_countries)}))
    if location.claim is not None and not location.claim.consistent:
        found.append(
            Signal(
                "gps_inconsistent",
                {
                    "ruled_out_by": list(location.claim.ruled_out_by[:5]),
                    "excess_km": round(location.claim.worst_excess_km, 1),
                },
            )
        )
    if verdict.permitted_possible is False:
        found.append(Signal("outside_permitted", {"permitted": list(permitted)}))
    if previous is not None and not location.empty:
        travel = impossible_travel(
            previous[0], previous[1], location.region.discs, now, max_speed_kmh
        )
        if travel is not None:
            found.append(travel)
    return found
