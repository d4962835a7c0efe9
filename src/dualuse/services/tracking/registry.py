"""Tracking use cases of the registry: enrol devices and give them API keys, add and
revoke device keys, register, calibrate and revoke landmarks, set a device's status.
Every change is audited."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Sequence
from datetime import date

from dualuse.errors import InputError, IntegrityError
from dualuse.reference.ids.eccn import ECCN
from dualuse.services.tracking.core import TrackingCore
from dualuse.storage import apikeys, audit
from dualuse.storage import tracking as store
from dualuse.tracking.calibration import calibrate_places
from dualuse.tracking.claims import check_ueid
from dualuse.tracking.keys import PublicKey
from dualuse.tracking.locate import Measurement, check_measurement
from dualuse.tracking.policy import GeofencePolicy

DEVICE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""A device id is one URL path segment (``/v1/tracking/devices/{device_id}/...``):
letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit, at most 64."""


def check_device_id(device_id: str) -> str:
    """Refuse ids that no route could serve (``../../x``, spaces, slashes, ``..``)."""
    if not re.fullmatch(DEVICE_ID_PATTERN, device_id):
        raise InputError(
            f"device id {device_id[:80]!r} is not 1-64 letters, digits, '.', '_' or '-' "
            "starting with a letter or digit",
            source="device_id",
        )
    return device_id


