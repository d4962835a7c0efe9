"""The JSON shapes of locations, verdicts, devices and stored history, shared by the CLI
(``locate --json``), the API and the web page, and their response models."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from dualuse.storage.tracking import DeviceRow
from dualuse.tracking.locate import BOUNDS, LatencyLocator, Location
from dualuse.tracking.policy import PolicyVerdict
from dualuse.views import Number, View


def location_report(location: Location, verdict: PolicyVerdict | None = None) -> dict[str, Any]:
    """Everything ``dualuse locate --json`` prints: ``possible_countries`` (ISO-2 codes of
    every country within the buffer of the region) and ``region_km2`` first."""
    region = location.region
    out: dict[str, Any] = {
        "possible_countries": list(location.possible_countries),
        "region_km2": round(location.region_km2, 1),
        "region_km2_bounds": [round(region.area_min_km2, 1), round(region.area_max_km2, 1)],
        "empty": location.empty,
        "inside_countries": list(location.inside_countries),
        "bound": location.bound.value,
        "bound_doc": BOUNDS[location.bound].doc,
        "method": LatencyLocator.NAME,
        "border_buffer_km": location.buffer_km,
        "estimate": (
            {"lat": round(location.estimate[0], 4), "lon": round(location.estimate[1], 4)}
            if location.estimate
            else None
        ),
        "landmarks": [
            {
                "landmark": c.landmark,
                "lat": c.lat,
                "lon": c.lon,
                "rtt_ms": c.rtt_ms,
                "radius_km": round(c.radius_km, 1),
                "shapes_region": c.shapes_region,
                "calibrated": c.calibrated,
            }
            for c in location.constraints
        ],
        "conflicts": [list(p) for p in location.conflicts],
    }
    if location.claim is not None:
        claim = location.claim
        out["claim"] = {
            "lat": claim.lat,
            "lon": claim.lon,
            "accuracy_km": claim.accuracy_km,
            "consistent": claim.consistent,
            "ruled_out_by": list(claim.ruled_out_by),
            "worst_excess_km": round(claim.worst_excess_km, 1),
        }
    if verdict is not None:
        out["verdict"] = verdict_report(verdict)
    return out


def verdict_report(verdict: PolicyVerdict) -> dict[str, Any]:
    return {
        "verdict": verdict.verdict.value,
        "policy": verdict.policy,
        "bound": verdict.bound.value,
        "allows_operation": verdict.allows_operation,
        "permitted_possible": verdict.permitted_possible,
        "reasons": list(verdict.reasons),
        "countries": [
            {"code": c.code, "verdict": c.verdict.value, "reason": c.reason}
            for c in verdict.countries
        ],
    }


def evidence_view(row: Mapping[Any, Any]) -> dict[str, Any]:
    """One stored appraisal as JSON."""
    keys = (
        "id", "received_at", "accepted", "reason", "message", "iat", "bootcount", "gps_lat",
        "gps_lon", "bound", "verdict", "region_km2", "estimate_lat", "estimate_lon",
        "allows_operation", "lease_used",
    )  # fmt: skip
    view = {k: row[k] for k in keys}
    for k in ("reasons", "possible_countries", "discs", "measurements"):
        view[k] = json.loads(row[k]) if row[k] else None
    return view


def signal_view(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "at": row["at"],
        "kind": row["kind"],
        "weight": row["weight"],
        "detail": json.loads(row["detail"]),
    }


def lease_view(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        k: row[k] for k in ("lease_id", "seq", "issued_at", "expires_at", "basis", "evidence_id")
    }


def device_view(d: DeviceRow) -> dict[str, Any]:
    return asdict(d) | {
        "ueid": d.ueid.hex(),
        "permitted": list(d.permitted),
        "prohibited": list(d.prohibited),
    }


class EstimateOut(View):
    lat: Number
    lon: Number


class ConstraintOut(View):
    landmark: str
    lat: Number
    lon: Number
    rtt_ms: Number
    radius_km: Number
    shapes_region: bool
    calibrated: bool


class ClaimOut(View):
    lat: Number
    lon: Number
    accuracy_km: Number
    consistent: bool
    ruled_out_by: list[str]
    worst_excess_km: Number


class CountryVerdictOut(View):
    code: str
    verdict: str
    reason: str


class VerdictOut(View):
    verdict: str
    policy: str
    bound: str
    allows_operation: bool
    permitted_possible: bool | None
    reasons: list[str]
    countries: list[CountryVerdictOut]


class LocationOut(View):
    """Where a device can be: every country the region (with its border buffer) touches.
    ``claim`` is there when a position was claimed, ``verdict`` when one was judged."""

    possible_countries: list[str]
    region_km2: Number
    region_km2_bounds: list[Number]
    empty: bool
    inside_countries: list[str]
    bound: str
    bound_doc: str
    method: str
    border_buffer_km: Number
    estimate: EstimateOut | None
    landmarks: list[ConstraintOut]
    conflicts: list[list[str]]
    claim: ClaimOut | None = None
    verdict: VerdictOut | None = None


class NonceOut(View):
    nonce: str
    expires_at: Number


class IdentityOut(View):
    device_id: str
    ueid: str


class VerifierKeyOut(View):
    public_key: str
    kid: str


class RejectedOut(View):
    index: int
    reason: str


class EvidenceOut(View):
    """The appraisal of one check-in; ``location`` is there when it was located and judged."""

    evidence_id: int
    accepted: bool
    reason: str | None
    message: str
    measurements_used: int
    measurements_rejected: list[RejectedOut]
    signals: list[str]
    verdict: str | None
    location: LocationOut | None = None


class LeaseOut(View):
    granted: bool
    basis: str
    reasons: list[str]
    token: str | None
    lease_id: str | None
    seq: int | None
    expires_at: Number | None


class DeviceOut(View):
    device_id: str
    serial: str
    model: str
    eccn: str
    licence: str
    end_user: str
    permitted: list[str]
    prohibited: list[str]
    ueid: str
    checkin_interval_s: int
    enrolled_at: Number
    licence_valid_until: str | None
    status: str
    last_bootcount: int | None
    last_iat: Number | None
    last_seen_at: Number | None
    lease_seq: int


class FleetDeviceOut(DeviceOut):
    missed_checkins: int
    last_verdict: str | None
    lease_expires_at: Number | None
    lease_active: bool
    risk: Number
    signals: list[str]


class EnrolledOut(View):
    device_id: str
    ueid: str
    kid: str
    api_key: str
    """The device's own API key, shown once."""


