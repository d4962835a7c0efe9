"""The issue's evaluation on the real WonderNetwork matrix, with figures for docs/tracking.md.

Leave-one-out: every server in turn is the device and the others are landmarks (audited
among themselves first). Per bound (secure c, fibre 2/3 c, calibrated max-speed, and the
CBG bestline for comparison) it reports the share of servers outside China, Russia and
Iran proven outside each, false violations, the median region area and the servers whose
stated position their own latencies rule out; the baseline (plain CBG, fibre bound,
GeoNames cities, no audit) runs in the same run.

Run: ``python -m bench.tracking_eval [--out docs/img] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from dualuse.settings import TrackingSettings
from dualuse.tracking.evaluation import TARGETS, evaluate_matrix
from dualuse.tracking.locate import Bound, LatencyLocator, Measurement
from dualuse.tracking.sphere import distance_km
from dualuse.tracking.wondernetwork import Matrix, load_geo_folder
from dualuse.tracking.world import load_world
from dualuse.web.tracking.render import map_png

ORDER = ["secure", "fibre", "calibrated (max-speed)", "calibrated (bestline)"]


def shared() -> Path:
    return Path(
        os.environ.get("DUALUSE_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data")
    )


def table(result: dict[str, Any]) -> str:
    s = result["summary"]
    rows = {b["bound"]: b for b in s["bounds"]}
    lines = [
        "| bound | not CN | not RU | not IR | false violations | false exonerations | "
        "median region km² | empty regions | flagged as lying |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in ORDER:
        b = rows[name]
        p = b["proven_outside"]
        flagged = (
            ", ".join(b["flagged"]) if len(b["flagged"]) <= 12 else f"{len(b['flagged'])} servers"
        )
        lines.append(
            f"| {name} | {p['CN']:.1%} | {p['RU']:.1%} | {p['IR']:.1%} | {b['false_violations']} | "
            f"{b['false_exonerations']} | {b['median_area_km2']:,.0f} | {b['empty_regions']} | "
            f"{flagged} |"
        )
    base = s["baseline_fibre_cities"]
    bp, be = base["proven_outside"], base["empty_counted_as_proof"]
    strict = sum(
        b["country"] in TARGETS and b["excluded"][b["country"]] for b in result["baseline"]
    )
    lines.append(
        f"| baseline: CBG fibre, cities, no audit | {bp['CN']:.1%} | {bp['RU']:.1%} | "
        f"{bp['IR']:.1%} | n/a | {strict} | n/a | {base['empty_regions']} | none |"
    )
    lines.append(
        f"| baseline, empty region counted as proof | {be['CN']:.1%} | {be['RU']:.1%} | "
        f"{be['IR']:.1%} | n/a | {base['false_exonerations']} | n/a | {base['empty_regions']} | "
        "none |"
    )
    return "\n".join(lines)


def fig_shares(result: dict[str, Any], out: Path) -> None:
    rows = {b["bound"]: b["proven_outside"] for b in result["summary"]["bounds"]}
    base = result["summary"]["baseline_fibre_cities"]
    labels = [*ORDER, "baseline", "baseline\n(empty = proof)"]
    values = [rows[n] for n in ORDER] + [base["proven_outside"], base["empty_counted_as_proof"]]
    fig = Figure(figsize=(9, 4.2), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(len(labels))
    for i, target in enumerate(TARGETS):
        ax.bar(
            x + (i - 1) * 0.27, [v[target] for v in values], 0.27, label=f"proven not in {target}"
        )
    ax.axhline(0.92, color="#555", linestyle=":", linewidth=1)
    ax.text(len(labels) - 0.5, 0.925, "92 % (full published matrix, fibre)", ha="right", fontsize=7)
    ax.set_xticks(x, labels, fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of servers outside CN, RU, IR")
    ax.set_title("WonderNetwork leave-one-out: what latency proves", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    fig.savefig(out / "tracking_proven_outside.png", bbox_inches="tight")


def fig_areas(result: dict[str, Any], out: Path) -> None:
    fig = Figure(figsize=(7, 4), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    for name in ORDER:
        areas = sorted(
            o["area_km2"] for o in result["outcomes"] if o["bound"] == name and not o["empty"]
        )
        ax.plot(areas, np.linspace(0, 1, len(areas)), label=name)
    ax.set_xscale("log")
    ax.set_xlabel("feasible region, km² (log)")
    ax.set_ylabel("share of devices")
    ax.set_title("Region size by bound (216 servers, leave-one-out)", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.savefig(out / "tracking_region_areas.png", bbox_inches="tight")


def fig_servers(matrix: Matrix, result: dict[str, Any], out: Path) -> None:
    world = load_world()
    secure = {o["server"]: o for o in result["outcomes"] if o["bound"] == "secure"}
    fig = Figure(figsize=(10, 5), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    import shapely

    for geom in shapely.simplify(world.geometries, 0.2):
        for poly in getattr(geom, "geoms", [geom]):
            xs, ys = poly.exterior.xy
            ax.fill(xs, ys, color="#eceff1", edgecolor="#b0bec5", linewidth=0.3)
    groups = {
        "proven not in CN": ("#2e7d32", lambda o: o["per_country"]["CN"] == "proven_outside"),
        "cannot tell": ("#f9a825", lambda o: o["per_country"]["CN"] == "consistent"),
        "flagged: label ruled out": ("#c62828", lambda o: not o["claim_consistent"]),
    }
    for label, (colour, test) in groups.items():
        pts = [matrix.servers[k] for k, o in secure.items() if test(o)]
        ax.scatter(
            [p.lon for p in pts], [p.lat for p in pts], s=12, color=colour, label=label, zorder=3
        )
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 80)
    ax.set_aspect(1.3)
    ax.set_title("Secure bound (c): which servers are proven not in China", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    fig.savefig(out / "tracking_servers_china.png", bbox_inches="tight")


def fig_audit(matrix: Matrix, out: Path) -> None:
    pts, bad = [], []
    for (a, b), rtt in matrix.rtt_ms.items():
        sa, sb = matrix.servers[a], matrix.servers[b]
        d = distance_km(sa.lat, sa.lon, sb.lat, sb.lon)
        (bad if d > rtt * 149.896229 else pts).append((d, rtt))
    fig = Figure(figsize=(7, 4.5), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    ax.scatter(*zip(*pts, strict=True), s=1, color="#90a4ae", alpha=0.4, label="server pairs")
    ax.scatter(
        *zip(*bad, strict=True), s=14, color="#c62828", label="faster than light: a label is wrong"
    )
    d = np.linspace(0, 20000, 10)
    ax.plot(d, d / 149.896229, color="#000", linewidth=1, label="c (secure bound)")
    ax.plot(d, d / 99.930819, color="#1565c0", linewidth=1, linestyle="--", label="2/3 c (fibre)")
    ax.set_xlabel("distance between stated places, km")
    ax.set_ylabel("minimum RTT, ms")
    ax.set_xlim(0, 20000)
    ax.set_ylim(0, 400)
    ax.set_title("Landmark audit: RTT against distance (23,193 pairs)", fontsize=10)
    ax.legend(fontsize=7)
    fig.savefig(out / "tracking_landmark_audit.png", bbox_inches="tight")


def fig_examples(matrix: Matrix, result: dict[str, Any], out: Path) -> None:
    """Singapore (proven outside China) and Prague (its label ruled out)."""
    locator = LatencyLocator(load_world())
    excluded = set(result["summary"]["landmark_audit"]["excluded"])
    by_name = {s.name: s for s in matrix.servers.values()}
    for name, file in (
        ("Singapore", "tracking_map_singapore.png"),
        ("Prague", "tracking_map_prague.png"),
    ):
        device = by_name[name]
        rows = [
            Measurement(s.lat, s.lon, rtt, s.name)
            for s in matrix.servers.values()
            if s.id != device.id
            and s.name not in excluded
            and (rtt := matrix.rtt(device.id, s.id)) is not None
        ]
        loc = locator.locate(rows, Bound.SECURE, claimed=(device.lat, device.lon, 25.0))
        verdict = "proven_outside" if "CN" not in loc.possible_countries else "consistent"
        if loc.claim is not None and not loc.claim.consistent:
            verdict = "inconsistent"
        title = f"WonderNetwork server '{device.title}' as the device, {len(rows)} landmarks"
        (out / file).write_bytes(map_png(loc, locator.world, title=title, verdict=verdict))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    data = shared() / "geo"
    started = time.perf_counter()
    matrix, cities = load_geo_folder(data)
    cfg = TrackingSettings()
    locator = LatencyLocator(load_world(), buffer_km=cfg.border_buffer_km, max_level=cfg.max_level)
    result = evaluate_matrix(matrix, cities, locator)
    elapsed = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    fig_shares(result, args.out)
    fig_areas(result, args.out)
    fig_servers(matrix, result, args.out)
    fig_audit(matrix, args.out)
    fig_examples(matrix, result, args.out)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    audit = result["summary"]["landmark_audit"]
    print(
        f"date: {time.strftime('%Y-%m-%d')}; {result['summary']['servers']} servers, "
        f"{result['summary']['pairs']} pairs; evaluation took {elapsed:.0f} s\n"
    )
    print(table(result))
    print(
        f"\nlandmark audit: {len(audit['impossible_pairs'])} impossible pairs; excluded "
        f"{', '.join(audit['excluded'])}; unresolved {audit['unresolved_pairs']}"
    )


if __name__ == "__main__":
    main()
