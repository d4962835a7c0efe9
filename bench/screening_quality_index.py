"""Screening against the full index: the UN list's positives and their perturbations
(typo, reorder, dropped or initial given name, transliteration, legal form), 50,000
synthetic negatives, and nomenklatura re-scoring the candidates our retrieval found."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import Any

from bench.matching_data import eval_dir, read_csv
from bench.nomenklatura_side import ANCHORS, entity_for_name, entity_for_record, scorer
from bench.screening_quality_common import ANCHOR_THRESHOLD
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.countries import normalize_country
from dualuse.reference.names import NameType, analyze_name
from dualuse.reference.names.scripts import word_script
from dualuse.screening.matching import Screener

_TRANSLIT_VARIANTS = (
    ("ou", "u"),
    ("mohammed", "muhammad"),
    ("mohammad", "muhammad"),
    ("ee", "i"),
    ("y", "i"),
    ("q", "k"),
    ("dh", "z"),
    ("kh", "h"),
    ("oo", "u"),
    ("aa", "a"),
    ("ph", "f"),
    ("sh", "sch"),
)
_LEGAL_FORMS = ("LLC", "LTD", "CO.", "COMPANY", "CORPORATION", "INC", "GROUP", "")


def perturb(name: str, kind: str, rng: random.Random) -> str | None:
    """One perturbation of a listed name, or None when it does not apply."""
    tokens = name.split()
    if kind == "typo":
        long = [i for i, t in enumerate(tokens) if len(t) >= 5]
        if not long:
            return None
        i = rng.choice(long)
        t = tokens[i]
        j = rng.randrange(1, len(t) - 1)
        op = rng.choice(("swap", "delete", "substitute", "double"))
        if op == "swap":
            t = t[:j] + t[j + 1] + t[j] + t[j + 2 :]
        elif op == "delete":
            t = t[:j] + t[j + 1 :]
        elif op == "double":
            t = t[:j] + t[j] + t[j:]
        else:
            t = t[:j] + rng.choice("aeioulnrst") + t[j + 1 :]
        tokens[i] = t
    elif kind == "reorder":
        if len(tokens) < 2:
            return None
        tokens = tokens[-1:] + tokens[:-1]
    elif kind == "drop_given":
        if len(tokens) < 3:
            return None
        del tokens[rng.randrange(1, len(tokens) - 1)]
    elif kind == "initial_given":
        if len(tokens) < 3:
            return None
        tokens[0] = tokens[0][0] + "."
    elif kind == "transliteration":
        text = name.lower()
        options = [(a, b) for a, b in _TRANSLIT_VARIANTS if a in text]
        if not options:
            return None
        a, b = rng.choice(options)
        return text.replace(a, b, 1).upper()
    elif kind == "legal_form":
        upper = [t.upper().strip(".,") for t in tokens]
        base = [
            t
            for t, u in zip(tokens, upper, strict=True)
            if u not in {"LLC", "LTD", "CO", "COMPANY", "CORPORATION", "INC", "LIMITED"}
        ]
        if not base:
            return None
        suffix = rng.choice([f for f in _LEGAL_FORMS if f not in upper])
        tokens = base + ([suffix] if suffix else [])
    return " ".join(tokens)


def _expected_un(index: Any, name: str) -> set[int]:
    target = analyze_name(name, NameType.PERSON).comparable
    found = set()
    for p in range(index.n_parties):
        record = index.record(p)
        if record.list_id != "un_sc":
            continue
        for value, _kind in record.names:
            if analyze_name(value, NameType.PERSON).comparable == target:
                found.add(p)
    return found


def _party_index(index: Any) -> dict[str, int]:
    return {index.record(p).party_id: p for p in range(index.n_parties)}


def _rank_ok(response: Any, expected_ids: set[str]) -> tuple[bool, bool]:
    if not response.matches:
        return False, False
    top = response.matches[0].score
    hit = [m for m in response.matches if m.party_id in expected_ids]
    at_top = bool(hit) and hit[0].score >= top - 1e-9
    return at_top, at_top and hit[0].match


def un_positives(screener: Screener, index: Any, rng: random.Random) -> dict[str, Any]:
    rows = list(read_csv(eval_dir() / "opensanctions" / "yente_positives_un_untreated.csv"))
    ids = {p: index.record(p).party_id for p in range(index.n_parties)}
    un_names: dict[str, set[str]] = defaultdict(set)
    un_entities: list[tuple[str, str]] = []
    for p in range(index.n_parties):
        record = index.record(p)
        if record.list_id != "un_sc":
            continue
        for value, _kind in record.names:
            kind = NameType.PERSON if record.type is PartyType.PERSON else NameType.UNKNOWN
            un_names[analyze_name(value, kind).comparable].add(ids[p])
        if record.type is not PartyType.PERSON:
            un_entities.append((record.caption, ids[p]))
    results: dict[str, Any] = {}
    plain = {"n": 0, "top": 0, "top_and_match": 0, "no_expected": 0}
    cases: list[tuple[str, set[str], ScreeningQuery]] = []
    for row in rows:
        expected = un_names.get(analyze_name(row["full_name"], NameType.PERSON).comparable)
        if not expected:
            plain["no_expected"] += 1
            continue
        query = ScreeningQuery(
            name=row["full_name"],
            type=PartyType.PERSON,
            birth_date=row["date_of_birth"] or None,
            country=normalize_country(row["nationality"]) if row["nationality"] else None,
        )
        cases.append((row["full_name"], expected, query))
        top, matched = _rank_ok(screener.screen(query, limit=25), expected)
        plain["n"] += 1
        plain["top"] += top
        plain["top_and_match"] += matched
    results["plain"] = plain
    kinds = ("typo", "reorder", "drop_given", "initial_given", "transliteration")
    per_kind: dict[str, dict[str, int]] = {}
    for kind in kinds:
        stats = {"n": 0, "top": 0, "top_and_match": 0}
        for name, expected, query in cases:
            variant = perturb(name, kind, rng)
            if variant is None or variant == name:
                continue
            q = ScreeningQuery(
                name=variant, type=query.type, birth_date=query.birth_date, country=query.country
            )
            top, matched = _rank_ok(screener.screen(q, limit=25), expected)
            stats["n"] += 1
            stats["top"] += top
            stats["top_and_match"] += matched
        per_kind[kind] = stats
    stats = {"n": 0, "top": 0, "top_and_match": 0}
    for caption, party_id in un_entities:
        variant = perturb(caption, "legal_form", rng)
        if variant is None:
            continue
        top, matched = _rank_ok(
            screener.screen(ScreeningQuery(name=variant), limit=25),
            {party_id} | un_names.get(analyze_name(caption, NameType.UNKNOWN).comparable, set()),
        )
        stats["n"] += 1
        stats["top"] += top
        stats["top_and_match"] += matched
    per_kind["legal_form (UN entities)"] = stats
    results["perturbed"] = per_kind
    total_n = sum(v["n"] for v in per_kind.values())
    results["perturbed_total"] = {
        "n": total_n,
        "top": sum(v["top"] for v in per_kind.values()) / total_n,
        "top_and_match": sum(v["top_and_match"] for v in per_kind.values()) / total_n,
    }
    return results


def negatives(screener: Screener, limit_rows: int | None) -> dict[str, Any]:
    rows = list(read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv"))
    if limit_rows:
        rows = rows[:limit_rows]
    hits: list[tuple[str, str, float]] = []
    per_script: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    started = time.perf_counter()
    for row in rows:
        script = word_script(row["full_name"].replace(" ", "")).value
        per_script[script][0] += 1
        query = ScreeningQuery(
            name=row["full_name"],
            type=PartyType.PERSON,
            birth_date=row["date_of_birth"] or None,
            country=normalize_country(row["nationality"]),
        )
        response = screener.screen(query, limit=1)
        if response.matches and response.matches[0].match:
            top = response.matches[0]
            hits.append((row["full_name"], top.matched_name, top.score))
            per_script[script][1] += 1
    seconds = time.perf_counter() - started
    return {
        "n": len(rows),
        "false_positives": len(hits),
        "rate": len(hits) / len(rows),
        "seconds": seconds,
        "per_script": {k: {"n": v[0], "false_positives": v[1]} for k, v in per_script.items()},
        "examples": hits[:15],
    }


def anchors_on_candidates(
    index: Any, queries: list[ScreeningQuery], screener: Screener, expected: list[set[str]] | None
) -> dict[str, Any]:
    """nomenklatura re-scoring the candidates our retrieval found (same candidates)."""
    out: dict[str, Any] = {}
    forms_cache = []
    for query in queries:
        response = screener.screen(query, limit=10)
        forms_cache.append([m.party_id for m in response.matches])
    lookup = _party_index(index)
    for anchor in ANCHORS:
        score = scorer(anchor)
        top_ok = 0
        fp = 0
        started = time.perf_counter()
        for i, query in enumerate(queries):
            q = entity_for_name(
                "Person",
                query.name,
                f"q{i}",
                birthDate=[query.birth_date] if query.birth_date else [],
                nationality=[query.country] if query.country else [],
            )
            scored = [
                (score(q, entity_for_record(index.record(lookup[pid]))), pid)
                for pid in forms_cache[i]
            ]
            scored.sort(reverse=True)
            if expected is not None:
                top_ok += bool(scored) and scored[0][1] in expected[i]
            elif scored and scored[0][0] >= ANCHOR_THRESHOLD:
                fp += 1
        out[anchor] = {
            "top" if expected is not None else "false_positives": (
                top_ok if expected is not None else fp
            ),
            "n": len(queries),
            "seconds": time.perf_counter() - started,
        }
    return out
