"""Tables of the decision record and the reviewers' case queue.

A decision is stored whole (its JSON) with the columns a queue or a regulator filters on;
the same order submitted again with the same content (order id and input digest) is one
record, so a client that retries never duplicates. Alerts, cases, dispositions, the
false-positive memory and releases each have a table; the four-eyes rule of a release
is also a CHECK constraint, so no code path can store a release by the person who
cleared the case. Timestamps are ISO 8601 UTC strings, as in the audit log.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dualuse.storage.db import metadata

ID = BigInteger().with_variant(Integer, "sqlite")
"""An auto-incrementing key (SQLite only auto-increments INTEGER PRIMARY KEY)."""
KEY = 255
"""Longest order id, list id or entry id stored (the service refuses longer ones)."""
REF = 64
"""A party is indexed by ``party_ref``, the sha256 of its key: a key holds the whole
normalised name, which may be long (a 1 MB hostile name), and PostgreSQL cannot index
that; the key itself is kept beside it."""

VERDICTS = ("prohibited", "hold", "licence_required", "review", "clear")
DISPOSITIONS = ("true_match", "false_positive", "escalate")
ALERT_STATES = ("open", "cleared", "true_match", "false_positive", "escalated")
CASE_STATES = ("open", "closed")


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


decisions = Table(
    "decisions",
    metadata,
    Column("seq", ID, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, unique=True),
    Column("order_id", String(KEY), nullable=False, index=True),
    Column("input_digest", String(64), nullable=False),
    Column("verdict", String(20), nullable=False, index=True),
    Column("decided_at", String(40), nullable=False, index=True),
    Column("lists_version", Text, nullable=False),
    Column("rules_version", String(64), nullable=False),
    Column("code_version", String(40), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("stored_at", String(40), nullable=False),
    Column("body", Text, nullable=False),
    UniqueConstraint("order_id", "input_digest", name="uq_decisions_order_input"),
    _one_of("verdict", VERDICTS, "ck_decisions_verdict"),
)

parties = Table(
    "parties",
    metadata,
    Column("party_ref", String(REF), primary_key=True),
    Column("party_key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("country", String(8), nullable=True),
    Column("first_seen", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("last_order_id", String(KEY), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("order_id", String(KEY), nullable=True, index=True),
    Column("decision_id", String(64), ForeignKey("decisions.decision_id"), nullable=True),
    Column("verdict", String(20), nullable=False),
    Column("status", String(10), nullable=False, index=True),
    Column("resolution", String(20), nullable=True),
    Column("assignee", String(200), nullable=True, index=True),
    Column("opened_at", String(40), nullable=False),
    Column("due_at", String(40), nullable=False, index=True),
    Column("updated_at", String(40), nullable=False),
    Column("closed_at", String(40), nullable=True),
    _one_of("status", CASE_STATES, "ck_cases_status"),
    _one_of("kind", ("decision", "monitoring"), "ck_cases_kind"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", ID, primary_key=True, autoincrement=True),
    Column("case_id", ID, ForeignKey("cases.case_id"), nullable=True, index=True),
    Column("decision_id", String(64), ForeignKey("decisions.decision_id"), nullable=True),
    Column("origin", String(20), nullable=False),
    Column("party_ref", String(REF), nullable=False),
    Column("party_key", Text, nullable=False),
    Column("list_id", String(KEY), nullable=False),
    Column("entry_id", String(KEY), nullable=False),
    Column("entry_digest", String(64), nullable=False),
    Column("party_name", Text, nullable=False),
    Column("listed_name", Text, nullable=False),
    Column("role", String(40), nullable=True),
    Column("score", Float, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_alerts_key", "party_ref", "list_id", "entry_id"),
    Index("ix_alerts_entry", "list_id", "entry_id"),
    _one_of("status", ALERT_STATES, "ck_alerts_status"),
)

case_events = Table(
    "case_events",
    metadata,
    Column("event_id", ID, primary_key=True, autoincrement=True),
    Column("case_id", ID, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("text", Text, nullable=False),
    Column("payload", Text, nullable=False),
)

dispositions = Table(
    "dispositions",
    metadata,
    Column("disposition_id", ID, primary_key=True, autoincrement=True),
    Column("alert_id", ID, ForeignKey("alerts.alert_id"), nullable=False, index=True),
    Column("case_id", ID, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("disposition", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    _one_of("disposition", DISPOSITIONS, "ck_dispositions_value"),
    CheckConstraint("length(reason) > 0", name="ck_dispositions_reason"),
)

fp_memory = Table(
    "fp_memory",
    metadata,
    Column("party_ref", String(REF), primary_key=True),
    Column("list_id", String(KEY), primary_key=True),
    Column("entry_id", String(KEY), primary_key=True),
    Column("party_key", Text, nullable=False),
    Column("entry_digest", String(64), nullable=False),
    Column("disposition_id", ID, ForeignKey("dispositions.disposition_id"), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", String(40), nullable=False),
)

releases = Table(
    "releases",
    metadata,
    Column("release_id", ID, primary_key=True, autoincrement=True),
    Column("case_id", ID, ForeignKey("cases.case_id"), nullable=False, unique=True),
    Column("approver", String(200), nullable=False),
    Column("cleared_by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(40), nullable=False),
    CheckConstraint("approver <> cleared_by", name="ck_releases_four_eyes"),
)

list_updates = Table(
    "list_updates",
    metadata,
    Column("report_id", ID, primary_key=True, autoincrement=True),
    Column("list_id", String(KEY), nullable=False, index=True),
    Column("old_version", String(100), nullable=False),
    Column("new_version", String(100), nullable=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("parties_screened", Integer, nullable=False),
    Column("entries_screened", Integer, nullable=False),
    Column("new_hits", Integer, nullable=False),
    Column("reopened", Integer, nullable=False),
    Column("body", Text, nullable=False),
)
