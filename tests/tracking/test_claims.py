import contextlib
import os

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.tracking.claims import (
    BOOTCOUNT,
    EvidenceClaims,
    GpsFix,
    LeaseClaims,
    ReceiptClaims,
    check_ueid,
)
from dualuse.tracking.cose import TokenError

UEID = b"\x01" + bytes(range(16))


def test_json_form_round_trips() -> None:
    claims = EvidenceClaims(
        os.urandom(32),
        UEID,
        1_700_000_000,
        7,
        os.urandom(32),
        GpsFix(48.1, 11.6, 15.0, 1.7e9),
        "fw",
    )
    as_json = claims.to_json()
    assert set(as_json) >= {"eat_nonce", "ueid", "iat", "bootcount", "location", "measurements"}
    assert EvidenceClaims.from_json(as_json) == claims
    assert EvidenceClaims.parse(claims.encode()) == claims


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({10: b"short"}, "eat_nonce"),
        ({256: b"\x09" + bytes(16)}, "ueid"),
        ({6: "yesterday"}, "iat"),
        ({6: float("nan")}, "iat"),
        ({BOOTCOUNT: -1}, "bootcount"),
        ({BOOTCOUNT: True}, "bootcount"),
        ({264: {1: 91.0, 2: 0.0}}, "off the globe"),
        ({264: {1: float("inf"), 2: 0.0}}, "finite"),
        ({273: [[1, b"short"]]}, "SHA-256"),
        ({265: "urn:other"}, "eat_profile"),
    ],
)
def test_bad_claims_are_named(change: dict, message: str) -> None:
    good = cbor2.loads(EvidenceClaims(os.urandom(16), UEID, 1e9, 1).encode())
    good.update(change)
    with pytest.raises(TokenError, match=message) as exc:
        EvidenceClaims.parse(cbor2.dumps(good))
    assert exc.value.reason == "bad_claims"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_claim_parsers_never_crash(data: bytes) -> None:
    for parser in (EvidenceClaims.parse, ReceiptClaims.parse, LeaseClaims.parse):
        with contextlib.suppress(TokenError):
            parser(data)


def test_ueid_types() -> None:
    assert check_ueid(b"\x02" + bytes(6))
    assert check_ueid(b"\x03" + bytes(14))
    with pytest.raises(TokenError):
        check_ueid(b"\x01" + bytes(15))


def test_lease_claims_require_expiry_after_issue() -> None:
    lease = LeaseClaims(
        "v", "dev", UEID, os.urandom(16), 100.0, 200.0, os.urandom(16), 1, "verdict"
    )
    assert LeaseClaims.parse(lease.encode()) == lease
    bad = cbor2.loads(lease.encode())
    bad[4] = 50
    with pytest.raises(TokenError, match="exp"):
        LeaseClaims.parse(cbor2.dumps(bad))


claim_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.binary(max_size=70),
    st.text(max_size=10),
    st.lists(st.binary(max_size=40), max_size=3),
    st.dictionaries(st.integers(0, 10), st.floats(), max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from([6, 10, 256, 264, 265, 267, 270, 273, 1, 4]), claim_values))
def test_structured_claims_fuzz(claims: dict) -> None:
    """Maps with the right keys and wrong values: a reason, never a crash."""
    reason = None
    try:
        parsed = EvidenceClaims.parse(cbor2.dumps(claims))
    except TokenError as exc:
        reason = exc.reason
    if reason is not None:
        assert reason == "bad_claims"
        return
    assert EvidenceClaims.parse(parsed.encode()) == parsed
