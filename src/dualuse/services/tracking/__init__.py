"""Tracking use cases: enrol devices and landmarks, issue nonces, appraise evidence,
locate, judge, raise signals, grant or deny leases, record human overrides.

Every state change is stored transactionally (``dualuse.storage.tracking``); every
decision an auditor would ask about (enrolment, keys, verdicts that accuse, blocking
signals, leases granted or denied, overrides) goes to the hash-chained audit log.

:class:`TrackingService` is assembled in :mod:`.service` from one mixin per subject:
:mod:`.registry` (devices, keys, landmarks), :mod:`.appraisal` (nonces, evidence),
:mod:`.leasing` (leases, overrides) and :mod:`.views` (maps, fleet, history), on the
shared state of :mod:`.core`.
"""

from __future__ import annotations

from dualuse.services.tracking.appraisal import EvidenceOutcome
from dualuse.services.tracking.core import SIGNALS, locator_for
from dualuse.services.tracking.leasing import LeaseOutcome
from dualuse.services.tracking.service import LocalTransport, TrackingService

__all__ = [
    "SIGNALS",
    "EvidenceOutcome",
    "LeaseOutcome",
    "LocalTransport",
    "TrackingService",
    "locator_for",
]
