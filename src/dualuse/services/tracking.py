"""Tracking use cases: enrol devices and landmarks, issue nonces, appraise evidence,
locate, judge, raise signals, grant or deny leases, record human overrides.

Every state change is stored transactionally (``dualuse.storage.tracking``); every
decision an auditor would ask about (enrolment, keys, verdicts that accuse, blocking
signals, leases granted or denied, overrides) goes to the hash-chained audit log.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from dualuse.errors import InputError, IntegrityError, NotFoundError
from dualuse.reference.ids.eccn import ECCN
from dualuse.settings import Settings, TrackingSettings
from dualuse.storage import apikeys, audit
from dualuse.storage import tracking as store
from dualuse.storage.files import atomic_write_bytes
from dualuse.tracking import report
from dualuse.tracking import signals as sig
from dualuse.tracking.calibration import Bestline, calibrate_places
from dualuse.tracking.claims import LeaseClaims, b64, check_ueid
from dualuse.tracking.evidence import (
    Accepted,
    DeviceState,
    KeyRecord,
    LandmarkRecord,
    Limits,
    NonceRecord,
    Reason,
    Rejection,
    TimedMeasurement,
    verify_evidence,
    verify_receipt,
)
from dualuse.tracking.keys import PublicKey, Signer
from dualuse.tracking.lease import Override, decide, sign_lease
from dualuse.tracking.locate import Bound, LatencyLocator, Location, Measurement, check_measurement
from dualuse.tracking.policy import GeofencePolicy, PolicyVerdict, judge
from dualuse.tracking.region import Disc
from dualuse.tracking.world import CountryIndex, World, load_world

SIGNALS = sig.DiversionSignals()


def locator_for(cfg: TrackingSettings, world: World | None = None) -> LatencyLocator:
    world = world or load_world(cfg.countries_file)
    index = CountryIndex(world, cfg.border_buffer_km)
    return LatencyLocator(world, index=index, max_level=cfg.max_level)


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


@dataclass(frozen=True)
class LeaseOutcome:
    granted: bool
    basis: str
    reasons: tuple[str, ...]
    token: bytes | None = None
    lease_id: str | None = None
    seq: int | None = None
    expires_at: float | None = None


@dataclass
class TrackingService:
    engine: Engine
    settings: Settings
    world: World | None = None
    _locator: LatencyLocator | None = field(default=None, repr=False)

    @property
    def cfg(self) -> TrackingSettings:
        return self.settings.tracking

    @property
    def locator(self) -> LatencyLocator:
        if self._locator is None:
            self._locator = locator_for(self.cfg, self.world)
        return self._locator

    @property
    def limits(self) -> Limits:
        return Limits(max_token_bytes=self.cfg.max_token_bytes, max_skew_s=self.cfg.max_skew_s)

    def _audit(self, actor: str, action: str, subject: str, **payload: Any) -> None:
        audit.append(self.engine, actor=actor, action=action, subject=subject, payload=payload)

    def lease_signer(self) -> Signer:
        """The verifier's lease key, created (mode 0600) on first use."""
        path = self.cfg.lease_key_file or self.settings.home / "tracking" / "lease-key.pem"
        if path.exists():
            return Signer.load_pem(path.read_bytes(), source=str(path))
        signer = Signer.generate()
        atomic_write_bytes(path, signer.pem())
        os.chmod(path, 0o600)
        return signer

    # -- registry ------------------------------------------------------------------------

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
            device_id=device_id or f"dev_{secrets.token_hex(5)}",
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

    def _calibration(self) -> dict[str, Bestline]:
        return {
            str(r["landmark_id"]): Bestline(r["slope_ms_per_km"], 0.0, 0)
            for r in store.landmark_rows(self.engine)
            if r["slope_ms_per_km"] is not None
        }

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

    # -- evidence --------------------------------------------------------------------------

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
            row.update(report.fix_columns(location, verdict, measurements))
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

    # -- leases and overrides ----------------------------------------------------------------

    def request_lease(
        self,
        device_id: str,
        evidence_id: int,
        lease_nonce: bytes,
        *,
        now: float | None = None,
        actor: str = "device",
    ) -> LeaseOutcome:
        """Grant or deny a lease on the strength of one accepted, fresh, unspent evidence."""
        now = time.time() if now is None else now
        if not 8 <= len(lease_nonce) <= 64:
            raise InputError("lease nonce must be 8-64 bytes", source="lease_nonce")
        device = store.get_device(self.engine, device_id)
        ev = store.evidence_row(self.engine, evidence_id)
        if ev["device_id"] != device_id:
            raise NotFoundError(f"no evidence {evidence_id} for device {device_id}")
        if not ev["accepted"] or ev["lease_used"]:
            why = f"rejected ({ev['reason']})" if not ev["accepted"] else "already backed a lease"
            raise InputError(f"evidence {evidence_id} {why}", source="evidence_id")
        window = now - self.cfg.signal_window_s
        recent = store.signal_rows(self.engine, device_id)
        blocking = SIGNALS.blocking(r["kind"] for r in recent if r["at"] >= window)
        overrides = [
            Override(r["kind"], r["expires_at"], r["reason"])
            for r in store.active_overrides(self.engine, device_id, now)
        ]
        until = device.licence_valid_until
        verdict_reasons = json.loads(ev["reasons"]) if ev["reasons"] else ["no landmark timings"]
        decision = decide(
            now=now, today=datetime.fromtimestamp(now, UTC).date(),
            device_active=device.status == "active",
            licence_valid_until=date.fromisoformat(until) if until else None,
            evidence_age_s=now - ev["received_at"], max_evidence_age_s=self.cfg.max_evidence_age_s,
            verdict_allows=bool(ev["allows_operation"]), verdict_reasons=verdict_reasons,
            blocking_signals=blocking, overrides=overrides, ttl_s=self.cfg.lease_ttl_s,
        )  # fmt: skip
        subject = f"device:{device_id}"
        if not decision.granted:
            reasons = list(decision.reasons)
            self._audit(
                actor, "tracking.lease.deny", subject, evidence_id=evidence_id, reasons=reasons
            )
            return LeaseOutcome(False, decision.basis, decision.reasons)
        seq = device.lease_seq + 1
        claims = LeaseClaims(
            self.cfg.verifier_name, device_id, device.ueid, lease_nonce, now,
            now + decision.duration_s, secrets.token_bytes(16), seq, decision.basis,
        )  # fmt: skip
        token = sign_lease(claims, self.lease_signer())
        store.record_lease(
            self.engine, device_id=device_id, lease_id=claims.lease_id, seq=seq, issued_at=now,
            expires_at=claims.exp, basis=decision.basis, evidence_id=evidence_id, token=b64(token),
        )  # fmt: skip
        self._audit(
            actor, "tracking.lease.issue", subject, lease_id=claims.lease_id.hex(), seq=seq,
            basis=decision.basis, expires_at=claims.exp, evidence_id=evidence_id,
        )  # fmt: skip
        lease_id = claims.lease_id.hex()
        return LeaseOutcome(
            True, decision.basis, decision.reasons, token, lease_id, seq, claims.exp
        )

    def override(
        self, device_id: str, kind: str, reason: str, duration_s: float, *, actor: str
    ) -> int:
        """A human decision that outranks the verdict until it expires; audited."""
        if kind not in ("allow", "block"):
            raise InputError(
                f"override kind {kind!r}", source="kind", suggestions=["allow", "block"]
            )
        if not reason.strip():
            raise InputError("an override needs a reason", source="reason")
        if not 0 < duration_s <= self.cfg.max_override_s:
            raise InputError(
                f"duration must be in (0, {self.cfg.max_override_s:g}] s", source="duration"
            )
        now = time.time()
        oid = store.add_override(
            self.engine, device_id, kind, reason.strip(), actor, now, now + duration_s
        )
        self._audit(
            actor, f"tracking.override.{kind}", f"device:{device_id}", override_id=oid,
            reason=reason.strip(), expires_at=now + duration_s,
        )  # fmt: skip
        return oid

    def revoke_override(self, override_id: int, *, actor: str) -> None:
        device_id = store.revoke_override(self.engine, override_id, time.time())
        self._audit(
            actor, "tracking.override.revoke", f"device:{device_id}", override_id=override_id
        )

    # -- views ---------------------------------------------------------------------------------

    def device_location(
        self, device_id: str, evidence_id: int | None = None
    ) -> tuple[Location, Any]:
        """Recompute the region of a stored fix (the latest, or ``evidence_id``) for a map."""
        for row in store.evidence_rows(self.engine, device_id, accepted_only=True):
            if row["measurements"] and evidence_id in (None, row["id"]):
                break
        else:
            raise NotFoundError(f"no located evidence for {device_id}")
        claimed = None
        if row["gps_lat"] is not None:
            accuracy = json.loads(row["claims"]).get("location", {}).get("accuracy", 0.0)
            claimed = (row["gps_lat"], row["gps_lon"], float(accuracy) / 1000.0)
        measurements = report.stored_measurements(row["measurements"])
        bound = Bound(row["bound"])
        calibration = self._calibration() if bound is Bound.CALIBRATED else None
        location = self.locator.locate(
            measurements, bound, claimed=claimed, calibration=calibration
        )
        return location, row

    def landmarks(self) -> list[dict[str, Any]]:
        keys = ("landmark_id", "lat", "lon", "kid", "min_processing_ms", "slope_ms_per_km")
        return [
            {k: r[k] for k in keys} | {"revoked_at": r["revoked_at"]}
            for r in store.landmark_rows(self.engine)
        ]

    def fleet(self, now: float | None = None) -> list[dict[str, Any]]:
        """Every device with its last verdict, lease, missed check-ins and risk."""
        now = time.time() if now is None else now
        out = []
        for d in store.list_devices(self.engine):
            last = store.evidence_rows(self.engine, d.device_id, accepted_only=True, limit=1)
            window = now - self.cfg.signal_window_s
            signals = store.signal_rows(self.engine, d.device_id)
            kinds = [r["kind"] for r in signals if r["at"] >= window]
            missed = sig.missed_checkins(d.last_seen_at, now, d.checkin_interval_s)
            if missed:
                kinds.append("missed_checkin")
            risk, _parts = SIGNALS.score(kinds)
            lease = store.lease_rows(self.engine, d.device_id, limit=1)
            out.append(
                device_view(d)
                | {
                    "missed_checkins": missed,
                    "last_verdict": last[0]["verdict"] if last else None,
                    "lease_expires_at": lease[0]["expires_at"] if lease else None,
                    "lease_active": bool(lease and lease[0]["expires_at"] > now),
                    "risk": round(risk, 3),
                    "signals": sorted(set(kinds)),
                }
            )
        return out

    def history(self, device_id: str, limit: int = 200) -> dict[str, Any]:
        """A device's record, keys, evidence, signals and leases, newest first."""
        d = store.get_device(self.engine, device_id)
        keys = store.device_key_rows(self.engine, device_id=device_id)
        return {
            "device": device_view(d),
            "keys": [
                {"kid": k["kid"], "alg": k["alg"], "revoked_at": k["revoked_at"]} for k in keys
            ],
            "evidence": [
                report.evidence_view(r)
                for r in store.evidence_rows(self.engine, device_id, limit=limit)
            ],
            "signals": [
                report.signal_view(r) for r in store.signal_rows(self.engine, device_id, limit)
            ],
            "leases": [
                report.lease_view(r) for r in store.lease_rows(self.engine, device_id, limit)
            ],
        }


def device_view(d: store.DeviceRow) -> dict[str, Any]:
    return asdict(d) | {
        "ueid": d.ueid.hex(),
        "permitted": list(d.permitted),
        "prohibited": list(d.prohibited),
    }


class LocalTransport:
    """The simulator's transport straight into a service (no HTTP), for tests and demos."""

    def __init__(self, service: TrackingService) -> None:
        self.service = service

    def nonce(self, device_id: str) -> bytes:
        return self.service.issue_nonce(device_id)[0]

    def evidence(
        self, device_id: str, token: bytes, measurements: Sequence[tuple[bytes, bytes]]
    ) -> dict[str, Any]:
        out = self.service.submit_evidence(device_id, token, measurements)
        verdict = out.verdict.verdict.value if out.verdict else None
        return {
            "evidence_id": out.evidence_id,
            "accepted": out.accepted,
            "reason": out.reason,
            "verdict": verdict,
        }

    def lease(self, device_id: str, evidence_id: int, lease_nonce: bytes) -> dict[str, Any]:
        out = self.service.request_lease(device_id, evidence_id, lease_nonce)
        return {"granted": out.granted, "token": out.token, "reasons": list(out.reasons)}
