"""Claims sets carried in COSE_Sign1: device evidence (an EAT, RFC 9711), landmark timing
receipts, and operating leases (a CWT, RFC 8392), with a JSON form for debugging.

Claim keys: CWT ``iss`` 1, ``sub`` 2, ``exp`` 4, ``nbf`` 5, ``iat`` 6, ``cti`` 7 (RFC 8392);
EAT ``eat_nonce`` 10, ``ueid`` 256, ``location`` 264, ``eat_profile`` 265, ``bootcount``
267, ``swname`` 270, ``measurements`` 273 (RFC 9711 §4 and its IANA registrations).
Location labels: latitude 1, longitude 2, accuracy 4 (metres), timestamp 8 (RFC 9711
§4.2.10). Claims this profile adds use text keys. Every parser is strict: wrong types,
out-of-range numbers and missing claims are a :class:`TokenError` with reason
``bad_claims``; unknown claims are ignored, as CWT requires.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

import cbor2

from dualuse.tracking.cose import TokenError, strict_loads

ISS, SUB, EXP, NBF, IAT, CTI = 1, 2, 4, 5, 6, 7
NONCE, UEID, LOCATION, PROFILE, BOOTCOUNT, SWNAME, MEASUREMENTS = 10, 256, 264, 265, 267, 270, 273
LOC_LAT, LOC_LON, LOC_ACCURACY, LOC_TIMESTAMP = 1, 2, 4, 8

EVIDENCE_PROFILE = "urn:dualuse:eat:evidence:1"
RECEIPT_PROFILE = "urn:dualuse:landmark-receipt:1"
LEASE_PROFILE = "urn:dualuse:lease:1"
FIRMWARE_SHA256 = 1
"""Content type, in this profile, of a measurement that is the SHA-256 of the firmware."""


def _bad(message: str) -> TokenError:
    return TokenError("bad_claims", message)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str, *, what: str = "value") -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise _bad(f"{what} is not base64url") from exc


def token_from_text(text: str) -> bytes:
    """A token written as hex or base64url text."""
    text = text.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        return unb64(text, what="token")


def _map(payload: bytes, what: str) -> dict[Any, Any]:
    value = strict_loads(payload, what)
    if not isinstance(value, dict):
        raise _bad(f"{what} must be a CBOR map")
    return value


def _bytes(claims: dict[Any, Any], key: Any, name: str, lo: int, hi: int) -> bytes:
    value = claims.get(key)
    if not isinstance(value, bytes) or not lo <= len(value) <= hi:
        raise _bad(f"{name} must be {lo}-{hi} bytes")
    return value


def _uint(claims: dict[Any, Any], key: Any, name: str) -> int:
    value = claims.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise _bad(f"{name} must be an unsigned integer")
    return value


def _time(claims: dict[Any, Any], key: Any, name: str) -> float:
    value = claims.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(f"{name} must be a NumericDate")
    if not math.isfinite(value) or not 0 <= value < 2**40:
        raise _bad(f"{name} is out of range")
    return float(value)


def _text(claims: dict[Any, Any], key: Any, name: str, hi: int = 200) -> str:
    value = claims.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= hi:
        raise _bad(f"{name} must be text of 1-{hi} characters")
    return value


def check_ueid(ueid: bytes) -> bytes:
    """RFC 9711 §4.2.1: type byte 0x01 (random, 16/24/32 bytes), 0x02 (IEEE EUI-48/64)
    or 0x03 (IMEI, 14 bytes)."""
    sizes = {1: {17, 25, 33}, 2: {7, 9}, 3: {15}}
    if not ueid or ueid[0] not in sizes or len(ueid) not in sizes[ueid[0]]:
        raise _bad("ueid must be type 0x01 (17/25/33 bytes), 0x02 (7/9) or 0x03 (15)")
    return ueid


@dataclass(frozen=True, slots=True)
class GpsFix:
    """A self-reported position: a hint to check against physics, never evidence."""

    lat: float
    lon: float
    accuracy_m: float = 0.0
    timestamp: float | None = None

    def to_cbor(self) -> dict[int, Any]:
        out: dict[int, Any] = {LOC_LAT: self.lat, LOC_LON: self.lon, LOC_ACCURACY: self.accuracy_m}
        if self.timestamp is not None:
            out[LOC_TIMESTAMP] = self.timestamp
        return out

    @classmethod
    def from_cbor(cls, value: Any) -> GpsFix:
        if not isinstance(value, dict):
            raise _bad("location must be a map")
        nums: dict[int, float] = {}
        for key in (LOC_LAT, LOC_LON, LOC_ACCURACY):
            v = value.get(key, 0.0 if key == LOC_ACCURACY else None)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise _bad(f"location field {key} must be a finite number")
            nums[key] = float(v)
        if not (-90 <= nums[LOC_LAT] <= 90 and -180 <= nums[LOC_LON] <= 180):
            raise _bad("location is off the globe")
        if not 0 <= nums[LOC_ACCURACY] <= 20_000_000:
            raise _bad("location accuracy out of range")
        stamp = (
            _time(value, LOC_TIMESTAMP, "location timestamp") if LOC_TIMESTAMP in value else None
        )
        return cls(nums[LOC_LAT], nums[LOC_LON], nums[LOC_ACCURACY], stamp)


@dataclass(frozen=True, slots=True)
class EvidenceClaims:
    """What a device attests, answering one nonce."""

    nonce: bytes
    ueid: bytes
    iat: float
    bootcount: int
    firmware_sha256: bytes | None = None
    location: GpsFix | None = None
    swname: str | None = None

    def encode(self) -> bytes:
        claims: dict[int, Any] = {
            PROFILE: EVIDENCE_PROFILE,
            NONCE: self.nonce,
            UEID: self.ueid,
            IAT: self.iat if self.iat != int(self.iat) else int(self.iat),
            BOOTCOUNT: self.bootcount,
        }
        if self.firmware_sha256 is not None:
            claims[MEASUREMENTS] = [[FIRMWARE_SHA256, self.firmware_sha256]]
        if self.location is not None:
            claims[LOCATION] = self.location.to_cbor()
        if self.swname is not None:
            claims[SWNAME] = self.swname
        return cbor2.dumps(claims)

    @classmethod
    def parse(cls, payload: bytes) -> EvidenceClaims:
        claims = _map(payload, "evidence claims")
        if claims.get(PROFILE, EVIDENCE_PROFILE) != EVIDENCE_PROFILE:
            raise _bad(f"eat_profile must be {EVIDENCE_PROFILE}")
        firmware = None
        if MEASUREMENTS in claims:
            entries = claims[MEASUREMENTS]
            if not isinstance(entries, list) or len(entries) > 16:
                raise _bad("measurements must be an array of at most 16 entries")
            for entry in entries:
                if not (
                    isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], bytes)
                ):
                    raise _bad("each measurement must be [content-type, bytes]")
                if entry[0] == FIRMWARE_SHA256:
                    if len(entry[1]) != 32:
                        raise _bad("firmware measurement must be a 32-byte SHA-256")
                    firmware = entry[1]
        return cls(
            nonce=_bytes(claims, NONCE, "eat_nonce", 8, 64),
            ueid=check_ueid(_bytes(claims, UEID, "ueid", 7, 33)),
            iat=_time(claims, IAT, "iat"),
            bootcount=_uint(claims, BOOTCOUNT, "bootcount"),
            firmware_sha256=firmware,
            location=GpsFix.from_cbor(claims[LOCATION]) if LOCATION in claims else None,
            swname=_text(claims, SWNAME, "swname") if SWNAME in claims else None,
        )

    def to_json(self) -> dict[str, Any]:
        """EAT JSON claim names (RFC 9711), byte strings in base64url."""
        out: dict[str, Any] = {
            "eat_profile": EVIDENCE_PROFILE,
            "eat_nonce": b64(self.nonce),
            "ueid": b64(self.ueid),
            "iat": self.iat,
            "bootcount": self.bootcount,
        }
        if self.firmware_sha256 is not None:
            out["measurements"] = [[FIRMWARE_SHA256, b64(self.firmware_sha256)]]
        if self.location is not None:
            loc: dict[str, Any] = {
                "latitude": self.location.lat,
                "longitude": self.location.lon,
                "accuracy": self.location.accuracy_m,
            }
            if self.location.timestamp is not None:
                loc["timestamp"] = self.location.timestamp
            out["location"] = loc
        if self.swname is not None:
            out["swname"] = self.swname
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceClaims:
        """The inverse of :meth:`to_json` (for building test tokens by hand)."""
        try:
            loc = data.get("location")
            firmware = None
            for ctype, value in data.get("measurements", []):
                if ctype == FIRMWARE_SHA256:
                    firmware = unb64(value, what="measurement")
            built = cls(
                nonce=unb64(data["eat_nonce"], what="eat_nonce"),
                ueid=unb64(data["ueid"], what="ueid"),
                iat=float(data["iat"]),
                bootcount=int(data["bootcount"]),
                firmware_sha256=firmware,
                location=(
                    GpsFix(
                        float(loc["latitude"]),
                        float(loc["longitude"]),
                        float(loc.get("accuracy", 0.0)),
                        loc.get("timestamp"),
                    )
                    if loc
                    else None
                ),
                swname=data.get("swname"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _bad(f"JSON claims: {exc}") from exc
        return cls.parse(built.encode())


@dataclass(frozen=True, slots=True)
class ReceiptClaims:
    """A landmark's signed statement: it sent ``challenge`` within session ``session`` and
    got back the device response whose SHA-256 is ``response_sha256`` ``rtt_us`` later."""

    landmark: str
    session: bytes
    challenge: bytes
    rtt_us: int
    response_sha256: bytes
    iat: float

    def encode(self) -> bytes:
        return cbor2.dumps(
            {
                PROFILE: RECEIPT_PROFILE,
                IAT: int(self.iat),
                NONCE: self.session,
                "landmark": self.landmark,
                "challenge": self.challenge,
                "rtt_us": self.rtt_us,
                "response_sha256": self.response_sha256,
            }
        )

    @classmethod
    def parse(cls, payload: bytes) -> ReceiptClaims:
        claims = _map(payload, "receipt claims")
        if claims.get(PROFILE) != RECEIPT_PROFILE:
            raise _bad(f"eat_profile must be {RECEIPT_PROFILE}")
        return cls(
            landmark=_text(claims, "landmark", "landmark", 100),
            session=_bytes(claims, NONCE, "session nonce", 8, 64),
            challenge=_bytes(claims, "challenge", "challenge", 8, 64),
            rtt_us=_uint(claims, "rtt_us", "rtt_us"),
            response_sha256=_bytes(claims, "response_sha256", "response_sha256", 32, 32),
            iat=_time(claims, IAT, "iat"),
        )


@dataclass(frozen=True, slots=True)
class LeaseClaims:
    """An operating lease: the device may run until ``exp`` (on its own clock: ``exp -
    iat`` seconds after it asked), bound to its UEID, its fresh nonce and a sequence."""

    issuer: str
    device_id: str
    ueid: bytes
    nonce: bytes
    iat: float
    exp: float
    lease_id: bytes
    seq: int
    basis: str

    @property
    def duration_s(self) -> float:
        return self.exp - self.iat

    def encode(self) -> bytes:
        return cbor2.dumps(
            {
                PROFILE: LEASE_PROFILE,
                ISS: self.issuer,
                SUB: self.device_id,
                UEID: self.ueid,
                NONCE: self.nonce,
                IAT: int(self.iat),
                NBF: int(self.iat),
                EXP: int(self.exp),
                CTI: self.lease_id,
                "seq": self.seq,
                "basis": self.basis,
            }
        )

    @classmethod
    def parse(cls, payload: bytes) -> LeaseClaims:
        claims = _map(payload, "lease claims")
        if claims.get(PROFILE) != LEASE_PROFILE:
            raise _bad(f"eat_profile must be {LEASE_PROFILE}")
        iat, exp = _time(claims, IAT, "iat"), _time(claims, EXP, "exp")
        if exp <= iat:
            raise _bad("exp must be after iat")
        return cls(
            issuer=_text(claims, ISS, "iss"),
            device_id=_text(claims, SUB, "sub"),
            ueid=check_ueid(_bytes(claims, UEID, "ueid", 7, 33)),
            nonce=_bytes(claims, NONCE, "eat_nonce", 8, 64),
            iat=iat,
            exp=exp,
            lease_id=_bytes(claims, CTI, "cti", 8, 32),
            seq=_uint(claims, "seq", "seq"),
            basis=_text(claims, "basis", "basis", 40),
        )
