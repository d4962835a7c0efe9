"""The tracking service end to end on a real database: simulated devices and landmarks,
real signatures, stored history, audit log."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dualuse.errors import InputError, IntegrityError
from dualuse.services.tracking import LocalTransport, TrackingService
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage import tracking as store
from dualuse.storage.db import make_engine
from dualuse.tracking.cose import sign1
from dualuse.tracking.keys import Signer
from dualuse.tracking.locate import Bound
from dualuse.tracking.simulator import LeaseLapsed, SimDevice, SimLandmark, check_in

# Landmark places: city-centre coordinates, demo values (Munich, Frankfurt, Vienna,
# Moscow and Singapore also host WonderNetwork servers; see shared/data/geo/wondernetwork).
PLACES = {
    "Munich": (48.1374, 11.5755),
    "Frankfurt": (50.1109, 8.6821),
    "Vienna": (48.2088, 16.3726),
    "Warsaw": (52.2297, 21.0122),
    "Moscow": (55.7558, 37.6173),
    "Singapore": (1.2897, 103.8501),
}


@pytest.fixture
def service(settings: Settings) -> TrackingService:
    return TrackingService(make_engine(settings.db_url), settings)


@pytest.fixture
def landmarks(service: TrackingService) -> dict[str, SimLandmark]:
    out = {}
    for name, (lat, lon) in PLACES.items():
        signer = Signer.generate()
        service.add_landmark(name, lat, lon, signer.public, actor="test")
        out[name] = SimLandmark(name, lat, lon, signer)
    return out


def enrol(service: TrackingService, at: tuple[float, float], **kw) -> SimDevice:  # type: ignore[no-untyped-def]
    signer = kw.pop("signer", None) or Signer.generate()
    row = service.enrol(
        serial=kw.pop("serial", "SN-1"),
        model="DGX H100",
        eccn="3a090",
        licence="D123456",
        end_user="Example GmbH",
        prohibited=["CN", "RU", "IR"],
        permitted=["DE", "AT"],
        public_key=signer.public,
        actor="test",
        **kw,
    )
    return SimDevice(row.device_id, row.ueid, signer, service.lease_signer().public, *at)


def kinds(service: TrackingService, device_id: str) -> set[str]:
    return {r["kind"] for r in store.signal_rows(service.engine, device_id)}


def test_licensed_device_gets_a_lease_and_works(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Munich"])
    europe = [landmarks[n] for n in ("Munich", "Frankfurt", "Vienna", "Warsaw")]
    result = check_in(device, europe, LocalTransport(service))
    assert result.evidence["accepted"] and result.evidence["verdict"] == "proven_outside"
    assert result.lease and result.lease["granted"] and result.operational
    assert device.work() == 1
    history = service.history(device.device_id)
    (fix,) = history["evidence"]
    assert "DE" in fix["possible_countries"] and "RU" not in fix["possible_countries"]
    assert len(fix["measurements"]) == 4 and history["leases"][0]["seq"] == 1
    actions = [
        r.action for r in audit.records(service.engine, subject=f"device:{device.device_id}")
    ]
    assert actions == ["tracking.device.enrol", "tracking.lease.issue"]
    assert audit.verify_chain(service.engine) > 0


def test_replayed_evidence_is_rejected(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Munich"])
    nonce = service.issue_nonce(device.device_id)[0]
    token = device.evidence(nonce)
    assert service.submit_evidence(device.device_id, token).accepted
    again = service.submit_evidence(device.device_id, token)
    assert not again.accepted and again.reason == "replayed_nonce"


def test_device_in_russia_is_denied_until_overridden(
    service: TrackingService, landmarks: dict
) -> None:
    device = enrol(service, PLACES["Moscow"])
    device.lat, device.lon = 55.70, 37.50  # a few km from the Moscow landmark
    result = check_in(device, [landmarks["Moscow"], landmarks["Warsaw"]], LocalTransport(service))
    assert result.evidence["verdict"] == "violation"
    assert result.lease is not None and not result.lease["granted"] and not result.operational
    with pytest.raises(LeaseLapsed):
        device.work()
    assert "violation" in kinds(service, device.device_id)
    oid = service.override(
        device.device_id, "allow", "licence amendment pending", 3600, actor="alice"
    )
    again = check_in(device, [landmarks["Moscow"]], LocalTransport(service))
    assert again.lease is not None and again.lease["granted"] and again.operational
    assert service.history(device.device_id)["leases"][0]["basis"] == "override"
    actions = [
        r.action for r in audit.records(service.engine, subject=f"device:{device.device_id}")
    ]
    assert "tracking.verdict.violation" in actions and "tracking.override.allow" in actions
    assert "tracking.lease.deny" in actions
    service.revoke_override(oid, actor="alice")


def test_lying_gps_is_inconsistent(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Warsaw"])
    device.gps_override = PLACES["Munich"]
    result = check_in(device, [landmarks["Warsaw"], landmarks["Vienna"]], LocalTransport(service))
    assert result.evidence["verdict"] == "inconsistent" and not result.operational
    assert "gps_inconsistent" in kinds(service, device.device_id)


def test_revoked_key_and_shared_key_raise_signals(
    service: TrackingService, landmarks: dict
) -> None:
    signer = Signer.generate()
    device = enrol(service, PLACES["Munich"], signer=signer)
    with pytest.raises(IntegrityError, match="already registered"):
        enrol(service, PLACES["Munich"], signer=signer, serial="SN-2")
    assert "key_on_two_devices" in kinds(service, device.device_id)
    service.revoke_key(signer.kid.hex(), "board returned", actor="alice")
    out = service.submit_evidence(
        device.device_id, device.evidence(service.issue_nonce(device.device_id)[0])
    )
    assert not out.accepted and out.reason == "revoked_key" and "revoked_key_used" in out.signals


def test_bootcount_rollback_blocks_leases(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Munich"])
    munich = [landmarks["Munich"], landmarks["Frankfurt"]]
    device.bootcount = 9
    assert check_in(device, munich, LocalTransport(service)).operational
    device.bootcount = 2  # NVRAM replaced
    rolled = check_in(device, munich, LocalTransport(service))
    assert rolled.evidence["reason"] == "bootcount_rollback"
    device.bootcount = 10
    blocked = check_in(device, munich, LocalTransport(service))
    assert (
        blocked.evidence["accepted"] and blocked.lease is not None and not blocked.lease["granted"]
    )
    assert any("bootcount_reset" in r for r in blocked.lease["reasons"])


def test_impossible_travel(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Munich"])
    check_in(device, [landmarks["Munich"]], LocalTransport(service))
    device.lat, device.lon = PLACES["Singapore"]  # a cloned key answers from Singapore
    check_in(device, [landmarks["Singapore"]], LocalTransport(service))
    assert "impossible_travel" in kinds(service, device.device_id)
    fleet = {r["device_id"]: r for r in service.fleet()}
    assert fleet[device.device_id]["risk"] == 1.0


def test_suspended_device_and_expired_licence(service: TrackingService, landmarks: dict) -> None:
    from datetime import date

    device = enrol(service, PLACES["Munich"], licence_valid_until=date(2020, 1, 1))
    munich = [landmarks["Munich"]]
    expired = check_in(device, munich, LocalTransport(service))
    assert expired.evidence["verdict"] == "proven_outside" and expired.lease is not None
    assert not expired.lease["granted"] and "licence expired" in expired.lease["reasons"][0]
    service.set_status(device.device_id, "suspended", actor="alice")
    out = check_in(device, munich, LocalTransport(service))
    assert out.evidence["reason"] == "device_inactive"
    with pytest.raises(InputError):
        service.set_status(device.device_id, "lost", actor="alice")


def test_forged_receipts_are_not_used(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Warsaw"])
    fake = SimLandmark("Munich", *PLACES["Munich"], Signer.generate())  # not the registered key
    nonce = service.issue_nonce(device.device_id)[0]
    out = service.submit_evidence(
        device.device_id, device.evidence(nonce), [fake.measure(device, nonce)]
    )
    assert out.accepted and out.measurements_used == 0 and out.verdict is None
    assert "unknown_key" in out.measurements_rejected[0][1]
    lease = service.request_lease(device.device_id, out.evidence_id, b"n" * 16)
    assert not lease.granted  # no timing, no verdict, no lease


def test_bad_inputs_are_refused(service: TrackingService, landmarks: dict) -> None:
    device = enrol(service, PLACES["Munich"])
    out = service.submit_evidence(device.device_id, b"\x00" * 20)
    assert not out.accepted and out.reason == "malformed"
    assert out.verdict is None and out.location is None  # never a verdict from this
    big = service.submit_evidence(device.device_id, b"\x00" * 100_000)
    assert big.reason == "oversized"
    with pytest.raises(InputError, match="not an ECCN"):
        service.enrol(
            serial="x",
            model="m",
            eccn="3Q999",
            licence="l",
            end_user="e",
            prohibited=["CN"],
            public_key=Signer.generate().public,
            actor="t",
        )
    with pytest.raises(InputError, match="lease nonce"):
        service.request_lease(device.device_id, out.evidence_id, b"")
    skewed = replace(device, wall=lambda: 0.0)
    late = service.submit_evidence(
        device.device_id, skewed.evidence(service.issue_nonce(device.device_id)[0])
    )
    assert late.reason == "clock_skew"
    wrong_key = sign1(b"\xa0", Signer.generate())
    assert service.submit_evidence(device.device_id, wrong_key).reason == "unknown_key"


def test_calibrated_bound_uses_landmark_fits(settings: Settings) -> None:
    calibrated = replace(settings, tracking=replace(settings.tracking, bound="calibrated"))
    service = TrackingService(make_engine(calibrated.db_url), calibrated)
    sims = {}
    for name, (lat, lon) in PLACES.items():
        signer = Signer.generate()
        service.add_landmark(name, lat, lon, signer.public, actor="test")
        sims[name] = SimLandmark(name, lat, lon, signer)
    pairs = [
        (
            a,
            b,
            sims[a].rtt_ms(
                SimDevice("x", b"", Signer.generate(), Signer.generate().public, *PLACES[b])
            ),
        )
        for a in PLACES
        for b in PLACES
        if a < b
    ]
    slopes = service.calibrate_landmarks(pairs, actor="test")
    assert all(v is not None for v in slopes.values())
    device = enrol(service, PLACES["Munich"])
    device.lat, device.lon = 48.3, 11.9
    europe = [sims[n] for n in ("Munich", "Frankfurt", "Vienna")]
    out = check_in(device, europe, LocalTransport(service))
    assert out.evidence["verdict"] == "proven_outside"
    location, row = service.device_location(device.device_id)
    assert row["bound"] == "calibrated"
    assert all(c.calibrated for c in location.constraints)
    secure = service.locator.locate(report_measurements(row), Bound.SECURE)
    assert location.region_km2 < secure.region_km2 / 2


def report_measurements(row):  # type: ignore[no-untyped-def]
    from dualuse.storage.tracking.history import stored_measurements

    return stored_measurements(row["measurements"])


@pytest.mark.parametrize(
    "device_id", ["../../x", "a/b", "..", ".hidden", "a b", "x" * 65, "dev%2F..", "é", "-x"]
)
def test_device_ids_no_route_can_serve_are_refused(
    service: TrackingService, device_id: str
) -> None:
    with pytest.raises(InputError, match="device id"):
        enrol(service, (48.2, 16.4), device_id=device_id)
    assert service.fleet() == []


@pytest.mark.parametrize("device_id", ["dev_1", "SN-77.a", "x" * 64, "7"])
def test_plain_device_ids_are_accepted(service: TrackingService, device_id: str) -> None:
    assert enrol(service, (48.2, 16.4), device_id=device_id).device_id == device_id
