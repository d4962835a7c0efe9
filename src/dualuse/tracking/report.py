"""Plain-JSON views of locations, verdicts and stored history, shared by the CLI, the API
and the web page."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from dualuse.tracking.locate import BOUNDS, LatencyLocator, Location, Measurement
from dualuse.tracking.policy import PolicyVerdict


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


def fix_columns(
    location: Location, verdict: PolicyVerdict, measurements: Sequence[Measurement]
) -> dict[str, Any]:
    """The evidence-history columns of one located, judged check-in."""
    est = location.estimate
    return {
        "bound": location.bound.value,
        "verdict": verdict.verdict.value,
        "reasons": json.dumps(verdict.reasons),
        "possible_countries": json.dumps(location.possible_countries),
        "region_km2": location.region_km2,
        "estimate_lat": est[0] if est else None,
        "estimate_lon": est[1] if est else None,
        "allows_operation": verdict.allows_operation,
        "discs": json.dumps([[d.lat, d.lon, d.radius_km] for d in location.region.discs]),
        "measurements": json.dumps(
            [
                [m.landmark, m.landmark_lat, m.landmark_lon, m.rtt_ms, m.min_processing_ms]
                for m in measurements
            ]
        ),
    }


def stored_measurements(text: str) -> list[Measurement]:
    return [Measurement(m[1], m[2], m[3], m[0], m[4]) for m in json.loads(text)]


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
