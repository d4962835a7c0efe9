"""Time to locate a device from 50 landmarks, beside plain constraint-based geolocation.

Every WonderNetwork server in turn is the device; its 50 lowest-RTT other servers are the
landmarks (real RTTs from ``shared/data/geo/wondernetwork``). For each device it times:

* dualuse ``LatencyLocator.locate`` under the secure bound: feasible region on the sphere,
  area, and every country within 5 km of it (Natural Earth 1:50m), *cold* (a fresh country
  index, nothing memoised) and *warm* (the index a long-running server has);
* the anchor: plain CBG with the fibre bound over the 32,847 GeoNames cities (feasible
  cities and their countries), which is what the 92 % "not in China" figure rests on.

Run: ``python -m bench.tracking_locate [--devices N]``. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np

from bench.tracking_verify import machine_line
from dualuse.tracking.calibration import FIBRE_KM_PER_RTT_MS
from dualuse.tracking.locate import Bound, LatencyLocator, Measurement
from dualuse.tracking.sphere import distances_km
from dualuse.tracking.wondernetwork import Cities, Matrix, load_geo_folder
from dualuse.tracking.world import CountryIndex, load_world


def shared() -> Path:
    return Path(
        os.environ.get("DUALUSE_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data")
    )


def nearest(matrix: Matrix, device: int, count: int) -> list[Measurement]:
    rows = sorted(
        (rtt, k)
        for k in matrix.servers
        if k != device and (rtt := matrix.rtt(device, k)) is not None
    )[:count]
    return [Measurement(matrix.servers[k].lat, matrix.servers[k].lon, r, str(k)) for r, k in rows]


def cbg_cities(measurements: list[Measurement], cities: Cities) -> set[str]:
    ordered = sorted(measurements, key=lambda m: m.rtt_ms)
    keep = np.arange(cities.lat.size)
    for m in ordered:
        d = distances_km(m.landmark_lat, m.landmark_lon, cities.lat[keep], cities.lon[keep])
        keep = keep[d <= m.rtt_ms * FIBRE_KM_PER_RTT_MS]
        if keep.size == 0:
            break
    return set(cities.country[keep].tolist())


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=216)
    parser.add_argument("--landmarks", type=int, default=50)
    parser.add_argument("--cold", type=int, default=20, help="devices timed with a fresh index")
    args = parser.parse_args()
    data = shared() / "geo"
    matrix, cities = load_geo_folder(data)
    world = load_world()
    devices = sorted(matrix.servers)[: args.devices]
    inputs = {d: nearest(matrix, d, args.landmarks) for d in devices}

    cold: list[float] = []
    for d in devices[: args.cold]:
        locator = LatencyLocator(world, index=CountryIndex(world, 5.0))
        start = time.perf_counter()
        locator.locate(inputs[d], Bound.SECURE)
        cold.append((time.perf_counter() - start) * 1000)

    locator = LatencyLocator(world)
    for d in devices:  # warm the memo as a running server would
        locator.locate(inputs[d], Bound.SECURE)
    warm: list[float] = []
    anchor: list[float] = []
    for d in devices:
        start = time.perf_counter()
        locator.locate(inputs[d], Bound.SECURE)
        warm.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        cbg_cities(inputs[d], cities)
        anchor.append((time.perf_counter() - start) * 1000)

    print(machine_line())
    print(
        f"date: {time.strftime('%Y-%m-%d')}; {len(devices)} devices x {args.landmarks} landmarks\n"
    )
    print("| method | median ms | p90 ms | max ms |")
    print("|---|---:|---:|---:|")
    rows = [
        (f"dualuse locate, cold index ({len(cold)} devices)", cold),
        ("dualuse locate, warm index", warm),
        ("anchor: CBG fibre over GeoNames cities", anchor),
    ]
    for name, values in rows:
        print(
            f"| {name} | {statistics.median(values):.1f} | {pct(values, 90):.1f} | "
            f"{max(values):.1f} |"
        )
    print(
        f"\nwarm / anchor (median): {statistics.median(warm) / statistics.median(anchor):.2f}; "
        f"share of warm locates within 50 ms: {sum(v <= 50 for v in warm) / len(warm):.1%}; "
        f"cold: {sum(v <= 50 for v in cold) / len(cold):.1%}"
    )


if __name__ == "__main__":
    main()
