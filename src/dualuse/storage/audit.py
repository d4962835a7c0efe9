"""Tamper-evident audit log: an append-only hash chain in the SQL database.

Each record stores the SHA-256 of its canonical JSON together with the previous
record's hash, so changing, deleting or reordering any record breaks every later
link. :func:`verify_chain` walks the chain; :func:`head` gives the latest hash. A chain
alone cannot show that its last records were cut off or that it was rewritten with
every later hash recomputed: signed checkpoints (:mod:`dualuse.storage.checkpoints`)
anchor it outside the database.
Secrets never go into a record: callers pass ids and decisions, not keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from dualuse.errors import IntegrityError
from dualuse.storage.db import metadata

GENESIS = "0" * 64
CHAIN_LOCK = 0x6475_6175_6469_74
"""PostgreSQL advisory lock key held while a record is appended ('duaudit')."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(100), nullable=False, index=True),
    Column("subject", String(400), nullable=False, index=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


def _digest(
    seq: int, at: str, actor: str, action: str, subject: str, payload: str, prev_hash: str
) -> str:
    body = json.dumps(
        [seq, at, actor, action, subject, payload, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(
    engine: Engine,
    *,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditRecord:
    """Append one record; retried if another writer took the same sequence number."""
    for _attempt in range(50):
        try:
            with engine.begin() as conn:
                return append_in(
                    conn, actor=actor, action=action, subject=subject, payload=payload, at=at
                )
        except SAIntegrityError:
            continue
    raise IntegrityError("audit log: could not append after 50 concurrent attempts")


@dataclass(frozen=True, slots=True)
class Entry:
    """A record to append: who did what to which subject, with its details."""

    actor: str
    action: str
    subject: str
    payload: dict[str, Any] | None = None


def append_in(
    conn: Connection,
    *,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditRecord:
    """Append one record inside the caller's transaction, so the record and what it
    records commit together or not at all. On PostgreSQL the chain's head is locked for
    the rest of the transaction (an advisory lock), so concurrent writers queue instead
    of colliding; elsewhere a collision raises SQLAlchemy's ``IntegrityError`` and the
    caller retries its whole transaction."""
    entry = Entry(actor, action, subject, payload)
    return append_many_in(conn, [entry], at=at)[0]


def append_many_in(
    conn: Connection, entries: Sequence[Entry], *, at: datetime | None = None
) -> list[AuditRecord]:
    """Append ``entries`` in order inside the caller's transaction (as :func:`append_in`
    does one): the head is read once and the chain continued in memory, one insert for
    all, so a batch of decisions pays for one round trip instead of one per record."""
    if not entries:
        return []
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    stamp = (at or datetime.now(UTC)).isoformat()
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq = last.seq if last else 0
    prev = last.hash if last else GENESIS
    out: list[AuditRecord] = []
    rows: list[dict[str, Any]] = []
    for e in entries:
        seq += 1
        body = json.dumps(e.payload or {}, ensure_ascii=False, sort_keys=True, default=str)
        digest = _digest(seq, stamp, e.actor, e.action, e.subject, body, prev)
        row = {"seq": seq, "at": stamp, "actor": e.actor, "action": e.action}
        rows.append(
            row | {"subject": e.subject, "payload": body, "prev_hash": prev, "hash": digest}
        )
        out.append(
            AuditRecord(seq, stamp, e.actor, e.action, e.subject, json.loads(body), prev, digest)
        )
        prev = digest
    conn.execute(insert(audit_log), rows)
    return out


def records(
    engine: Engine,
    *,
    subject: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[AuditRecord]:
    query = select(audit_log).order_by(audit_log.c.seq)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [
            AuditRecord(
                r.seq,
                r.at,
                r.actor,
                r.action,
                r.subject,
                json.loads(r.payload),
                r.prev_hash,
                r.hash,
            )
            for r in conn.execute(query)
        ]


def head(engine: Engine) -> tuple[int, str]:
    """The latest sequence number and hash (``(0, GENESIS)`` for an empty log)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def hash_at(engine: Engine, seq: int) -> str | None:
    """The stored hash of record ``seq``, or ``None`` when there is no such record."""
    with engine.connect() as conn:
        value = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq)).scalar()
    return None if value is None else str(value)


def verify_chain(engine: Engine) -> int:
    """Check every link; return the number of records, or raise naming the first bad one."""
    prev = GENESIS
    expected_seq = 1
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
        for row in conn.execute(select(audit_log).order_by(audit_log.c.seq)):
            if row.seq != expected_seq:
                raise IntegrityError(f"audit log: record {expected_seq} is missing")
            if row.prev_hash != prev:
                raise IntegrityError(
                    f"audit log: record {row.seq} does not link to record {row.seq - 1}"
                )
            digest = _digest(
                row.seq, row.at, row.actor, row.action, row.subject, row.payload, row.prev_hash
            )
            if digest != row.hash:
                raise IntegrityError(f"audit log: record {row.seq} was altered")
            prev = row.hash
            expected_seq += 1
    return int(total)
