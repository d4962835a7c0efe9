"""Cross-script recall (Wikidata name pairs in seven scripts, watchman's cross-script
pairs) and parity with OFAC's search tool scores."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from typing import Any

from bench.matching_data import eval_dir, read_csv
from bench.nomenklatura_side import entity_for_name, scorer
from bench.screening_quality_common import ANCHOR_THRESHOLD, OURS, THRESHOLD
from dualuse.reference.names import NameType, analyze_name
from dualuse.screening.matching import compare_names
from dualuse.screening.matching.names.ofac import ofac_similarity


def _pair_recall(
    pairs: list[tuple[str, str]],
    rng: random.Random,
    score: Callable[[str, str], float],
    threshold: float,
) -> dict[str, float]:
    positives = [score(a, b) for a, b in pairs]
    shuffled = [b for _, b in pairs]
    rng.shuffle(shuffled)
    negatives_ = [score(a, b) for (a, _), b in zip(pairs, shuffled, strict=True)]
    return {
        "recall": sum(s >= threshold for s in positives) / len(pairs),
        "false_positive_rate": sum(s >= threshold for s in negatives_) / len(pairs),
        "n": len(pairs),
    }


def cross_script(sample: int, anchor_sample: int) -> dict[str, Any]:
    rng = random.Random(7)
    base = eval_dir() / "transliteration_wikidata"
    sets: dict[str, list[tuple[str, str]]] = {}
    for script, fname in (
        ("Hebrew (full names)", "wd_hebrew.tsv"),
        ("Korean (full names)", "wd_korean.tsv"),
    ):
        lines = (base / fname).read_text(encoding="utf-8").splitlines()
        pairs = [tuple(line.split("\t")[:2]) for line in lines if "\t" in line]
        sets[script] = [(b, a) for a, b in rng.sample(pairs, min(sample, len(pairs)))]
    for script, fname in (
        ("Arabic (tokens)", "wd_arabic_20.tsv"),
        ("Russian (tokens)", "wd_russian_20.tsv"),
        ("Chinese (tokens)", "wd_chinese_20.tsv"),
        ("Japanese katakana (tokens)", "wd_katakana_20.tsv"),
        ("Hebrew (tokens)", "wd_hebrew_20.tsv"),
        ("Korean (tokens)", "wd_korean_20.tsv"),
    ):
        lines = (base / fname).read_text(encoding="utf-8").splitlines()
        pairs = []
        for line in lines:
            parts = line.split("\t")
            if len(parts) >= 2:
                pairs.append((parts[1].replace(" ", ""), parts[0]))
        sets[script] = rng.sample(pairs, min(sample, len(pairs)))

    def ours(a: str, b: str) -> float:
        return compare_names(
            analyze_name(a, NameType.PERSON), analyze_name(b, NameType.PERSON)
        ).score

    out: dict[str, Any] = {"ours": {}, "logic-v2": {}}
    v2 = scorer("logic-v2")
    for script, pairs in sets.items():
        out["ours"][script] = _pair_recall(pairs, random.Random(1), ours, THRESHOLD)
        small = pairs[:anchor_sample]
        out["logic-v2"][script] = _pair_recall(
            small,
            random.Random(1),
            lambda a, b: v2(
                entity_for_name("Person", a, f"q{a}"), entity_for_name("Person", b, f"c{b}")
            ),
            ANCHOR_THRESHOLD,
        )
    lines = (eval_dir() / "watchman" / "cross_script_pairs.csv").read_text(encoding="utf-8")
    watch = [
        (parts[0], parts[1], float(parts[2]))
        for parts in csv.reader(x for x in lines.splitlines() if x and not x.startswith("#"))
    ]
    out["watchman"] = [
        {
            "query": q,
            "expected": e,
            "watchman_min": m,
            "ours": round(ours(q, e), 3),
            "logic-v2": round(
                v2(entity_for_name("Person", q, f"q{q}"), entity_for_name("Person", e, f"c{e}")), 3
            ),
        }
        for q, e, m in watch
    ]
    out["watchman_recall"] = {
        "ours": sum(w["ours"] >= THRESHOLD for w in out["watchman"]) / len(watch),
        "logic-v2": sum(w["logic-v2"] >= ANCHOR_THRESHOLD for w in out["watchman"]) / len(watch),
    }
    return out


def ofac_parity() -> dict[str, Any]:
    rows = list(
        read_csv(eval_dir() / "opensanctions" / "nomenklatura_ofac_search_parity_scores.csv")
    )
    from nomenklatura.matching import OFACMatcher, ScoringConfig

    config = ScoringConfig.defaults()
    out: dict[str, Any] = {}
    for name, fn in (
        ("ofac (ours)", lambda q, c: ofac_similarity(q, c)),
        (
            "nomenklatura ofac",
            lambda q, c: (
                OFACMatcher.compare(
                    entity_for_name("Person", q, f"q{q}"),
                    entity_for_name("Person", c, f"c{c}"),
                    config,
                ).score
            ),
        ),
        (OURS + " name score", lambda q, c: compare_names(analyze_name(q), analyze_name(c)).score),
    ):
        scored = [
            (100 * fn(r["query_name"], r["result_name"]), float(r["ofac_score"])) for r in rows
        ]
        shown = [(a, b) for a, b in scored if b >= 0]
        hidden = [(a, b) for a, b in scored if b < 0]
        out[name] = {
            "rows_with_score": len(shown),
            "within_5": sum(abs(a - b) <= 5 for a, b in shown) / len(shown),
            "mean_abs_diff": sum(abs(a - b) for a, b in shown) / len(shown),
            "not_shown_rows": len(hidden),
            "not_shown_below_50": sum(a < 50 for a, _ in hidden) / max(1, len(hidden)),
        }
    return out
