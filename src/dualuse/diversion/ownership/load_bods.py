"""Beneficial Ownership Data Standard 0.4 statements (a JSON array or JSON lines).

Entity and person statements become parties (an ``arrangement`` entity is a joint
holding); each interest of a relationship becomes a stake: ``shareholding`` counts by
its ``share`` (exact, or a range with exclusive ends), board, voting and influence
interests are control evidence for review. A relationship that summarises an indirect
chain (``componentRecords``) is not counted again: its components are. Of each record
the latest statement made by the date asked about wins (so history is read as it stood);
a ``closed`` record ends on its statement date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from dualuse.diversion.ownership.model import (
    HUNDRED,
    UNKNOWN_SHARE,
    ZERO,
    Finding,
    Graph,
    Party,
    Share,
    Stake,
    StakeKind,
    date_span,
)
from dualuse.errors import InputError

OWNERSHIP_TYPES = {"shareholding"}
UNSURE_TYPES = {None, "unknownInterest", "unpublishedInterest"}
"""Interests that may be shareholdings: counted with an unknown share."""


def read_json_records(path: Path) -> list[Any]:
    """A JSON array (or an object with a list in ``records``/``data``) or JSON lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", source=str(path)) from exc
    return parse_json_records(text, str(path))


def parse_json_records(text: str, source: str) -> list[Any]:
    stripped = text.lstrip()
    if not stripped:
        raise InputError("empty file", source=source)
    if stripped[0] in "[":
        return list(_json(text, source, 0))
    records: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value = _json(line, source, number)
        if isinstance(value, dict) and len(records) == 0 and _wrapped(value):
            records.extend(_wrapped(value))
        else:
            records.append(value)
    return records


