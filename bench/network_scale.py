"""The shipment-network analysis on a large generated network: time and peak memory of
each stage, and recall / false positives at that size.

SYNTHETIC data (``dualuse.diversion.network.generate``): no real bills of lading are
available here. ``--scale 100`` gives about 900,000 shipments and 47,000 companies with
1,200 planted schemes. The stages run in one process in order (generate, write JSON
lines, read them back, analyse without communities, Louvain communities); peak RSS
(``ru_maxrss``) is reported after each, so it only grows. The baselines (volume rank and
degree, as many companies as the method flags) are scored on the same run.

Run: ``python -m bench.network_scale [--scale 100] [--seed 1001]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from dualuse.diversion.network.analyse import AnalysisParams, analyse, communities
from dualuse.diversion.network.evaluate import _rank, score
from dualuse.diversion.network.generate import GeneratorParams
from dualuse.services.network import NetworkService
from dualuse.settings import Settings


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=1001)
    parser.add_argument("--no-communities", action="store_true")
    args = parser.parse_args()
    service = NetworkService(Settings(home=Path(tempfile.mkdtemp())))
    stages: dict[str, dict[str, float]] = {}

    def stage(name: str, started: float) -> None:
        stages[name] = {
            "seconds": round(time.perf_counter() - started, 2),
            "peak_rss_mib": round(peak_mib()),
        }
        print(name, stages[name], flush=True)

    folder = Path(tempfile.mkdtemp()) / "world"
    t = time.perf_counter()
    made = service.generate(folder, GeneratorParams(seed=args.seed, scale=args.scale))
    stage("generate_and_write", t)
    t = time.perf_counter()
    ships, registry = service.read(folder)
    stage("read", t)
    params = AnalysisParams(communities=False)
    t = time.perf_counter()
    result = analyse(ships, registry, params)
    stage("analyse", t)
    flagged = {r["id"] for r in result["intermediaries"] if r["flagged"]}
    if not args.no_communities:
        t = time.perf_counter()
        found = communities(
            ships.records, params.sanctions_date, flagged, set(), replace(params, communities=True)
        )
        stage("communities", t)
        stages["communities"]["with_flagged"] = len(found)
    truth = json.loads((folder / "truth.json").read_text())
    end_users = set(truth["roles"]["end_user"])
    ids = [r["id"] for r in map(json.loads, (folder / "companies.jsonl").open())]
    by_volume, by_degree = _rank(ships, params.sanctions_date, end_users)
    k = max(1, len(flagged))
    out = {
        "scale": args.scale,
        "seed": args.seed,
        "shipments": made["shipments"],
        "companies": made["companies"],
        "schemes": made["schemes"],
        "counts": result["counts"],
        "stages": stages,
        "method": score(flagged, truth["schemes"], ids, end_users),
        "baseline_volume": score(set(by_volume[:k]), truth["schemes"], ids, end_users),
        "baseline_degree": score(set(by_degree[:k]), truth["schemes"], ids, end_users),
        "machine": {"python": platform.python_version(), "processor": platform.processor()},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
