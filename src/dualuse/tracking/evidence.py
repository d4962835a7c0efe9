"""Appraising device evidence and landmark receipts (the RATS Verifier role, RFC 9334).

Order matters: nothing from a token is believed before its signature holds. Size, then
structure, then the key its ``kid`` names, then the signature, and only then the claims
(device, UEID, nonce, clock, boot counter). A revoked key is reported only after its
signature verifies, so nobody can frame a device by quoting its old key id.

Every outcome is an :class:`Accepted` or a :class:`Rejection` with a stable
:class:`Reason`; no input makes these functions raise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from dualuse.tracking.claims import EvidenceClaims, ReceiptClaims
from dualuse.tracking.cose import DEFAULT_MAX_BYTES, Sign1, TokenError, decode_sign1
from dualuse.tracking.keys import PublicKey


class Reason(StrEnum):
    OVERSIZED = "oversized"
    MALFORMED = "malformed"
    UNSUPPORTED_ALG = "unsupported_alg"
    UNKNOWN_KEY = "unknown_key"
    WRONG_KEY = "wrong_key"
    REVOKED_KEY = "revoked_key"
    BAD_CLAIMS = "bad_claims"
    DEVICE_INACTIVE = "device_inactive"
    UEID_MISMATCH = "ueid_mismatch"
    UNKNOWN_NONCE = "unknown_nonce"
    NONCE_FOR_OTHER_DEVICE = "nonce_for_other_device"
    REPLAYED_NONCE = "replayed_nonce"
    STALE_NONCE = "stale_nonce"
    CLOCK_SKEW = "clock_skew"
    BOOTCOUNT_ROLLBACK = "bootcount_rollback"
    RECEIPT_MISMATCH = "receipt_mismatch"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    kid: bytes
    owner: str
    """Device id (or landmark id) the key is registered to."""
    key: PublicKey
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class NonceRecord:
    nonce: bytes
    device_id: str
    issued_at: float
    expires_at: float
    consumed: bool = False


@dataclass(frozen=True, slots=True)
class DeviceState:
    device_id: str
    ueid: bytes
    active: bool = True
    last_bootcount: int | None = None
    last_iat: float | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    max_token_bytes: int = DEFAULT_MAX_BYTES
    max_skew_s: float = 300.0
    """How far a device's ``iat`` may stray from the verifier's clock."""


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Accepted:
    claims: EvidenceClaims
    kid: bytes
    device_id: str
    notes: tuple[str, ...] = ()
    """Facts worth a signal that do not reject the evidence: ``reboot``, ``clock_rollback``."""


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: Reason
    message: str
    kid: bytes | None = None
    key_owner: str | None = None
    """Owner of the key, set only when the signature verified with it."""
    claims: EvidenceClaims | None = None
    """Claims, set only when the signature verified."""


KeyLookup = Callable[[bytes], KeyRecord | None]
NonceLookup = Callable[[bytes], NonceRecord | None]


def _signed(token: bytes, keys: KeyLookup, limits: Limits) -> tuple[Sign1, KeyRecord] | Rejection:
    """Parse and check the signature against the key the ``kid`` names."""
    try:
        msg = decode_sign1(token, max_bytes=limits.max_token_bytes)
    except TokenError as exc:
        return Rejection(Reason(exc.reason), exc.message)
    if msg.kid is None:
        return Rejection(Reason.MALFORMED, "no kid in the header")
    record = keys(msg.kid)
    if record is None:
        return Rejection(Reason.UNKNOWN_KEY, f"no key {msg.kid.hex()} is registered", kid=msg.kid)
    if not msg.verify(record.key):
        return Rejection(
            Reason.WRONG_KEY, f"signature does not verify with key {msg.kid.hex()}", kid=msg.kid
        )
    return msg, record


def verify_evidence(
    token: bytes,
    *,
    device: DeviceState,
    keys: KeyLookup,
    nonces: NonceLookup,
    now: float,
    limits: Limits = DEFAULT_LIMITS,
) -> Accepted | Rejection:
    """Appraise one evidence token for ``device`` at time ``now`` (seconds)."""
    signed = _signed(token, keys, limits)
    if isinstance(signed, Rejection):
        return signed
    msg, record = signed
    kid = record.kid
    try:
        claims = EvidenceClaims.parse(msg.payload)
    except TokenError as exc:
        return Rejection(Reason.BAD_CLAIMS, exc.message, kid=kid, key_owner=record.owner)
    if record.revoked:
        return Rejection(
            Reason.REVOKED_KEY, f"key {kid.hex()} was revoked", kid, record.owner, claims
        )
    if record.owner != device.device_id:
        return Rejection(
            Reason.WRONG_KEY,
            f"key {kid.hex()} belongs to another device, not {device.device_id}",
            kid,
            record.owner,
            claims,
        )
    if claims.ueid != device.ueid:
        return Rejection(
            Reason.UEID_MISMATCH, "ueid differs from the enrolled one", kid, record.owner, claims
        )
    if not device.active:
        return Rejection(Reason.DEVICE_INACTIVE, "device is not active", kid, record.owner, claims)
    nonce = nonces(claims.nonce)
    if nonce is None:
        return Rejection(Reason.UNKNOWN_NONCE, "nonce was never issued", kid, record.owner, claims)
    if nonce.device_id != device.device_id:
        return Rejection(
            Reason.NONCE_FOR_OTHER_DEVICE,
            "nonce was issued to another device",
            kid,
            record.owner,
            claims,
        )
    if nonce.consumed:
        return Rejection(Reason.REPLAYED_NONCE, "nonce was already used", kid, record.owner, claims)
    if now > nonce.expires_at:
        return Rejection(
            Reason.STALE_NONCE,
            f"nonce expired {now - nonce.expires_at:.0f} s ago",
            kid,
            record.owner,
            claims,
        )
    if abs(claims.iat - now) > limits.max_skew_s:
        return Rejection(
            Reason.CLOCK_SKEW,
            f"device clock is off by {claims.iat - now:+.0f} s (limit {limits.max_skew_s:g} s)",
            kid,
            record.owner,
            claims,
        )
    if device.last_bootcount is not None and claims.bootcount < device.last_bootcount:
        return Rejection(
            Reason.BOOTCOUNT_ROLLBACK,
            f"bootcount {claims.bootcount} is below the last seen {device.last_bootcount}",
            kid,
            record.owner,
            claims,
        )
    notes: list[str] = []
    if device.last_bootcount is not None and claims.bootcount > device.last_bootcount:
        notes.append("reboot")
    if device.last_iat is not None and claims.iat < device.last_iat:
        notes.append("clock_rollback")
    return Accepted(claims, kid, device.device_id, tuple(notes))


@dataclass(frozen=True, slots=True)
class LandmarkRecord:
    landmark_id: str
    lat: float
    lon: float
    min_processing_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class TimedMeasurement:
    """An RTT a landmark signed for, after every check."""

    landmark_id: str
    lat: float
    lon: float
    rtt_ms: float
    min_processing_ms: float


def verify_receipt(
    receipt: bytes,
    response: bytes,
    *,
    session: bytes,
    device: DeviceState,
    device_key: PublicKey,
    landmark_keys: KeyLookup,
    landmarks: Callable[[str], LandmarkRecord | None],
    now: float,
    limits: Limits = DEFAULT_LIMITS,
) -> TimedMeasurement | Rejection:
    """Check a landmark's receipt and the device response it timed.

    The receipt must be signed by a registered, unrevoked landmark key, name that
    landmark, belong to this evidence session, and hash the response; the response must
    be signed by the device's key and answer the receipt's challenge.
    """
    signed = _signed(receipt, landmark_keys, limits)
    if isinstance(signed, Rejection):
        return signed
    msg, record = signed
    if record.revoked:
        return Rejection(Reason.REVOKED_KEY, "landmark key was revoked", record.kid, record.owner)
    try:
        claims = ReceiptClaims.parse(msg.payload)
    except TokenError as exc:
        return Rejection(Reason.BAD_CLAIMS, exc.message, record.kid)
    landmark = landmarks(claims.landmark)
    if landmark is None or claims.landmark != record.owner:
        return Rejection(Reason.RECEIPT_MISMATCH, "receipt names another landmark", record.kid)
    if claims.session != session:
        return Rejection(Reason.RECEIPT_MISMATCH, "receipt belongs to another session", record.kid)
    if hashlib.sha256(response).digest() != claims.response_sha256:
        return Rejection(Reason.RECEIPT_MISMATCH, "response does not match the receipt", record.kid)
    if abs(claims.iat - now) > limits.max_skew_s:
        return Rejection(Reason.CLOCK_SKEW, "receipt time is off the verifier clock", record.kid)
    try:
        answer = decode_sign1(response, max_bytes=limits.max_token_bytes)
    except TokenError as exc:
        return Rejection(Reason(exc.reason), f"response: {exc.message}")
    if answer.kid != device_key.kid or not answer.verify(device_key):
        return Rejection(Reason.WRONG_KEY, "response is not signed by the device key", answer.kid)
    try:
        reply = EvidenceClaims.parse(answer.payload)
    except TokenError as exc:
        return Rejection(Reason.BAD_CLAIMS, f"response: {exc.message}", answer.kid)
    if reply.nonce != claims.challenge:
        return Rejection(Reason.RECEIPT_MISMATCH, "response answers another challenge", answer.kid)
    if reply.ueid != device.ueid:
        return Rejection(Reason.UEID_MISMATCH, "response ueid differs", answer.kid)
    return TimedMeasurement(
        landmark.landmark_id,
        landmark.lat,
        landmark.lon,
        claims.rtt_us / 1000.0,
        landmark.min_processing_ms,
    )
