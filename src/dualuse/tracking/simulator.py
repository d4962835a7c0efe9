"""A simulated tracked device and simulated landmarks, for demos and end-to-end tests.

The device holds its signing key, a boot counter and a lease. It runs only while its
lease holds, measured on its own monotonic clock from the moment it asked for the lease,
and raises :class:`LeaseLapsed` otherwise: the kill switch by non-renewal.

Landmarks time a challenge-response with the device and sign a receipt. The RTT comes
from a path model (``2 * distance / speed + base``, typical paths run near c/3 = 100 km
per ms one way, location.md §5), plus any delay the device adds (an adversary can add
delay, never remove it). The transport to the verifier is pluggable: in-process for
tests, HTTP for the ``dualuse tracking simulate`` command.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from dualuse.errors import DualuseError
from dualuse.tracking.claims import EvidenceClaims, GpsFix, LeaseClaims, ReceiptClaims, b64, unb64
from dualuse.tracking.cose import sign1
from dualuse.tracking.keys import PublicKey, Signer
from dualuse.tracking.lease import verify_lease
from dualuse.tracking.sphere import distance_km


class LeaseLapsed(DualuseError):
    """The device has no valid lease and refuses to work."""


class Transport(Protocol):
    def nonce(self, device_id: str) -> bytes: ...

    def evidence(
        self, device_id: str, token: bytes, measurements: Sequence[tuple[bytes, bytes]]
    ) -> dict[str, Any]: ...

    def lease(self, device_id: str, evidence_id: int, lease_nonce: bytes) -> dict[str, Any]: ...


@dataclass
class SimDevice:
    device_id: str
    ueid: bytes
    signer: Signer
    verifier_key: PublicKey
    lat: float
    lon: float
    bootcount: int = 1
    firmware: bytes = field(default_factory=lambda: hashlib.sha256(b"firmware 1.0").digest())
    report_gps: bool = True
    gps_override: tuple[float, float] | None = None
    """A position to claim instead of the true one (a lying GPS)."""
    extra_delay_ms: float = 0.0
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    lease_deadline: float | None = None
    last_seq: int = 0
    work_done: int = 0
    _pending: tuple[bytes, float] | None = None

    def _claims(self, nonce: bytes, with_location: bool) -> EvidenceClaims:
        location = None
        if with_location and self.report_gps:
            lat, lon = self.gps_override or (self.lat, self.lon)
            location = GpsFix(lat, lon, 20.0, self.wall())
        return EvidenceClaims(
            nonce=nonce,
            ueid=self.ueid,
            iat=int(self.wall()),
            bootcount=self.bootcount,
            firmware_sha256=self.firmware,
            location=location,
            swname="simulated-device",
        )

    def evidence(self, nonce: bytes) -> bytes:
        return sign1(self._claims(nonce, True).encode(), self.signer)

    def respond(self, challenge: bytes) -> bytes:
        """The timed answer to a landmark challenge: a short signed token."""
        return sign1(self._claims(challenge, False).encode(), self.signer)

    def lease_nonce(self) -> bytes:
        nonce = secrets.token_bytes(16)
        self._pending = (nonce, self.clock())
        return nonce

    def accept_lease(self, token: bytes) -> LeaseClaims:
        """Believe a lease only if it answers the pending request; raises TokenError."""
        if self._pending is None:
            raise LeaseLapsed("no lease was requested")
        nonce, asked_at = self._pending
        claims = verify_lease(
            token, self.verifier_key, ueid=self.ueid, nonce=nonce, last_seq=self.last_seq
        )
        self._pending = None
        self.last_seq = claims.seq
        self.lease_deadline = asked_at + claims.duration_s
        return claims

    @property
    def operational(self) -> bool:
        return self.lease_deadline is not None and self.clock() < self.lease_deadline

    def work(self, units: int = 1) -> int:
        if not self.operational:
            raise LeaseLapsed(f"device {self.device_id}: lease lapsed, refusing to work")
        self.work_done += units
        return self.work_done

    def reboot(self) -> None:
        """Power cycle: the boot counter grows and the lease is forgotten."""
        self.bootcount += 1
        self.lease_deadline = None


@dataclass
class SimLandmark:
    landmark_id: str
    lat: float
    lon: float
    signer: Signer
    km_per_ms_one_way: float = 100.0
    base_ms: float = 0.5
    wall: Callable[[], float] = time.time

    def rtt_ms(self, device: SimDevice) -> float:
        d = distance_km(self.lat, self.lon, device.lat, device.lon)
        return 2 * d / self.km_per_ms_one_way + self.base_ms + device.extra_delay_ms

    def measure(self, device: SimDevice, session: bytes) -> tuple[bytes, bytes]:
        challenge = secrets.token_bytes(32)
        response = device.respond(challenge)
        receipt = ReceiptClaims(
            landmark=self.landmark_id,
            session=session,
            challenge=challenge,
            rtt_us=round(self.rtt_ms(device) * 1000),
            response_sha256=hashlib.sha256(response).digest(),
            iat=self.wall(),
        )
        return sign1(receipt.encode(), self.signer), response


@dataclass(frozen=True)
class CheckIn:
    evidence: dict[str, Any]
    lease: dict[str, Any] | None
    operational: bool


def check_in(device: SimDevice, landmarks: Sequence[SimLandmark], transport: Transport) -> CheckIn:
    """One cycle: nonce, landmark timings, evidence, lease request."""
    session = transport.nonce(device.device_id)
    measurements = [lm.measure(device, session) for lm in landmarks]
    result = transport.evidence(device.device_id, device.evidence(session), measurements)
    lease = None
    if result.get("accepted"):
        lease = transport.lease(device.device_id, int(result["evidence_id"]), device.lease_nonce())
        token = lease.get("token")
        if lease.get("granted") and isinstance(token, bytes | bytearray):
            device.accept_lease(bytes(token))
    return CheckIn(result, lease, device.operational)


class HttpTransport:
    """The simulator talking to a running ``dualuse serve`` as a device (role ``device``)."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 30.0) -> None:
        import httpx

        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), headers={"X-API-Key": api_key}, timeout=timeout
        )

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body)
        if response.status_code >= 400:
            raise DualuseError(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
        data: dict[str, Any] = response.json()
        return data

    def verifier_key(self) -> PublicKey:
        response = self.client.get("/v1/tracking/verifier-key")
        response.raise_for_status()
        return PublicKey.load(response.json()["public_key"])

    def ueid(self, device_id: str) -> bytes:
        response = self.client.get(f"/v1/tracking/devices/{device_id}/identity")
        response.raise_for_status()
        return bytes.fromhex(response.json()["ueid"])

    def nonce(self, device_id: str) -> bytes:
        return unb64(self._post(f"/v1/tracking/devices/{device_id}/nonce", {})["nonce"])

    def evidence(
        self, device_id: str, token: bytes, measurements: Sequence[tuple[bytes, bytes]]
    ) -> dict[str, Any]:
        body = {
            "evidence": b64(token),
            "measurements": [{"receipt": b64(r), "response": b64(p)} for r, p in measurements],
        }
        return self._post(f"/v1/tracking/devices/{device_id}/evidence", body)

    def lease(self, device_id: str, evidence_id: int, lease_nonce: bytes) -> dict[str, Any]:
        out = self._post(
            f"/v1/tracking/devices/{device_id}/lease",
            {"evidence_id": evidence_id, "lease_nonce": b64(lease_nonce)},
        )
        if out.get("token"):
            out["token"] = unb64(out["token"])
        return out
