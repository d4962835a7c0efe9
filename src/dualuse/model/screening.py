"""Screening queries and explained results.

A result's ``score`` lies in [0, 1]; ``match`` is ``score >= threshold`` and means one
thing only: *a person should review this hit before the transaction goes ahead*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dualuse.model.party import Identifier, PartyType


@dataclass(frozen=True, slots=True)
class ScreeningQuery:
    name: str
    type: PartyType | None = None
    """``None`` screens against every type."""
    birth_date: str | None = None
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    country: str | None = None
    """ISO 3166-1 alpha-2 (nationality, residence or registration)."""
    identifiers: tuple[Identifier, ...] = ()
    lists: tuple[str, ...] = ()
    """Restrict to these list ids; empty means all loaded lists."""
    id: str | None = None
    """The caller's own reference for the party (customer number...)."""


@dataclass(frozen=True, slots=True)
class FeatureExplanation:
    """One feature of a score: what was compared and what it contributed."""

    feature: str
    description: str
    weight: float
    value: float
    """The feature's own output (typically in [0, 1] or {0, 1})."""
    query_value: str | None = None
    candidate_value: str | None = None

    @property
    def contribution(self) -> float:
        return self.weight * self.value


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    match: bool
    party_id: str
    list_id: str
    list_version: str
    entry_id: str
    name: str
    """The listed (primary) name of the entry."""
    matched_name: str
    """The listed name or alias that produced the best name score."""
    type: PartyType
    programs: tuple[str, ...]
    listed_on: str | None
    algorithm: str
    explanation: tuple[FeatureExplanation, ...] = field(default=())
    sublist: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    source_url: str | None = None
    entity_id: str | None = None
    """The real-world entity this listing belongs to (see :class:`EntityResult`)."""


@dataclass(frozen=True, slots=True)
class Listing:
    """One publication of a listed entity: a list, its entry and programmes."""

    list_id: str
    entry_id: str
    party_id: str
    name: str
    programs: tuple[str, ...]
    list_version: str
    sublist: str | None = None
    score: float | None = None
    """This listing's score when it is among the results, else ``None``."""


@dataclass(frozen=True, slots=True)
class EntityResult:
    """One real-world party, whatever the number of lists that publish it: its best
    result, and every listing of it in the index (grouped on OFAC entity numbers
    and global identifiers, not on names)."""

    entity_id: str
    """The party id of the listing on the publishing list (SDN first)."""
    score: float
    match: bool
    name: str
    """The listed name of the best-scoring listing."""
    best: str
    """The party id of the best-scoring listing (a result in ``matches``)."""
    listings: tuple[Listing, ...]

    @property
    def lists(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(x.list_id for x in self.listings))

    @property
    def programs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for x in self.listings for p in x.programs))


@dataclass(frozen=True, slots=True)
class ScreeningResponse:
    query: ScreeningQuery
    threshold: float
    algorithm: str
    matches: tuple[MatchResult, ...]
    index_version: str
    """Which index (and so which list versions) answered."""
    warnings: tuple[str, ...] = ()
    entities: tuple[EntityResult, ...] = ()
    """The results grouped by real-world entity, best first (one per party)."""

    @property
    def is_match(self) -> bool:
        return any(m.match for m in self.matches)
