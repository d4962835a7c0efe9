"""Reads and writes of the case tables, each on a connection the caller's transaction
owns, so a decision, its alerts, its case and its audit record commit together.

Rows come back as plain dicts of column values; JSON columns are decoded. The rules of
the queue (who may release, when a case closes) live in :mod:`dualuse.services.cases`;
the four-eyes CHECK on ``releases`` is the last line of defence below them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, Select, and_, func, insert, select, update

from dualuse.decisions.model import AlertKey
from dualuse.storage.cases import (
    alerts,
    case_events,
    cases,
    decisions,
    dispositions,
    fp_memory,
    parties,
    releases,
)

Row = dict[str, Any]


def party_ref(party_key: str) -> str:
    """The indexed stand-in for a party key (sha256 hex)."""
    return hashlib.sha256(party_key.encode("utf-8")).hexdigest()


def dumps(value: Any) -> str:
    """Sorted keys, UTF-8 kept; orjson because a decision's body (its determinations
    with their reasons and citations) runs to tens of kilobytes."""
    return orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _rows(conn: Connection, query: Select[Any]) -> list[Row]:
    return [dict(r._mapping) for r in conn.execute(query)]


# -- decisions ------------------------------------------------------------------------------


def get_decision(conn: Connection, ref: str) -> Row | None:
    """A decision by decision id, else the latest for an order id."""
    row = conn.execute(select(decisions).where(decisions.c.decision_id == ref)).first()
    if row is None:
        row = conn.execute(
            select(decisions)
            .where(decisions.c.order_id == ref)
            .order_by(decisions.c.seq.desc())
            .limit(1)
        ).first()
    return dict(row._mapping) if row else None


def decision_row(decision: Mapping[str, Any], actor: str, now: str) -> Row:
    """The ``decisions`` row of a decision's JSON."""
    versions = decision.get("versions") or {}
    return dict(
        decision_id=decision["decision_id"],
        order_id=decision["id"],
        input_digest=decision["input_digest"],
        verdict=decision["verdict"],
        decided_at=decision["decided_at"],
        lists_version=dumps(versions.get("lists", [])),
        rules_version=str(versions.get("rules", "")),
        code_version=str(versions.get("code", "")),
        submitted_by=actor,
        stored_at=now,
        body=dumps(decision),
    )


def latest_rules_version(conn: Connection) -> str | None:
    query = select(decisions.c.rules_version).order_by(decisions.c.seq.desc()).limit(1)
    value = conn.execute(query).scalar()
    return None if value is None else str(value)


# -- parties --------------------------------------------------------------------------------


def all_parties(conn: Connection) -> list[Row]:
    return _rows(conn, select(parties).order_by(parties.c.party_ref))


# -- cases ----------------------------------------------------------------------------------


