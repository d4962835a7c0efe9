"""Operating leases: short signed permissions to keep running, renewed only while the
location verdict and the licence allow (RAND-style offline licensing; location.md §8).

There is no remote "off" command: a device that stops getting leases stops by itself
when the last one lapses, measured on its own monotonic clock from when it asked. A
lease is bound to the device (``sub``, ``ueid``), to a nonce the device chose for this
request (so an old or someone else's lease is useless), and to a sequence number that
must grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dualuse.tracking.claims import LeaseClaims
from dualuse.tracking.cose import TokenError, decode_sign1, sign1
from dualuse.tracking.keys import PublicKey, Signer


@dataclass(frozen=True, slots=True)
class Override:
    kind: str
    """``allow`` (run despite the verdict) or ``block`` (do not run despite it)."""
    expires_at: float
    reason: str


@dataclass(frozen=True, slots=True)
class LeaseDecision:
    granted: bool
    basis: str
    """``verdict``, ``override`` or ``denied``."""
    reasons: tuple[str, ...]
    duration_s: float = 0.0


def decide(
    *,
    now: float,
    today: date,
    device_active: bool,
    licence_valid_until: date | None,
    evidence_age_s: float,
    max_evidence_age_s: float,
    verdict_allows: bool,
    verdict_reasons: Sequence[str],
    blocking_signals: Sequence[str],
    overrides: Sequence[Override],
    ttl_s: float,
) -> LeaseDecision:
    """Grant a lease only for an active device under a valid licence, on fresh evidence,
    and either a verdict that allows operation with no blocking signal, or a human
    ``allow`` override (which never outlives itself). A ``block`` override always wins."""
    reasons: list[str] = []
    if not device_active:
        reasons.append("device is not active")
    if licence_valid_until is not None and today > licence_valid_until:
        reasons.append(f"licence expired on {licence_valid_until.isoformat()}")
    if evidence_age_s > max_evidence_age_s:
        reasons.append(f"evidence is {evidence_age_s:.0f} s old (limit {max_evidence_age_s:g} s)")
    blocks = [o for o in overrides if o.kind == "block" and o.expires_at > now]
    if blocks:
        reasons.append(f"blocked by an operator: {blocks[0].reason}")
    if reasons:
        return LeaseDecision(False, "denied", tuple(reasons))
    if verdict_allows and not blocking_signals:
        return LeaseDecision(True, "verdict", ("location verdict and licence allow",), ttl_s)
    allows = [o for o in overrides if o.kind == "allow" and o.expires_at > now]
    why = list(verdict_reasons) if not verdict_allows else []
    if blocking_signals:
        why.append("unresolved signals: " + ", ".join(blocking_signals))
    if allows:
        until = max(o.expires_at for o in allows)
        return LeaseDecision(
            True,
            "override",
            (f"operator override: {allows[-1].reason}", *why),
            max(0.0, min(ttl_s, until - now)),
        )
    return LeaseDecision(False, "denied", tuple(why) or ("location verdict does not allow",))


def sign_lease(claims: LeaseClaims, signer: Signer) -> bytes:
    return sign1(claims.encode(), signer)


def verify_lease(
    token: bytes,
    verifier: PublicKey,
    *,
    ueid: bytes,
    nonce: bytes,
    last_seq: int,
) -> LeaseClaims:
    """What the device checks before it believes a lease; raises :class:`TokenError`."""
    msg = decode_sign1(token)
    if msg.kid != verifier.kid or not msg.verify(verifier):
        raise TokenError("wrong_key", "lease is not signed by the verifier")
    claims = LeaseClaims.parse(msg.payload)
    if claims.ueid != ueid:
        raise TokenError("ueid_mismatch", "lease is for another device")
    if claims.nonce != nonce:
        raise TokenError("replayed_nonce", "lease answers another request")
    if claims.seq <= last_seq:
        raise TokenError("replayed_nonce", f"lease sequence {claims.seq} is not above {last_seq}")
    return claims
