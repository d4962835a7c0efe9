"""Country polygons (Natural Earth 1:50m admin-0) and a memoised index that tells which
countries a quadtree cell, widened by a border buffer, may touch.

Natural Earth leaves ``ISO_A2`` as ``-99`` for a few features (France, Norway, ...), so
features are keyed on ``ADM0_A3`` and the codes of those few come from
:data:`ISO2_BY_ADM0_A3`. A feature may stand for more than one ISO code where its
polygon covers several (Indian Ocean Territories) or where the border is disputed
(Siachen Glacier): listing both keeps "possible countries" a superset of the truth.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape

from dualuse.errors import InputError
from dualuse.once import load_once
from dualuse.tracking.region import IntArray, cell_bounds_deg
from dualuse.tracking.sphere import EARTH_RADIUS_KM

RUNTIME_FILE = "ne_50m_admin_0_countries.geojson.gz"
KEPT_PROPERTIES = ("ADM0_A3", "ISO_A2", "ISO_A3", "NAME", "ADMIN", "SOVEREIGNT", "SOV_A3", "TYPE")

ISO2_BY_ADM0_A3: dict[str, tuple[str, ...]] = {
    "FRA": ("FR",),
    "NOR": ("NO",),
    "ATC": ("AU",),  # Ashmore and Cartier Islands, an Australian territory
    "IOA": ("CX", "CC"),  # Christmas Island and the Cocos (Keeling) Islands in one feature
    "CYN": ("CY",),  # Northern Cyprus: no ISO code of its own; de jure Cyprus
    "SOL": ("SO",),  # Somaliland: no ISO code of its own; de jure Somalia
    "KAS": ("IN", "PK"),  # Siachen Glacier: disputed, both claimants listed
}
"""ISO-2 codes for the features whose ``ISO_A2`` is ``-99`` (SOURCES.md caveat)."""


@dataclass(frozen=True, slots=True)
class Country:
    """One Natural Earth feature."""

    adm0_a3: str
    codes: tuple[str, ...]
    name: str
    geometry: Any


def feature_codes(properties: dict[str, Any]) -> tuple[str, ...]:
    adm0 = str(properties["ADM0_A3"])
    if adm0 in ISO2_BY_ADM0_A3:
        return ISO2_BY_ADM0_A3[adm0]
    iso = str(properties.get("ISO_A2") or "")
    if len(iso) == 2 and iso.isalpha():
        return (iso.upper(),)
    raise InputError(f"feature {adm0} has no ISO-2 code and no mapping", source="countries")


def derive_runtime_geojson(source: Path) -> bytes:
    """The packaged file: the Natural Earth features with only :data:`KEPT_PROPERTIES`,
    geometry bytes-for-value unchanged, gzip-compressed reproducibly (mtime 0)."""
    data = json.loads(source.read_bytes())
    features = [
        {
            "type": "Feature",
            "properties": {k: f["properties"][k] for k in KEPT_PROPERTIES},
            "geometry": f["geometry"],
        }
        for f in data["features"]
    ]
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return gzip.compress(text, compresslevel=9, mtime=0)


class World:
    """All countries, with prepared geometries and a spatial index."""

    def __init__(self, countries: Sequence[Country]) -> None:
        self.countries = tuple(countries)
        self.geometries = np.array([c.geometry for c in self.countries], dtype=object)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)
        self.codes = tuple(c.codes for c in self.countries)

    @classmethod
    def from_geojson(cls, data: dict[str, Any]) -> World:
        countries = [
            Country(
                adm0_a3=str(f["properties"]["ADM0_A3"]),
                codes=feature_codes(f["properties"]),
                name=str(f["properties"]["NAME"]),
                geometry=shape(f["geometry"]),
            )
            for f in data["features"]
        ]
        return cls(countries)

    def codes_at(self, lat: float, lon: float) -> frozenset[str]:
        """ISO codes of the features containing a point (empty at sea)."""
        point = shapely.Point(lon, lat)
        hits = self.tree.query(point, predicate="intersects")
        return frozenset(code for i in hits for code in self.codes[int(i)])


def load_world(path: Path | None = None) -> World:
    """The packaged countries, or a Natural Earth GeoJSON (plain or ``.gz``) at ``path``."""
    if path is None:
        return _packaged_world()
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return World.from_geojson(json.loads(raw))


@load_once
def _packaged_world() -> World:
    ref = resources.files("dualuse").joinpath("data", "geo", RUNTIME_FILE)
    return World.from_geojson(json.loads(gzip.decompress(ref.read_bytes())))


NO_CONTAINER = -1


class CountryIndex:
    """Which features each quadtree cell touches once widened by ``buffer_km``, and which
    single feature (if any) contains the widened cell. Results are memoised per cell, so a
    server that locates many devices pays for each cell once."""

    def __init__(self, world: World, buffer_km: float, max_memo: int = 2_000_000) -> None:
        if not (buffer_km >= 0 and math.isfinite(buffer_km)):
            raise InputError("border buffer must be a finite number >= 0", source="buffer_km")
        self.world = world
        self.buffer_km = buffer_km
        self.max_memo = max_memo
        self._memo: dict[int, tuple[tuple[int, ...], int]] = {}

    @staticmethod
    def key(level: int, ix: int, iy: int) -> int:
        return (level << 48) | (ix << 24) | iy

    def classify(self, level: int, ix: IntArray, iy: IntArray) -> list[tuple[tuple[int, ...], int]]:
        """For each cell: (indices of touched features, index of the containing feature
        or :data:`NO_CONTAINER`)."""
        keys = [self.key(level, int(x), int(y)) for x, y in zip(ix, iy, strict=True)]
        found = [self._memo.get(k) for k in keys]
        missing = [i for i, v in enumerate(found) if v is None]
        if missing:
            if len(self._memo) + len(missing) > self.max_memo:
                self._memo.clear()
            sel = np.array(missing, dtype=np.int64)
            for i, result in zip(missing, self._compute(level, ix[sel], iy[sel]), strict=True):
                self._memo[keys[i]] = found[i] = result
        return [v for v in found if v is not None]

    def pure(self, level: int, ix: IntArray, iy: IntArray) -> NDArray[np.bool_]:
        """Cells whose finer detail cannot change which countries they touch: open sea, or
        inside one feature by more than the buffer."""
        return np.array(
            [
                not touched or inside != NO_CONTAINER
                for touched, inside in self.classify(level, ix, iy)
            ],
            dtype=bool,
        )

    def _compute(self, level: int, ix: IntArray, iy: IntArray) -> list[tuple[tuple[int, ...], int]]:
        boxes, owner = self._widened_boxes(level, ix, iy)
        touched: list[set[int]] = [set() for _ in range(ix.size)]
        box_idx, feat_idx = self.world.tree.query(boxes)
        if box_idx.size:
            hit = shapely.intersects(self.world.geometries[feat_idx], boxes[box_idx])
            for b, f in zip(box_idx[hit], feat_idx[hit], strict=True):
                touched[int(owner[b])].add(int(f))
        wrapped = np.bincount(owner, minlength=ix.size) > 1
        results: list[tuple[tuple[int, ...], int]] = []
        for cell, feats in enumerate(touched):
            container = NO_CONTAINER
            if len(feats) == 1 and not wrapped[cell]:
                (only,) = feats
                part = boxes[int(np.flatnonzero(owner == cell)[0])]
                if shapely.contains(self.world.geometries[only], part):
                    container = only
            results.append((tuple(sorted(feats)), container))
        return results

    def _widened_boxes(
        self, level: int, ix: IntArray, iy: IntArray
    ) -> tuple[NDArray[np.object_], IntArray]:
        """Cells grown by the buffer in every direction, split at the antimeridian.

        Latitude grows by ``b/R``. Longitude grows by the longitude gap whose shortest
        crossing, at the most poleward latitude of the widened cell, is ``b``:
        ``2 asin(sin(b/2R) / cos(phi_max))`` (the whole circle when that exceeds 1).
        """
        lat0, lat1, lon0, lon1 = cell_bounds_deg(level, ix, iy)
        grow = self.buffer_km / EARTH_RADIUS_KM
        grow_deg = math.degrees(grow) * 1.001 + 1e-9
        lat0 = np.maximum(lat0 - grow_deg, -90.0)
        lat1 = np.minimum(lat1 + grow_deg, 90.0)
        pole = np.radians(np.maximum(np.abs(lat0), np.abs(lat1)))
        ratio = math.sin(grow / 2) / np.maximum(np.cos(pole), 1e-12)
        full = ratio >= 1.0
        dlon = np.degrees(2 * np.arcsin(np.minimum(ratio, 1.0))) * 1.001 + 1e-9
        lon0 = np.where(full, -180.0, lon0 - dlon)
        lon1 = np.where(full, 180.0, lon1 + dlon)
        xs0, xs1, ys0, ys1, owner = [], [], [], [], []
        for i in range(ix.size):
            a, b = float(lon0[i]), float(lon1[i])
            pieces = [(max(a, -180.0), min(b, 180.0))]
            if a < -180.0:
                pieces.append((a + 360.0, 180.0))
            if b > 180.0:
                pieces.append((-180.0, b - 360.0))
            for p0, p1 in pieces:
                xs0.append(p0)
                xs1.append(p1)
                ys0.append(float(lat0[i]))
                ys1.append(float(lat1[i]))
                owner.append(i)
        boxes = shapely.box(np.array(xs0), np.array(ys0), np.array(xs1), np.array(ys1))
        return np.asarray(boxes, dtype=object), np.array(owner, dtype=np.int64)