class KeyOut(View):
    kid: str
    alg: int
    revoked_at: Number | None


class EvidenceRowOut(View):
    id: int
    received_at: Number
    accepted: bool
    reason: str | None
    message: str
    iat: Number | None
    bootcount: int | None
    gps_lat: Number | None
    gps_lon: Number | None
    bound: str | None
    verdict: str | None
    region_km2: Number | None
    estimate_lat: Number | None
    estimate_lon: Number | None
    allows_operation: bool
    lease_used: bool
    reasons: list[str] | None
    possible_countries: list[str] | None
    discs: list[list[Number]] | None
    measurements: list[list[Any]] | None


class SignalOut(View):
    at: Number
    kind: str
    weight: Number
    detail: Any


class LeaseRowOut(View):
    lease_id: str
    seq: int
    issued_at: Number
    expires_at: Number
    basis: str
    evidence_id: int | None


class HistoryOut(View):
    """A device's record, keys, evidence, signals and leases, newest first."""

    device: DeviceOut
    keys: list[KeyOut]
    evidence: list[EvidenceRowOut]
    signals: list[SignalOut]
    leases: list[LeaseRowOut]


class LandmarkOut(View):
    landmark_id: str
    lat: Number
    lon: Number
    kid: str
    min_processing_ms: Number
    slope_ms_per_km: Number | None
    revoked_at: Number | None


class KidOut(View):
    kid: str


class DeviceStatusOut(View):
    device_id: str
    status: str


class RevokedKeyOut(View):
    kid: str
    device_id: str


class OverrideOut(View):
    override_id: int


class LandmarkAddedOut(View):
    landmark_id: str
    kid: str
