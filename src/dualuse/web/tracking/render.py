"""Pictures of where a device can be: a map of its feasible region (PNG via matplotlib, or
a self-contained HTML page with inline SVG, no map tiles or scripts from elsewhere) and
plots of its history.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as MplPolygon

from dualuse.tracking.locate import Location
from dualuse.tracking.region import Disc, FeasibleRegion, cell_bounds_deg, feasible_region
from dualuse.tracking.sphere import EARTH_RADIUS_KM, destination
from dualuse.tracking.world import World

VERDICT_COLOURS = {
    "proven_outside": "#2e7d32",
    "consistent": "#f9a825",
    "violation": "#c62828",
    "inconsistent": "#6a1b9a",
    None: "#9e9e9e",
}


@lru_cache(maxsize=4)
def _outlines(world: World, tolerance: float) -> tuple[Any, ...]:
    return tuple(shapely.simplify(world.geometries, tolerance, preserve_topology=True))


def region_shape(region: FeasibleRegion, detail: int = 160) -> Any:
    """The region as one (multi)polygon in lon/lat degrees, for drawing.

    The analysis may stop refining cells in open sea or deep inside a country; the picture
    re-covers the discs with cells about ``1/detail`` of the region's extent instead.
    """
    if region.empty:
        return shapely.GeometryCollection()
    lat0, lat1, lon0, lon1 = region.bounds_deg()
    extent = max(lat1 - lat0, (lon1 - lon0) * max(math.cos(math.radians((lat0 + lat1) / 2)), 0.1))
    level = int(np.clip(math.ceil(math.log2(45.0 * detail / max(extent, 1e-6))), 3, 12))
    fine = feasible_region(region.discs, max_level=level)
    boxes = []
    for cells in fine.cells:
        b_lat0, b_lat1, b_lon0, b_lon1 = cell_bounds_deg(cells.level, cells.ix, cells.iy)
        boxes.extend(shapely.box(b_lon0, b_lat0, b_lon1, b_lat1))
    return shapely.union_all(np.array(boxes, dtype=object))


def disc_ring(disc: Disc, points: int = 181) -> list[tuple[float, float]]:
    """A disc's edge as (lon, lat) degrees, longitudes unwrapped so the line is continuous."""
    angle = min(disc.radius_km / EARTH_RADIUS_KM, math.pi)
    out: list[tuple[float, float]] = []
    prev = None
    for k in range(points):
        lat, lon = destination(
            math.radians(disc.lat), math.radians(disc.lon), 2 * math.pi * k / (points - 1), angle
        )
        lon_d = math.degrees(lon)
        if prev is not None:
            while lon_d - prev > 180:
                lon_d -= 360
            while lon_d - prev < -180:
                lon_d += 360
        prev = lon_d
        out.append((lon_d, math.degrees(lat)))
    return out


def _view(
    location: Location, shape: Any, margin: float = 0.25
) -> tuple[float, float, float, float]:
    """(lon0, lon1, lat0, lat1) framing the region, landmarks that shape it and the claim."""
    lats: list[float] = []
    lons: list[float] = []
    if not shape.is_empty:
        lon0, lat0, lon1, lat1 = shape.bounds
        lats += [lat0, lat1]
        lons += [lon0, lon1]
    for c in location.constraints:
        if c.shapes_region:
            lats.append(c.lat)
            lons.append(c.lon)
    if location.claim is not None:
        lats.append(location.claim.lat)
        lons.append(location.claim.lon)
    if not lats:
        return -180.0, 180.0, -90.0, 90.0
    dlat = max(max(lats) - min(lats), 4.0) * margin
    dlon = max(max(lons) - min(lons), 4.0) * margin
    return (
        max(min(lons) - dlon, -180.0),
        min(max(lons) + dlon, 180.0),
        max(min(lats) - dlat, -90.0),
        min(max(lats) + dlat, 90.0),
    )


def _polygons(geom: Any) -> list[Any]:
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]


