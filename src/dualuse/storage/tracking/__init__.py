"""Tracked devices, their keys, landmarks, nonces, evidence history, signals, leases and
human overrides, as SQL tables on the shared metadata (SQLite or PostgreSQL).

Times are seconds since the epoch (floats). Every write that must be all-or-nothing
(enrolment with its key, evidence with its nonce and signals, a lease with its sequence
number) runs in one transaction; single use is enforced with conditional updates
(``... WHERE consumed_at IS NULL``), which both databases make atomic.

The tables are in :mod:`.tables`, the queries by subject in :mod:`.registry` (devices,
keys, landmarks), :mod:`.history` (nonces, evidence, signals) and :mod:`.leasing`
(leases, overrides); this package exports them all, so importing it registers the
tables on the shared metadata.
"""

from __future__ import annotations

from dualuse.storage.tracking.history import (
    ReplayError,
    SignalRow,
    add_signals,
    evidence_row,
    evidence_rows,
    issue_nonce,
    nonce_row,
    record_evidence,
    signal_rows,
)
from dualuse.storage.tracking.leasing import (
    active_overrides,
    add_override,
    lease_rows,
    record_lease,
    revoke_override,
)
from dualuse.storage.tracking.registry import (
    DeviceRow,
    add_key,
    add_landmark,
    device_key_rows,
    enrol,
    get_device,
    get_device_conn,
    key_owner,
    landmark_rows,
    list_devices,
    revoke_key,
    revoke_landmark,
    set_landmark_slopes,
    set_status,
)
from dualuse.storage.tracking.tables import (
    device_keys,
    devices,
    evidence,
    landmarks,
    leases,
    nonces,
    overrides,
    signals,
)

__all__ = [
    "DeviceRow",
    "ReplayError",
    "SignalRow",
    "active_overrides",
    "add_key",
    "add_landmark",
    "add_override",
    "add_signals",
    "device_key_rows",
    "device_keys",
    "devices",
    "enrol",
    "evidence",
    "evidence_row",
    "evidence_rows",
    "get_device",
    "get_device_conn",
    "issue_nonce",
    "key_owner",
    "landmark_rows",
    "landmarks",
    "lease_rows",
    "leases",
    "list_devices",
    "nonce_row",
    "nonces",
    "overrides",
    "record_evidence",
    "record_lease",
    "revoke_key",
    "revoke_landmark",
    "revoke_override",
    "set_landmark_slopes",
    "set_status",
    "signal_rows",
    "signals",
]
