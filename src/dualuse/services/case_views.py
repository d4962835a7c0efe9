"""What the case queue shows: typed, read-only views built from stored rows.

The web pages, the API and the CLI all render these, so they see the same case the
same way. Times are ISO 8601 UTC strings as stored.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dualuse.decisions.model import AlertKey

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Submission:
    """The answer to one submitted order."""

    decision: JsonDict
    """The decision JSON (contract: decision-contract.md)."""
    case_id: int | None
    """The case it opened (``hold`` and ``review``), if any."""
    created: bool
    """False when the same order (id and content) was already stored: nothing new."""

    def to_json(self) -> JsonDict:
        return {**self.decision, "case_id": self.case_id, "created": self.created}


@dataclass(frozen=True, slots=True)
class CaseSummary:
    case_id: int
    kind: str
    """``decision`` (opened by an order) or ``monitoring`` (opened by a list update)."""
    order_id: str | None
    decision_id: str | None
    verdict: str
    status: str
    """``open`` or ``closed``."""
    resolution: str | None
    """``released``, ``blocked`` or ``cleared`` once closed."""
    assignee: str | None
    opened_at: str
    due_at: str
    updated_at: str
    closed_at: str | None
    overdue: bool
    open_alerts: int

    @classmethod
    def from_row(cls, row: JsonDict, now: str, open_alerts: int) -> CaseSummary:
        return cls(
            case_id=int(row["case_id"]),
            kind=row["kind"],
            order_id=row["order_id"],
            decision_id=row["decision_id"],
            verdict=row["verdict"],
            status=row["status"],
            resolution=row["resolution"],
            assignee=row["assignee"],
            opened_at=row["opened_at"],
            due_at=row["due_at"],
            updated_at=row["updated_at"],
            closed_at=row["closed_at"],
            overdue=row["status"] == "open" and row["due_at"] < now,
            open_alerts=open_alerts,
        )


@dataclass(frozen=True, slots=True)
class AlertView:
    alert_id: int
    case_id: int | None
    decision_id: str | None
    origin: str
    """``decision``, ``monitoring`` (a new hit after a list update) or ``reopened``."""
    key: AlertKey
    party_name: str
    listed_name: str
    role: str | None
    score: float
    status: str
    """``open``, ``escalated``, ``true_match``, ``false_positive`` or ``cleared`` (cleared
    by an earlier false-positive disposition when the decision was taken)."""
    created_at: str
    detail: JsonDict
    """The alert as the engine gave it: programmes, explanation, entity id..."""

    @classmethod
    def from_row(cls, row: JsonDict) -> AlertView:
        return cls(
            alert_id=int(row["alert_id"]),
            case_id=None if row["case_id"] is None else int(row["case_id"]),
            decision_id=row["decision_id"],
            origin=row["origin"],
            key=AlertKey(row["party_key"], row["list_id"], row["entry_id"], row["entry_digest"]),
            party_name=row["party_name"],
            listed_name=row["listed_name"],
            role=row["role"],
            score=float(row["score"]),
            status=row["status"],
            created_at=row["created_at"],
            detail=row["body"],
        )


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One line of a case's history: opened, assigned, comment, disposition, release..."""

    at: str
    actor: str
    kind: str
    text: str
    payload: JsonDict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DispositionView:
    disposition_id: int
    alert_id: int
    disposition: str
    reason: str
    actor: str
    at: str


@dataclass(frozen=True, slots=True)
class ReleaseView:
    approver: str
    cleared_by: str
    reason: str
    at: str


@dataclass(frozen=True, slots=True)
class CaseDetail:
    summary: CaseSummary
    decision: JsonDict | None
    alerts: tuple[AlertView, ...]
    events: tuple[CaseEvent, ...]
    dispositions: tuple[DispositionView, ...]
    release: ReleaseView | None


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the queue shows; ``None`` means any."""

    status: str | None = "open"
    assignee: str | None = None
    verdict: str | None = None
    kind: str | None = None
    order_id: str | None = None
    overdue: bool = False
    """Only open cases past their due date."""
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class DashboardStats:
    decisions: int
    by_verdict: dict[str, int]
    hit_rate: float | None
    """Share of decisions with at least one restricted-party alert."""
    cases: dict[str, int]
    """``open``, ``overdue``, ``closed``, ``unassigned``."""
    median_hours_to_close: float | None
    per_day: list[JsonDict]
    """The last days with decisions: ``{"day": "2026-12-07", "<verdict>": n, ...}``."""


@dataclass(frozen=True, slots=True)
class UpdateReport:
    """What one list update did to the stored parties."""

    report_id: int
    list_id: str
    old_version: str
    new_version: str
    at: str
    actor: str
    parties_screened: int
    entries_screened: int
    new_hits: tuple[JsonDict, ...]
    """``{case_id, alert_id, party_name, listed_name, entry_id, score}`` per new hit."""
    reopened: tuple[JsonDict, ...]
    """``{case_id, alert_id, party_name, entry_id, old_digest, new_digest}`` per alert whose
    false-positive clearance lapsed because the entry changed."""

    @classmethod
    def from_row(cls, row: JsonDict) -> UpdateReport:
        body = row["body"]
        return cls(
            report_id=int(row["report_id"]),
            list_id=row["list_id"],
            old_version=row["old_version"],
            new_version=row["new_version"],
            at=row["at"],
            actor=row["actor"],
            parties_screened=int(row["parties_screened"]),
            entries_screened=int(row["entries_screened"]),
            new_hits=tuple(body.get("new_hits", ())),
            reopened=tuple(body.get("reopened", ())),
        )


def median_hours(spans: list[tuple[str, str]]) -> float | None:
    hours = [
        (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 3600
        for a, b in spans
    ]
    return round(statistics.median(hours), 2) if hours else None


def decode(text: str) -> JsonDict:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value