def map_png(
    location: Location, world: World, *, title: str = "", verdict: str | None = None
) -> bytes:
    """The region (filled), the discs that shape it, landmarks, estimate and claim."""
    fig = Figure(figsize=(9, 6), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    shape = region_shape(location.region)
    lon0, lon1, lat0, lat1 = _view(location, shape)
    span = max(lon1 - lon0, lat1 - lat0)
    outlines = _outlines(world, 0.02 if span < 30 else 0.1)
    patches = [
        MplPolygon(np.asarray(p.exterior.coords), closed=True)
        for g in outlines
        for p in _polygons(g)
        if p.bounds[2] >= lon0 - 1 and p.bounds[0] <= lon1 + 1
    ]
    ax.add_collection(
        PatchCollection(patches, facecolor="#eceff1", edgecolor="#90a4ae", linewidth=0.5)
    )
    colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[None])
    region = [MplPolygon(np.asarray(p.exterior.coords), closed=True) for p in _polygons(shape)]
    ax.add_collection(
        PatchCollection(region, facecolor=colour, alpha=0.35, edgecolor=colour, linewidth=1.0)
    )
    for disc in location.region.discs:
        ring = np.asarray(disc_ring(disc))
        ax.plot(ring[:, 0], ring[:, 1], color="#455a64", linewidth=0.6, linestyle="--")
    shaping = [c for c in location.constraints if c.shapes_region]
    others = [c for c in location.constraints if not c.shapes_region]
    if others:
        ax.scatter(
            [c.lon for c in others],
            [c.lat for c in others],
            marker="^",
            s=14,
            color="#b0bec5",
            label="landmark",
        )
    if shaping:
        ax.scatter(
            [c.lon for c in shaping],
            [c.lat for c in shaping],
            marker="^",
            s=40,
            color="#263238",
            label="landmark shaping the region",
        )
    if location.estimate:
        ax.scatter(
            [location.estimate[1]],
            [location.estimate[0]],
            marker="x",
            s=60,
            color="#000000",
            label="centre of region (placement, not proof)",
        )
    if location.claim is not None:
        ok = location.claim.consistent
        ax.scatter(
            [location.claim.lon],
            [location.claim.lat],
            marker="*",
            s=140,
            color="#1565c0" if ok else "#d50000",
            label="claimed GPS" + ("" if ok else " (ruled out)"),
        )
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / max(math.cos(math.radians((lat0 + lat1) / 2)), 0.2))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    countries = ", ".join(location.possible_countries[:12]) + (
        "..." if len(location.possible_countries) > 12 else ""
    )
    ax.set_title(
        (title + "\n" if title else "")
        + f"{location.bound.value} bound: {location.region_km2:,.0f} km², "
        + f"possible: {countries or 'none'}",
        fontsize=9,
    )
    ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
    return _png(fig)


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def history_png(
    evidence: Sequence[dict[str, Any]],
    signals: Sequence[dict[str, Any]],
    leases: Sequence[dict[str, Any]],
    *,
    title: str = "",
) -> bytes:
    """Region area per check-in (coloured by verdict), rejections, signals and leases."""
    fig = Figure(figsize=(9, 5), dpi=110)
    ax, bx = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    stamp = [datetime.fromtimestamp(e["received_at"], UTC) for e in evidence]
    located = [(t, e) for t, e in zip(stamp, evidence, strict=True) if e.get("region_km2")]
    for verdict, colour in VERDICT_COLOURS.items():
        pts = [(t, e["region_km2"]) for t, e in located if e.get("verdict") == verdict]
        if pts:
            ax.scatter(
                [p[0] for p in pts],
                [p[1] for p in pts],
                color=colour,
                s=30,
                label=verdict or "no verdict",
            )
    rejected = [t for t, e in zip(stamp, evidence, strict=True) if not e.get("accepted")]
    if rejected:
        ax.scatter(
            rejected, [1.0] * len(rejected), marker="x", color="#000000", label="rejected evidence"
        )
    ax.set_yscale("log")
    ax.set_ylabel("feasible region, km²")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(title or "device history", fontsize=10)
    for lease in leases:
        start = datetime.fromtimestamp(lease["issued_at"], UTC)
        end = datetime.fromtimestamp(lease["expires_at"], UTC)
        bx.plot(
            [start, end],
            [1, 1],
            color="#2e7d32" if lease["basis"] == "verdict" else "#ef6c00",
            linewidth=6,
        )
    kinds = sorted({s["kind"] for s in signals})
    for i, kind in enumerate(kinds):
        times = [datetime.fromtimestamp(s["at"], UTC) for s in signals if s["kind"] == kind]
        bx.scatter(times, [2 + i] * len(times), marker="o", s=18)
    bx.set_yticks([1, *range(2, 2 + len(kinds))], ["lease", *kinds], fontsize=7)
    bx.set_ylim(0.3, 2 + max(len(kinds), 1) - 0.3)
    fig.autofmt_xdate()
    return _png(fig)


