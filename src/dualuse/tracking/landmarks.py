"""Landmarks audit one another: a pair whose RTT is faster than light over the distance
between their stated places proves that one of the two is not where it says.

The same physics that exposes a lying device exposes a mislabelled landmark, so before a
landmark's disc is trusted its RTTs to the other landmarks are checked under the secure
bound. The fewest landmarks that explain every impossible pair are excluded, greedily:
the landmark in the most conflicts goes first; where several tie for the most, all of
them go (a tie cannot say which one lies, and dropping a disc is always safe).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from dualuse.tracking.calibration import SECURE_KM_PER_RTT_MS
from dualuse.tracking.sphere import distance_km

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Place(Generic[K]):
    key: K
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Conflict(Generic[K]):
    """Two places whose RTT beats light over their stated distance."""

    a: K
    b: K
    distance_km: float
    rtt_ms: float


@dataclass(frozen=True, slots=True)
class LandmarkAudit(Generic[K]):
    conflicts: tuple[Conflict[K], ...]
    excluded: frozenset[K]
    """Landmarks whose stated place is contradicted and which must not be used."""
    unresolved_pairs: tuple[tuple[K, K], ...]
    """Pairs that conflict with each other only: one of the two lies, the data cannot say
    which, so both were excluded."""


def find_conflicts(
    places: Sequence[Place[K]],
    rtt_ms: Mapping[tuple[K, K], float],
    *,
    km_per_rtt_ms: float = SECURE_KM_PER_RTT_MS,
) -> list[Conflict[K]]:
    """Every pair with ``distance > km_per_rtt_ms * rtt`` (keys as given in ``rtt_ms``)."""
    by_key = {p.key: p for p in places}
    out: list[Conflict[K]] = []
    for (a, b), rtt in rtt_ms.items():
        pa, pb = by_key.get(a), by_key.get(b)
        if pa is None or pb is None or a == b:
            continue
        d = distance_km(pa.lat, pa.lon, pb.lat, pb.lon)
        if d > km_per_rtt_ms * rtt:
            out.append(Conflict(a, b, d, rtt))
    return out


def cover_conflicts(conflicts: Sequence[Conflict[K]]) -> LandmarkAudit[K]:
    """Greedy vertex cover of the conflict graph, dropping every tied maximum."""
    edges = {(c.a, c.b) for c in conflicts}
    excluded: set[K] = set()
    unresolved: list[tuple[K, K]] = []
    while edges:
        degree: Counter[K] = Counter()
        for a, b in edges:
            degree[a] += 1
            degree[b] += 1
        top = max(degree.values())
        if top == 1:
            unresolved.extend(sorted(edges, key=repr))
            for a, b in edges:
                excluded.update((a, b))
            break
        worst = {k for k, v in degree.items() if v == top}
        excluded |= worst
        edges = {(a, b) for a, b in edges if a not in worst and b not in worst}
    return LandmarkAudit(tuple(conflicts), frozenset(excluded), tuple(unresolved))


def audit_landmarks(
    places: Sequence[Place[K]], rtt_ms: Mapping[tuple[K, K], float]
) -> LandmarkAudit[K]:
    """Find impossible pairs under the secure bound and the landmarks to exclude."""
    return cover_conflicts(find_conflicts(places, rtt_ms))
