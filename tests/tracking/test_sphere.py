import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.tracking.sphere import (
    EARTH_RADIUS_KM,
    as_rad,
    box_area_km2,
    box_max_angle,
    box_min_angle,
    central_angle,
    distance_km,
)

lats = st.floats(-89.9, 89.9)
lons = st.floats(-180.0, 179.9)


def _box_samples(lat0: float, lat1: float, lon0: float, lon1: float, n: int = 60):
    la = np.linspace(lat0, lat1, n)
    lo = np.linspace(lon0, lon1, n)
    grid_lat, grid_lon = np.meshgrid(la, lo)
    return as_rad(grid_lat.ravel()), as_rad(grid_lon.ravel())


def test_known_distance() -> None:
    # Prague to Bratislava, the mislabelled pair of location.md: about 291 km.
    assert abs(distance_km(50.0833, 14.4167, 48.1439, 17.1097) - 291) < 2
    assert abs(distance_km(0, 0, 0, 180) - math.pi * EARTH_RADIUS_KM) < 1e-6


@settings(max_examples=150, deadline=None)
@given(lats, lons, lats, lats, lons, st.floats(0.01, 60.0))
def test_box_angles_bound_every_point_of_the_box(plat, plon, a, b, lon0, width) -> None:
    """min/max angle to a box are exact bounds: no sampled point of the box is closer than
    the minimum or farther than the maximum, and the sampled extremes come close."""
    lat0, lat1 = sorted((a, b))
    if lat1 - lat0 < 1e-3:
        lat1 = min(lat0 + 0.5, 90.0)
    lon1 = min(lon0 + width, 180.0)
    slat, slon = _box_samples(lat0, lat1, lon0, lon1)
    angles = central_angle(math.radians(plat), math.radians(plon), slat, slon)
    args = (np.float64(math.radians(plat)), np.float64(math.radians(plon)))
    box = tuple(np.float64(math.radians(v)) for v in (lat0, lat1, lon0, lon1))
    lo = float(box_min_angle(*args, *box))
    hi = float(box_max_angle(*args, *box))
    assert lo <= angles.min() + 1e-9
    assert hi >= angles.max() - 1e-9
    # Sampling at 60 x 60 gets within a sample spacing of the exact extremes.
    spacing = math.radians(max(lat1 - lat0, lon1 - lon0) / 59) * 1.5
    assert angles.min() - lo <= spacing + 1e-9
    assert hi - angles.max() <= spacing + 1e-9


def test_point_inside_box_has_zero_minimum() -> None:
    box = tuple(np.float64(math.radians(v)) for v in (10.0, 20.0, 30.0, 40.0))
    assert (
        float(box_min_angle(np.float64(math.radians(15)), np.float64(math.radians(35)), *box)) == 0
    )


def test_whole_sphere_area() -> None:
    area = box_area_km2(
        np.float64(-math.pi / 2), np.float64(math.pi / 2), np.float64(-math.pi), np.float64(math.pi)
    )
    assert abs(float(area) - 4 * math.pi * EARTH_RADIUS_KM**2) < 1.0