def _json(text: str, source: str, number: int) -> Any:
    """Parse, or fail naming the line (``number``, or the error's own for a whole file)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not JSON ({exc.msg})",
            source=source,
            location=f"line {number or exc.lineno}, column {exc.colno}",
        ) from exc


def _wrapped(value: dict[str, Any]) -> list[Any]:
    for key in ("records", "data", "statements"):
        if isinstance(value.get(key), list):
            return list(value[key])
    return []


def load_bods(path: Path, listed_ids: Iterable[str] = (), as_of: date | None = None) -> Graph:
    return load_bods_records(read_json_records(path), str(path), listed_ids, as_of)


def load_bods_records(
    records: list[Any], source: str, listed_ids: Iterable[str] = (), as_of: date | None = None
) -> Graph:
    """Statements to a graph; of each record the latest statement made by ``as_of``."""
    latest: dict[str, tuple[str, int, dict[str, Any]]] = {}
    for i, statement in enumerate(records, start=1):
        where = f"statement {i}"
        if not isinstance(statement, dict):
            raise InputError("not a BODS statement (not an object)", source=source, location=where)
        record_id = statement.get("recordId")
        kind = statement.get("recordType")
        details = statement.get("recordDetails")
        if not isinstance(record_id, str) or str(kind) not in {"entity", "person", "relationship"}:
            raise InputError(
                "not a BODS 0.4 statement (needs recordId and recordType entity, person or "
                "relationship)",
                source=source,
                location=where,
            )
        if not isinstance(details, dict):
            raise InputError("recordDetails is not an object", source=source, location=where)
        stamp = str(statement.get("statementDate") or "")
        span = date_span(stamp)
        if as_of is not None and span is not None and span[0] > as_of:
            continue  # stated after the date asked about: not yet known then
        old = latest.get(record_id)
        if old is None or stamp >= old[0]:
            latest[record_id] = (stamp, i, statement)
    graph = Graph()
    listed = set(listed_ids)
    for record_id, (stamp, i, statement) in latest.items():
        where = f"{source}#statement {i} ({statement.get('statementId', '?')})"
        details = statement["recordDetails"]
        if statement["recordType"] == "entity":
            entity_type = details.get("entityType")
            etype = entity_type.get("type") if isinstance(entity_type, dict) else None
            graph.add_party(
                Party(
                    record_id,
                    _text(details.get("name")),
                    f"entity:{etype}",
                    record_id in listed,
                    etype == "arrangement",
                    where,
                )
            )
        elif statement["recordType"] == "person":
            graph.add_party(
                Party(record_id, _person_name(details), "person", record_id in listed, False, where)
            )
        else:
            closed = stamp if statement.get("recordStatus") == "closed" else None
            _relationship(graph, record_id, details, where, closed)
    for pid in listed - set(graph.parties):
        graph.add_party(Party(pid, listed=True, source="--listed"))
    return graph


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _person_name(details: dict[str, Any]) -> str | None:
    names = details.get("names")
    if isinstance(names, list):
        for name in names:
            if isinstance(name, dict) and _text(name.get("fullName")):
                return str(name["fullName"])
    return None


def _relationship(
    graph: Graph, record_id: str, details: dict[str, Any], where: str, closed: str | None
) -> None:
    subject, party = details.get("subject"), details.get("interestedParty")
    if not isinstance(subject, str) or not isinstance(party, str):
        graph.findings.append(
            Finding(
                "incomplete_stake",
                "relationship without a subject or interested party record id; skipped",
                stake=record_id,
                source=where,
            )
        )
        return
    interests = details.get("interests")
    if not isinstance(interests, list) or not interests:
        interests = [{}]
    components = details.get("componentRecords")
    if isinstance(components, list) and components and details.get("isComponent") is not True:
        graph.findings.append(
            Finding(
                "indirect_summary",
                f"{party} holds an indirect interest in {subject} summarised over "
                f"{len(components)} component records; the components are counted instead",
                entity=subject,
                stake=record_id,
                source=where,
            )
        )
        return
    for n, interest in enumerate(interests, start=1):
        if not isinstance(interest, dict):
            interest = {}
        stake_id = record_id if len(interests) == 1 else f"{record_id}#{n}"
        kind_name = interest.get("type")
        if not isinstance(kind_name, str):
            kind_name = None
        start, end = _text(interest.get("startDate")), _text(interest.get("endDate")) or closed
        if kind_name not in OWNERSHIP_TYPES and kind_name not in UNSURE_TYPES:
            label = str(kind_name)
            raw = interest.get("share")
            if isinstance(raw, dict) and raw:  # e.g. votingRights 60%: shown to the reviewer
                try:
                    label += f" {_share_bounds(raw).text()}"
                except (InvalidOperation, TypeError, ValueError):
                    label += f" (share {json.dumps(raw)} not usable)"
            graph.stakes.append(
                Stake(stake_id, party, subject, StakeKind.CONTROL, None, start, end, label,
                      source=where)
            )  # fmt: skip
            continue
        share = _share(graph, interest, subject, stake_id, where)
        if interest.get("directOrIndirect") == "indirect" and share is not UNKNOWN_SHARE:
            graph.findings.append(
                Finding(
                    "indirect_without_chain",
                    "indirect shareholding without its chain: "
                    f"{share.text()} counted as 0-{share.text()} held directly",
                    entity=subject,
                    stake=stake_id,
                    source=where,
                )
            )
            share = Share(ZERO, share.high, high_strict=share.high_strict, raw=share.raw)
        graph.stakes.append(
            Stake(
                stake_id,
                party,
                subject,
                StakeKind.OWNERSHIP,
                share,
                start,
                end,
                str(kind_name or "unknown interest"),
                source=where,
            )
        )


def _share(
    graph: Graph, interest: dict[str, Any], subject: str, stake_id: str, where: str
) -> Share:
    raw = interest.get("share")
    problem: tuple[str, str] | None = None
    share: Share | None = None
    if not isinstance(raw, dict) or not raw:
        problem = "missing_percentage", "interest without a share"
    else:
        try:
            share = _share_bounds(raw)
        except (InvalidOperation, TypeError, ValueError) as exc:
            problem = (
                "negative_percentage" if "negative" in str(exc) else "bad_percentage",
                f"share {json.dumps(raw)} is not usable: {exc}",
            )
    if share is not None:
        return share
    assert problem is not None
    code, text = problem
    graph.findings.append(
        Finding(
            code,
            f"{text}; counted as unknown (0-100%)",
            entity=subject,
            stake=stake_id,
            source=where,
        )
    )
    return UNKNOWN_SHARE


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{value!r} is not a number")
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    if number > HUNDRED:
        raise ValueError(f"{value!r} is above 100")
    return number


def _share_bounds(raw: dict[str, Any]) -> Share:
    text = json.dumps(raw, sort_keys=True)
    if "exact" in raw:
        value = _number(raw["exact"])
        return Share(value, value, raw=text)
    low, low_strict, high, high_strict = ZERO, False, HUNDRED, False
    if "exclusiveMinimum" in raw:
        low, low_strict = _number(raw["exclusiveMinimum"]), True
    if "minimum" in raw:
        low, low_strict = _number(raw["minimum"]), False
    if "exclusiveMaximum" in raw:
        high, high_strict = _number(raw["exclusiveMaximum"]), True
    if "maximum" in raw:
        high, high_strict = _number(raw["maximum"]), False
    if low > high or (low == high and (low_strict or high_strict)):
        raise ValueError("the range is empty")
    if (low, high) == (ZERO, HUNDRED) and not (set(raw) & {"minimum", "maximum"}):
        raise ValueError("no exact value and no bounds")
    return Share(low, high, low_strict, high_strict, raw=text)
