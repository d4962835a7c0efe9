"""The JSON shape of a screening answer, one for the CLI (``screen --json``) and the API
(``POST /v1/screen``), documented in docs/screening.md, and its response models."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from dualuse.model.party import PartyType
from dualuse.model.screening import EntityResult, Listing, MatchResult, ScreeningResponse
from dualuse.views import Number, View, to_jsonable


def match_json(match: MatchResult) -> dict[str, Any]:
    """The JSON shape of one result (documented in docs/screening.md)."""
    return {
        "score": match.score,
        "match": match.match,
        "list": match.list_id,
        "list_version": match.list_version,
        "entry_id": match.entry_id,
        "name": match.name,
        "matched_name": match.matched_name,
        "type": match.type.value,
        "programs": list(match.programs),
        "listed_on": match.listed_on,
        "sublist": match.sublist,
        "license_requirement": match.license_requirement,
        "license_policy": match.license_policy,
        "source_url": match.source_url,
        "algorithm": match.algorithm,
        "entity_id": match.entity_id,
        "explanation": [
            {
                "feature": e.feature,
                "description": e.description,
                "weight": e.weight,
                "value": round(e.value, 4),
                "contribution": round(e.contribution, 4),
                "query_value": e.query_value,
                "candidate_value": e.candidate_value,
            }
            for e in match.explanation
        ],
    }


def response_json(response: ScreeningResponse) -> dict[str, Any]:
    return {
        "query": to_jsonable(response.query),
        "threshold": response.threshold,
        "algorithm": response.algorithm,
        "index_version": response.index_version,
        "match": response.is_match,
        "warnings": list(response.warnings),
        "matches": [match_json(m) for m in response.matches],
        "entities": [entity_json(e) for e in response.entities],
    }


def entity_json(entity: EntityResult) -> dict[str, Any]:
    """One real-world party of the results, with every list it is on."""
    return {
        "entity_id": entity.entity_id,
        "score": entity.score,
        "match": entity.match,
        "name": entity.name,
        "best": entity.best,
        "lists": list(entity.lists),
        "programs": list(entity.programs),
        "listings": [
            {
                "list": x.list_id,
                "entry_id": x.entry_id,
                "party_id": x.party_id,
                "name": x.name,
                "programs": list(x.programs),
                "sublist": x.sublist,
                "list_version": x.list_version,
                "score": x.score,
            }
            for x in entity.listings
        ],
    }


def list_label(match: MatchResult | Listing) -> str:
    """``us_csl/SDN`` for a consolidated list's constituent, else the list id."""
    if match.sublist and "(" in match.sublist and ")" in match.sublist:
        code = match.sublist[match.sublist.index("(") + 1 : match.sublist.index(")")]
        return f"{match.list_id}/{code}"
    return match.list_id


class IdentifierOut(View):
    scheme: str
    value: str
    country: str | None
    label: str | None


class QueryOut(View):
    """The query as screened (name cleaned, date and country normalised)."""

    name: str
    type: PartyType | None
    birth_date: str | None
    country: str | None
    identifiers: list[IdentifierOut]
    lists: list[str]
    id: str | None


class ExplanationOut(View):
    feature: str
    description: str
    weight: Number
    value: Number
    contribution: Number
    query_value: str | None
    candidate_value: str | None


class MatchOut(View):
    """One listing that scored: ``match`` means a person should review it."""

    score: Number
    match: bool
    list_id: str = Field(alias="list")
    list_version: str
    entry_id: str
    name: str
    matched_name: str
    type: PartyType
    programs: list[str]
    listed_on: str | None
    sublist: str | None
    license_requirement: str | None
    license_policy: str | None
    source_url: str | None
    algorithm: str
    entity_id: str | None
    explanation: list[ExplanationOut]


class ListingOut(View):
    list_id: str = Field(alias="list")
    entry_id: str
    party_id: str
    name: str
    programs: list[str]
    sublist: str | None
    list_version: str
    score: Number | None


class EntityOut(View):
    """One real-world party of the results, with every list it is on."""

    entity_id: str
    score: Number
    match: bool
    name: str
    best: str
    lists: list[str]
    programs: list[str]
    listings: list[ListingOut]


class ScreenResult(View):
    """``POST /v1/screen``: the results, best first, with what needs review."""

    query: QueryOut
    threshold: Number
    algorithm: str
    index_version: str
    match: bool
    warnings: list[str]
    matches: list[MatchOut]
    entities: list[EntityOut]
    problems: list[str]
    """Input that could not be read and was left out (a date, a country)."""


class BatchResult(View):
    """``POST /v1/screen/batch``: one result per query, in order."""

    results: list[ScreenResult]
    count: int
    matched: int
