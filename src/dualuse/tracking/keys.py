"""Device, landmark and verifier keys: Ed25519 (preferred), ECDSA P-256 and P-384.

A key id (``kid``) is the first 16 bytes of SHA-256 over the SubjectPublicKeyInfo DER,
so the same key always gets the same id, whoever registers it: that is how one key
presented for two devices is noticed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from dualuse.errors import InputError


class Alg(IntEnum):
    """COSE algorithm ids (RFC 9053 / IANA COSE Algorithms)."""

    EDDSA = -8
    ES256 = -7
    ES384 = -35


_CURVES: dict[Alg, tuple[type[ec.EllipticCurve], hashes.HashAlgorithm, int]] = {
    Alg.ES256: (ec.SECP256R1, hashes.SHA256(), 32),
    Alg.ES384: (ec.SECP384R1, hashes.SHA384(), 48),
}

PublicKeyType = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
PrivateKeyType = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey


def _alg_of(key: PublicKeyType) -> Alg:
    if isinstance(key, ed25519.Ed25519PublicKey):
        return Alg.EDDSA
    if isinstance(key, ec.EllipticCurvePublicKey):
        if isinstance(key.curve, ec.SECP256R1):
            return Alg.ES256
        if isinstance(key.curve, ec.SECP384R1):
            return Alg.ES384
        raise InputError(
            f"curve {key.curve.name} is not accepted",
            source="public key",
            suggestions=["P-256", "P-384"],
        )
    raise InputError("only Ed25519, P-256 and P-384 keys are accepted", source="public key")


@dataclass(frozen=True)
class PublicKey:
    """A verification key with its COSE algorithm and key id."""

    key: PublicKeyType
    alg: Alg
    spki_der: bytes

    @property
    def kid(self) -> bytes:
        return hashlib.sha256(self.spki_der).digest()[:16]

    @classmethod
    def from_crypto(cls, key: PublicKeyType) -> PublicKey:
        der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(key, _alg_of(key), der)

    @classmethod
    def load(cls, data: bytes | str, *, source: str = "public key") -> PublicKey:
        """PEM or DER SubjectPublicKeyInfo, or a raw 32-byte Ed25519 key in hex."""
        raw = data.encode("ascii", "replace") if isinstance(data, str) else bytes(data)
        text = raw.strip()
        try:
            if text.startswith(b"-----BEGIN"):
                key = serialization.load_pem_public_key(text)
            elif len(text) == 64 and all(c in b"0123456789abcdefABCDEF" for c in text):
                key = ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.decode()))
            else:
                key = serialization.load_der_public_key(raw)
        except (ValueError, TypeError) as exc:
            raise InputError(
                "not a PEM/DER public key or 64 hex digits of an Ed25519 key", source=source
            ) from exc
        if not isinstance(key, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey):
            raise InputError("only Ed25519, P-256 and P-384 keys are accepted", source=source)
        return cls.from_crypto(key)

    @classmethod
    def from_file(cls, path: Path) -> PublicKey:
        if not path.is_file():
            raise InputError("no such file", source=str(path))
        return cls.load(path.read_bytes(), source=str(path))

    def pem(self) -> str:
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Check a COSE signature (Ed25519 bytes, or ECDSA ``r || s`` fixed width)."""
        try:
            if isinstance(self.key, ed25519.Ed25519PublicKey):
                self.key.verify(signature, data)
                return True
            _curve, digest, width = _CURVES[self.alg]
            if len(signature) != 2 * width:
                return False
            r = int.from_bytes(signature[:width], "big")
            s = int.from_bytes(signature[width:], "big")
            self.key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
            return True
        except (InvalidSignature, ValueError):
            return False


@dataclass(frozen=True)
class Signer:
    """A private key that signs COSE structures (device simulator, landmarks, leases)."""

    key: PrivateKeyType
    public: PublicKey

    @classmethod
    def generate(cls, alg: Alg = Alg.EDDSA) -> Signer:
        key: PrivateKeyType
        if alg is Alg.EDDSA:
            key = ed25519.Ed25519PrivateKey.generate()
        else:
            key = ec.generate_private_key(_CURVES[alg][0]())
        return cls(key, PublicKey.from_crypto(key.public_key()))

    @classmethod
    def load_pem(cls, data: bytes, *, source: str = "private key") -> Signer:
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise InputError("not an unencrypted PEM private key", source=source) from exc
        if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
            raise InputError("only Ed25519, P-256 and P-384 keys are accepted", source=source)
        return cls(key, PublicKey.from_crypto(key.public_key()))

    def pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def alg(self) -> Alg:
        return self.public.alg

    @property
    def kid(self) -> bytes:
        return self.public.kid

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.key, ed25519.Ed25519PrivateKey):
            return self.key.sign(data)
        _curve, digest, width = _CURVES[self.alg]
        r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(digest)))
        return r.to_bytes(width, "big") + s.to_bytes(width, "big")
