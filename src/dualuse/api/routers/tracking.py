"""HTTP routes for location verification.

Devices (role ``device``): fetch a nonce, post evidence with landmark receipts, ask for a
lease. Operators (role ``operator``): enrol devices and landmarks, revoke keys, see the
fleet and a device's history, its map and plots, and record overrides. Screeners may
locate from measurements. Byte strings travel as base64url.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    Path,
    Query,
    Request,
    Response,
)
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from dualuse.api.auth import require
from dualuse.errors import AuthError, InputError
from dualuse.services.tracking import TrackingService
from dualuse.services.tracking.locating import locate_and_judge
from dualuse.services.tracking.registry import DEVICE_ID_PATTERN
from dualuse.storage import tracking as store
from dualuse.storage.apikeys import Principal, Role
from dualuse.tracking.claims import b64, unb64
from dualuse.tracking.cose import TokenError
from dualuse.tracking.keys import PublicKey
from dualuse.tracking.locate import Bound, Measurement, check_measurement
from dualuse.views import tracking as views
from dualuse.views.tracking import location_report

router = APIRouter(prefix="/v1/tracking", tags=["tracking"])


class PNGResponse(Response):
    """A picture: declared so the spec names the media type of the answer."""

    media_type = "image/png"


DEVICE = Depends(require(Role.DEVICE))
OPERATOR = Depends(require(Role.OPERATOR))
SCREENER = Depends(require(Role.SCREENER, Role.OPERATOR))
B64_MAX = 16_000
ROW_ID_MAX = 2**63 - 1
"""Row ids are signed 64-bit in SQLite and PostgreSQL: a larger number is a 422, not a 500."""
RowId = Annotated[int, Field(ge=1, le=ROW_ID_MAX)]


def _service(request: Request) -> TrackingService:
    service = getattr(request.app.state, "tracking", None)
    if service is None:
        service = TrackingService(request.app.state.engine, request.app.state.settings)
        request.app.state.tracking = service
    return service


def _for_device(principal: Principal, device_id: str) -> None:
    """A device key speaks only for the device it was issued to (admins for any)."""
    if not principal.may_act_for(f"device:{device_id}"):
        raise AuthError("this key is not bound to this device")


def _actor(principal: Principal) -> str:
    return f"apikey:{principal.key_id}"


def _bytes(text: str, field: str) -> bytes:
    try:
        return unb64(text, what=field)
    except TokenError as exc:
        raise InputError(f"{field} is not base64url", source=field) from exc


class MeasurementIn(BaseModel):
    receipt: str = Field(max_length=B64_MAX, description="Landmark receipt (COSE_Sign1)")
    response: str = Field(max_length=B64_MAX, description="Device response it timed")


class EvidenceIn(BaseModel):
    evidence: str = Field(max_length=B64_MAX, description="COSE_Sign1 EAT, base64url")
    measurements: list[MeasurementIn] = Field(default_factory=list, max_length=1000)


class LeaseIn(BaseModel):
    evidence_id: RowId
    lease_nonce: str = Field(max_length=200, description="8-64 fresh bytes, base64url")


class EnrolIn(BaseModel):
    serial: str = Field(max_length=200)
    model: str = Field(max_length=200)
    eccn: str = Field(max_length=40)
    licence: str = Field(max_length=200)
    end_user: str = Field(max_length=400)
    prohibited: list[str] = Field(max_length=300)
    permitted: list[str] = Field(default_factory=list, max_length=300)
    public_key: str = Field(max_length=5000, description="PEM SubjectPublicKeyInfo")
    ueid: str | None = Field(default=None, max_length=66, description="hex")
    device_id: str | None = Field(default=None, max_length=64, pattern=DEVICE_ID_PATTERN)
    checkin_interval_s: int | None = Field(default=None, gt=0, le=10 * 366 * 86400)
    licence_valid_until: date | None = None


class KeyIn(BaseModel):
    public_key: str = Field(max_length=5000)


class StatusIn(BaseModel):
    status: str = Field(pattern="^(active|suspended|retired)$")


class RevokeIn(BaseModel):
    reason: str = Field(max_length=1000)


class OverrideIn(BaseModel):
    kind: str = Field(pattern="^(allow|block)$")
    reason: str = Field(max_length=2000)
    hours: float = Field(gt=0, le=24 * 366)


class LandmarkIn(BaseModel):
    landmark_id: str = Field(max_length=100)
    lat: float
    lon: float
    public_key: str = Field(max_length=5000)
    min_processing_ms: float = 0.0


class LocateRow(BaseModel):
    landmark_lat: float
    landmark_lon: float
    rtt_ms: float
    landmark: str = Field(default="", max_length=100)


class LocateIn(BaseModel):
    measurements: list[LocateRow] = Field(max_length=10_000)
    bound: str = "secure"
    prohibited: list[str] = Field(default_factory=list, max_length=300)
    claimed: list[float] | None = Field(default=None, min_length=2, max_length=3)


@router.post(
    "/devices/{device_id}/nonce",
    summary="A fresh single-use nonce (device)",
    response_model=views.NonceOut,
)
def nonce(device_id: str, request: Request, _p: Principal = DEVICE) -> dict[str, Any]:
    _for_device(_p, device_id)
    value, expires = _service(request).issue_nonce(device_id)
    return {"nonce": b64(value), "expires_at": expires}


@router.get(
    "/devices/{device_id}/identity",
    summary="The enrolled UEID (device)",
    response_model=views.IdentityOut,
)
def identity(device_id: str, request: Request, _p: Principal = DEVICE) -> dict[str, Any]:
    _for_device(_p, device_id)
    return {
        "device_id": device_id,
        "ueid": store.get_device(_service(request).engine, device_id).ueid.hex(),
    }


@router.get(
    "/verifier-key",
    summary="The lease-signing public key devices pin (device)",
    response_model=views.VerifierKeyOut,
)
def verifier_key(request: Request, _p: Principal = DEVICE) -> dict[str, str]:
    public = _service(request).lease_signer().public
    return {"public_key": public.pem(), "kid": public.kid.hex()}


@router.post(
    "/devices/{device_id}/evidence",
    summary="Post evidence and landmark receipts (device)",
    response_model=views.EvidenceOut,
    response_model_exclude_unset=True,
)
def evidence(
    device_id: str, body: EvidenceIn, request: Request, p: Principal = DEVICE
) -> dict[str, Any]:
    _for_device(p, device_id)
    service = _service(request)
    pairs = [
        (_bytes(m.receipt, "receipt"), _bytes(m.response, "response")) for m in body.measurements
    ]
    out = service.submit_evidence(
        device_id, _bytes(body.evidence, "evidence"), pairs, actor=_actor(p)
    )
    result: dict[str, Any] = {
        "evidence_id": out.evidence_id,
        "accepted": out.accepted,
        "reason": out.reason,
        "message": out.message,
        "measurements_used": out.measurements_used,
        "measurements_rejected": [{"index": i, "reason": r} for i, r in out.measurements_rejected],
        "signals": list(out.signals),
        "verdict": out.verdict.verdict.value if out.verdict else None,
    }
    if out.verdict is not None and out.location is not None:
        result["location"] = location_report(out.location, out.verdict)
    return result


@router.post(
    "/devices/{device_id}/lease",
    summary="Ask for an operating lease (device)",
    response_model=views.LeaseOut,
)
def lease(device_id: str, body: LeaseIn, request: Request, p: Principal = DEVICE) -> dict[str, Any]:
    _for_device(p, device_id)
    out = _service(request).request_lease(
        device_id, body.evidence_id, _bytes(body.lease_nonce, "lease_nonce"), actor=_actor(p)
    )
    return {
        "granted": out.granted,
        "basis": out.basis,
        "reasons": list(out.reasons),
        "token": b64(out.token) if out.token else None,
        "lease_id": out.lease_id,
        "seq": out.seq,
        "expires_at": out.expires_at,
    }


@router.get("/devices", summary="The fleet (operator)", response_model=list[views.FleetDeviceOut])
def fleet(request: Request, _p: Principal = OPERATOR) -> list[dict[str, Any]]:
    return _service(request).fleet()


@router.post(
    "/devices",
    summary="Enrol a device (operator)",
    status_code=201,
    response_model=views.EnrolledOut,
)
def enrol(body: EnrolIn, request: Request, p: Principal = OPERATOR) -> dict[str, Any]:
    key = PublicKey.load(body.public_key)
    ueid = None
    if body.ueid:
        try:
            ueid = bytes.fromhex(body.ueid)
        except ValueError as exc:
            raise InputError("ueid must be hex", source="ueid") from exc
    row = _service(request).enrol(
        serial=body.serial,
        model=body.model,
        eccn=body.eccn,
        licence=body.licence,
        end_user=body.end_user,
        prohibited=body.prohibited,
        permitted=body.permitted,
        public_key=key,
        ueid=ueid,
        device_id=body.device_id,
        checkin_interval_s=body.checkin_interval_s,
        licence_valid_until=body.licence_valid_until,
        actor=_actor(p),
    )
    api_key = _service(request).issue_device_api_key(row.device_id, actor=_actor(p))
    return {
        "device_id": row.device_id,
        "ueid": row.ueid.hex(),
        "kid": key.kid.hex(),
        "api_key": api_key,
    }


@router.get(
    "/devices/{device_id}",
    summary="A device's history (operator)",
    response_model=views.HistoryOut,
)
def history(
    device_id: str,
    request: Request,
    limit: int = Query(200, ge=1, le=5000),
    _p: Principal = OPERATOR,
) -> dict[str, Any]:
    return _service(request).history(device_id, limit)


@router.post(
    "/devices/{device_id}/keys",
    summary="Add a device key (operator)",
    status_code=201,
    response_model=views.KidOut,
)
def add_key(
    device_id: str, body: KeyIn, request: Request, p: Principal = OPERATOR
) -> dict[str, str]:
    key = PublicKey.load(body.public_key)
    _service(request).add_key(device_id, key, actor=_actor(p))
    return {"kid": key.kid.hex()}


@router.post(
    "/devices/{device_id}/status",
    summary="Suspend or reactivate (operator)",
    response_model=views.DeviceStatusOut,
)
def set_status(
    device_id: str, body: StatusIn, request: Request, p: Principal = OPERATOR
) -> dict[str, str]:
    _service(request).set_status(device_id, body.status, actor=_actor(p))
    return {"device_id": device_id, "status": body.status}


@router.post(
    "/keys/{kid}/revoke",
    summary="Revoke a device key (operator)",
    response_model=views.RevokedKeyOut,
)
def revoke_key(
    kid: str, body: RevokeIn, request: Request, p: Principal = OPERATOR
) -> dict[str, str]:
    device_id = _service(request).revoke_key(kid, body.reason, actor=_actor(p))
    return {"kid": kid, "device_id": device_id}


@router.post(
    "/devices/{device_id}/overrides",
    summary="Human override (operator)",
    status_code=201,
    response_model=views.OverrideOut,
)
def override(
    device_id: str, body: OverrideIn, request: Request, p: Principal = OPERATOR
) -> dict[str, int]:
    oid = _service(request).override(
        device_id, body.kind, body.reason, body.hours * 3600, actor=_actor(p)
    )
    return {"override_id": oid}


@router.delete(
    "/overrides/{override_id}",
    summary="End an override (operator)",
    response_model=views.OverrideOut,
)
def end_override(
    override_id: Annotated[int, Path(ge=1, le=ROW_ID_MAX)],
    request: Request,
    p: Principal = OPERATOR,
) -> dict[str, int]:
    _service(request).revoke_override(override_id, actor=_actor(p))
    return {"override_id": override_id}


@router.post(
    "/landmarks",
    summary="Register a landmark (operator)",
    status_code=201,
    response_model=views.LandmarkAddedOut,
)
def add_landmark(body: LandmarkIn, request: Request, p: Principal = OPERATOR) -> dict[str, str]:
    key = PublicKey.load(body.public_key)
    _service(request).add_landmark(
        body.landmark_id,
        body.lat,
        body.lon,
        key,
        min_processing_ms=body.min_processing_ms,
        actor=_actor(p),
    )
    return {"landmark_id": body.landmark_id, "kid": key.kid.hex()}


@router.get("/landmarks", summary="Landmarks (operator)", response_model=list[views.LandmarkOut])
def landmarks(request: Request, _p: Principal = OPERATOR) -> list[dict[str, Any]]:
    return _service(request).landmarks()


@router.get("/devices/{device_id}/map", response_class=HTMLResponse, summary="Map page (operator)")
def device_map(
    device_id: str,
    request: Request,
    evidence_id: Annotated[int | None, Query(ge=1, le=ROW_ID_MAX)] = None,
    _p: Principal = OPERATOR,
) -> HTMLResponse:
    from dualuse.web.tracking.render import map_html

    service = _service(request)
    location, row = service.device_location(device_id, evidence_id)
    rows = service.history(device_id, 50)["evidence"]
    page = map_html(
        location,
        service.locator.world,
        title=f"{device_id}: evidence {row['id']}",
        verdict=row["verdict"],
        history_rows=rows,
        plot_url=f"/v1/tracking/devices/{device_id}/history.png",
    )
    return HTMLResponse(page)


@router.get(
    "/devices/{device_id}/map.png", summary="Map picture (operator)", response_class=PNGResponse
)
def device_map_png(
    device_id: str,
    request: Request,
    evidence_id: Annotated[int | None, Query(ge=1, le=ROW_ID_MAX)] = None,
    _p: Principal = OPERATOR,
) -> Response:
    from dualuse.web.tracking.render import map_png

    service = _service(request)
    location, row = service.device_location(device_id, evidence_id)
    png = map_png(location, service.locator.world, title=device_id, verdict=row["verdict"])
    return PNGResponse(png)


@router.get(
    "/devices/{device_id}/history.png",
    summary="History plot (operator)",
    response_class=PNGResponse,
)
def device_history_png(device_id: str, request: Request, _p: Principal = OPERATOR) -> Response:
    from dualuse.web.tracking.render import history_png

    h = _service(request).history(device_id)
    return PNGResponse(history_png(h["evidence"], h["signals"], h["leases"], title=device_id))


@router.post(
    "/locate",
    summary="Locate from landmark RTTs (screener, operator)",
    response_model=views.LocationOut,
    response_model_exclude_unset=True,
)
def locate(body: LocateIn, request: Request, _p: Principal = SCREENER) -> dict[str, Any]:
    bound = Bound.parse(body.bound)
    rows = [
        check_measurement(
            Measurement(m.landmark_lat, m.landmark_lon, m.rtt_ms, m.landmark), where=f"row {i + 1}"
        )
        for i, m in enumerate(body.measurements)
    ]
    claimed = None
    if body.claimed is not None:
        c = body.claimed
        claimed = (c[0], c[1], c[2] if len(c) > 2 else 0.0)
    located = locate_and_judge(
        _service(request).locator,
        rows,
        bound,
        prohibited=body.prohibited or None,
        claimed=claimed,
    )
    return located.report()


def register(app: FastAPI) -> None:
    app.include_router(router)
