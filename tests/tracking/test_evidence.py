"""Evidence appraisal: each way to fail has its own reason, and nothing is believed before
its signature verifies."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.tracking.claims import EvidenceClaims, GpsFix, ReceiptClaims
from dualuse.tracking.cose import decode_sign1, sign1
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
from dualuse.tracking.keys import Alg, Signer

NOW = 1_800_000_000.0
UEID = b"\x01" + bytes(range(16))


@dataclass
class World:
    device: Signer = field(default_factory=Signer.generate)
    other: Signer = field(default_factory=Signer.generate)
    landmark: Signer = field(default_factory=lambda: Signer.generate(Alg.ES256))
    keys: dict[bytes, KeyRecord] = field(default_factory=dict)
    nonces: dict[bytes, NonceRecord] = field(default_factory=dict)
    state: DeviceState = field(default_factory=lambda: DeviceState("dev1", UEID, True, 5, NOW - 60))

    def __post_init__(self) -> None:
        self.keys[self.device.kid] = KeyRecord(self.device.kid, "dev1", self.device.public)
        self.keys[self.other.kid] = KeyRecord(self.other.kid, "dev2", self.other.public)

    def nonce(self, device: str = "dev1", issued: float = NOW - 5, ttl: float = 120) -> bytes:
        n = os.urandom(32)
        self.nonces[n] = NonceRecord(n, device, issued, issued + ttl)
        return n

    def token(self, signer: Signer | None = None, **changes) -> bytes:  # type: ignore[no-untyped-def]
        claims = EvidenceClaims(
            self.nonce(), UEID, NOW, 5, hashlib.sha256(b"fw").digest(), GpsFix(48.1, 11.6, 20)
        )
        return sign1(replace(claims, **changes).encode(), signer or self.device)

    def verify(self, token: bytes, now: float = NOW) -> Accepted | Rejection:
        return verify_evidence(
            token, device=self.state, keys=self.keys.get, nonces=self.nonces.get, now=now
        )


def test_good_evidence_is_accepted() -> None:
    w = World()
    result = w.verify(w.token())
    assert isinstance(result, Accepted) and result.notes == ()
    assert result.claims.location == GpsFix(48.1, 11.6, 20)


def test_reboot_and_clock_rollback_are_noted_not_rejected() -> None:
    w = World()
    result = w.verify(w.token(bootcount=6, iat=NOW - 120))
    assert isinstance(result, Accepted) and result.notes == ("reboot", "clock_rollback")


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda w: w.token()[:-10], Reason.MALFORMED),
        (lambda w: b"\xff" * 10_000, Reason.OVERSIZED),
        (lambda w: w.token(Signer.generate()), Reason.UNKNOWN_KEY),
        (lambda w: w.token(bootcount=4), Reason.BOOTCOUNT_ROLLBACK),
        (lambda w: w.token(iat=NOW + 3600), Reason.CLOCK_SKEW),
        (lambda w: w.token(iat=NOW - 3600), Reason.CLOCK_SKEW),
        (lambda w: w.token(nonce=os.urandom(32)), Reason.UNKNOWN_NONCE),
        (lambda w: w.token(nonce=w.nonce("dev2")), Reason.NONCE_FOR_OTHER_DEVICE),
        (lambda w: w.token(nonce=w.nonce(issued=NOW - 500)), Reason.STALE_NONCE),
        (lambda w: w.token(ueid=b"\x01" + bytes(16)), Reason.UEID_MISMATCH),
        (lambda w: w.token(w.other), Reason.WRONG_KEY),
    ],
)
def test_each_failure_has_its_reason(build, reason: Reason) -> None:  # type: ignore[no-untyped-def]
    w = World()
    result = w.verify(build(w))
    assert isinstance(result, Rejection), result
    assert result.reason is reason
    assert result.message


def test_replayed_nonce() -> None:
    w = World()
    token = w.token()
    nonce = EvidenceClaims.parse(decode_sign1(token).payload).nonce
    w.nonces[nonce] = replace(w.nonces[nonce], consumed=True)
    result = w.verify(token)
    assert isinstance(result, Rejection) and result.reason is Reason.REPLAYED_NONCE


def test_forged_signature_with_a_real_kid() -> None:
    """Same kid, wrong signer: the kid header is not protected against lying, the
    signature is."""
    import cbor2

    w = World()
    impostor = Signer.generate()
    payload = EvidenceClaims(w.nonce(), UEID, NOW, 5).encode()
    protected = cbor2.dumps({1: -8, 4: w.device.kid})
    from dualuse.tracking.cose import sig_structure

    forged = cbor2.dumps([protected, {}, payload, impostor.sign(sig_structure(protected, payload))])
    result = w.verify(forged)
    assert isinstance(result, Rejection) and result.reason is Reason.WRONG_KEY
    assert result.key_owner is None and result.claims is None  # nothing believed


def test_revoked_key_is_reported_only_with_a_valid_signature() -> None:
    w = World()
    w.keys[w.device.kid] = replace(w.keys[w.device.kid], revoked=True)
    result = w.verify(w.token())
    assert isinstance(result, Rejection) and result.reason is Reason.REVOKED_KEY
    assert result.key_owner == "dev1"


def test_inactive_device() -> None:
    w = World()
    w.state = replace(w.state, active=False)
    result = w.verify(w.token())
    assert isinstance(result, Rejection) and result.reason is Reason.DEVICE_INACTIVE


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_never_accepts_and_never_raises(data: bytes) -> None:
    w = World()
    result = w.verify(data)
    assert isinstance(result, Rejection)
    assert result.claims is None


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_token_verifies_only_unmodified(data: st.DataObject) -> None:
    w = World()
    token = bytearray(w.token())
    assert isinstance(w.verify(bytes(token)), Accepted)
    i = data.draw(st.integers(0, len(token) - 1))
    token[i] ^= data.draw(st.integers(1, 255))
    assert isinstance(w.verify(bytes(token)), Rejection)


def _receipt(
    w: World,
    session: bytes,
    *,
    landmark: str = "lm1",
    rtt_us: int = 4200,
    response: bytes | None = None,
    challenge: bytes | None = None,
) -> tuple[bytes, bytes]:
    challenge = challenge or os.urandom(32)
    response = response or sign1(EvidenceClaims(challenge, UEID, NOW, 5).encode(), w.device)
    claims = ReceiptClaims(
        landmark, session, challenge, rtt_us, hashlib.sha256(response).digest(), NOW
    )
    return sign1(claims.encode(), w.landmark), response


def _check(w: World, receipt: bytes, response: bytes, session: bytes, revoked: bool = False):  # type: ignore[no-untyped-def]
    keys = {w.landmark.kid: KeyRecord(w.landmark.kid, "lm1", w.landmark.public, revoked)}
    landmarks = {"lm1": LandmarkRecord("lm1", 48.14, 11.58, 0.5)}
    return verify_receipt(
        receipt,
        response,
        session=session,
        device=w.state,
        device_key=w.device.public,
        landmark_keys=keys.get,
        landmarks=landmarks.get,
        now=NOW,
    )


def test_receipt_checks() -> None:
    w = World()
    session = os.urandom(32)
    receipt, response = _receipt(w, session)
    good = _check(w, receipt, response, session)
    assert (
        isinstance(good, TimedMeasurement) and good.rtt_ms == 4.2 and good.min_processing_ms == 0.5
    )

    assert (
        _check(w, receipt, response, os.urandom(32)).reason is Reason.RECEIPT_MISMATCH
    )  # other session
    other_response = sign1(EvidenceClaims(os.urandom(32), UEID, NOW, 5).encode(), w.device)
    assert (
        _check(w, receipt, other_response, session).reason is Reason.RECEIPT_MISMATCH
    )  # swapped response
    assert _check(w, receipt, response, session, revoked=True).reason is Reason.REVOKED_KEY
    wrong_answer = sign1(EvidenceClaims(os.urandom(32), UEID, NOW, 5).encode(), w.device)
    r2, _ = _receipt(w, session, response=wrong_answer)
    assert (
        _check(w, r2, wrong_answer, session).reason is Reason.RECEIPT_MISMATCH
    )  # answers other challenge
    relay = sign1(EvidenceClaims(os.urandom(32), UEID, NOW, 5).encode(), w.other)
    r3, _ = _receipt(w, session, response=relay)
    assert (
        _check(w, r3, relay, session).reason is Reason.WRONG_KEY
    )  # a relay cannot sign for the device
    r4, resp4 = _receipt(w, session, landmark="lm2")
    assert (
        _check(w, r4, resp4, session).reason is Reason.RECEIPT_MISMATCH
    )  # claims another landmark
    forged = sign1(
        ReceiptClaims("lm1", session, os.urandom(32), 1, bytes(32), NOW).encode(), Signer.generate()
    )
    assert _check(w, forged, response, session).reason is Reason.UNKNOWN_KEY
