"""Tracked devices, their keys, landmarks, nonces, evidence history, signals, leases and
human overrides, as SQL tables on the shared metadata (SQLite or PostgreSQL).

Times are seconds since the epoch (floats). Every write that must be all-or-nothing
(enrolment with its key, evidence with its nonce and signals, a lease with its sequence
number) runs in one transaction; single use is enforced with conditional updates
(``... WHERE consumed_at IS NULL``), which both databases make atomic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, RowMapping

from dualuse.errors import IntegrityError, NotFoundError
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


@dataclass(frozen=True, slots=True)
class DeviceRow:
    device_id: str
    serial: str
    model: str
    eccn: str
    licence: str
    end_user: str
    permitted: tuple[str, ...]
    prohibited: tuple[str, ...]
    ueid: bytes
    checkin_interval_s: int
    enrolled_at: float
    licence_valid_until: str | None = None
    status: str = "active"
    last_bootcount: int | None = None
    last_iat: float | None = None
    last_seen_at: float | None = None
    lease_seq: int = 0


def _device(row: RowMapping) -> DeviceRow:
    return DeviceRow(
        device_id=row["device_id"],
        serial=row["serial"],
        model=row["model"],
        eccn=row["eccn"],
        licence=row["licence"],
        end_user=row["end_user"],
        permitted=tuple(json.loads(row["permitted"])),
        prohibited=tuple(json.loads(row["prohibited"])),
        ueid=bytes.fromhex(row["ueid"]),
        checkin_interval_s=row["checkin_interval_s"],
        enrolled_at=row["enrolled_at"],
        licence_valid_until=row["licence_valid_until"],
        status=row["status"],
        last_bootcount=row["last_bootcount"],
        last_iat=row["last_iat"],
        last_seen_at=row["last_seen_at"],
        lease_seq=row["lease_seq"],
    )


def _key_values(kid: bytes, owner: str, alg: int, pem: str, at: float) -> dict[str, Any]:
    return {"kid": kid.hex(), "device_id": owner, "alg": alg, "public_pem": pem, "added_at": at}


def key_owner(conn: Connection, kid: bytes) -> str | None:
    """The device or landmark a key id is registered to, if any."""
    row = conn.execute(
        select(device_keys.c.device_id).where(device_keys.c.kid == kid.hex())
    ).first()
    if row is not None:
        return f"device:{row.device_id}"
    row = conn.execute(select(landmarks.c.landmark_id).where(landmarks.c.kid == kid.hex())).first()
    return f"landmark:{row.landmark_id}" if row is not None else None


def enrol(engine: Engine, device: DeviceRow, kid: bytes, alg: int, pem: str) -> None:
    """Insert a device and its first key together; a key already known is refused."""
    with engine.begin() as conn:
        owner = key_owner(conn, kid)
        if owner is not None:
            raise IntegrityError(f"key {kid.hex()} is already registered to {owner}")
        if conn.execute(
            select(devices.c.device_id).where(devices.c.device_id == device.device_id)
        ).first():
            raise IntegrityError(f"device {device.device_id} is already enrolled")
        if conn.execute(
            select(devices.c.device_id).where(devices.c.ueid == device.ueid.hex())
        ).first():
            raise IntegrityError("a device with this ueid is already enrolled")
        values = {f: getattr(device, f) for f in DeviceRow.__dataclass_fields__}
        values.update(
            permitted=json.dumps(list(device.permitted)),
            prohibited=json.dumps(list(device.prohibited)),
            ueid=device.ueid.hex(),
        )
        conn.execute(insert(devices).values(**values))
        conn.execute(
            insert(device_keys).values(
                **_key_values(kid, device.device_id, alg, pem, device.enrolled_at)
            )
        )


def add_key(engine: Engine, device_id: str, kid: bytes, alg: int, pem: str, at: float) -> None:
    with engine.begin() as conn:
        get_device_conn(conn, device_id)
        owner = key_owner(conn, kid)
        if owner is not None:
            raise IntegrityError(f"key {kid.hex()} is already registered to {owner}")
        conn.execute(insert(device_keys).values(**_key_values(kid, device_id, alg, pem, at)))


def revoke_key(engine: Engine, kid: bytes, reason: str, at: float) -> str:
    """Revoke a device key; return its device id."""
    with engine.begin() as conn:
        row = (
            conn.execute(select(device_keys).where(device_keys.c.kid == kid.hex()))
            .mappings()
            .first()
        )
        if row is None or row["revoked_at"] is not None:
            raise NotFoundError(f"no active device key {kid.hex()}")
        conn.execute(
            update(device_keys)
            .where(device_keys.c.kid == kid.hex())
            .values(revoked_at=at, revoke_reason=reason)
        )
        return str(row["device_id"])


def device_key_rows(
    engine: Engine, *, kid: bytes | None = None, device_id: str | None = None
) -> list[RowMapping]:
    query = select(device_keys)
    if kid is not None:
        query = query.where(device_keys.c.kid == kid.hex())
    if device_id is not None:
        query = query.where(device_keys.c.device_id == device_id)
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(device_keys.c.added_at)).mappings())


def get_device_conn(conn: Connection, device_id: str) -> DeviceRow:
    row = conn.execute(select(devices).where(devices.c.device_id == device_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no device {device_id!r}")
    return _device(row)


def get_device(engine: Engine, device_id: str) -> DeviceRow:
    with engine.connect() as conn:
        return get_device_conn(conn, device_id)


def list_devices(engine: Engine) -> list[DeviceRow]:
    with engine.connect() as conn:
        return [
            _device(r)
            for r in conn.execute(select(devices).order_by(devices.c.device_id)).mappings()
        ]


def set_status(engine: Engine, device_id: str, status: str) -> None:
    with engine.begin() as conn:
        get_device_conn(conn, device_id)
        conn.execute(update(devices).where(devices.c.device_id == device_id).values(status=status))


def add_landmark(
    engine: Engine,
    landmark_id: str,
    lat: float,
    lon: float,
    kid: bytes,
    pem: str,
    min_processing_ms: float,
    at: float,
) -> None:
    with engine.begin() as conn:
        owner = key_owner(conn, kid)
        if owner is not None:
            raise IntegrityError(f"key {kid.hex()} is already registered to {owner}")
        if conn.execute(
            select(landmarks.c.landmark_id).where(landmarks.c.landmark_id == landmark_id)
        ).first():
            raise IntegrityError(f"landmark {landmark_id} exists")
        conn.execute(
            insert(landmarks).values(
                landmark_id=landmark_id,
                lat=lat,
                lon=lon,
                kid=kid.hex(),
                public_pem=pem,
                min_processing_ms=min_processing_ms,
                added_at=at,
            )
        )


def landmark_rows(
    engine: Engine, *, kid: bytes | None = None, landmark_id: str | None = None
) -> list[RowMapping]:
    query = select(landmarks)
    if kid is not None:
        query = query.where(landmarks.c.kid == kid.hex())
    if landmark_id is not None:
        query = query.where(landmarks.c.landmark_id == landmark_id)
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(landmarks.c.landmark_id)).mappings())


def set_landmark_slopes(engine: Engine, slopes: dict[str, float | None]) -> None:
    """Store per-landmark calibrations (``None`` clears one), all or nothing."""
    with engine.begin() as conn:
        for landmark_id, slope in slopes.items():
            conn.execute(
                update(landmarks)
                .where(landmarks.c.landmark_id == landmark_id)
                .values(slope_ms_per_km=slope)
            )


def revoke_landmark(engine: Engine, landmark_id: str, at: float) -> None:
    with engine.begin() as conn:
        result = conn.execute(
            update(landmarks)
            .where(landmarks.c.landmark_id == landmark_id, landmarks.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
    if result.rowcount == 0:
        raise NotFoundError(f"no active landmark {landmark_id!r}")


def issue_nonce(
    engine: Engine, device_id: str, nonce: bytes, issued_at: float, expires_at: float
) -> None:
    with engine.begin() as conn:
        get_device_conn(conn, device_id)
        conn.execute(
            insert(nonces).values(
                nonce=nonce.hex(), device_id=device_id, issued_at=issued_at, expires_at=expires_at
            )
        )


def nonce_row(engine: Engine, nonce: bytes) -> RowMapping | None:
    with engine.connect() as conn:
        return conn.execute(select(nonces).where(nonces.c.nonce == nonce.hex())).mappings().first()


@dataclass(frozen=True, slots=True)
class SignalRow:
    kind: str
    weight: float
    detail: dict[str, Any] = field(default_factory=dict)


class ReplayError(IntegrityError):
    """The nonce was consumed by a concurrent submission."""


def record_evidence(
    engine: Engine,
    row: dict[str, Any],
    *,
    new_signals: Sequence[SignalRow] = (),
    consume_nonce: bytes | None = None,
    device_update: dict[str, Any] | None = None,
) -> int:
    """Store one appraisal, its signals, the nonce it used and the device's new counters,
    all or nothing. Raises :class:`ReplayError` if the nonce was used meanwhile."""
    with engine.begin() as conn:
        if consume_nonce is not None:
            done = conn.execute(
                update(nonces)
                .where(nonces.c.nonce == consume_nonce.hex(), nonces.c.consumed_at.is_(None))
                .values(consumed_at=row["received_at"])
            )
            if done.rowcount != 1:
                raise ReplayError("nonce was used by a concurrent submission")
        inserted = conn.execute(insert(evidence).values(**row)).inserted_primary_key
        assert inserted is not None
        evidence_id = int(inserted[0])
        for s in new_signals:
            conn.execute(
                insert(signals).values(
                    device_id=row["device_id"],
                    at=row["received_at"],
                    kind=s.kind,
                    weight=s.weight,
                    detail=json.dumps(s.detail, default=str),
                    evidence_id=evidence_id,
                )
            )
        if device_update:
            conn.execute(
                update(devices)
                .where(devices.c.device_id == row["device_id"])
                .values(**device_update)
            )
        return evidence_id


def add_signals(engine: Engine, device_id: str, at: float, new: Sequence[SignalRow]) -> None:
    with engine.begin() as conn:
        for s in new:
            conn.execute(
                insert(signals).values(
                    device_id=device_id,
                    at=at,
                    kind=s.kind,
                    weight=s.weight,
                    detail=json.dumps(s.detail, default=str),
                )
            )


def evidence_rows(
    engine: Engine, device_id: str, *, accepted_only: bool = False, limit: int = 1000
) -> list[RowMapping]:
    """Newest first."""
    query = select(evidence).where(evidence.c.device_id == device_id)
    if accepted_only:
        query = query.where(evidence.c.accepted.is_(True))
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(evidence.c.id.desc()).limit(limit)).mappings())


def evidence_row(engine: Engine, evidence_id: int) -> RowMapping:
    with engine.connect() as conn:
        row = conn.execute(select(evidence).where(evidence.c.id == evidence_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no evidence {evidence_id}")
    return row


def signal_rows(
    engine: Engine, device_id: str | None = None, limit: int = 1000
) -> list[RowMapping]:
    query = select(signals)
    if device_id is not None:
        query = query.where(signals.c.device_id == device_id)
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(signals.c.id.desc()).limit(limit)).mappings())


def record_lease(
    engine: Engine,
    *,
    device_id: str,
    lease_id: bytes,
    seq: int,
    issued_at: float,
    expires_at: float,
    basis: str,
    evidence_id: int,
    token: str,
) -> None:
    """Store a lease, advancing the device's sequence number and spending the evidence;
    a concurrent lease for the same evidence or sequence number fails."""
    with engine.begin() as conn:
        spent = conn.execute(
            update(evidence)
            .where(evidence.c.id == evidence_id, evidence.c.lease_used.is_(False))
            .values(lease_used=True)
        )
        moved = conn.execute(
            update(devices)
            .where(devices.c.device_id == device_id, devices.c.lease_seq == seq - 1)
            .values(lease_seq=seq)
        )
        if spent.rowcount != 1 or moved.rowcount != 1:
            raise IntegrityError("evidence already spent on a lease, or a lease raced this one")
        conn.execute(
            insert(leases).values(
                lease_id=lease_id.hex(),
                device_id=device_id,
                seq=seq,
                issued_at=issued_at,
                expires_at=expires_at,
                basis=basis,
                evidence_id=evidence_id,
                token=token,
            )
        )


def lease_rows(engine: Engine, device_id: str, limit: int = 100) -> list[RowMapping]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(leases)
                .where(leases.c.device_id == device_id)
                .order_by(leases.c.seq.desc())
                .limit(limit)
            ).mappings()
        )


def add_override(
    engine: Engine,
    device_id: str,
    kind: str,
    reason: str,
    actor: str,
    granted_at: float,
    expires_at: float,
) -> int:
    with engine.begin() as conn:
        get_device_conn(conn, device_id)
        result = conn.execute(
            insert(overrides).values(
                device_id=device_id,
                kind=kind,
                reason=reason,
                actor=actor,
                granted_at=granted_at,
                expires_at=expires_at,
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])


def revoke_override(engine: Engine, override_id: int, at: float) -> str:
    with engine.begin() as conn:
        row = (
            conn.execute(select(overrides).where(overrides.c.id == override_id)).mappings().first()
        )
        if row is None or row["revoked_at"] is not None:
            raise NotFoundError(f"no active override {override_id}")
        conn.execute(update(overrides).where(overrides.c.id == override_id).values(revoked_at=at))
        return str(row["device_id"])


def active_overrides(engine: Engine, device_id: str, now: float) -> list[RowMapping]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(overrides)
                .where(
                    overrides.c.device_id == device_id,
                    overrides.c.revoked_at.is_(None),
                    overrides.c.expires_at > now,
                )
                .order_by(overrides.c.id)
            ).mappings()
        )
