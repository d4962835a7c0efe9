"""The JSON shapes of classification, determination, CCL entries, search hits and the
US/EU gap, one for the CLI (``--json``) and the API, and their response models. A
determination is also stored in this shape with each decision (services.decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from dualuse.controls.classify import Classification, HSClassification
from dualuse.controls.decision import Determination, GapView
from dualuse.controls.determine import JurisdictionResult
from dualuse.controls.model import Citation, ControlEntry, Effect, EUEntry, Outcome, Reason
from dualuse.controls.search import Hit
from dualuse.views import Number, View


@dataclass(frozen=True, slots=True)
class EntryView:
    """``controls show``: the CCL entry, its EU counterpart by number, and the data date."""

    entry: ControlEntry
    eu: EUEntry | None
    requested: str


def _num(value: object) -> float | None:
    from decimal import Decimal

    return (
        None
        if value is None
        else round(float(value), 4)
        if isinstance(value, Decimal | float)
        else None
    )


def citation_json(c: Citation) -> dict[str, str]:
    return {"text": str(c), "act": c.act, "section": c.section, "date": c.date, "source": c.source}


def reason_json(r: Reason) -> dict[str, object]:
    return {
        "code": r.code,
        "effect": r.effect.value,
        "jurisdiction": r.jurisdiction,
        "text": r.text,
        "citation": citation_json(r.citation),
        "detail": dict(r.detail),
    }


def jurisdiction_json(j: JurisdictionResult) -> dict[str, object]:
    return {
        "licence_required": j.licence_required.value,
        "summary": j.summary,
        "reasons": [reason_json(r) for r in j.reasons],
        "exceptions_to_examine": [dict(e) for e in j.exceptions],
        "conflicts": [dict(c) for c in j.conflicts],
        "end_user_findings": [
            {
                "list": f.list_name,
                "entry_name": f.entry_name,
                "matched_name": f.matched_name,
                "score": f.score,
                "license_requirement": f.license_requirement,
                "license_policy": f.license_policy,
                "programs": list(f.programs),
                "blocks_licence_exceptions": f.blocks_exceptions,
            }
            for f in j.end_user_findings
        ],
    }


def determination_json(d: Determination) -> dict[str, object]:
    us = d.jurisdictions["US-EAR"]
    dest = d.destination
    return {
        "licence_required": d.licence_required.value,
        "jurisdiction": "US-EAR",
        "summary": d.summary,
        "reasons": [reason_json(r) for r in d.reasons],
        "item": {
            "eccn": d.item.eccn,
            "heading": d.item.heading,
            "reasons_for_control": list(d.item.reasons_for_control),
        },
        "destination": {
            "input": dest.input,
            "iso2": dest.iso2.upper(),
            "name": dest.name,
            "country_chart_row": dest.row_name,
            "territory_basis": dest.territory_basis,
            "country_groups": list(dest.groups),
        },
        "end_user": d.end_user,
        "end_use": d.end_use,
        "as_of": d.as_of.isoformat(),
        "exceptions_to_examine": [dict(e) for e in us.exceptions],
        "conflicts": [dict(c) for c in us.conflicts],
        "jurisdictions": {k: jurisdiction_json(v) for k, v in d.jurisdictions.items()},
        "citations": [citation_json(c) for c in d.citations],
        "warnings": list(d.warnings),
        "data_versions": dict(d.data_versions),
    }


def classification_json(c: Classification) -> dict[str, object]:
    return {
        "entries": list(c.entries),
        "tpp": _num(c.tpp),
        "performance_density": _num(c.performance_density),
        "memory_bandwidth_density": _num(c.memory_bandwidth_density),
        "decided": c.decided,
        "undecided": [{"entry": u.entry, "decided_by": list(u.decided_by)} for u in c.undecided],
        "steps": list(c.steps),
        "notes": list(c.notes),
        "citations": [citation_json(x) for x in c.citations],
    }


def hs_json(h: HSClassification) -> dict[str, object]:
    return {
        "code": h.code,
        "level": h.level,
        "hs6": h.hs6,
        "description": h.description,
        "chpl_tier": h.chpl_tier,
        "chpl_tier_description": h.chpl_tier_description,
        "entries": list(h.entries),
        "notes": list(h.notes),
        "citations": [citation_json(x) for x in h.citations],
    }


def entry_json(view: EntryView) -> dict[str, object]:
    e = view.entry
    return {
        "eccn": e.eccn,
        "requested": view.requested,
        "heading": e.heading,
        "reasons_for_control": list(e.reasons),
        "license_requirements": [
            {
                "reason": c.reason,
                "scope": list(c.scope) if c.scope is not None else "entire entry",
                "scope_conditions": c.scope_text,
                "excepted": list(c.excluded),
                "excepted_if_condition": list(c.excluded_if),
                "columns": list(c.columns),
                "destinations": c.destination_text,
            }
            for c in e.controls
        ],
        "licence_exception_flags": dict(e.exception_flags),
        "related_controls": e.related_controls,
        "items": [{"paragraph": i.paragraph, "kind": i.kind, "text": i.text} for i in e.items],
        "item_text_available": e.has_item_text,
        "eu_counterpart": {
            "code": view.eu.code,
            "label": view.eu.label,
            "citation": citation_json(view.eu.citation),
        }
        if view.eu
        else None,
        "citation": citation_json(e.citation),
    }


def hit_json(h: Hit) -> dict[str, object]:
    return {
        "source": h.source,
        "code": h.code,
        "heading": h.heading,
        "score": h.score,
        "matched": list(h.matched),
        "snippet": h.snippet,
    }


def gap_json(g: GapView) -> dict[str, object]:
    return {
        "eccn": g.eccn,
        "eu_counterpart": g.eu_entry,
        "as_of": g.as_of.isoformat(),
        "counts": dict(g.counts),
        "weak_links": [
            {
                "iso2": r.iso2.upper(),
                "name": r.name,
                "us": r.us.value,
                "eu": r.eu.value,
                "weak": r.weak_link,
            }
            for r in g.rows
            if r.weak_link
        ],
        "rows": [
            {
                "iso2": r.iso2.upper(),
                "name": r.name,
                "us": r.us.value,
                "eu": r.eu.value,
                "weak_link": r.weak_link,
            }
            for r in g.rows
        ],
        "note": g.note,
    }


class CitationOut(View):
    text: str
    act: str
    section: str
    date: str
    source: str


class ReasonOut(View):
    code: str
    effect: Effect
    jurisdiction: str
    text: str
    citation: CitationOut
    detail: dict[str, str]


class EndUserFindingOut(View):
    list_id: str = Field(alias="list")
    entry_name: str
    matched_name: str
    score: Number
    license_requirement: str | None
    license_policy: str | None
    programs: list[str]
    blocks_licence_exceptions: bool


class JurisdictionOut(View):
    licence_required: Outcome
    summary: str
    reasons: list[ReasonOut]
    exceptions_to_examine: list[dict[str, str]]
    conflicts: list[dict[str, Any]]
    end_user_findings: list[EndUserFindingOut]


class ItemOut(View):
    eccn: str
    heading: str
    reasons_for_control: list[str]


class DestinationOut(View):
    input: str
    iso2: str
    name: str
    country_chart_row: str | None
    territory_basis: str | None
    country_groups: list[str]


class DeterminationOut(View):
    """``POST /v1/determine``: is a licence required (yes, no, unknown), and why."""

    licence_required: Outcome
    jurisdiction: str
    summary: str
    reasons: list[ReasonOut]
    item: ItemOut
    destination: DestinationOut
    end_user: str | None
    end_use: str | None
    as_of: str
    exceptions_to_examine: list[dict[str, str]]
    conflicts: list[dict[str, Any]]
    jurisdictions: dict[str, JurisdictionOut]
    citations: list[CitationOut]
    warnings: list[str]
    data_versions: dict[str, str]


class UndecidedOut(View):
    entry: str
    decided_by: list[str]


class ClassificationOut(View):
    """``POST /v1/classify`` by parameters: the entries the item falls in."""

    entries: list[str]
    tpp: Number | None
    performance_density: Number | None
    memory_bandwidth_density: Number | None
    decided: bool
    undecided: list[UndecidedOut]
    steps: list[str]
    notes: list[str]
    citations: list[CitationOut]


class HSClassificationOut(View):
    """``POST /v1/classify`` by HS code: the CHPL tier and the entries it points to."""

    code: str
    level: str
    hs6: str | None
    description: str
    chpl_tier: str | None
    chpl_tier_description: str | None
    entries: list[str]
    notes: list[str]
    citations: list[CitationOut]


class LicenceRequirementOut(View):
    reason: str
    scope: list[str] | str
    scope_conditions: str
    excepted: list[str]
    excepted_if_condition: list[str]
    columns: list[str]
    destinations: str


class ParagraphOut(View):
    paragraph: str | None
    kind: str
    text: str


class EUCounterpartOut(View):
    code: str
    label: str
    citation: CitationOut


class EntryOut(View):
    """``GET /v1/controls/eccn/{eccn}``: the CCL entry and its EU counterpart."""

    eccn: str
    requested: str
    heading: str
    reasons_for_control: list[str]
    license_requirements: list[LicenceRequirementOut]
    licence_exception_flags: dict[str, str]
    related_controls: str
    items: list[ParagraphOut]
    item_text_available: bool
    eu_counterpart: EUCounterpartOut | None
    citation: CitationOut


class HitOut(View):
    source: str
    code: str
    heading: str
    score: Number
    matched: list[str]
    snippet: str


class WeakLinkOut(View):
    iso2: str
    name: str
    us: Outcome
    eu: Outcome
    weak: str | None


class GapRowOut(View):
    iso2: str
    name: str
    us: Outcome
    eu: Outcome
    weak_link: str | None


class GapOut(View):
    """``GET /v1/controls/gap/{eccn}``: destinations where the US and EU answers differ."""

    eccn: str
    eu_counterpart: str | None
    as_of: str
    counts: dict[str, int]
    weak_links: list[WeakLinkOut]
    rows: list[GapRowOut]
    note: str
