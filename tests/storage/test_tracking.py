"""Tracking tables on SQLite and PostgreSQL: uniqueness, single use, all-or-nothing."""

import json
import threading

import pytest

from dualuse.errors import IntegrityError, NotFoundError
from dualuse.storage import tracking as store
from dualuse.storage.db import make_engine

UEID = b"\x01" + bytes(range(16))


def _device(device_id: str = "dev1", ueid: bytes = UEID) -> store.DeviceRow:
    return store.DeviceRow(
        device_id=device_id,
        serial="SN-1",
        model="H100",
        eccn="3A090",
        licence="D1234",
        end_user="ACME",
        permitted=("DE",),
        prohibited=("CN", "RU"),
        ueid=ueid,
        checkin_interval_s=3600,
        enrolled_at=1.0,
    )


def test_enrol_and_key_uniqueness(db_url: str) -> None:
    engine = make_engine(db_url)
    store.enrol(engine, _device(), b"k" * 16, -8, "pem")
    got = store.get_device(engine, "dev1")
    assert got.prohibited == ("CN", "RU") and got.ueid == UEID and got.lease_seq == 0
    with pytest.raises(IntegrityError, match="already registered to device:dev1"):
        store.enrol(engine, _device("dev2", b"\x01" + bytes(16)), b"k" * 16, -8, "pem")
    with pytest.raises(NotFoundError):
        store.get_device(engine, "dev2")  # nothing half-written
    with pytest.raises(IntegrityError, match="ueid"):
        store.enrol(engine, _device("dev3"), b"j" * 16, -8, "pem")
    store.add_landmark(engine, "lm1", 1.0, 2.0, b"l" * 16, "pem", 0.0, 1.0)
    with pytest.raises(IntegrityError, match="landmark:lm1"):
        store.add_key(engine, "dev1", b"l" * 16, -8, "pem", 2.0)
    assert store.revoke_key(engine, b"k" * 16, "lost", 3.0) == "dev1"
    with pytest.raises(NotFoundError):
        store.revoke_key(engine, b"k" * 16, "again", 4.0)


def test_nonce_is_consumed_once_even_under_concurrency(db_url: str) -> None:
    engine = make_engine(db_url)
    store.enrol(engine, _device(), b"k" * 16, -8, "pem")
    store.issue_nonce(engine, "dev1", b"n" * 32, 10.0, 130.0)
    row = {"device_id": "dev1", "received_at": 11.0, "accepted": True, "token_sha256": "0" * 64}
    outcomes: list[str] = []

    def submit() -> None:
        try:
            store.record_evidence(
                make_engine(db_url),
                dict(row),
                consume_nonce=b"n" * 32,
                device_update={"last_bootcount": 3},
            )
            outcomes.append("ok")
        except store.ReplayError:
            outcomes.append("replay")
        except Exception as exc:  # SQLite may report a lock as an error: also not a second use
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert len(store.evidence_rows(engine, "dev1")) == 1
    assert store.nonce_row(engine, b"n" * 32)["consumed_at"] == 11.0
    assert store.get_device(engine, "dev1").last_bootcount == 3


def test_evidence_with_signals_is_atomic(db_url: str) -> None:
    engine = make_engine(db_url)
    store.enrol(engine, _device(), b"k" * 16, -8, "pem")
    row = {
        "device_id": "dev1",
        "received_at": 5.0,
        "accepted": False,
        "token_sha256": "1" * 64,
        "reason": "revoked_key",
    }
    signal = store.SignalRow("revoked_key_used", 1.0, {"kid": "6b"})
    with pytest.raises(store.ReplayError):  # nonce never issued: nothing is written
        store.record_evidence(engine, row, new_signals=[signal], consume_nonce=b"x" * 32)
    assert store.evidence_rows(engine, "dev1") == [] and store.signal_rows(engine, "dev1") == []
    evidence_id = store.record_evidence(engine, row, new_signals=[signal])
    (stored,) = store.signal_rows(engine, "dev1")
    assert stored["evidence_id"] == evidence_id and json.loads(stored["detail"]) == {"kid": "6b"}


def test_lease_spends_evidence_and_advances_sequence(db_url: str) -> None:
    engine = make_engine(db_url)
    store.enrol(engine, _device(), b"k" * 16, -8, "pem")
    row = {"device_id": "dev1", "received_at": 5.0, "accepted": True, "token_sha256": "2" * 64}
    first = store.record_evidence(engine, row)
    second = store.record_evidence(engine, dict(row, received_at=6.0))
    lease = dict(device_id="dev1", issued_at=7.0, expires_at=100.0, basis="verdict", token="t")
    store.record_lease(engine, lease_id=b"a" * 16, seq=1, evidence_id=first, **lease)
    with pytest.raises(IntegrityError):  # same evidence twice
        store.record_lease(engine, lease_id=b"b" * 16, seq=2, evidence_id=first, **lease)
    with pytest.raises(IntegrityError):  # stale sequence number
        store.record_lease(engine, lease_id=b"c" * 16, seq=1, evidence_id=second, **lease)
    store.record_lease(engine, lease_id=b"d" * 16, seq=2, evidence_id=second, **lease)
    assert [r["seq"] for r in store.lease_rows(engine, "dev1")] == [2, 1]
    assert store.get_device(engine, "dev1").lease_seq == 2


def test_overrides_expire_and_revoke(db_url: str) -> None:
    engine = make_engine(db_url)
    store.enrol(engine, _device(), b"k" * 16, -8, "pem")
    oid = store.add_override(engine, "dev1", "allow", "audit", "alice", 10.0, 20.0)
    assert [r["id"] for r in store.active_overrides(engine, "dev1", 15.0)] == [oid]
    assert store.active_overrides(engine, "dev1", 25.0) == []
    assert store.revoke_override(engine, oid, 16.0) == "dev1"
    assert store.active_overrides(engine, "dev1", 17.0) == []
    with pytest.raises(NotFoundError):
        store.add_override(engine, "nope", "allow", "x", "a", 1.0, 2.0)
