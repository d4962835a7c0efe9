"""Read-only tracking views: a stored fix's region for a map, the landmarks, the fleet
with each device's last verdict, lease and risk, and a device's history."""

from __future__ import annotations

import json
import time
from typing import Any

from dualuse.errors import NotFoundError
from dualuse.services.tracking.core import SIGNALS, TrackingCore
from dualuse.storage import tracking as store
from dualuse.storage.tracking.history import stored_measurements
from dualuse.tracking import signals as sig
from dualuse.tracking.locate import Bound, Location
from dualuse.views import tracking as report


class TrackingViews(TrackingCore):
    """Maps, fleet and history (part of :class:`TrackingService`)."""

    def device_location(
        self, device_id: str, evidence_id: int | None = None
    ) -> tuple[Location, Any]:
        """Recompute the region of a stored fix (the latest, or ``evidence_id``) for a map."""
        for row in store.evidence_rows(self.engine, device_id, accepted_only=True):
            if row["measurements"] and evidence_id in (None, row["id"]):
                break
        else:
            raise NotFoundError(f"no located evidence for {device_id}")
        claimed = None
        if row["gps_lat"] is not None:
            accuracy = json.loads(row["claims"]).get("location", {}).get("accuracy", 0.0)
            claimed = (row["gps_lat"], row["gps_lon"], float(accuracy) / 1000.0)
        measurements = stored_measurements(row["measurements"])
        bound = Bound(row["bound"])
        calibration = self._calibration() if bound is Bound.CALIBRATED else None
        location = self.locator.locate(
            measurements, bound, claimed=claimed, calibration=calibration
        )
        return location, row

    def landmarks(self) -> list[dict[str, Any]]:
        keys = ("landmark_id", "lat", "lon", "kid", "min_processing_ms", "slope_ms_per_km")
        return [
            {k: r[k] for k in keys} | {"revoked_at": r["revoked_at"]}
            for r in store.landmark_rows(self.engine)
        ]

    def fleet(self, now: float | None = None) -> list[dict[str, Any]]:
        """Every device with its last verdict, lease, missed check-ins and risk."""
        now = time.time() if now is None else now
        out = []
        for d in store.list_devices(self.engine):
            last = store.evidence_rows(self.engine, d.device_id, accepted_only=True, limit=1)
            window = now - self.cfg.signal_window_s
            signals = store.signal_rows(self.engine, d.device_id)
            kinds = [r["kind"] for r in signals if r["at"] >= window]
            missed = sig.missed_checkins(d.last_seen_at, now, d.checkin_interval_s)
            if missed:
                kinds.append("missed_checkin")
            risk, _parts = SIGNALS.score(kinds)
            lease = store.lease_rows(self.engine, d.device_id, limit=1)
            out.append(
                report.device_view(d)
                | {
                    "missed_checkins": missed,
                    "last_verdict": last[0]["verdict"] if last else None,
                    "lease_expires_at": lease[0]["expires_at"] if lease else None,
                    "lease_active": bool(lease and lease[0]["expires_at"] > now),
                    "risk": round(risk, 3),
                    "signals": sorted(set(kinds)),
                }
            )
        return out

    def history(self, device_id: str, limit: int = 200) -> dict[str, Any]:
        """A device's record, keys, evidence, signals and leases, newest first."""
        d = store.get_device(self.engine, device_id)
        keys = store.device_key_rows(self.engine, device_id=device_id)
        return {
            "device": report.device_view(d),
            "keys": [
                {"kid": k["kid"], "alg": k["alg"], "revoked_at": k["revoked_at"]} for k in keys
            ],
            "evidence": [
                report.evidence_view(r)
                for r in store.evidence_rows(self.engine, device_id, limit=limit)
            ],
            "signals": [
                report.signal_view(r) for r in store.signal_rows(self.engine, device_id, limit)
            ],
            "leases": [
                report.lease_view(r) for r in store.lease_rows(self.engine, device_id, limit)
            ],
        }
