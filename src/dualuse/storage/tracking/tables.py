"""The tracking tables on the shared metadata: devices, their keys, landmarks, nonces,
evidence history, signals, leases and human overrides (SQLite or PostgreSQL).

Times are seconds since the epoch (floats).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, ForeignKey, Integer, String, Table, Text

from dualuse.storage.db import metadata

devices = Table(
    "tracking_devices",
    metadata,
    Column("device_id", String(64), primary_key=True),
    Column("serial", String(200), nullable=False),
    Column("model", String(200), nullable=False),
    Column("eccn", String(40), nullable=False),
    Column("licence", String(200), nullable=False),
    Column("licence_valid_until", String(10), nullable=True),
    Column("end_user", String(400), nullable=False),
    Column("permitted", Text, nullable=False),
    Column("prohibited", Text, nullable=False),
    Column("ueid", String(66), nullable=False, unique=True),
    Column("status", String(20), nullable=False),
    Column("checkin_interval_s", Integer, nullable=False),
    Column("enrolled_at", Float, nullable=False),
    Column("last_bootcount", BigInteger, nullable=True),
    Column("last_iat", Float, nullable=True),
    Column("last_seen_at", Float, nullable=True),
    Column("lease_seq", BigInteger, nullable=False, default=0),
)

device_keys = Table(
    "tracking_keys",
    metadata,
    Column("kid", String(32), primary_key=True),
    Column(
        "device_id",
        String(64),
        ForeignKey("tracking_devices.device_id"),
        nullable=False,
        index=True,
    ),
    Column("alg", Integer, nullable=False),
    Column("public_pem", Text, nullable=False),
    Column("added_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
    Column("revoke_reason", Text, nullable=True),
)

landmarks = Table(
    "tracking_landmarks",
    metadata,
    Column("landmark_id", String(100), primary_key=True),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("kid", String(32), nullable=False, unique=True),
    Column("public_pem", Text, nullable=False),
    Column("min_processing_ms", Float, nullable=False, default=0.0),
    Column("slope_ms_per_km", Float, nullable=True),
    Column("added_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
)

nonces = Table(
    "tracking_nonces",
    metadata,
    Column("nonce", String(128), primary_key=True),
    Column("device_id", String(64), nullable=False, index=True),
    Column("issued_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("consumed_at", Float, nullable=True),
)

evidence = Table(
    "tracking_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(64), nullable=False, index=True),
    Column("received_at", Float, nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("reason", String(40), nullable=True),
    Column("message", Text, nullable=False, default=""),
    Column("kid", String(32), nullable=True),
    Column("token_sha256", String(64), nullable=False),
    Column("iat", Float, nullable=True),
    Column("bootcount", BigInteger, nullable=True),
    Column("gps_lat", Float, nullable=True),
    Column("gps_lon", Float, nullable=True),
    Column("claims", Text, nullable=True),
    Column("bound", String(20), nullable=True),
    Column("verdict", String(20), nullable=True),
    Column("reasons", Text, nullable=True),
    Column("possible_countries", Text, nullable=True),
    Column("region_km2", Float, nullable=True),
    Column("estimate_lat", Float, nullable=True),
    Column("estimate_lon", Float, nullable=True),
    Column("discs", Text, nullable=True),
    Column("measurements", Text, nullable=True),
    Column("allows_operation", Boolean, nullable=False, default=False),
    Column("lease_used", Boolean, nullable=False, default=False),
)

signals = Table(
    "tracking_signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(64), nullable=False, index=True),
    Column("at", Float, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("weight", Float, nullable=False),
    Column("detail", Text, nullable=False),
    Column("evidence_id", Integer, nullable=True),
)

leases = Table(
    "tracking_leases",
    metadata,
    Column("lease_id", String(64), primary_key=True),
    Column("device_id", String(64), nullable=False, index=True),
    Column("seq", BigInteger, nullable=False),
    Column("issued_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("basis", String(40), nullable=False),
    Column("evidence_id", Integer, nullable=True),
    Column("token", Text, nullable=False),
)

overrides = Table(
    "tracking_overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(64), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("granted_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
)
