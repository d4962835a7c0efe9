"""Leasing: leases (each advancing the device's sequence number and spending one
evidence, atomically) and the human overrides that outrank a verdict until they expire."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import RowMapping

from dualuse.errors import IntegrityError, NotFoundError
from dualuse.storage.tracking.registry import get_device_conn
from dualuse.storage.tracking.tables import devices, evidence, leases, overrides


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
