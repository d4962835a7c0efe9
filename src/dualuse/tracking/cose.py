"""COSE_Sign1 (RFC 9052 §4.2) with cbor2, strict on input.

``COSE_Sign1 = [protected: bstr .cbor header_map, unprotected: map, payload: bstr,
signature: bstr]``, optionally wrapped in CBOR tag 18 (whose content cbor2 6 decodes as
tuple and frozendict); the signature covers
``Sig_structure = ["Signature1", protected, external_aad, payload]``. The algorithm must
sit in the protected header (so it is signed); ``crit`` is refused because no critical
header is understood; a detached (nil) payload is refused; trailing bytes are refused.
Parsing never raises anything but :class:`TokenError`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from dualuse.errors import InputError
from dualuse.tracking.keys import Alg, PublicKey, Signer

TAG_SIGN1 = 18
HDR_ALG = 1
HDR_CRIT = 2
HDR_CONTENT_TYPE = 3
HDR_KID = 4
DEFAULT_MAX_BYTES = 8192


class TokenError(InputError):
    """A token that cannot be accepted; ``reason`` is a stable machine-readable code."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message, source="token")


@dataclass(frozen=True, slots=True)
class Sign1:
    """A parsed, not yet verified, COSE_Sign1 message."""

    protected_bytes: bytes
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> Alg:
        return Alg(self.protected[HDR_ALG])

    @property
    def kid(self) -> bytes | None:
        kid = self.protected.get(HDR_KID, self.unprotected.get(HDR_KID))
        return kid if isinstance(kid, bytes) else None

    def to_be_signed(self, external_aad: bytes = b"") -> bytes:
        return sig_structure(self.protected_bytes, self.payload, external_aad)

    def verify(self, key: PublicKey, external_aad: bytes = b"") -> bool:
        """True only if ``key`` is of the header's algorithm and the signature holds."""
        return key.alg == self.alg and key.verify(self.signature, self.to_be_signed(external_aad))


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    return cbor2.dumps(["Signature1", protected, external_aad, payload])


def sign1(
    payload: bytes, signer: Signer, *, tagged: bool = True, external_aad: bytes = b""
) -> bytes:
    """Sign ``payload``; the kid goes in the protected header next to the algorithm."""
    protected = cbor2.dumps({HDR_ALG: int(signer.alg), HDR_KID: signer.kid})
    signature = signer.sign(sig_structure(protected, payload, external_aad))
    body = [protected, {}, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(TAG_SIGN1, body) if tagged else body)


def strict_loads(data: bytes, what: str) -> Any:
    """Decode exactly one CBOR item; anything else is a :class:`TokenError`."""
    stream = io.BytesIO(data)
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except RecursionError as exc:
        raise TokenError("malformed", f"{what}: nested too deeply") from exc
    except Exception as exc:  # cbor2 raises several types on garbage; none may escape
        raise TokenError("malformed", f"{what}: not valid CBOR ({type(exc).__name__})") from exc
    if stream.tell() != len(data):
        raise TokenError("malformed", f"{what}: {len(data) - stream.tell()} trailing bytes")
    return value


def decode_sign1(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Sign1:
    """Parse a COSE_Sign1 message without trusting any of it."""
    if not isinstance(data, bytes | bytearray):
        raise TokenError("malformed", "token must be bytes")
    if len(data) > max_bytes:
        raise TokenError("oversized", f"token of {len(data)} bytes exceeds {max_bytes}")
    if not data:
        raise TokenError("malformed", "empty token")
    value = strict_loads(bytes(data), "COSE_Sign1")
    if isinstance(value, cbor2.CBORTag):
        if value.tag != TAG_SIGN1:
            raise TokenError("malformed", f"CBOR tag {value.tag} is not COSE_Sign1 (18)")
        value = value.value
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise TokenError("malformed", "COSE_Sign1 must be an array of 4 items")
    protected_bytes, unprotected, payload, signature = value
    if not isinstance(protected_bytes, bytes):
        raise TokenError("malformed", "protected header must be a byte string")
    if not isinstance(unprotected, Mapping):
        raise TokenError("malformed", "unprotected header must be a map")
    if payload is None:
        raise TokenError("malformed", "detached payloads are not accepted")
    if not isinstance(payload, bytes):
        raise TokenError("malformed", "payload must be a byte string")
    if not isinstance(signature, bytes):
        raise TokenError("malformed", "signature must be a byte string")
    protected: Any = (
        {} if protected_bytes == b"" else strict_loads(protected_bytes, "protected header")
    )
    if not isinstance(protected, Mapping):
        raise TokenError("malformed", "protected header must encode a map")
    if HDR_CRIT in protected or HDR_CRIT in unprotected:
        raise TokenError("malformed", "critical headers are not supported")
    if HDR_ALG in unprotected:
        raise TokenError("malformed", "algorithm must be in the protected header")
    alg = protected.get(HDR_ALG)
    if not isinstance(alg, int) or isinstance(alg, bool) or alg not in {a.value for a in Alg}:
        raise TokenError(
            "unsupported_alg", f"algorithm {alg!r} not accepted (EdDSA -8, ES256 -7, ES384 -35)"
        )
    kid = protected.get(HDR_KID, unprotected.get(HDR_KID))
    if kid is not None and not isinstance(kid, bytes):
        raise TokenError("malformed", "kid must be a byte string")
    return Sign1(bytes(protected_bytes), protected, unprotected, payload, signature)
