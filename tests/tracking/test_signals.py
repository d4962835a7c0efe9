from dualuse.tracking.evidence import Reason, Rejection
from dualuse.tracking.region import Disc
from dualuse.tracking.signals import (
    DiversionSignals,
    from_notes,
    from_rejection,
    impossible_travel,
    missed_checkins,
    region_gap_km,
)


def test_impossible_travel_between_disjoint_regions() -> None:
    munich = [Disc(48.14, 11.58, 100)]
    shanghai = [Disc(31.23, 121.47, 100)]
    gap = region_gap_km(munich, shanghai)
    assert 8500 < gap < 8800  # about 8,900 km centre to centre, minus both radii
    assert impossible_travel(munich, 0, shanghai, 3600) is not None  # one hour: impossible
    assert impossible_travel(munich, 0, shanghai, 12 * 3600) is None  # half a day: a flight
    overlapping = [Disc(48.5, 11.6, 100)]
    assert impossible_travel(munich, 0, overlapping, 1) is None


def test_missed_checkins() -> None:
    assert missed_checkins(None, 100, 10) == 0
    assert missed_checkins(100, 105, 10) == 0
    assert missed_checkins(100, 110.5, 10) == 0  # a little late is on time
    assert missed_checkins(100, 135, 10) == 3  # due at 110, 120 and 130


def test_signals_only_from_verified_rejections() -> None:
    forged = Rejection(Reason.REVOKED_KEY, "x")
    assert from_rejection(forged, "dev1") == []
    genuine = Rejection(Reason.REVOKED_KEY, "x", kid=b"k", key_owner="dev1")
    assert [s.kind for s in from_rejection(genuine, "dev1")] == ["revoked_key_used"]
    cloned = Rejection(Reason.WRONG_KEY, "x", kid=b"k", key_owner="dev2")
    assert [s.kind for s in from_rejection(cloned, "dev1")] == ["key_on_two_devices"]
    assert [s.kind for s in from_notes(["reboot", "other"])] == ["reboot"]


def test_score_is_bounded_and_explained() -> None:
    signals = DiversionSignals()
    risk, parts = signals.score(["reboot", "reboot", "missed_checkin"])
    assert abs(risk - (1 - 0.9 * 0.7)) < 1e-9
    assert [p[0] for p in parts] == ["missed_checkin", "reboot"]
    assert signals.score(["revoked_key_used", "reboot"])[0] == 1.0
    assert signals.score([])[0] == 0.0
    assert signals.blocking(["reboot", "bootcount_reset", "violation"]) == [
        "bootcount_reset",
        "violation",
    ]
