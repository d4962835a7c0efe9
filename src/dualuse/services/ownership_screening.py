"""Screening that also knows an ownership graph: a party on no list but blocked through
ownership is a hit, marked ``derived``, with its path from a listed party.

This wraps :class:`~dualuse.services.screening.ScreeningService` instead of changing it:
the list screen runs as before, and the ownership report (``dualuse ownership --json``)
answers for parties it names. A party is recognised by the caller's id (``query.id``
equal to the entity id in the graph) or by its name, compared after Unicode
normalisation, case folding and removal of punctuation — exactly, never fuzzily, because
a derived hit claims a specific company's ownership. Parties whose status the graph
cannot decide (``unknown``) come back as hits for review, marked the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.screening import ScreeningService

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class DerivedHit:
    party_id: str
    name: str | None
    status: str
    """``blocked`` (derived) or ``unknown`` (the data cannot decide: review)."""
    rule: str
    as_of: str
    aggregate_percentage: float | None
    explanation: str
    """The arithmetic, or why the status is unknown."""
    paths: tuple[list[str], ...]
    """Entity ids from a listed party to this party, one list per counted stake."""
    path_stakes: tuple[list[Mapping[str, Any]], ...]
    citation: str
    derived: bool = True

    def to_json(self) -> dict[str, object]:
        return {
            "derived": True,
            "party_id": self.party_id,
            "name": self.name,
            "status": self.status,
            "rule": self.rule,
            "as_of": self.as_of,
            "aggregate_percentage": self.aggregate_percentage,
            "explanation": self.explanation,
            "paths": list(self.paths),
            "path_stakes": list(self.path_stakes),
            "citation": self.citation,
        }


@dataclass(frozen=True, slots=True)
class OwnershipScreeningResult:
    response: ScreeningResponse
    derived: tuple[DerivedHit, ...]

    @property
    def is_match(self) -> bool:
        """A list match or a party blocked (or possibly blocked) through ownership."""
        return self.response.is_match or bool(self.derived)


class OwnershipIndex:
    """The blocked and unknown parties of one ownership report, by id and by name."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        self.by_id: dict[str, DerivedHit] = {}
        self.by_name: dict[str, list[DerivedHit]] = {}
        for item in report["blocked"]:
            self._add(report, item, "blocked", item["arithmetic"], item["aggregate_percentage"])
        for item in report["unknown"]:
            self._add(report, item, "unknown", item["reason"], None)

    def _add(
        self,
        report: Mapping[str, Any],
        item: Mapping[str, Any],
        status: str,
        explanation: str,
        percentage: float | None,
    ) -> None:
        hit = DerivedHit(
            party_id=item["id"],
            name=item.get("name"),
            status=status,
            rule=report["rule"],
            as_of=report["as_of"],
            aggregate_percentage=percentage,
            explanation=explanation,
            paths=tuple(item.get("paths", ())),
            path_stakes=tuple(item.get("path_stakes", ())),
            citation=report["citation"],
        )
        self.by_id[hit.party_id] = hit
        if hit.name:
            self.by_name.setdefault(name_key(hit.name), []).append(hit)

    def lookup(self, query: ScreeningQuery) -> tuple[DerivedHit, ...]:
        found: dict[str, DerivedHit] = {}
        if query.id is not None and query.id in self.by_id:
            found[query.id] = self.by_id[query.id]
        for hit in self.by_name.get(name_key(query.name), ()):
            found.setdefault(hit.party_id, hit)
        return tuple(found.values())


def screen_with_ownership(
    service: ScreeningService, query: ScreeningQuery, ownership: OwnershipIndex | None
) -> OwnershipScreeningResult:
    """The list screen, plus the derived hits of the ownership graph when one is given."""
    response = service.screen(query)
    derived = ownership.lookup(query) if ownership is not None else ()
    return OwnershipScreeningResult(response, derived)
