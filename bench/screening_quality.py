"""Screening quality, side by side with nomenklatura (logic-v1, logic-v2, name-based).

    DUALUSE_SHARED_DATA=/work/shared/data python -m bench.screening_quality [--only ...]

Sections: ``names`` (nomenklatura name benchmark, F1, 2-fold held-out, per group),
``un`` (UN positives and perturbations against the full index), ``negatives``
(50,000 synthetic persons: false-positive rate), ``cross`` (cross-script recall),
``ofac`` (parity with OFAC's search tool). Prints Markdown; ``--json`` writes figures.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

from bench.matching_data import eval_dir, load_full_lists, read_csv, sanctions
from bench.screening_quality_common import OURS, THRESHOLD
from bench.screening_quality_index import anchors_on_candidates, negatives, un_positives
from bench.screening_quality_names import name_bench
from bench.screening_quality_scripts import cross_script, ofac_parity
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.countries import normalize_country
from dualuse.screening.matching import Screener, build_index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="names,un,negatives,cross,ofac")
    parser.add_argument("--negatives", type=int, default=0, help="rows (0 = all 50,000)")
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--cross-sample", type=int, default=2000)
    parser.add_argument("--anchor-sample", type=int, default=300)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    only = set(args.only.split(","))
    figures: dict[str, Any] = {"algorithm": OURS, "threshold": THRESHOLD}
    if "names" in only:
        figures["names"] = name_bench(args.trials)
        print(json.dumps(figures["names"]["table"], indent=1)[:4000])
        print(json.dumps(figures["names"]["held_out"], indent=1))
    if only & {"un", "negatives"}:
        loaded = load_full_lists()
        started = time.perf_counter()
        index = build_index(loaded.parties, version=loaded.fingerprint)
        figures["index"] = {
            "lists": loaded.versions,
            "skipped": loaded.skipped,
            "parties": index.n_parties,
            "names": index.n_names,
            "build_seconds": time.perf_counter() - started,
        }
        screener = Screener(index)
        if "un" in only:
            figures["un"] = un_positives(screener, index, random.Random(42))
            print(json.dumps(figures["un"], indent=1))
        if "negatives" in only:
            figures["negatives"] = negatives(screener, args.negatives or None)
            print(json.dumps(figures["negatives"], indent=1))
            rows = list(read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv"))
            sample = [
                ScreeningQuery(
                    name=r["full_name"],
                    type=PartyType.PERSON,
                    birth_date=r["date_of_birth"] or None,
                    country=normalize_country(r["nationality"]),
                )
                for r in rows[: args.anchor_sample]
            ]
            figures["negatives_anchors"] = anchors_on_candidates(index, sample, screener, None)
            print(json.dumps(figures["negatives_anchors"], indent=1))
    if "cross" in only:
        figures["cross"] = cross_script(args.cross_sample, args.anchor_sample)
        print(json.dumps({k: v for k, v in figures["cross"].items() if k != "watchman"}, indent=1))
    if "ofac" in only:
        figures["ofac"] = ofac_parity()
        print(json.dumps(figures["ofac"], indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str))
    _ = sanctions


if __name__ == "__main__":
    main()
