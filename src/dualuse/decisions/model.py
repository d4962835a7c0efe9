"""Orders and the decisions taken on them (contract in decision-contract.md).

An :class:`Order` is what an order desk submits; a :class:`Decision` is the one verdict
on it with every reason, alert, line determination and red flag that led there, and the
versions (lists, rules, code) it was taken on, so that it can be replayed. The JSON form
(:meth:`Decision.to_json`) is a stable contract shared with the case queue and the CLI.

Values are plain frozen dataclasses: no I/O, no services.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dualuse.decisions.keys import canonical_json, digest, entry_digest, party_key
from dualuse.decisions.order import (
    EndUse,
    Order,
    OrderChange,
    OrderError,
    OrderItem,
    OrderParty,
    OrderProblem,
    Payment,
    Role,
    Route,
)

JsonDict = dict[str, Any]


class Verdict(StrEnum):
    """One answer per order; members compare by severity (``PROHIBITED`` is the worst)."""

    CLEAR = "clear"
    REVIEW = "review"
    LICENCE_REQUIRED = "licence_required"
    HOLD = "hold"
    PROHIBITED = "prohibited"

    @property
    def severity(self) -> int:
        """0 for ``clear`` up to 4 for ``prohibited``."""
        return _SEVERITY[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self.severity < other.severity

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self.severity <= other.severity

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self.severity > other.severity

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self.severity >= other.severity

    @classmethod
    def worst(cls, verdicts: Iterable[Verdict]) -> Verdict:
        """The most severe verdict; ``clear`` when there is none."""
        return max(verdicts, key=lambda v: v.severity, default=cls.CLEAR)


_SEVERITY = {
    Verdict.CLEAR: 0,
    Verdict.REVIEW: 1,
    Verdict.LICENCE_REQUIRED: 2,
    Verdict.HOLD: 3,
    Verdict.PROHIBITED: 4,
}

VERDICT_ORDER: tuple[Verdict, ...] = tuple(sorted(Verdict, key=lambda v: -v.severity))
"""Most severe first: prohibited, hold, licence_required, review, clear."""


# --- decisions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: ``source`` is the act and section (``15 CFR 746.1(b)``)."""

    source: str
    title: str = ""
    date: str = ""
    url: str = ""

    def to_json(self) -> JsonDict:
        return {"source": self.source, "title": self.title, "date": self.date, "url": self.url}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Citation:
        return cls(
            str(data.get("source", "")),
            str(data.get("title", "")),
            str(data.get("date", "")),
            str(data.get("url", "")),
        )


