"""The tracking service, assembled from its use cases, and the simulator's in-process
transport."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dualuse.services.tracking.appraisal import TrackingAppraisal
from dualuse.services.tracking.leasing import TrackingLeasing
from dualuse.services.tracking.registry import TrackingRegistry
from dualuse.services.tracking.views import TrackingViews


@dataclass
class TrackingService(TrackingRegistry, TrackingAppraisal, TrackingLeasing, TrackingViews):
    """Enrol devices and landmarks, issue nonces, appraise evidence, locate, judge, raise
    signals, grant or deny leases, record human overrides; one mixin per subject."""


class LocalTransport:
    """The simulator's transport straight into a service (no HTTP), for tests and demos."""

    def __init__(self, service: TrackingService) -> None:
        self.service = service

    def nonce(self, device_id: str) -> bytes:
        return self.service.issue_nonce(device_id)[0]

    def evidence(
        self, device_id: str, token: bytes, measurements: Sequence[tuple[bytes, bytes]]
    ) -> dict[str, Any]:
        out = self.service.submit_evidence(device_id, token, measurements)
        verdict = out.verdict.verdict.value if out.verdict else None
        return {
            "evidence_id": out.evidence_id,
            "accepted": out.accepted,
            "reason": out.reason,
            "verdict": verdict,
        }

    def lease(self, device_id: str, evidence_id: int, lease_nonce: bytes) -> dict[str, Any]:
        out = self.service.request_lease(device_id, evidence_id, lease_nonce)
        return {"granted": out.granted, "token": out.token, "reasons": list(out.reasons)}
