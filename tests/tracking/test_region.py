import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.tracking.calibration import SECURE_KM_PER_RTT_MS
from dualuse.tracking.region import (
    Disc,
    cell_bounds_deg,
    feasible_region,
    point_in_discs,
    prune_discs,
)
from dualuse.tracking.sphere import EARTH_RADIUS_KM, distance_km

lat = st.floats(-85.0, 85.0)
lon = st.floats(-179.9, 179.9)


def covered(region, plat: float, plon: float) -> bool:
    """Is the point inside one of the kept cells?"""
    for cells in region.cells:
        lat0, lat1, lon0, lon1 = cell_bounds_deg(cells.level, cells.ix, cells.iy)
        hit = (lat0 <= plat) & (plat <= lat1) & (lon0 <= plon) & (plon <= lon1)
        if bool(hit.any()):
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(
    lat,
    lon,
    st.lists(
        st.tuples(lat, lon, st.floats(0.34, 1.0), st.floats(0.0, 30.0)), min_size=1, max_size=12
    ),
)
def test_true_position_always_inside_secure_region(plat, plon, landmarks) -> None:
    """RTTs that respect physics (path speed at most c, any added delay) never exclude
    the device's true position under the secure bound."""
    discs = []
    for llat, llon, speed_share, delay in landmarks:
        d = distance_km(llat, llon, plat, plon)
        rtt = 2 * d / (speed_share * 299.792458) + delay
        discs.append(Disc(llat, llon, rtt * SECURE_KM_PER_RTT_MS))
    region = feasible_region(discs, max_level=7)
    assert not region.empty
    assert region.contains(plat, plon)
    assert covered(region, plat, plon)


@settings(max_examples=40, deadline=None)
@given(lat, lon, st.floats(5.0, 3000.0))
def test_single_disc_area_is_bracketed(clat, clon, radius) -> None:
    region = feasible_region([Disc(clat, clon, radius)], max_level=8)
    theta = radius / EARTH_RADIUS_KM
    exact = 2 * math.pi * EARTH_RADIUS_KM**2 * (1 - math.cos(theta))
    assert region.area_min_km2 <= exact * (1 + 1e-9)
    assert region.area_max_km2 >= exact * (1 - 1e-9)
    if radius >= 100:  # many cells across: the sampled estimate is close
        assert abs(region.area_km2 - exact) / exact < 0.05


def test_disjoint_discs_give_an_empty_region() -> None:
    region = feasible_region([Disc(0, 0, 100), Disc(0, 10, 100)])
    assert region.empty
    assert region.area_km2 == 0


def test_pruning_keeps_the_intersection() -> None:
    small = Disc(48.0, 11.0, 200)
    huge = Disc(40.0, 0.0, 5000)
    globe = Disc(0.0, 0.0, 30000)
    assert prune_discs([small, huge, globe]) == [small]
    rng = np.random.default_rng(1)
    for _ in range(200):
        p = (float(rng.uniform(40, 56)), float(rng.uniform(0, 22)))
        assert point_in_discs([small, huge, globe], *p) == point_in_discs([small], *p)
