"""Baseline: the tables that existed before migrations (API keys without ``scope``,
the audit log, post-export tracking).

Databases made before Alembic was introduced were created by ``create_all`` and carry
no version: each table is created only where it is missing, so such a database
upgrades in place.

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("api_keys"):
        op.create_table(
            "api_keys",
            sa.Column("key_id", sa.String(length=32), nullable=False),
            sa.Column("name", sa.String(length=200), nullable=False),
            sa.Column("digest", sa.String(length=64), nullable=False),
            sa.Column("roles", sa.String(length=200), nullable=False),
            sa.Column("created_at", sa.String(length=40), nullable=False),
            sa.Column("revoked_at", sa.String(length=40), nullable=True),
            sa.PrimaryKeyConstraint("key_id"),
        )
    if _missing("audit_log"):
        op.create_table(
            "audit_log",
            sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("at", sa.String(length=40), nullable=False),
            sa.Column("actor", sa.String(length=200), nullable=False),
            sa.Column("action", sa.String(length=100), nullable=False),
            sa.Column("subject", sa.String(length=400), nullable=False),
            sa.Column("payload", sa.Text(), nullable=False),
            sa.Column("prev_hash", sa.String(length=64), nullable=False),
            sa.Column("hash", sa.String(length=64), nullable=False),
            sa.PrimaryKeyConstraint("seq"),
            sa.UniqueConstraint("hash"),
        )
        op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False)
        op.create_index(op.f("ix_audit_log_subject"), "audit_log", ["subject"], unique=False)
    if _missing("tracking_devices"):
        op.create_table(
            "tracking_devices",
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("serial", sa.String(length=200), nullable=False),
            sa.Column("model", sa.String(length=200), nullable=False),
            sa.Column("eccn", sa.String(length=40), nullable=False),
            sa.Column("licence", sa.String(length=200), nullable=False),
            sa.Column("licence_valid_until", sa.String(length=10), nullable=True),
            sa.Column("end_user", sa.String(length=400), nullable=False),
            sa.Column("permitted", sa.Text(), nullable=False),
            sa.Column("prohibited", sa.Text(), nullable=False),
            sa.Column("ueid", sa.String(length=66), nullable=False),
            sa.Column("status", sa.String(length=20), nullable=False),
            sa.Column("checkin_interval_s", sa.Integer(), nullable=False),
            sa.Column("enrolled_at", sa.Float(), nullable=False),
            sa.Column("last_bootcount", sa.BigInteger(), nullable=True),
            sa.Column("last_iat", sa.Float(), nullable=True),
            sa.Column("last_seen_at", sa.Float(), nullable=True),
            sa.Column("lease_seq", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("device_id"),
            sa.UniqueConstraint("ueid"),
        )
    if _missing("tracking_evidence"):
        op.create_table(
            "tracking_evidence",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("received_at", sa.Float(), nullable=False),
            sa.Column("accepted", sa.Boolean(), nullable=False),
            sa.Column("reason", sa.String(length=40), nullable=True),
            sa.Column("message", sa.Text(), nullable=False),
            sa.Column("kid", sa.String(length=32), nullable=True),
            sa.Column("token_sha256", sa.String(length=64), nullable=False),
            sa.Column("iat", sa.Float(), nullable=True),
            sa.Column("bootcount", sa.BigInteger(), nullable=True),
            sa.Column("gps_lat", sa.Float(), nullable=True),
            sa.Column("gps_lon", sa.Float(), nullable=True),
            sa.Column("claims", sa.Text(), nullable=True),
            sa.Column("bound", sa.String(length=20), nullable=True),
            sa.Column("verdict", sa.String(length=20), nullable=True),
            sa.Column("reasons", sa.Text(), nullable=True),
            sa.Column("possible_countries", sa.Text(), nullable=True),
            sa.Column("region_km2", sa.Float(), nullable=True),
            sa.Column("estimate_lat", sa.Float(), nullable=True),
            sa.Column("estimate_lon", sa.Float(), nullable=True),
            sa.Column("discs", sa.Text(), nullable=True),
            sa.Column("measurements", sa.Text(), nullable=True),
            sa.Column("allows_operation", sa.Boolean(), nullable=False),
            sa.Column("lease_used", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            op.f("ix_tracking_evidence_device_id"), "tracking_evidence", ["device_id"], unique=False
        )
    if _missing("tracking_landmarks"):
        op.create_table(
            "tracking_landmarks",
            sa.Column("landmark_id", sa.String(length=100), nullable=False),
            sa.Column("lat", sa.Float(), nullable=False),
            sa.Column("lon", sa.Float(), nullable=False),
            sa.Column("kid", sa.String(length=32), nullable=False),
            sa.Column("public_pem", sa.Text(), nullable=False),
            sa.Column("min_processing_ms", sa.Float(), nullable=False),
            sa.Column("slope_ms_per_km", sa.Float(), nullable=True),
            sa.Column("added_at", sa.Float(), nullable=False),
            sa.Column("revoked_at", sa.Float(), nullable=True),
            sa.PrimaryKeyConstraint("landmark_id"),
            sa.UniqueConstraint("kid"),
        )
    if _missing("tracking_leases"):
        op.create_table(
            "tracking_leases",
            sa.Column("lease_id", sa.String(length=64), nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("seq", sa.BigInteger(), nullable=False),
            sa.Column("issued_at", sa.Float(), nullable=False),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.Column("basis", sa.String(length=40), nullable=False),
            sa.Column("evidence_id", sa.Integer(), nullable=True),
            sa.Column("token", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("lease_id"),
        )
        op.create_index(
            op.f("ix_tracking_leases_device_id"), "tracking_leases", ["device_id"], unique=False
        )
    if _missing("tracking_nonces"):
        op.create_table(
            "tracking_nonces",
            sa.Column("nonce", sa.String(length=128), nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("issued_at", sa.Float(), nullable=False),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.Column("consumed_at", sa.Float(), nullable=True),
            sa.PrimaryKeyConstraint("nonce"),
        )
        op.create_index(
            op.f("ix_tracking_nonces_device_id"), "tracking_nonces", ["device_id"], unique=False
        )
    if _missing("tracking_overrides"):
        op.create_table(
            "tracking_overrides",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("kind", sa.String(length=10), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("actor", sa.String(length=200), nullable=False),
            sa.Column("granted_at", sa.Float(), nullable=False),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.Column("revoked_at", sa.Float(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            op.f("ix_tracking_overrides_device_id"),
            "tracking_overrides",
            ["device_id"],
            unique=False,
        )
    if _missing("tracking_signals"):
        op.create_table(
            "tracking_signals",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("at", sa.Float(), nullable=False),
            sa.Column("kind", sa.String(length=40), nullable=False),
            sa.Column("weight", sa.Float(), nullable=False),
            sa.Column("detail", sa.Text(), nullable=False),
            sa.Column("evidence_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            op.f("ix_tracking_signals_device_id"), "tracking_signals", ["device_id"], unique=False
        )
    if _missing("tracking_keys"):
        op.create_table(
            "tracking_keys",
            sa.Column("kid", sa.String(length=32), nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("alg", sa.Integer(), nullable=False),
            sa.Column("public_pem", sa.Text(), nullable=False),
            sa.Column("added_at", sa.Float(), nullable=False),
            sa.Column("revoked_at", sa.Float(), nullable=True),
            sa.Column("revoke_reason", sa.Text(), nullable=True),
            sa.ForeignKeyConstraint(
                ["device_id"],
                ["tracking_devices.device_id"],
            ),
            sa.PrimaryKeyConstraint("kid"),
        )
        op.create_index(
            op.f("ix_tracking_keys_device_id"), "tracking_keys", ["device_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("tracking_keys")
    op.drop_table("tracking_signals")
    op.drop_table("tracking_overrides")
    op.drop_table("tracking_nonces")
    op.drop_table("tracking_leases")
    op.drop_table("tracking_landmarks")
    op.drop_table("tracking_evidence")
    op.drop_table("tracking_devices")
    op.drop_table("audit_log")
    op.drop_table("api_keys")
