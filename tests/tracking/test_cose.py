"""COSE_Sign1: round trips, interoperability with pycose, tamper evidence, fuzzing."""

import cbor2
import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.tracking.cose import TokenError, decode_sign1, sign1
from dualuse.tracking.keys import Alg, PublicKey, Signer

SIGNERS = {alg: Signer.generate(alg) for alg in Alg}


@pytest.mark.parametrize("alg", list(Alg))
def test_round_trip_tagged_and_untagged(alg: Alg) -> None:
    signer = SIGNERS[alg]
    for tagged in (True, False):
        msg = decode_sign1(sign1(b"payload", signer, tagged=tagged))
        assert msg.alg is alg and msg.kid == signer.kid and msg.payload == b"payload"
        assert msg.verify(signer.public)
        assert not msg.verify(Signer.generate(alg).public)


def test_key_of_other_algorithm_never_verifies() -> None:
    msg = decode_sign1(sign1(b"x", SIGNERS[Alg.ES256]))
    assert not msg.verify(SIGNERS[Alg.EDDSA].public)


def _pycose_keys(signer: Signer):  # type: ignore[no-untyped-def]
    from pycose.keys import EC2Key, OKPKey

    if signer.alg is Alg.EDDSA:
        raw = signer.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        d = signer.key.private_bytes(  # type: ignore[call-arg]
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return OKPKey(crv="ED25519", x=raw), OKPKey(crv="ED25519", x=raw, d=d)
    width = 32 if signer.alg is Alg.ES256 else 48
    crv = "P_256" if signer.alg is Alg.ES256 else "P_384"
    nums = signer.key.public_key().public_numbers()  # type: ignore[union-attr]
    x, y = nums.x.to_bytes(width, "big"), nums.y.to_bytes(width, "big")
    d = signer.key.private_numbers().private_value.to_bytes(width, "big")  # type: ignore[union-attr]
    return EC2Key(crv=crv, x=x, y=y), EC2Key(crv=crv, x=x, y=y, d=d)


@pytest.mark.parametrize("alg", list(Alg))
def test_interoperates_with_pycose(alg: Alg) -> None:
    """pycose verifies what we sign, and we verify what pycose signs (RFC 9052)."""
    from pycose import algorithms
    from pycose.headers import KID, Algorithm
    from pycose.messages import Sign1Message

    signer = SIGNERS[alg]
    public, private = _pycose_keys(signer)
    theirs = Sign1Message.from_cose_obj(
        list(cbor2.loads(sign1(b"ours", signer, tagged=False))), True
    )
    theirs.key = public
    assert theirs.verify_signature()

    cose_alg = {
        Alg.EDDSA: algorithms.EdDSA,
        Alg.ES256: algorithms.Es256,
        Alg.ES384: algorithms.Es384,
    }[alg]
    made = Sign1Message(phdr={Algorithm: cose_alg, KID: signer.kid}, payload=b"theirs")
    made.key = private
    msg = decode_sign1(made.encode())
    assert msg.payload == b"theirs" and msg.verify(signer.public)


def test_pycose_cannot_decode_tagged_messages_with_cbor2_6() -> None:
    """Why pycose is only a test oracle here: with the pinned cbor2 (6.x, which decodes
    tag content as a tuple) pycose 1.1.0 rejects even its own tagged output."""
    from pycose.messages import Sign1Message

    with pytest.raises(TypeError):
        Sign1Message.decode(sign1(b"x", SIGNERS[Alg.EDDSA]))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_single_byte_change_breaks_verification(data: st.DataObject) -> None:
    signer = SIGNERS[data.draw(st.sampled_from(list(Alg)))]
    token = bytearray(sign1(b"claims: the device is in Munich", signer))
    i = data.draw(st.integers(0, len(token) - 1))
    token[i] ^= data.draw(st.integers(1, 255))
    try:
        msg = decode_sign1(bytes(token))
    except TokenError:
        return
    assert not msg.verify(signer.public)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_random_bytes_only_raise_token_error(data: bytes) -> None:
    reason = None
    try:
        decode_sign1(data)
    except TokenError as exc:
        reason = exc.reason
    assert reason in {None, "malformed", "oversized", "unsupported_alg"}


cbor_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(),
    st.binary(max_size=40),
    st.text(max_size=20),
)
cbor_values = st.recursive(
    cbor_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.integers(-40, 300), st.text(max_size=5)), inner, max_size=5),
    ),
    max_leaves=20,
)


@settings(max_examples=800, deadline=None)
@given(cbor_values, cbor_values, cbor_values, cbor_values, st.booleans())
def test_fuzz_structured_cose_like_input(p, u, payload, sig, tagged) -> None:
    """Well-formed CBOR of the wrong shapes: rejected with a reason, never a crash."""
    protected = cbor2.dumps(p) if isinstance(p, dict) else p
    body = [protected, u, payload, sig]
    data = cbor2.dumps(cbor2.CBORTag(18, body) if tagged else body)
    try:
        msg = decode_sign1(data)
    except TokenError:
        return
    assert not msg.verify(SIGNERS[msg.alg].public)


def test_oversized_and_trailing_bytes() -> None:
    token = sign1(b"x" * 100, SIGNERS[Alg.EDDSA])
    with pytest.raises(TokenError) as exc:
        decode_sign1(token, max_bytes=50)
    assert exc.value.reason == "oversized"
    with pytest.raises(TokenError, match="trailing"):
        decode_sign1(token + b"\x00")
    with pytest.raises(TokenError, match="empty"):
        decode_sign1(b"")


def test_algorithm_must_be_protected() -> None:
    signer = SIGNERS[Alg.EDDSA]
    body = [cbor2.dumps({4: signer.kid}), {1: -8}, b"x", b"\x00" * 64]
    with pytest.raises(TokenError):
        decode_sign1(cbor2.dumps(body))
    body = [cbor2.dumps({1: -257}), {}, b"x", b""]  # RS256 is not accepted
    with pytest.raises(TokenError) as exc:
        decode_sign1(cbor2.dumps(body))
    assert exc.value.reason == "unsupported_alg"
    body = [cbor2.dumps({1: -8, 2: [1]}), {}, b"x", b""]
    with pytest.raises(TokenError, match="critical"):
        decode_sign1(cbor2.dumps(body))


def test_public_key_formats() -> None:
    signer = SIGNERS[Alg.EDDSA]
    pem = signer.public.pem()
    der = signer.public.spki_der
    raw = signer.key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert PublicKey.load(pem).kid == PublicKey.load(der).kid == PublicKey.load(raw.hex()).kid
    from cryptography.hazmat.primitives.asymmetric import ec

    p521 = ec.generate_private_key(ec.SECP521R1()).public_key()
    p521_pem = p521.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    from dualuse.errors import InputError

    with pytest.raises(InputError, match="not accepted"):
        PublicKey.load(p521_pem)
    with pytest.raises(InputError):
        PublicKey.load(b"not a key")
    assert Signer.load_pem(signer.pem()).kid == signer.kid
