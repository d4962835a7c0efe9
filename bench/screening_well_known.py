"""Well-known restricted organisations queried by the names people use (short names,
acronyms, common English names), side by side with nomenklatura ``logic-v2``.

    DUALUSE_SHARED_DATA=/work/shared/data python -m bench.screening_well_known [--json F]

Cases: ``bench/data/well_known_orgs.csv`` (query, kind, the right entity's listed names
and where the query comes from: the lists' own alias fields or the organisation's
Wikipedia title). ``dev`` cases were looked at while the matcher was changed;
``held_out`` cases were written down, with their expected names, before their results
were first seen, and kept as a check; ``held_out_2`` likewise, at stop 21, after every
``held_out`` case had been looked at.

A case is right when the right entity is ranked first (a tie with the top score
counts, as in ``bench.screening_quality``) and is a match: at or over our threshold,
or logic-v2 at or over yente's 0.7. logic-v2 has no retrieval of its own: it scores
the parties our retrieval returned (limit 10) plus every party of the right entity,
so a miss of ours in retrieval is never a miss of the anchor's.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.matching_data import REPO, load_full_lists
from bench.nomenklatura_side import entity_for_name, entity_for_record, scorer
from bench.screening_quality_common import ANCHOR_THRESHOLD, OURS, THRESHOLD
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener, build_index

CASES = REPO / "bench" / "data" / "well_known_orgs.csv"


def read_cases(path: Path = CASES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["expected_names"] = {n.strip().casefold() for n in row["expected"].split("|")}
    return rows


def _right(names: set[str], record: Any) -> bool:
    return any(value.casefold() in names for value, _kind in record.names)


def run(index: Index, cases: list[dict[str, Any]]) -> dict[str, Any]:
    screener = Screener(index)
    v2 = scorer("logic-v2")
    by_id = {index.record(p).party_id: p for p in range(index.n_parties)}
    expected_parties: dict[str, list[int]] = {}
    for p in range(index.n_parties):
        record = index.record(p)
        for case in cases:
            if _right(case["expected_names"], record):
                expected_parties.setdefault(case["query"], []).append(p)
    rows: list[dict[str, Any]] = []
    ours_seconds = v2_seconds = 0.0
    for number, case in enumerate(cases):
        started = time.perf_counter()
        response = screener.screen(ScreeningQuery(name=case["query"]), limit=10)
        ours_seconds += time.perf_counter() - started
        top = response.matches[0] if response.matches else None
        hits = [
            m
            for m in response.matches
            if _right(case["expected_names"], index.record(by_id[m.party_id]))
        ]
        ours_ok = bool(top and hits and hits[0].score >= top.score - 1e-9 and hits[0].match)
        # logic-v2 on our candidates plus the right entity's parties
        pool = {by_id[m.party_id] for m in response.matches}
        pool.update(expected_parties.get(case["query"], []))
        # a new id per query: nomenklatura caches what it derives from an entity by id
        query = entity_for_name("LegalEntity", case["query"], f"q{number}")
        started = time.perf_counter()
        scored = sorted(
            ((v2(query, entity_for_record(index.record(p))), p) for p in pool), reverse=True
        )
        v2_seconds += time.perf_counter() - started
        v2_top = scored[0][0] if scored else 0.0
        v2_hits = [(s, p) for s, p in scored if p in expected_parties.get(case["query"], [])]
        v2_ok = bool(
            v2_hits and v2_hits[0][0] >= v2_top - 1e-9 and v2_hits[0][0] >= ANCHOR_THRESHOLD
        )
        rows.append(
            {
                "split": case["split"],
                "kind": case["kind"],
                "query": case["query"],
                "ours_ok": ours_ok,
                "ours_top": f"{top.score:.3f} {top.name}" if top else "",
                "ours_right": f"{hits[0].score:.3f}" if hits else "not returned",
                "logic_v2_ok": v2_ok,
                "logic_v2_top": (
                    f"{v2_top:.3f} {index.record(scored[0][1]).caption}" if scored else ""
                ),
                "logic_v2_right": f"{v2_hits[0][0]:.3f}" if v2_hits else "not scored",
            }
        )
    summary: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "ours": 0, "logic-v2": 0})
    for row in rows:
        for key in (row["split"], f"{row['split']}/{row['kind']}", "all"):
            summary[key]["n"] += 1
            summary[key]["ours"] += row["ours_ok"]
            summary[key]["logic-v2"] += row["logic_v2_ok"]
    return {
        "algorithm": OURS,
        "threshold": THRESHOLD,
        "anchor_threshold": ANCHOR_THRESHOLD,
        "summary": dict(summary),
        "seconds": {"ours": ours_seconds, "logic-v2": v2_seconds},
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, help="a saved index of the full lists to reuse")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.index and args.index.exists():
        index = Index.load(args.index)
    else:
        loaded = load_full_lists()
        index = build_index(loaded.parties, version=loaded.fingerprint)
        if args.index:
            index.save(args.index)
    result = run(index, read_cases())
    print("| split | n | dualuse | logic-v2 |")
    print("|---|---|---|---|")
    for key in sorted(result["summary"]):
        s = result["summary"][key]
        print(f"| {key} | {s['n']} | {s['ours']} | {s['logic-v2']} |")
    print()
    for row in result["rows"]:
        if not (row["ours_ok"] and row["logic_v2_ok"]):
            print(
                f"{row['split']:8} {row['query']:28} ours={'ok' if row['ours_ok'] else 'MISS'} "
                f"top={row['ours_top'][:50]!r} right={row['ours_right']} | "
                f"v2={'ok' if row['logic_v2_ok'] else 'MISS'} top={row['logic_v2_top'][:50]!r} "
                f"right={row['logic_v2_right']}"
            )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
