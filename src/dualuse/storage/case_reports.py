"""Reads behind the dashboard and the regulator export, and the list-update reports:
counts and whole tables, each on a connection the caller owns."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from dualuse.storage.case_store import Row, _rows, dumps
from dualuse.storage.cases import (
    alerts,
    case_events,
    cases,
    decisions,
    dispositions,
    fp_memory,
    list_updates,
    releases,
)


def decision_rows(
    conn: Connection, *, since: str | None = None, until: str | None = None
) -> Iterable[Row]:
    query = select(decisions).order_by(decisions.c.seq)
    if since:
        query = query.where(decisions.c.decided_at >= since)
    if until:
        query = query.where(decisions.c.decided_at < until)
    for row in conn.execute(query):
        yield dict(row._mapping)


def count_decisions(conn: Connection) -> dict[str, int]:
    query = select(decisions.c.verdict, func.count()).group_by(decisions.c.verdict)
    return {str(v): int(n) for v, n in conn.execute(query)}


def decisions_per_day(conn: Connection, days: int) -> list[Row]:
    day = func.substr(decisions.c.decided_at, 1, 10)
    query = (
        select(day.label("day"), decisions.c.verdict, func.count().label("n"))
        .group_by(day, decisions.c.verdict)
        .order_by(day.desc())
    )
    out: dict[str, Row] = {}
    for row in conn.execute(query):
        if row.day not in out and len(out) >= days:
            break
        out.setdefault(row.day, {"day": row.day})[row.verdict] = int(row.n)
    return sorted(out.values(), key=lambda r: str(r["day"]))


def count_with_alerts(conn: Connection) -> int:
    query = select(func.count(func.distinct(alerts.c.decision_id))).where(
        alerts.c.decision_id.is_not(None)
    )
    return int(conn.execute(query).scalar_one())


def case_counts(conn: Connection, now: str) -> Row:
    def count(*where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(cases).where(*where)).scalar_one())

    return {
        "open": count(cases.c.status == "open"),
        "overdue": count(cases.c.status == "open", cases.c.due_at < now),
        "closed": count(cases.c.status == "closed"),
        "unassigned": count(cases.c.status == "open", cases.c.assignee.is_(None)),
    }


def closed_durations(conn: Connection, limit: int = 5000) -> list[tuple[str, str]]:
    query = (
        select(cases.c.opened_at, cases.c.closed_at)
        .where(cases.c.closed_at.is_not(None))
        .order_by(cases.c.closed_at.desc())
        .limit(limit)
    )
    return [(str(a), str(b)) for a, b in conn.execute(query)]


def all_rows(conn: Connection, table_name: str) -> Iterable[Row]:
    """Every row of one case table in key order (for the regulator export)."""
    table = {
        t.name: t
        for t in (alerts, case_events, cases, dispositions, fp_memory, list_updates, releases)
    }[table_name]
    order = list(table.primary_key.columns)
    for row in conn.execute(select(table).order_by(*order)):
        yield dict(row._mapping)


def insert_report(conn: Connection, report: Mapping[str, Any]) -> int:
    result = conn.execute(
        insert(list_updates),
        dict(
            list_id=report["list_id"],
            old_version=report["old_version"],
            new_version=report["new_version"],
            at=report["at"],
            actor=report["actor"],
            parties_screened=report["parties_screened"],
            entries_screened=report["entries_screened"],
            new_hits=len(report["new_hits"]),
            reopened=len(report["reopened"]),
            body=dumps(dict(report)),
        ),
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def reports(conn: Connection, *, list_id: str | None, limit: int) -> list[Row]:
    query = select(list_updates).order_by(list_updates.c.report_id.desc()).limit(limit)
    if list_id is not None:
        query = query.where(or_(list_updates.c.list_id == list_id))
    rows = _rows(conn, query)
    for row in rows:
        row["body"] = json.loads(row["body"])
    return rows