@dataclass(frozen=True, slots=True)
class DecisionReason:
    """One reason for the verdict; the decision's verdict is the worst of its reasons."""

    code: str
    """Rule code: ``embargo.destination``, ``screening.hit``, ``licence.required``..."""
    verdict: Verdict
    text: str
    subject: str
    """Field path the reason is about (``route.destination``, ``parties[0]``, ``items[2]``)."""
    citation: Citation

    def to_json(self) -> JsonDict:
        return {
            "code": self.code,
            "verdict": self.verdict.value,
            "text": self.text,
            "subject": self.subject,
            "citation": self.citation.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecisionReason:
        return cls(
            str(data["code"]),
            Verdict(data["verdict"]),
            str(data["text"]),
            str(data["subject"]),
            Citation.from_json(data.get("citation", {})),
        )


@dataclass(frozen=True, slots=True)
class AlertKey:
    """What a false-positive clearance is remembered against: this party and this exact
    list entry content (a changed entry has a new digest and so reopens the alert)."""

    party_key: str
    list_id: str
    entry_id: str
    entry_digest: str

    def to_json(self) -> JsonDict:
        return {
            "party_key": self.party_key,
            "list_id": self.list_id,
            "entry_id": self.entry_id,
            "entry_digest": self.entry_digest,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AlertKey:
        return cls(
            str(data["party_key"]),
            str(data["list_id"]),
            str(data["entry_id"]),
            str(data["entry_digest"]),
        )


@dataclass(frozen=True, slots=True)
class Alert:
    """A party of the order matching a restricted-party list entry at or above the
    threshold."""

    key: AlertKey
    party_index: int
    role: Role
    party_name: str
    list_id: str
    entry_id: str
    entity_id: str | None
    listed_name: str
    score: float
    programs: tuple[str, ...] = ()
    explanation: tuple[Mapping[str, Any], ...] = ()
    """Score features as ``{feature, description, weight, value, query_value,
    candidate_value}``."""
    cleared: bool = False

    def to_json(self) -> JsonDict:
        return {
            "key": self.key.to_json(),
            "party_index": self.party_index,
            "role": self.role.value,
            "party_name": self.party_name,
            "list_id": self.list_id,
            "entry_id": self.entry_id,
            "entity_id": self.entity_id,
            "listed_name": self.listed_name,
            "score": self.score,
            "programs": list(self.programs),
            "explanation": [dict(e) for e in self.explanation],
            "cleared": self.cleared,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Alert:
        return cls(
            key=AlertKey.from_json(data["key"]),
            party_index=int(data["party_index"]),
            role=Role(data["role"]),
            party_name=str(data["party_name"]),
            list_id=str(data["list_id"]),
            entry_id=str(data["entry_id"]),
            entity_id=None if data.get("entity_id") is None else str(data["entity_id"]),
            listed_name=str(data["listed_name"]),
            score=float(data["score"]),
            programs=tuple(data.get("programs", ())),
            explanation=tuple(dict(e) for e in data.get("explanation", ())),
            cleared=bool(data.get("cleared", False)),
        )


@dataclass(frozen=True, slots=True)
class RedFlagHit:
    """A red-flag rule that fired on this order."""

    id: str
    severity: Verdict
    text: str
    source: Citation
    subject: str

    def to_json(self) -> JsonDict:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "text": self.text,
            "source": self.source.to_json(),
            "subject": self.subject,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RedFlagHit:
        return cls(
            str(data["id"]),
            Verdict(data["severity"]),
            str(data["text"]),
            Citation.from_json(data.get("source", {})),
            str(data["subject"]),
        )


COMPACT_DROPS = frozenset({"jurisdictions", "data_versions"})
"""Determination keys :meth:`Decision.to_json` leaves out when asked to be compact."""


@dataclass(frozen=True, slots=True)
class LineDecision:
    """One order line: the ECCN used and the determination (``determination_json``)."""

    line: int
    eccn: str | None
    determination: Mapping[str, Any] | None = None
    """``None`` when the line could not be determined (see the decision's reasons)."""
    classified_from: str | None = None
    """``eccn`` (given), ``parameters`` or ``hs`` when the ECCN was derived."""

    def to_json(self, *, compact: bool = False) -> JsonDict:
        det = self.determination
        if compact and det is not None:
            det = {k: v for k, v in det.items() if k not in COMPACT_DROPS}
        out: JsonDict = {"line": self.line, "eccn": self.eccn, "determination": det}
        if self.classified_from is not None:
            out["classified_from"] = self.classified_from
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LineDecision:
        det = data.get("determination")
        return cls(
            int(data["line"]),
            None if data.get("eccn") is None else str(data["eccn"]),
            None if det is None else dict(det),
            data.get("classified_from"),
        )


@dataclass(frozen=True, slots=True)
class ListVersion:
    list_id: str
    version: str


@dataclass(frozen=True, slots=True)
class Versions:
    lists: tuple[ListVersion, ...]
    rules: str
    """sha256-12 of the rule files in force."""
    code: str
    """``dualuse.__version__``."""
    controls: str = ""
    """sha256-12 of the control data versions (CCL, Country Chart... dates) the lines were
    determined on."""

    def to_json(self) -> JsonDict:
        return {
            "lists": [{"list_id": x.list_id, "version": x.version} for x in self.lists],
            "rules": self.rules,
            "code": self.code,
            "controls": self.controls,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Versions:
        return cls(
            tuple(ListVersion(str(x["list_id"]), str(x["version"])) for x in data["lists"]),
            str(data["rules"]),
            str(data["code"]),
            str(data.get("controls", "")),
        )


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    """The order id."""
    verdict: Verdict
    decided_at: str
    """ISO 8601 UTC, ``Z`` suffix."""
    reasons: tuple[DecisionReason, ...]
    alerts: tuple[Alert, ...]
    lines: tuple[LineDecision, ...]
    flags: tuple[RedFlagHit, ...]
    problems: tuple[OrderProblem, ...]
    versions: Versions
    input_digest: str
    as_of: str | None = None
    """The date (ISO) rules and determinations were evaluated for: the order's date, else
    the day of the decision; a replay uses the same date."""
    order: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    """The order as submitted (what ``input_digest`` is taken over), kept for replay."""

    @property
    def decision_id(self) -> str:
        return decision_id(self.input_digest, self.versions)

    @property
    def open_alerts(self) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if not a.cleared)

    def to_json(self, *, compact: bool = False) -> JsonDict:
        """The contract's JSON. ``compact`` drops from each line's determination the
        per-jurisdiction detail (which repeats the US reasons) and the control data
        versions (recorded once in ``versions.controls``): about half the size."""
        return {
            "id": self.id,
            "decision_id": self.decision_id,
            "verdict": self.verdict.value,
            "decided_at": self.decided_at,
            "reasons": [r.to_json() for r in self.reasons],
            "alerts": [a.to_json() for a in self.alerts],
            "lines": [x.to_json(compact=compact) for x in self.lines],
            "flags": [f.to_json() for f in self.flags],
            "problems": [p.to_json() for p in self.problems],
            "versions": self.versions.to_json(),
            "input_digest": self.input_digest,
            "as_of": self.as_of,
            "order": None if self.order is None else dict(self.order),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            id=str(data["id"]),
            verdict=Verdict(data["verdict"]),
            decided_at=str(data["decided_at"]),
            reasons=tuple(DecisionReason.from_json(r) for r in data.get("reasons", ())),
            alerts=tuple(Alert.from_json(a) for a in data.get("alerts", ())),
            lines=tuple(LineDecision.from_json(x) for x in data.get("lines", ())),
            flags=tuple(RedFlagHit.from_json(f) for f in data.get("flags", ())),
            problems=tuple(OrderProblem.from_json(p) for p in data.get("problems", ())),
            versions=Versions.from_json(data["versions"]),
            input_digest=str(data["input_digest"]),
            as_of=None if data.get("as_of") is None else str(data["as_of"]),
            order=None if data.get("order") is None else dict(data["order"]),
        )


def decision_id(input_digest: str, versions: Versions) -> str:
    """``dec_`` + sha256-16 of the input digest and the versions: the same order decided
    on the same lists, rules and code has the same id."""
    text = input_digest + canonical_json(versions.to_json())
    return "dec_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def verdict_of(reasons: Iterable[DecisionReason]) -> Verdict:
    """The verdict a set of reasons gives: the most severe of them."""
    return Verdict.worst(r.verdict for r in reasons)


__all__ = [
    "VERDICT_ORDER",
    "Alert",
    "AlertKey",
    "Citation",
    "Decision",
    "DecisionReason",
    "EndUse",
    "LineDecision",
    "ListVersion",
    "Order",
    "OrderChange",
    "OrderError",
    "OrderItem",
    "OrderParty",
    "OrderProblem",
    "Payment",
    "RedFlagHit",
    "Role",
    "Route",
    "Verdict",
    "Versions",
    "canonical_json",
    "decision_id",
    "digest",
    "entry_digest",
    "party_key",
    "verdict_of",
]
