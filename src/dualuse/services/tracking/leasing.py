"""Tracking use cases of leases: grant or deny a lease on one accepted, fresh, unspent
evidence, and record or revoke the human overrides that outrank a verdict; audited."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from dualuse.errors import InputError, NotFoundError
from dualuse.services.tracking.core import SIGNALS, TrackingCore
from dualuse.storage import tracking as store
from dualuse.tracking.claims import LeaseClaims, b64
from dualuse.tracking.lease import Override, decide, sign_lease


@dataclass(frozen=True)
class LeaseOutcome:
    granted: bool
    basis: str
    reasons: tuple[str, ...]
    token: bytes | None = None
    lease_id: str | None = None
    seq: int | None = None
    expires_at: float | None = None


class TrackingLeasing(TrackingCore):
    """Leases and overrides (part of :class:`TrackingService`)."""

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
