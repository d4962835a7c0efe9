"""Decisions, parties seen, cases, alerts, dispositions, the false-positive memory,
releases (four eyes as a CHECK) and list-update reports.

Revision ID: 0003_cases
Revises: 0002_api_key_scope
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_cases"
down_revision = "0002_api_key_scope"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("decision_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=255), nullable=False),
        sa.Column("input_digest", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.String(length=40), nullable=False),
        sa.Column("lists_version", sa.Text(), nullable=False),
        sa.Column("rules_version", sa.String(length=64), nullable=False),
        sa.Column("code_version", sa.String(length=40), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("stored_at", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('prohibited', 'hold', 'licence_required', 'review', 'clear')",
            name="ck_decisions_verdict",
        ),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("decision_id"),
        sa.UniqueConstraint("order_id", "input_digest", name="uq_decisions_order_input"),
    )
    op.create_index(op.f("ix_decisions_decided_at"), "decisions", ["decided_at"], unique=False)
    op.create_index(op.f("ix_decisions_order_id"), "decisions", ["order_id"], unique=False)
    op.create_index(op.f("ix_decisions_verdict"), "decisions", ["verdict"], unique=False)
    op.create_table(
        "list_updates",
        sa.Column(
            "report_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("list_id", sa.String(length=255), nullable=False),
        sa.Column("old_version", sa.String(length=100), nullable=False),
        sa.Column("new_version", sa.String(length=100), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("parties_screened", sa.Integer(), nullable=False),
        sa.Column("entries_screened", sa.Integer(), nullable=False),
        sa.Column("new_hits", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_index(op.f("ix_list_updates_list_id"), "list_updates", ["list_id"], unique=False)
    op.create_table(
        "parties",
        sa.Column("party_ref", sa.String(length=64), nullable=False),
        sa.Column("party_key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("first_seen", sa.String(length=40), nullable=False),
        sa.Column("last_seen", sa.String(length=40), nullable=False),
        sa.Column("last_order_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("party_ref"),
    )
    op.create_table(
        "cases",
        sa.Column(
            "case_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.String(length=255), nullable=True),
        sa.Column("decision_id", sa.String(length=64), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("assignee", sa.String(length=200), nullable=True),
        sa.Column("opened_at", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.Column("closed_at", sa.String(length=40), nullable=True),
        sa.CheckConstraint("kind IN ('decision', 'monitoring')", name="ck_cases_kind"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_cases_status"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.decision_id"],
        ),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_index(op.f("ix_cases_assignee"), "cases", ["assignee"], unique=False)
    op.create_index(op.f("ix_cases_due_at"), "cases", ["due_at"], unique=False)
    op.create_index(op.f("ix_cases_order_id"), "cases", ["order_id"], unique=False)
    op.create_index(op.f("ix_cases_status"), "cases", ["status"], unique=False)
    op.create_table(
        "alerts",
        sa.Column(
            "alert_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decision_id", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("party_ref", sa.String(length=64), nullable=False),
        sa.Column("party_key", sa.Text(), nullable=False),
        sa.Column("list_id", sa.String(length=255), nullable=False),
        sa.Column("entry_id", sa.String(length=255), nullable=False),
        sa.Column("entry_digest", sa.String(length=64), nullable=False),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("listed_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'cleared', 'true_match', 'false_positive', 'escalated')",
            name="ck_alerts_status",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.case_id"],
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.decision_id"],
        ),
        sa.PrimaryKeyConstraint("alert_id"),
    )
    op.create_index(op.f("ix_alerts_case_id"), "alerts", ["case_id"], unique=False)
    op.create_index("ix_alerts_entry", "alerts", ["list_id", "entry_id"], unique=False)
    op.create_index("ix_alerts_key", "alerts", ["party_ref", "list_id", "entry_id"], unique=False)
    op.create_table(
        "case_events",
        sa.Column(
            "event_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.case_id"],
        ),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(op.f("ix_case_events_case_id"), "case_events", ["case_id"], unique=False)
    op.create_table(
        "releases",
        sa.Column(
            "release_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("approver", sa.String(length=200), nullable=False),
        sa.Column("cleared_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.CheckConstraint("approver <> cleared_by", name="ck_releases_four_eyes"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.case_id"],
        ),
        sa.PrimaryKeyConstraint("release_id"),
        sa.UniqueConstraint("case_id"),
    )
    op.create_table(
        "dispositions",
        sa.Column(
            "disposition_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("alert_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "disposition IN ('true_match', 'false_positive', 'escalate')",
            name="ck_dispositions_value",
        ),
        sa.CheckConstraint("length(reason) > 0", name="ck_dispositions_reason"),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.alert_id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.case_id"],
        ),
        sa.PrimaryKeyConstraint("disposition_id"),
    )
    op.create_index(op.f("ix_dispositions_alert_id"), "dispositions", ["alert_id"], unique=False)
    op.create_index(op.f("ix_dispositions_case_id"), "dispositions", ["case_id"], unique=False)
    op.create_table(
        "fp_memory",
        sa.Column("party_ref", sa.String(length=64), nullable=False),
        sa.Column("list_id", sa.String(length=255), nullable=False),
        sa.Column("entry_id", sa.String(length=255), nullable=False),
        sa.Column("party_key", sa.Text(), nullable=False),
        sa.Column("entry_digest", sa.String(length=64), nullable=False),
        sa.Column(
            "disposition_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["disposition_id"],
            ["dispositions.disposition_id"],
        ),
        sa.PrimaryKeyConstraint("party_ref", "list_id", "entry_id"),
    )


def downgrade() -> None:
    op.drop_table("fp_memory")
    op.drop_table("dispositions")
    op.drop_table("releases")
    op.drop_table("case_events")
    op.drop_table("alerts")
    op.drop_table("cases")
    op.drop_table("parties")
    op.drop_table("list_updates")
    op.drop_table("decisions")
