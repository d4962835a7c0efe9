"""Single-query time on a saved full index: median and p99 over the first N synthetic
negatives and over the well-known organisation queries, for comparing two checkouts
run alternately (each with its own ``PYTHONPATH`` and its own saved index).

    PYTHONPATH=src:. python -m bench.screening_query_median --index FULL.npz [--n 2000]

Build FULL.npz with ``python -m bench.screening_well_known --index FULL.npz``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.matching_data import eval_dir, read_csv
from bench.screening_well_known import read_cases
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener


def _times(screener: Screener, names: list[str]) -> list[float]:
    out: list[float] = []
    for name in names:
        started = time.perf_counter()
        screener.screen(ScreeningQuery(name=name), limit=10)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    screener = Screener(Index.load(args.index))
    rows = read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv")
    negatives = [row["full_name"] for _, row in zip(range(args.n), rows, strict=False)]
    organisations = [case["query"] for case in read_cases()]
    _times(screener, negatives[:200] + organisations)  # warm the caches
    result = {}
    for label, names in (("negatives", negatives), ("organisations", organisations)):
        times = sorted(_times(screener, names))
        result[label] = {
            "n": len(times),
            "median_ms": 1000 * statistics.median(times),
            "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
