"""Storing decided orders: one order or a batch, each decision with its parties,
alerts, case and audit record.

A batch is decided together (its parties screened in one pass) and stored in **one**
transaction, and so are the submissions of concurrent requests (a group commit: the
thread whose writer turn comes stores every submission waiting then). One commit (one
fsync) and one writer turn for many orders instead of one each is what lets a shared
SQLite file keep up with an order desk. Each answer goes back only after its commit, so
nothing acknowledged can be lost; a crash before it leaves none of the group, and the
client sends it again (a submission is idempotent: the same order id and content return
what was stored).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from dualuse.decisions.model import digest, party_key
from dualuse.errors import InputError
from dualuse.services.case_views import Submission
from dualuse.storage import audit
from dualuse.storage import case_store as store
from dualuse.storage import decision_batch as batch
from dualuse.storage.cases import KEY

JsonDict = dict[str, Any]
CASE_VERDICTS = ("hold", "review")
"""Verdicts that open a case in the reviewers' queue."""


@dataclass(slots=True)
class Ticket:
    """Decisions one request thread wants stored, and what storing them gave."""

    decided: Sequence[JsonDict]
    actor: str
    results: list[Submission | JsonDict] | None = None
    """Set with ``done``; still ``None`` then when the group it was stored in failed."""
    done: threading.Event = field(default_factory=threading.Event)


class Group:
    """Submissions waiting to be stored by whichever thread gets the writer turn next."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[Ticket] = []

    def join(self, ticket: Ticket) -> None:
        with self._lock:
            self._waiting.append(ticket)

    def take(self) -> list[Ticket]:
        """Every waiting ticket, in the order they came; none are left."""
        with self._lock:
            out, self._waiting = self._waiting, []
        return out


def order_id_of(order: Mapping[str, Any]) -> str | None:
    """The order's id when it is a string, refused when longer than the key column."""
    order_id = order.get("id") if isinstance(order, Mapping) else None
    if not isinstance(order_id, str):
        return None
    if len(order_id) > KEY:
        raise InputError(f"longer than {KEY} characters", source="id")
    return order_id


def find_stored(conn: Connection, orders: Sequence[Mapping[str, Any]]) -> list[JsonDict | None]:
    """For each order, the stored decision of the same id and content, if any."""
    pairs = [(order_id_of(order), digest(order)) for order in orders]
    found = batch.find_decisions(conn, [(i, d) for i, d in pairs if i is not None])
    return [None if i is None else found.get((i, d)) for i, d in pairs]


def write_decisions(
    conn: Connection,
    decided: Sequence[JsonDict],
    *,
    actor: str,
    now: str,
    due: Callable[[str], str],
) -> list[Submission | JsonDict]:
    """Store decisions inside the caller's transaction, in order, each with its parties,
    case, alerts and audit record; for an order already stored (same id and content: a
    retry) the stored row instead. The same order twice in one batch is stored once."""
    for decision in decided:
        if len(decision["id"]) > KEY:
            raise InputError(f"longer than {KEY} characters", source="id")
    pairs = [(d["id"], d["input_digest"]) for d in decided]
    stored = batch.find_decisions(conn, pairs)
    rules_before = store.latest_rules_version(conn)
    first: dict[tuple[str, str], int] = {}
    fresh: list[int] = []
    for n, pair in enumerate(pairs):
        if pair not in stored and pair not in first:
            first[pair] = n
            fresh.append(n)
    batch.insert_rows(
        conn, "decisions", [store.decision_row(decided[n], actor, now) for n in fresh]
    )
    batch.upsert_parties(conn, [s for n in fresh for s in _sightings(decided[n])], now)
    case_ids = {n: _open_case(conn, decided[n], actor, now, due) for n in fresh}
    events = [
        {
            "case_id": case_ids[n],
            "at": now,
            "actor": actor,
            "kind": "opened",
            "text": decided[n]["verdict"],
            "payload": "{}",
        }
        for n in fresh
        if case_ids[n] is not None
    ]
    batch.insert_rows(conn, "case_events", events)
    batch.insert_rows(
        conn, "alerts", [row for n in fresh for row in _alert_rows(decided[n], case_ids[n], now)]
    )
    audit.append_many_in(
        conn, _audit_entries(rules_before, [decided[n] for n in fresh], case_ids.values(), actor)
    )
    out: list[Submission | JsonDict] = []
    made: dict[int, Submission] = {}
    for n, pair in enumerate(pairs):
        if pair in stored:
            out.append(stored[pair])
        elif first[pair] == n:
            made[n] = Submission(decided[n], case_ids[n], True)
            out.append(made[n])
        else:
            earlier = made[first[pair]]
            out.append(Submission(earlier.decision, earlier.case_id, False))
    return out


def _sightings(decision: JsonDict) -> list[tuple[str, str, str | None, str]]:
    out = []
    for party in (decision.get("order") or {}).get("parties") or ():
        if isinstance(party, Mapping) and isinstance(party.get("name"), str):
            country = party.get("country") if isinstance(party.get("country"), str) else None
            out.append((party_key(party["name"], country), party["name"], country, decision["id"]))
    return out


def _open_case(
    conn: Connection, decision: JsonDict, actor: str, now: str, due: Callable[[str], str]
) -> int | None:
    verdict = decision["verdict"]
    if verdict not in CASE_VERDICTS:
        return None
    return store.insert_case(
        conn,
        kind="decision",
        order_id=decision["id"],
        decision_id=decision["decision_id"],
        verdict=verdict,
        now=now,
        due=due(verdict),
    )


def _alert_rows(decision: JsonDict, case_id: int | None, now: str) -> list[JsonDict]:
    return [
        store.alert_row(
            alert,
            case_id=case_id,
            decision_id=decision["decision_id"],
            origin="decision",
            status="cleared" if alert.get("cleared") else "open",
            now=now,
        )
        for alert in decision.get("alerts", ())
    ]


def _audit_entries(
    previous: str | None, decided: Sequence[JsonDict], case_ids: Iterable[int | None], actor: str
) -> list[audit.Entry]:
    """Each decision's record, preceded by a ``rules.change`` record where its rule set
    differs from the one before it (the first decision on new rules: a regulator sees
    when the rules changed)."""
    entries = []
    for decision, case_id in zip(decided, case_ids, strict=True):
        rules = str((decision.get("versions") or {}).get("rules", ""))
        if previous is not None and previous != rules:
            change = {"from": previous, "to": rules, "first_order": decision["id"]}
            entries.append(audit.Entry(actor, "rules.change", "rules", change))
        previous = rules
        payload = {
            "decision_id": decision["decision_id"],
            "verdict": decision["verdict"],
            "input_digest": decision["input_digest"],
            "versions": decision.get("versions"),
            "reasons": [r.get("code") for r in decision.get("reasons", ())],
            "alerts": len(decision.get("alerts", ())),
            "case_id": case_id,
        }
        entries.append(audit.Entry(actor, "decision", f"order:{decision['id']}", payload))
    return entries


def due_at(now: str, delta: timedelta) -> str:
    """``now`` plus ``delta``, to the second (a case's due date)."""
    return (datetime.fromisoformat(now) + delta).isoformat(timespec="seconds")
