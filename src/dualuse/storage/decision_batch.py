"""Writes of a batch of decisions in one transaction: one statement per table where
the database allows it (``executemany``) instead of one per row, so storing a batch
costs a few round trips, not a dozen per order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, insert, select, update

from dualuse.storage.case_store import Row, party_ref
from dualuse.storage.cases import alerts, case_events, decisions, parties


def find_decisions(conn: Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Row]:
    """The stored decisions among ``(order id, input digest)`` pairs, by pair."""
    wanted = set(keys)
    if not wanted:
        return {}
    ids = sorted({order_id for order_id, _ in wanted})
    found: dict[tuple[str, str], Row] = {}
    for start in range(0, len(ids), 500):  # under every database's bound-parameter limit
        query = select(decisions).where(decisions.c.order_id.in_(ids[start : start + 500]))
        for r in conn.execute(query):
            row = dict(r._mapping)
            pair = (row["order_id"], row["input_digest"])
            if pair in wanted and pair not in found:
                found[pair] = row
    return found


def insert_rows(conn: Connection, table: str, rows: Sequence[Row]) -> None:
    """Insert ``rows`` into ``decisions``, ``alerts`` or ``case_events`` in one call."""
    target = {"decisions": decisions, "alerts": alerts, "case_events": case_events}[table]
    if rows:
        conn.execute(insert(target), list(rows))


def upsert_parties(
    conn: Connection, seen: Sequence[tuple[str, str, str | None, str]], now: str
) -> None:
    """Record ``(party key, name, country, order id)`` sightings in order: a new party
    is inserted (first seen now), a known one gets its latest name and order."""
    latest: dict[str, tuple[str, str, str | None, str]] = {}
    for key, name, country, order_id in seen:
        ref = party_ref(key)
        first = latest.get(ref)
        # a party keeps the country it was first stored with (its key holds it anyway)
        latest[ref] = (key, name, first[2] if first else country, order_id)
    if not latest:
        return
    refs = sorted(latest)
    known: set[str] = set()
    for start in range(0, len(refs), 500):
        query = select(parties.c.party_ref).where(
            parties.c.party_ref.in_(refs[start : start + 500])
        )
        known.update(r[0] for r in conn.execute(query))
    changed = [
        {"ref": ref, "name": name, "last_seen": now, "order_id": order_id}
        for ref, (_key, name, _country, order_id) in latest.items()
        if ref in known
    ]
    if changed:
        statement = (
            update(parties)
            .where(parties.c.party_ref == bindparam("ref"))
            .values(
                name=bindparam("name"),
                last_seen=bindparam("last_seen"),
                last_order_id=bindparam("order_id"),
            )
        )
        conn.execute(statement, changed)
    new = [
        dict(
            party_ref=ref,
            party_key=key,
            name=name,
            country=country,
            first_seen=now,
            last_seen=now,
            last_order_id=order_id,
        )
        for ref, (key, name, country, order_id) in latest.items()
        if ref not in known
    ]
    if new:
        conn.execute(insert(parties), new)