def insert_case(
    conn: Connection,
    *,
    kind: str,
    order_id: str | None,
    decision_id: str | None,
    verdict: str,
    now: str,
    due: str,
) -> int:
    result = conn.execute(
        insert(cases),
        dict(
            kind=kind,
            order_id=order_id,
            decision_id=decision_id,
            verdict=verdict,
            status="open",
            resolution=None,
            assignee=None,
            opened_at=now,
            due_at=due,
            updated_at=now,
            closed_at=None,
        ),
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def get_case(conn: Connection, case_id: int) -> Row | None:
    row = conn.execute(select(cases).where(cases.c.case_id == case_id)).first()
    return dict(row._mapping) if row else None


def update_case(conn: Connection, case_id: int, **values: Any) -> None:
    conn.execute(update(cases).where(cases.c.case_id == case_id).values(**values))


def open_alert_counts(conn: Connection, case_ids: Sequence[int]) -> dict[int, int]:
    if not case_ids:
        return {}
    query = (
        select(alerts.c.case_id, func.count())
        .where(alerts.c.case_id.in_(case_ids), alerts.c.status.in_(("open", "escalated")))
        .group_by(alerts.c.case_id)
    )
    return {int(c): int(n) for c, n in conn.execute(query)}


def query_cases(
    conn: Connection,
    *,
    status: str | None,
    assignee: str | None,
    verdict: str | None,
    kind: str | None,
    order_id: str | None,
    overdue_at: str | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """Cases oldest-due first; ``overdue_at`` keeps open cases due before that time."""
    query = select(cases)
    for column, value in (
        (cases.c.status, status),
        (cases.c.assignee, assignee),
        (cases.c.verdict, verdict),
        (cases.c.kind, kind),
        (cases.c.order_id, order_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if overdue_at is not None:
        query = query.where(cases.c.status == "open", cases.c.due_at < overdue_at)
    query = query.order_by(cases.c.due_at, cases.c.case_id).limit(limit).offset(offset)
    return _rows(conn, query)


def add_event(
    conn: Connection,
    case_id: int,
    *,
    at: str,
    actor: str,
    kind: str,
    text: str = "",
    payload: Mapping[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(case_events),
        dict(
            case_id=case_id,
            at=at,
            actor=actor,
            kind=kind,
            text=text,
            payload=dumps(dict(payload or {})),
        ),
    )


def events(conn: Connection, case_id: int) -> list[Row]:
    rows = _rows(
        conn,
        select(case_events)
        .where(case_events.c.case_id == case_id)
        .order_by(case_events.c.event_id),
    )
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    return rows


# -- alerts ---------------------------------------------------------------------------------


def alert_row(
    alert: Mapping[str, Any],
    *,
    case_id: int | None,
    decision_id: str | None,
    origin: str,
    status: str,
    now: str,
) -> Row:
    """The ``alerts`` row of an alert's JSON."""
    key = alert["key"]
    return dict(
        case_id=case_id,
        decision_id=decision_id,
        origin=origin,
        party_ref=party_ref(key["party_key"]),
        party_key=key["party_key"],
        list_id=key["list_id"],
        entry_id=key["entry_id"],
        entry_digest=key["entry_digest"],
        party_name=alert.get("party_name", ""),
        listed_name=alert.get("listed_name", ""),
        role=alert.get("role"),
        score=float(alert.get("score", 0.0)),
        status=status,
        created_at=now,
        body=dumps(dict(alert)),
    )


def insert_alert(conn: Connection, row: Row) -> int:
    """Insert an :func:`alert_row`; its new id."""
    pk = conn.execute(insert(alerts), row).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def _decode_alert(row: Row) -> Row:
    row["body"] = json.loads(row["body"])
    return row


def case_alerts(conn: Connection, case_id: int) -> list[Row]:
    query = select(alerts).where(alerts.c.case_id == case_id).order_by(alerts.c.alert_id)
    return [_decode_alert(r) for r in _rows(conn, query)]


def get_alert(conn: Connection, alert_id: int) -> Row | None:
    row = conn.execute(select(alerts).where(alerts.c.alert_id == alert_id)).first()
    return _decode_alert(dict(row._mapping)) if row else None


def set_alert_status(conn: Connection, alert_id: int, status: str) -> None:
    conn.execute(update(alerts).where(alerts.c.alert_id == alert_id).values(status=status))


def live_alerts_for(conn: Connection, ref: str, list_id: str, entry_id: str) -> list[Row]:
    """Alerts on this party and entry that a reviewer has not yet closed."""
    query = select(alerts).where(
        alerts.c.party_ref == ref,
        alerts.c.list_id == list_id,
        alerts.c.entry_id == entry_id,
        alerts.c.status.in_(("open", "escalated")),
    )
    return _rows(conn, query)


# -- dispositions, false-positive memory, releases ------------------------------------------


def insert_disposition(
    conn: Connection,
    *,
    alert_id: int,
    case_id: int,
    disposition: str,
    reason: str,
    actor: str,
    at: str,
) -> int:
    result = conn.execute(
        insert(dispositions),
        dict(
            alert_id=alert_id,
            case_id=case_id,
            disposition=disposition,
            reason=reason,
            actor=actor,
            at=at,
        ),
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def case_dispositions(conn: Connection, case_id: int) -> list[Row]:
    query = (
        select(dispositions)
        .where(dispositions.c.case_id == case_id)
        .order_by(dispositions.c.disposition_id)
    )
    return _rows(conn, query)


def remember_false_positive(
    conn: Connection, key: Mapping[str, str], disposition_id: int, actor: str, at: str
) -> None:
    ref = party_ref(key["party_key"])
    where = and_(
        fp_memory.c.party_ref == ref,
        fp_memory.c.list_id == key["list_id"],
        fp_memory.c.entry_id == key["entry_id"],
    )
    values = {
        "entry_digest": key["entry_digest"],
        "disposition_id": disposition_id,
        "actor": actor,
        "at": at,
    }
    if conn.execute(update(fp_memory).where(where).values(**values)).rowcount == 0:
        conn.execute(
            insert(fp_memory),
            dict(
                party_ref=ref,
                list_id=key["list_id"],
                entry_id=key["entry_id"],
                party_key=key["party_key"],
                **values,
            ),
        )


def is_cleared(conn: Connection, key: Mapping[str, str]) -> bool:
    query = select(fp_memory.c.entry_digest).where(
        fp_memory.c.party_ref == party_ref(key["party_key"]),
        fp_memory.c.list_id == key["list_id"],
        fp_memory.c.entry_id == key["entry_id"],
    )
    return conn.execute(query).scalar() == key["entry_digest"]


def cleared_for_parties(conn: Connection, refs: Sequence[str]) -> set[AlertKey]:
    """Every false-positive clearance remembered for these parties (by party ref)."""
    if not refs:
        return set()
    query = select(fp_memory).where(fp_memory.c.party_ref.in_(sorted(set(refs))))
    return {
        AlertKey(r.party_key, r.list_id, r.entry_id, r.entry_digest) for r in conn.execute(query)
    }


def cleared_for_entries(conn: Connection, list_id: str, entry_ids: Sequence[str]) -> list[Row]:
    """False-positive clearances remembered against these entries of one list."""
    if not entry_ids:
        return []
    query = select(fp_memory).where(
        fp_memory.c.list_id == list_id, fp_memory.c.entry_id.in_(list(entry_ids))
    )
    return _rows(conn, query)


def insert_release(
    conn: Connection, *, case_id: int, approver: str, cleared_by: str, reason: str, at: str
) -> None:
    conn.execute(
        insert(releases),
        dict(case_id=case_id, approver=approver, cleared_by=cleared_by, reason=reason, at=at),
    )


def get_release(conn: Connection, case_id: int) -> Row | None:
    row = conn.execute(select(releases).where(releases.c.case_id == case_id)).first()
    return dict(row._mapping) if row else None
