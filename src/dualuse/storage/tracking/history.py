"""A device's history: nonces, appraised evidence and diversion signals. Evidence is
stored with the nonce it consumes, its signals and the device's new counters in one
transaction; single use is enforced with a conditional update (``... WHERE consumed_at
IS NULL``), which both databases make atomic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import RowMapping

from dualuse.errors import IntegrityError, NotFoundError
from dualuse.storage.tracking.registry import get_device_conn
from dualuse.storage.tracking.tables import devices, evidence, nonces, signals
from dualuse.tracking.locate import Location, Measurement
from dualuse.tracking.policy import PolicyVerdict


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


def fix_columns(
    location: Location, verdict: PolicyVerdict, measurements: Sequence[Measurement]
) -> dict[str, Any]:
    """The evidence-history columns of one located, judged check-in."""
    est = location.estimate
    return {
        "bound": location.bound.value,
        "verdict": verdict.verdict.value,
        "reasons": json.dumps(verdict.reasons),
        "possible_countries": json.dumps(location.possible_countries),
        "region_km2": location.region_km2,
        "estimate_lat": est[0] if est else None,
        "estimate_lon": est[1] if est else None,
        "allows_operation": verdict.allows_operation,
        "discs": json.dumps([[d.lat, d.lon, d.radius_km] for d in location.region.discs]),
        "measurements": json.dumps(
            [
                [m.landmark, m.landmark_lat, m.landmark_lon, m.rtt_ms, m.min_processing_ms]
                for m in measurements
            ]
        ),
    }


def stored_measurements(text: str) -> list[Measurement]:
    return [Measurement(m[1], m[2], m[3], m[0], m[4]) for m in json.loads(text)]
