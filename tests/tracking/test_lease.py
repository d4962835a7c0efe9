import os
from datetime import date

import pytest

from dualuse.tracking.claims import LeaseClaims
from dualuse.tracking.cose import TokenError
from dualuse.tracking.keys import Signer
from dualuse.tracking.lease import Override, decide, sign_lease, verify_lease
from dualuse.tracking.simulator import LeaseLapsed, SimDevice

UEID = b"\x01" + bytes(range(16))
TODAY = date(2026, 1, 1)


def _decide(**changes):  # type: ignore[no-untyped-def]
    args = dict(
        now=1000.0,
        today=TODAY,
        device_active=True,
        licence_valid_until=None,
        evidence_age_s=5,
        max_evidence_age_s=300,
        verdict_allows=True,
        verdict_reasons=["ok"],
        blocking_signals=[],
        overrides=[],
        ttl_s=3600,
    )
    args.update(changes)
    return decide(**args)


def test_lease_rules() -> None:
    assert _decide().granted and _decide().basis == "verdict"
    assert not _decide(verdict_allows=False, verdict_reasons=["reaches CN"]).granted
    assert not _decide(blocking_signals=["revoked_key_used"]).granted
    assert not _decide(licence_valid_until=date(2025, 12, 31)).granted
    assert not _decide(device_active=False).granted
    assert not _decide(evidence_age_s=301).granted
    allow = Override("allow", 1000.0 + 600, "site audit done")
    overridden = _decide(verdict_allows=False, overrides=[allow])
    assert overridden.granted and overridden.basis == "override" and overridden.duration_s == 600
    block = Override("block", 5000.0, "investigation")
    assert not _decide(overrides=[allow, block]).granted
    expired = Override("allow", 999.0, "old")
    assert not _decide(verdict_allows=False, overrides=[expired]).granted


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_simulated_device_stops_when_its_lease_lapses() -> None:
    verifier = Signer.generate()
    clock = FakeClock()
    device = SimDevice("dev1", UEID, Signer.generate(), verifier.public, 48.1, 11.6, clock=clock)
    with pytest.raises(LeaseLapsed):
        device.work()
    nonce = device.lease_nonce()
    lease = LeaseClaims("v", "dev1", UEID, nonce, 100.0, 160.0, os.urandom(16), 1, "verdict")
    device.accept_lease(sign_lease(lease, verifier))
    assert device.work() == 1
    clock.t = 59.9
    assert device.work() == 2
    clock.t = 60.0
    with pytest.raises(LeaseLapsed):
        device.work()


def test_device_refuses_replayed_or_foreign_leases() -> None:
    verifier = Signer.generate()
    device = SimDevice("dev1", UEID, Signer.generate(), verifier.public, 0, 0, clock=FakeClock())
    nonce = device.lease_nonce()
    good = sign_lease(
        LeaseClaims("v", "dev1", UEID, nonce, 0, 60, os.urandom(16), 5, "verdict"), verifier
    )
    device.accept_lease(good)
    device.lease_nonce()
    with pytest.raises(TokenError):  # the old lease answers an old request
        device.accept_lease(good)
    nonce = device.lease_nonce()
    forged = sign_lease(
        LeaseClaims("v", "dev1", UEID, nonce, 0, 60, os.urandom(16), 6, "verdict"),
        Signer.generate(),
    )
    with pytest.raises(TokenError):
        device.accept_lease(forged)
    older = sign_lease(
        LeaseClaims("v", "dev1", UEID, nonce, 0, 60, os.urandom(16), 5, "verdict"), verifier
    )
    with pytest.raises(TokenError, match="sequence"):
        device.accept_lease(older)
    with pytest.raises(TokenError, match="another device"):
        verify_lease(good, verifier.public, ueid=b"\x01" + bytes(16), nonce=nonce, last_seq=0)
