"""Who is enrolled and which keys are trusted: devices (enrolled with their first key,
all or nothing), key rotation and revocation, status changes, landmarks with their
calibrations, and the key-owner check that keeps one key on one device or landmark."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from dualuse.errors import IntegrityError, NotFoundError
from dualuse.storage.tracking.tables import device_keys, devices, landmarks


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
