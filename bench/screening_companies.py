"""Company screening: false alerts on real company names that are not listed, and
damaged listed company names found, side by side with the anchor of issue 17
(rapidfuzz top-20 retrieval plus nomenklatura ``logic-v2`` at 0.7 over the CSL).

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src python -m bench.screening_companies \
        [--listed 1000] [--part tune|held-out|all] [--no-anchor] [--anchor-sample N]
        [--json FILE] [--show 40]

Ours screens against the bundled lists (CSL, OFAC SDN and consolidated: what a fresh
install screens against) as organisations. A negative alerts when the top result is a
match; a positive is found when a party bearing the undamaged name is a match. See
:mod:`bench.companies_data` for the sets and their sources.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.companies_data import KINDS, Damaged, held_out, negatives, positives
from bench.nomenklatura_side import entity_for_name, entity_for_record, scorer
from bench.screening_quality_common import ANCHOR_THRESHOLD
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener, build_index
from dualuse.screening.matching.retrieval.record import PartyRecord
from dualuse.services.lists import current_lists
from dualuse.settings import Settings

ANCHOR_LIST = "us_csl"
ANCHOR_RETRIEVE = 20


def bundled_index() -> Index:
    """The index of the bundled snapshot, built from it (not the shipped file, which
    may lag behind the analysis code being measured)."""
    with tempfile.TemporaryDirectory() as tmp:
        lists = current_lists(Settings(home=Path(tmp) / "home"))
        return build_index(lists.parties(), version=lists.fingerprint)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class Anchor:
    """rapidfuzz WRatio top-20 over the CSL's names, then nomenklatura logic-v2 on
    the parties those names belong to."""

    def __init__(self, index: Index) -> None:
        self.names: list[str] = []
        self.owner: list[int] = []
        self.records: dict[int, PartyRecord] = {}
        for p in range(index.n_parties):
            record = index.record(p)
            if record.list_id != ANCHOR_LIST:
                continue
            self.records[p] = record
            for value, _kind in record.names:
                self.names.append(value)
                self.owner.append(p)
        self.score = scorer("logic-v2")
        self.processed: list[str] | None = None
        self.queries = 0
        self.entities: dict[int, Any] = {}

    def screen(self, name: str) -> list[tuple[float, str]]:
        """``(score, party_id)`` of the retrieved parties, best first."""
        from rapidfuzz import fuzz, process, utils

        if self.processed is None:
            self.processed = [utils.default_process(n) for n in self.names]
        hits = process.extract(
            utils.default_process(name),
            self.processed,
            scorer=fuzz.WRatio,
            processor=None,
            limit=ANCHOR_RETRIEVE,
        )
        parties = dict.fromkeys(self.owner[i] for _n, _s, i in hits)
        # a fresh id per query: nomenklatura caches what it read of an entity by id
        self.queries += 1
        query = entity_for_name("Organization", name, f"q{self.queries}")
        out = []
        for p in parties:
            entity = self.entities.get(p)
            if entity is None:
                entity = self.entities[p] = entity_for_record(self.records[p])
            out.append((self.score(query, entity), self.records[p].party_id))
        out.sort(reverse=True)
        return out


def listed_sample(index: Index, n: int, seed: int = 17) -> list[tuple[str, str]]:
    """``n`` CSL organisation names (primary names), seeded."""
    rows = sorted(
        {
            (index.record(p).caption, index.record(p).party_id)
            for p in range(index.n_parties)
            if index.record(p).list_id == ANCHOR_LIST
            and index.record(p).type is PartyType.ORGANIZATION
        }
    )
    return random.Random(seed).sample(rows, min(n, len(rows)))


def expected_parties(index: Index) -> dict[str, set[str]]:
    """Every listed name (case and spaces folded) -> the parties bearing it."""
    out: dict[str, set[str]] = defaultdict(set)
    for p in range(index.n_parties):
        record = index.record(p)
        for value, _kind in record.names:
            out[_key(value)].add(record.party_id)
    return out


def _ours(screener: Screener, name: str) -> Any:
    return screener.screen(ScreeningQuery(name=name, type=PartyType.ORGANIZATION), limit=10)


def _sampled(n: int, sample: int, seed: int = 17) -> set[int]:
    """Which rows the anchor scores (all when ``sample`` is 0): it runs at a few
    hundred comparisons a second, so a seeded sample keeps a run short."""
    if not sample or sample >= n:
        return set(range(n))
    return set(random.Random(seed).sample(range(n), sample))


def _why(result: Any) -> str:
    return next((e.description for e in result.explanation if e.feature == "name_match"), "")


def run_negatives(
    screener: Screener, anchor: Anchor | None, rows: list[tuple[str, str]], show: int, sample: int
) -> dict[str, Any]:
    alerts: list[dict[str, Any]] = []
    chosen = _sampled(len(rows), sample) if anchor is not None else set()
    side = {"n": len(chosen), "ours": 0, "anchor": 0}
    anchor_alerts: list[tuple[str, float]] = []
    started = time.perf_counter()
    for i, (name, source) in enumerate(rows):
        response = _ours(screener, name)
        top = response.matches[0] if response.matches else None
        alert = top is not None and top.match
        if top is not None and alert:
            alerts.append(
                {
                    "query": name,
                    "source": source,
                    "listed": top.matched_name,
                    "score": round(top.score, 3),
                    "why": _why(top),
                }
            )
        if i in chosen and anchor is not None:
            side["ours"] += alert
            scored = anchor.screen(name)
            if scored and scored[0][0] >= ANCHOR_THRESHOLD:
                side["anchor"] += 1
                anchor_alerts.append((name, round(scored[0][0], 3)))
    out: dict[str, Any] = {
        "n": len(rows),
        "ours": {"alerts": len(alerts), "rate": len(alerts) / max(1, len(rows))},
        "seconds": round(time.perf_counter() - started, 1),
        "examples": sorted(alerts, key=lambda a: -a["score"])[:show],
    }
    if anchor is not None:
        out["side_by_side"] = side
        out["anchor_examples"] = anchor_alerts[:show]
    return out


def run_positives(
    screener: Screener,
    anchor: Anchor | None,
    cases: list[Damaged],
    expected: dict[str, set[str]],
    show: int,
    sample: int,
) -> dict[str, Any]:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    chosen = _sampled(len(cases), sample) if anchor is not None else set()
    side = {"n": len(chosen), "ours": 0, "anchor": 0}
    misses: list[dict[str, Any]] = []
    for i, case in enumerate(cases):
        wanted = expected.get(_key(case.source), set()) | {case.party_id}
        total[case.kind] += 1
        response = _ours(screener, case.query)
        hit = any(m.match and m.party_id in wanted for m in response.matches)
        found[case.kind] += hit
        if not hit:
            top = response.matches[0] if response.matches else None
            misses.append(
                {
                    "query": case.query,
                    "listed": case.source,
                    "kind": case.kind,
                    "top": top.matched_name if top else None,
                    "score": round(top.score, 3) if top else None,
                    "why": _why(top) if top else "",
                }
            )
        if i in chosen and anchor is not None:
            side["ours"] += hit
            scored = anchor.screen(case.query)
            side["anchor"] += any(s >= ANCHOR_THRESHOLD and pid in wanted for s, pid in scored)
    n = sum(total.values())
    return {
        "n": n,
        "ours": {"found": sum(found.values()), "rate": sum(found.values()) / max(1, n)},
        "per_kind": {k: {"n": total[k], "found": found[k]} for k in KINDS},
        **({"side_by_side": side} if anchor is not None else {}),
        "misses": misses[:show],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listed", type=int, default=1000, help="listed names damaged")
    parser.add_argument("--part", choices=("tune", "held-out", "all"), default="all")
    parser.add_argument("--no-anchor", action="store_true")
    parser.add_argument("--only", default="negatives,positives")
    parser.add_argument("--show", type=int, default=40)
    parser.add_argument(
        "--anchor-sample", type=int, default=0, help="rows the anchor scores (0: all)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    index = bundled_index()
    screener = Screener(index)
    anchor = None if args.no_anchor else Anchor(index)
    print(f"index: {index.n_parties} parties, {time.perf_counter() - started:.1f} s", flush=True)

    def keep(name: str) -> bool:
        return args.part == "all" or held_out(name) == (args.part == "held-out")

    figures: dict[str, Any] = {"part": args.part}
    if "negatives" in args.only:
        rows = [(n, s) for n, s in negatives() if keep(n)]
        figures["negatives"] = run_negatives(screener, anchor, rows, args.show, args.anchor_sample)
        print(json.dumps(figures["negatives"], indent=1, ensure_ascii=False), flush=True)
    if "positives" in args.only:
        listed = [(n, p) for n, p in listed_sample(index, args.listed) if keep(n)]
        cases = positives(listed)
        figures["positives"] = run_positives(
            screener, anchor, cases, expected_parties(index), args.show, args.anchor_sample
        )
        print(json.dumps(figures["positives"], indent=1, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
