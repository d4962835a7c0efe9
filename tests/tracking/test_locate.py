import math

import pytest

from dualuse.errors import InputError
from dualuse.tracking.locate import Bound, LatencyLocator, Measurement, read_measurements_csv
from dualuse.tracking.policy import GeofencePolicy, Verdict, judge
from dualuse.tracking.wondernetwork import Matrix

from .conftest import server_id


def measurements_for(matrix: Matrix, device: int, nearest: int = 50) -> list[Measurement]:
    rows = sorted(
        (rtt, k)
        for k in matrix.servers
        if k != device and (rtt := matrix.rtt(device, k)) is not None
    )[:nearest]
    return [
        Measurement(matrix.servers[k].lat, matrix.servers[k].lon, rtt, matrix.servers[k].name)
        for rtt, k in rows
    ]


def test_csv_bad_rows_are_reported_not_fatal() -> None:
    text = (
        "landmark_lat,landmark_lon,rtt_ms\n"
        "1.35,103.8,7.0\n"
        "nan,10,5\n"
        "95,10,5\n"
        "10,200,5\n"
        "10,10,-3\n"
        "10,10,abc\n"
        "10,10,inf\n"
        "\n"
        "3.1,101.7,9.5\n"
    )
    good, bad = read_measurements_csv(text)
    assert len(good) == 2
    assert [b.row for b in bad] == [3, 4, 5, 6, 7, 8]
    assert "off the globe" in bad[1].reason and "negative" in bad[3].reason


def test_csv_missing_columns_names_them() -> None:
    with pytest.raises(InputError, match="rtt_ms"):
        read_measurements_csv("landmark_lat,landmark_lon\n1,2\n")


def test_singapore_is_proven_outside_china(matrix: Matrix, locator: LatencyLocator) -> None:
    sg = server_id(matrix, "Singapore")
    loc = locator.locate(measurements_for(matrix, sg), Bound.SECURE, claimed=(1.29, 103.85, 25.0))
    assert "SG" in loc.possible_countries and "CN" not in loc.possible_countries
    verdict = judge(loc, GeofencePolicy.build(["CN", "RU", "IR"]))
    assert verdict.verdict is Verdict.PROVEN_OUTSIDE
    assert loc.claim is not None and loc.claim.consistent
    fibre = locator.locate(measurements_for(matrix, sg), Bound.FIBRE)
    assert fibre.region_km2 < loc.region_km2
    assert set(fibre.possible_countries) <= set(loc.possible_countries)


def test_region_inside_a_country_is_a_violation(locator: LatencyLocator) -> None:
    # Two landmarks in Beijing and Tianjin a fraction of a millisecond away: the device
    # is physically inside China, whatever it claims.
    rows = [Measurement(39.90, 116.40, 0.6, "beijing"), Measurement(39.13, 117.20, 1.0, "tianjin")]
    loc = locator.locate(rows, Bound.SECURE, claimed=(1.29, 103.85, 0.0))
    assert loc.inside_countries == ("CN",)
    verdict = judge(loc, GeofencePolicy.build(["CN"]))
    assert verdict.verdict is Verdict.VIOLATION
    assert loc.claim is not None and not loc.claim.consistent


def test_claimed_position_ruled_out_is_inconsistent(locator: LatencyLocator) -> None:
    rows = [Measurement(50.11, 8.68, 2.0, "frankfurt")]  # within 300 km of Frankfurt
    loc = locator.locate(rows, Bound.SECURE, claimed=(52.52, 13.40, 10.0))  # Berlin, 420 km
    verdict = judge(loc, GeofencePolicy.build(["RU"]))
    assert verdict.verdict is Verdict.INCONSISTENT
    assert loc.claim is not None and loc.claim.ruled_out_by == ("frankfurt",)


def test_contradictory_landmarks_never_prove_anything(locator: LatencyLocator) -> None:
    rows = [
        Measurement(50.08, 14.42, 0.29, "prague"),
        Measurement(48.14, 17.11, 0.29, "bratislava"),
    ]
    loc = locator.locate(rows, Bound.SECURE)
    assert loc.empty and loc.possible_countries == ()
    assert loc.conflicts == (("prague", "bratislava"),)
    verdict = judge(loc, GeofencePolicy.build(["CN"]))
    assert verdict.verdict is Verdict.INCONSISTENT
    assert not verdict.allows_operation


def test_bad_measurement_rejected_by_locator(locator: LatencyLocator) -> None:
    with pytest.raises(InputError, match="finite"):
        locator.locate([Measurement(math.nan, 0.0, 1.0)])
    with pytest.raises(InputError, match="negative"):
        locator.locate([Measurement(0.0, 0.0, -1.0)])
    with pytest.raises(InputError, match="at least one"):
        locator.locate([])


def test_processing_delay_shrinks_the_disc(locator: LatencyLocator) -> None:
    plain = locator.locate([Measurement(50.11, 8.68, 4.0)], Bound.SECURE)
    certified = locator.locate([Measurement(50.11, 8.68, 4.0, min_processing_ms=2.0)], Bound.SECURE)
    assert certified.constraints[0].radius_km == pytest.approx(plain.constraints[0].radius_km / 2)