def _svg_path(geom: Any, lon0: float, lat1: float, scale: float, squeeze: float) -> str:
    parts = []
    for poly in _polygons(geom):
        for ring in [poly.exterior, *poly.interiors]:
            pts = " L".join(
                f"{(x - lon0) * scale * squeeze:.1f},{(lat1 - y) * scale:.1f}"
                for x, y in ring.coords
            )
            parts.append(f"M{pts} Z")
    return " ".join(parts)


def _cells(row: dict[str, Any]) -> list[str]:
    when = datetime.fromtimestamp(row["received_at"], UTC).strftime("%Y-%m-%d %H:%M:%S")
    area = row.get("region_km2")
    return [
        str(row["id"]),
        when,
        "yes" if row["accepted"] else f"no: {row.get('reason')}",
        row.get("verdict") or "",
        f"{area:,.0f}" if area else "",
        ", ".join(row.get("possible_countries") or []),
    ]


def map_html(
    location: Location,
    world: World,
    *,
    title: str,
    verdict: str | None,
    history_rows: Sequence[dict[str, Any]] = (),
    plot_url: str | None = None,
) -> str:
    """A self-contained page: inline SVG map, the verdict, landmarks and recent history."""
    shape = region_shape(location.region)
    lon0, lon1, lat0, lat1 = _view(location, shape)
    # Equirectangular with x shrunk by cos(mid latitude), so small discs look round.
    squeeze = max(math.cos(math.radians((lat0 + lat1) / 2)), 0.2)
    scale = 900.0 / ((lon1 - lon0) * squeeze)
    width, height = 900, max(200, int((lat1 - lat0) * scale))
    tolerance = 0.02 if (lon1 - lon0) < 30 else 0.1
    box = shapely.box(lon0, lat0, lon1, lat1)
    countries = [
        '<path class="country" d="'
        + _svg_path(shapely.intersection(g, box), lon0, lat1, scale, squeeze)
        + '"/>'
        for g in _outlines(world, tolerance)
        if shapely.intersects(g, box)
    ]
    colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[None])
    region = _svg_path(shape, lon0, lat1, scale, squeeze)
    marks = []
    for c in location.constraints:
        x, y = (c.lon - lon0) * scale * squeeze, (lat1 - c.lat) * scale
        if 0 <= x <= width and 0 <= y <= height:
            cls = "landmark shaping" if c.shapes_region else "landmark"
            size = 4 if c.shapes_region else 2.5
            label = f"{html.escape(c.landmark)}: {c.rtt_ms:.2f} ms, ≤ {c.radius_km:,.0f} km"
            marks.append(
                f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{size}">'
                f"<title>{label}</title></circle>"
            )
    if location.claim is not None:
        x = (location.claim.lon - lon0) * scale * squeeze
        y = (lat1 - location.claim.lat) * scale
        state = "consistent" if location.claim.consistent else "ruled-out"
        marks.append(
            f'<circle id="claim" class="claim {state}" cx="{x:.1f}" cy="{y:.1f}" r="6">'
            f"<title>claimed GPS ({state})</title></circle>"
        )
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in _cells(r)) + "</tr>"
        for r in history_rows
    )
    plot = (
        f'<img id="history-plot" alt="history" src="{html.escape(plot_url)}">' if plot_url else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5em;color:#263238}}
.country{{fill:#eceff1;stroke:#90a4ae;stroke-width:0.6}}
#region{{fill:{colour};fill-opacity:0.35;stroke:{colour};stroke-width:1.2}}
.landmark{{fill:#b0bec5}} .landmark.shaping{{fill:#263238}}
.claim.consistent{{fill:#1565c0}} .claim.ruled-out{{fill:#d50000}}
table{{border-collapse:collapse;font-size:0.85em}} td,th{{border:1px solid #cfd8dc;padding:2px 6px}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p id="verdict">Verdict: <strong>{html.escape(verdict or "none")}</strong> under the
{location.bound.value} bound. Feasible region {location.region_km2:,.0f} km²; possible countries:
<span id="countries">{html.escape(", ".join(location.possible_countries) or "none")}</span>.</p>
<svg id="map" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"
 viewBox="0 0 {width} {height}" role="img" aria-label="feasible region map">
<rect width="{width}" height="{height}" fill="#e3f2fd"/>
{"".join(countries)}
<path id="region" d="{region}"/>
{"".join(marks)}
</svg>
{plot}
<h2>Recent evidence</h2>
<table id="history"><tr><th>id</th><th>received (UTC)</th><th>accepted</th><th>verdict</th>
<th>region km²</th><th>possible countries</th></tr>{rows}</table>
</body></html>"""
