"""Geometry on the sphere: great-circle distances, and exact distance bounds from a point
to a latitude/longitude box (what the feasible-region quadtree needs to be sound).

Angles are radians unless a name says ``_deg``; distances in km on a sphere of the IUGG
mean radius, which differs from the WGS84 ellipsoid by at most about 0.5 %.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
"""IUGG mean Earth radius (location.md §5)."""
C_KM_PER_MS = 299.792458
"""Speed of light in vacuum, km per millisecond."""

FloatArray = NDArray[np.float64]
Num = FloatArray | np.float64
"""An array of floats or one numpy float (broadcasting inputs)."""


def as_rad(deg: ArrayLike) -> FloatArray:
    return np.radians(np.asarray(deg, dtype=np.float64))


def central_angle(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> FloatArray:
    """Great-circle angle between points given in radians (haversine, stable when small)."""
    la1, lo1 = np.asarray(lat1, dtype=np.float64), np.asarray(lon1, dtype=np.float64)
    la2, lo2 = np.asarray(lat2, dtype=np.float64), np.asarray(lon2, dtype=np.float64)
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return np.asarray(2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees."""
    angle = central_angle(
        math.radians(lat1), math.radians(lon1), math.radians(lat2), math.radians(lon2)
    )
    return float(angle) * EARTH_RADIUS_KM


def distances_km(lat: float, lon: float, lats: ArrayLike, lons: ArrayLike) -> FloatArray:
    """Distances from one point to many (all in degrees)."""
    return central_angle(math.radians(lat), math.radians(lon), as_rad(lats), as_rad(lons)) * (
        EARTH_RADIUS_KM
    )


def wrap_pi(angle: Num) -> FloatArray:
    """Map angles to [-pi, pi)."""
    return np.asarray((angle + np.pi) % (2 * np.pi) - np.pi, dtype=np.float64)


def box_min_angle(
    plat: Num,
    plon: Num,
    lat0: Num,
    lat1: Num,
    lon0: Num,
    lon1: Num,
) -> FloatArray:
    """Exact smallest great-circle angle from points to lat/lon boxes (broadcasting).

    Inside the box's longitude range the closest point shares the point's meridian, so
    the answer is the latitude gap. Outside it, for every latitude the angle grows with
    the longitude gap, so the closest point lies on the nearer meridian edge; on that
    meridian ``cos d = A sin(phi) + B cos(phi)``, a sinusoid whose maximum on
    ``[lat0, lat1]`` is at its crest (if inside the range) or at an end.
    """
    width = lon1 - lon0
    offset = (plon - lon0) % (2 * np.pi)
    in_range = offset <= width
    lat_gap = np.maximum(np.maximum(lat0 - plat, plat - lat1), 0.0)

    gap_west = np.abs(wrap_pi(plon - lon0))
    gap_east = np.abs(wrap_pi(plon - lon1))
    gap = np.minimum(gap_west, gap_east)
    a = np.sin(plat)
    b = np.cos(plat) * np.cos(gap)
    crest = np.arctan2(a, b)
    at_crest = np.hypot(a, b)
    at_ends = np.maximum(a * np.sin(lat0) + b * np.cos(lat0), a * np.sin(lat1) + b * np.cos(lat1))
    best = np.where((crest >= lat0) & (crest <= lat1), at_crest, at_ends)
    edge_angle = np.arccos(np.clip(best, -1.0, 1.0))
    return np.asarray(np.where(in_range, lat_gap, edge_angle), dtype=np.float64)


def box_max_angle(
    plat: Num,
    plon: Num,
    lat0: Num,
    lat1: Num,
    lon0: Num,
    lon1: Num,
) -> FloatArray:
    """Exact largest angle from points to boxes: pi minus the smallest from the antipode."""
    return np.asarray(
        np.pi - box_min_angle(-plat, wrap_pi(plon + np.pi), lat0, lat1, lon0, lon1),
        dtype=np.float64,
    )


def box_area_km2(
    lat0: FloatArray, lat1: FloatArray, lon0: FloatArray, lon1: FloatArray
) -> FloatArray:
    """Area of lat/lon boxes on the sphere (radians in, km² out)."""
    return np.asarray(
        EARTH_RADIUS_KM**2 * (lon1 - lon0) * (np.sin(lat1) - np.sin(lat0)), dtype=np.float64
    )


def destination(lat: float, lon: float, bearing: float, angle: float) -> tuple[float, float]:
    """The point ``angle`` radians from (lat, lon) (radians) along ``bearing`` (radians)."""
    lat2 = math.asin(
        math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * math.cos(bearing)
    )
    lon2 = lon + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat),
        math.cos(angle) - math.sin(lat) * math.sin(lat2),
    )
    return lat2, float(wrap_pi(np.float64(lon2)))