class TrackingRegistry(TrackingCore):
    """Devices, keys and landmarks (part of :class:`TrackingService`)."""

    def issue_device_api_key(self, device_id: str, *, actor: str) -> str:
        """An API key with the device role, bound to this device only; shown once."""
        store.get_device(self.engine, device_id)
        key_id, key = apikeys.create_key(
            self.engine,
            f"device {device_id}",
            frozenset({apikeys.Role.DEVICE}),
            scope=f"device:{device_id}",
        )
        audit.append(
            self.engine,
            actor=actor,
            action="apikey.create",
            subject=f"apikey:{key_id}",
            payload={"device_id": device_id, "roles": "device"},
        )
        return key

    def enrol(
        self,
        *,
        serial: str,
        model: str,
        eccn: str,
        licence: str,
        end_user: str,
        prohibited: Sequence[str],
        public_key: PublicKey,
        actor: str,
        permitted: Sequence[str] = (),
        ueid: bytes | None = None,
        device_id: str | None = None,
        licence_valid_until: date | None = None,
        checkin_interval_s: int | None = None,
    ) -> store.DeviceRow:
        """Register a device, its licence terms and its first key, all or nothing."""
        fields = {"serial": serial, "model": model, "licence": licence, "end_user": end_user}
        for name, value in fields.items():
            if not value.strip():
                raise InputError(f"{name} is required", source=name)
        policy = GeofencePolicy.build(prohibited, permitted)
        if not policy.prohibited:
            raise InputError("name at least one prohibited country", source="prohibited")
        row = store.DeviceRow(
            device_id=check_device_id(device_id) if device_id else f"dev_{secrets.token_hex(5)}",
            serial=serial.strip(),
            model=model.strip(),
            eccn=str(ECCN.parse(eccn)),
            licence=licence.strip(),
            end_user=end_user.strip(),
            permitted=policy.permitted,
            prohibited=tuple(sorted(policy.prohibited)),
            ueid=check_ueid(ueid) if ueid is not None else b"\x01" + secrets.token_bytes(16),
            checkin_interval_s=checkin_interval_s or self.cfg.checkin_interval_s,
            enrolled_at=time.time(),
            licence_valid_until=licence_valid_until.isoformat() if licence_valid_until else None,
        )
        try:
            store.enrol(self.engine, row, public_key.kid, int(public_key.alg), public_key.pem())
        except IntegrityError:
            self._flag_shared_key(public_key.kid, f"enrolment of {row.device_id}")
            raise
        self._audit(
            actor, "tracking.device.enrol", f"device:{row.device_id}", serial=row.serial,
            eccn=row.eccn, licence=row.licence, end_user=row.end_user, kid=public_key.kid.hex(),
            prohibited=list(row.prohibited), permitted=list(row.permitted),
        )  # fmt: skip
        return row

    def _flag_shared_key(self, kid: bytes, context: str) -> None:
        """A known key presented again: signal on the device that owns it."""
        rows = store.device_key_rows(self.engine, kid=kid)
        if not rows:
            return
        owner = str(rows[0]["device_id"])
        detail = {"kid": kid.hex(), "context": context}
        signal = store.SignalRow("key_on_two_devices", 1.0, detail)
        store.add_signals(self.engine, owner, time.time(), [signal])
        self._audit("verifier", "tracking.signal", f"device:{owner}", kind=signal.kind, **detail)

    def add_key(self, device_id: str, key: PublicKey, *, actor: str) -> None:
        try:
            store.add_key(self.engine, device_id, key.kid, int(key.alg), key.pem(), time.time())
        except IntegrityError:
            self._flag_shared_key(key.kid, f"key added to {device_id}")
            raise
        self._audit(actor, "tracking.key.add", f"device:{device_id}", kid=key.kid.hex())

    def revoke_key(self, kid_hex: str, reason: str, *, actor: str) -> str:
        try:
            kid = bytes.fromhex(kid_hex.strip())
        except ValueError as exc:
            raise InputError("kid must be hex", source="kid") from exc
        device_id = store.revoke_key(self.engine, kid, reason, time.time())
        self._audit(actor, "tracking.key.revoke", f"device:{device_id}", kid=kid_hex, reason=reason)
        return device_id

    def add_landmark(
        self,
        landmark_id: str,
        lat: float,
        lon: float,
        key: PublicKey,
        *,
        actor: str,
        min_processing_ms: float = 0.0,
    ) -> None:
        if not landmark_id.strip() or len(landmark_id) > 100:
            raise InputError("landmark id must be 1-100 characters", source="landmark_id")
        check_measurement(
            Measurement(lat, lon, 0.0, landmark_id, min_processing_ms), where=landmark_id
        )
        store.add_landmark(
            self.engine, landmark_id, lat, lon, key.kid, key.pem(), min_processing_ms, time.time()
        )
        self._audit(
            actor, "tracking.landmark.add", f"landmark:{landmark_id}", lat=lat, lon=lon,
            kid=key.kid.hex(),
        )  # fmt: skip

    def calibrate_landmarks(
        self, rtts: Sequence[tuple[str, str, float]], *, actor: str
    ) -> dict[str, float | None]:
        """Per-landmark max-speed calibration from RTTs between registered landmarks;
        used when the bound is ``calibrated``. Landmarks with fewer than 3 pairs get none."""
        rows = [r for r in store.landmark_rows(self.engine) if r["revoked_at"] is None]
        places = {str(r["landmark_id"]): (float(r["lat"]), float(r["lon"])) for r in rows}
        fits = calibrate_places(places, rtts)
        slopes = {k: (b.slope_ms_per_km if b else None) for k, b in fits.items()}
        store.set_landmark_slopes(self.engine, slopes)
        fitted = sum(v is not None for v in slopes.values())
        self._audit(
            actor, "tracking.landmark.calibrate", "landmarks", fitted=fitted, pairs=len(rtts)
        )
        return slopes

    def set_status(self, device_id: str, status: str, *, actor: str) -> None:
        """Suspend, retire or reactivate a device; evidence from an inactive one is refused."""
        if status not in ("active", "suspended", "retired"):
            raise InputError(
                f"status {status!r}",
                source="status",
                suggestions=["active", "suspended", "retired"],
            )
        store.set_status(self.engine, device_id, status)
        self._audit(actor, "tracking.device.status", f"device:{device_id}", status=status)

    def revoke_landmark(self, landmark_id: str, *, actor: str) -> None:
        store.revoke_landmark(self.engine, landmark_id, time.time())
        self._audit(actor, "tracking.landmark.revoke", f"landmark:{landmark_id}")
