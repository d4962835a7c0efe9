"""Batch screening rate of one process, for comparing two revisions side by side.

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src python -m bench.screening_batch_rate

Screens 4,000 negatives (rows 10,000-13,999) in chunks of 256 through
``Screener.screen_many`` (as ``screen-file`` does: best result, no explanations),
with a freshly loaded bundled index each repeat, and prints names per CPU-second.
This machine's speed drifts by tens of percent within minutes, so compare two
checkouts by alternating runs of this script in each (see docs/benchmarks/matching.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.matching_data import REPO, eval_dir, read_csv
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener

_INDEX = REPO / "src" / "dualuse" / "data" / "lists" / "bundled_index.npz"


def rate(names: list[str], index_path: Path) -> float:
    """Names per CPU-second of one pass with fresh caches."""
    screener = Screener(Index.load(index_path))
    started = time.process_time()
    for start in range(0, len(names), 256):
        chunk = [ScreeningQuery(name=n) for n in names[start : start + 256]]
        screener.screen_many(chunk, limit=1, explain=False)
    return len(names) / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label", default=str(REPO))
    args = parser.parse_args()
    rows = read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv")
    names = [r["full_name"] for i, r in zip(range(14_000), rows, strict=False) if i >= 10_000]
    rates = [rate(names, _INDEX) for _ in range(args.repeat)]
    print(
        json.dumps(
            {
                "label": args.label,
                "names_per_cpu_s_best": round(max(rates)),
                "names_per_cpu_s_median": round(statistics.median(rates)),
                "runs": [round(r) for r in rates],
            }
        )
    )


if __name__ == "__main__":
    main()
