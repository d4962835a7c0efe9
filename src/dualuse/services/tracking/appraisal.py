"""Tracking use cases of evidence: issue nonces, appraise a device's evidence and the
landmark receipts that came with it, locate and judge it, raise signals, store it all
in one transaction, and audit what an auditor would ask about."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dualuse.errors import InputError
from dualuse.services.tracking.core import SIGNALS, TrackingCore
from dualuse.storage import tracking as store
from dualuse.storage.tracking.history import fix_columns
from dualuse.tracking import signals as sig
from dualuse.tracking.evidence import (
    Accepted,
    DeviceState,
    KeyRecord,
    LandmarkRecord,
    NonceRecord,
    Reason,
    Rejection,
    TimedMeasurement,
    verify_evidence,
    verify_receipt,
)
from dualuse.tracking.keys import PublicKey
from dualuse.tracking.locate import Bound, Location, Measurement
from dualuse.tracking.policy import GeofencePolicy, PolicyVerdict, judge
from dualuse.tracking.region import Disc


@dataclass(frozen=True)
class EvidenceOutcome:
    evidence_id: int
    accepted: bool
    reason: str | None
    message: str
    verdict: PolicyVerdict | None = None
    location: Location | None = None
    measurements_used: int = 0
    measurements_rejected: tuple[tuple[int, str], ...] = ()
    signals: tuple[str, ...] = ()


class TrackingAppraisal(TrackingCore):
    """Nonces and evidence (part of :class:`TrackingService`)."""

    def issue_nonce(self, device_id: str, now: float | None = None) -> tuple[bytes, float]:
        """A fresh single-use 256-bit nonce, valid for ``nonce_ttl_s``."""
        now = time.time() if now is None else now
        nonce = secrets.token_bytes(32)
        expires = now + self.cfg.nonce_ttl_s
        store.issue_nonce(self.engine, device_id, nonce, now, expires)
        return nonce, expires

    def _device_key(self, kid: bytes) -> KeyRecord | None:
        rows = store.device_key_rows(self.engine, kid=kid)
        if not rows:
            return None
        r = rows[0]
        key = PublicKey.load(r["public_pem"])
        return KeyRecord(kid, str(r["device_id"]), key, r["revoked_at"] is not None)

    def _landmark_key(self, kid: bytes) -> KeyRecord | None:
        rows = store.landmark_rows(self.engine, kid=kid)
        if not rows:
            return None
        r = rows[0]
        key = PublicKey.load(r["public_pem"])
        return KeyRecord(kid, str(r["landmark_id"]), key, r["revoked_at"] is not None)

    def _landmark(self, landmark_id: str) -> LandmarkRecord | None:
        rows = store.landmark_rows(self.engine, landmark_id=landmark_id)
        if not rows or rows[0]["revoked_at"] is not None:
            return None
        r = rows[0]
        return LandmarkRecord(r["landmark_id"], r["lat"], r["lon"], r["min_processing_ms"])

    def _nonce(self, nonce: bytes) -> NonceRecord | None:
        r = store.nonce_row(self.engine, nonce)
        if r is None:
            return None
        consumed = r["consumed_at"] is not None
        return NonceRecord(nonce, r["device_id"], r["issued_at"], r["expires_at"], consumed)

    def submit_evidence(
        self,
        device_id: str,
        token: bytes,
        measurements: Sequence[tuple[bytes, bytes]] = (),
        *,
        now: float | None = None,
        actor: str = "device",
    ) -> EvidenceOutcome:
        """Appraise evidence and the landmark receipts that came with it; store the result.
        Only receipts that verify are located; rejected evidence is never located."""
        now = time.time() if now is None else now
        if len(measurements) > self.cfg.max_measurements:
            raise InputError(
                f"at most {self.cfg.max_measurements} measurements", source="measurements"
            )
        device = store.get_device(self.engine, device_id)
        state = DeviceState(
            device.device_id, device.ueid, device.status == "active",
            device.last_bootcount, device.last_iat,
        )  # fmt: skip
        base = {
            "device_id": device_id,
            "received_at": now,
            "token_sha256": hashlib.sha256(token).hexdigest(),
        }
        result = verify_evidence(
            token,
            device=state,
            keys=self._device_key,
            nonces=self._nonce,
            now=now,
            limits=self.limits,
        )
        if isinstance(result, Rejection):
            return self._reject(base, result, device_id, actor)
        device_key = self._device_key(result.kid)
        assert device_key is not None
        timed: list[TimedMeasurement] = []
        rejected: list[tuple[int, str]] = []
        for i, (receipt, response) in enumerate(measurements):
            checked = verify_receipt(
                receipt, response, session=result.claims.nonce, device=state,
                device_key=device_key.key, landmark_keys=self._landmark_key,
                landmarks=self._landmark, now=now, limits=self.limits,
            )  # fmt: skip
            if isinstance(checked, Rejection):
                rejected.append((i, f"{checked.reason.value}: {checked.message}"))
            else:
                timed.append(checked)
        return self._accept(base, result, device, timed, tuple(rejected), now, actor)

    def _reject(
        self, base: dict[str, Any], rejection: Rejection, device_id: str, actor: str
    ) -> EvidenceOutcome:
        found = sig.from_rejection(rejection, device_id)
        rows = [store.SignalRow(s.kind, SIGNALS.weight(s.kind), s.detail) for s in found]
        row = dict(
            base, accepted=False, reason=rejection.reason.value, message=rejection.message,
            kid=rejection.kid.hex() if rejection.kid else None,
        )  # fmt: skip
        evidence_id = store.record_evidence(self.engine, row, new_signals=rows)
        for s in found:
            if s.kind == "key_on_two_devices" and rejection.key_owner:
                other = store.SignalRow(s.kind, 1.0, {"presented_for": device_id})
                store.add_signals(self.engine, rejection.key_owner, base["received_at"], [other])
            self._audit(
                actor, "tracking.signal", f"device:{device_id}", kind=s.kind,
                evidence_id=evidence_id, **s.detail,
            )  # fmt: skip
        kinds = tuple(s.kind for s in found)
        reason = rejection.reason.value
        return EvidenceOutcome(evidence_id, False, reason, rejection.message, signals=kinds)

    def _previous_fix(self, device_id: str) -> tuple[list[Disc], float] | None:
        for r in store.evidence_rows(self.engine, device_id, accepted_only=True, limit=20):
            if r["discs"]:
                return [Disc(a, b, c) for a, b, c in json.loads(r["discs"])], r["received_at"]
        return None

    def _accept(
        self,
        base: dict[str, Any],
        result: Accepted,
        device: store.DeviceRow,
        timed: list[TimedMeasurement],
        rejected: tuple[tuple[int, str], ...],
        now: float,
        actor: str,
    ) -> EvidenceOutcome:
        claims = result.claims
        found = sig.from_notes(result.notes)
        missed = sig.missed_checkins(device.last_seen_at, now, device.checkin_interval_s)
        if missed:
            found.append(sig.Signal("missed_checkin", {"intervals": missed}))
        gps = claims.location
        row = dict(
            base, accepted=True, reason=None, message="accepted", kid=result.kid.hex(),
            iat=claims.iat, bootcount=claims.bootcount, claims=json.dumps(claims.to_json()),
            gps_lat=gps.lat if gps else None, gps_lon=gps.lon if gps else None,
        )  # fmt: skip
        location = verdict = None
        if timed:
            measurements = [
                Measurement(t.lat, t.lon, t.rtt_ms, t.landmark_id, t.min_processing_ms)
                for t in timed
            ]
            claimed = (gps.lat, gps.lon, gps.accuracy_m / 1000.0) if gps else None
            bound = Bound.parse(self.cfg.bound)
            calibration = self._calibration() if bound is Bound.CALIBRATED else None
            location = self.locator.locate(
                measurements, bound, claimed=claimed, calibration=calibration
            )
            verdict = judge(location, GeofencePolicy.build(device.prohibited, device.permitted))
            found += sig.location_signals(
                location, verdict, permitted=device.permitted, now=now,
                previous=self._previous_fix(device.device_id), max_speed_kmh=self.cfg.max_speed_kmh,
            )  # fmt: skip
            row.update(fix_columns(location, verdict, measurements))
        rows = [store.SignalRow(s.kind, SIGNALS.weight(s.kind), s.detail) for s in found]
        counters = {
            "last_bootcount": claims.bootcount,
            "last_iat": max(claims.iat, device.last_iat or 0.0),
            "last_seen_at": now,
        }
        try:
            evidence_id = store.record_evidence(
                self.engine,
                row,
                new_signals=rows,
                consume_nonce=claims.nonce,
                device_update=counters,
            )
        except store.ReplayError:
            replay = Rejection(Reason.REPLAYED_NONCE, "nonce was already used")
            return self._reject(base, replay, device.device_id, actor)
        subject = f"device:{device.device_id}"
        if verdict is not None and verdict.verdict.value in ("violation", "inconsistent"):
            self._audit(
                "verifier", f"tracking.verdict.{verdict.verdict.value}", subject,
                evidence_id=evidence_id, reasons=list(verdict.reasons),
            )  # fmt: skip
        for s in found:
            if SIGNALS.FEATURES[s.kind].blocks_lease:
                self._audit(
                    "verifier", "tracking.signal", subject, kind=s.kind, evidence_id=evidence_id,
                    **s.detail,
                )  # fmt: skip
        kinds = tuple(s.kind for s in found)
        return EvidenceOutcome(
            evidence_id, True, None, "accepted", verdict, location, len(timed), rejected, kinds
        )
