"""Dates of birth with typing slips (issue 17): the UN positives screened with their
exact names and a date of birth one slip away from the listed one (one digit, the year
by one, day and month swapped), and the 50,000 synthetic negatives with their dates,
against the full index. Run it on two checkouts to compare rules side by side:

    DUALUSE_SHARED_DATA=/work/shared/data python -m bench.screening_dob_typos [--negatives N]
    PYTHONPATH=OTHER/src:. python -m bench.screening_dob_typos   # the other rule
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
from collections import defaultdict
from typing import Any

from bench.matching_data import eval_dir, load_full_lists, read_csv
from bench.screening_quality_index import negatives
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.countries import normalize_country
from dualuse.reference.names import NameType, analyze_name
from dualuse.screening.matching import Screener, build_index

KINDS = ("exact", "none", "digit", "year", "swap")


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def slip(date: str, kind: str, rng: random.Random) -> str | None:
    """``date`` (YYYY-MM-DD) with one typing slip of ``kind``, or ``None`` if the kind
    does not apply (a swap of equal or impossible day and month)."""
    year, month, day = int(date[:4]), int(date[5:7]), int(date[8:10])
    if kind == "exact":
        return date
    if kind == "none":
        return ""
    if kind == "year":
        year += rng.choice((-1, 1))
    elif kind == "swap":
        month, day = day, month
    else:  # one digit of the eight, any position, to any other digit giving a real date
        for _ in range(50):
            digits = list(date.replace("-", ""))
            pos = rng.randrange(8)
            digits[pos] = rng.choice([d for d in "0123456789" if d != digits[pos]])
            y, m, d = int("".join(digits[:4])), int("".join(digits[4:6])), int("".join(digits[6:]))
            if 1900 <= y <= 2025 and _valid(y, m, d):
                year, month, day = y, m, d
                break
        else:
            return None
    if not _valid(year, month, day) or f"{year:04d}-{month:02d}-{day:02d}" == date:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def typo_positives(screener: Screener, index: Any, rng: random.Random) -> dict[str, Any]:
    """Per kind: UN positives with a full date whose listed party is matched (at or
    over the threshold, among the first 25), ranked first, and both. (Ranked first
    undercounts: the same person's copy on another list can rank above it.)"""
    un_names: dict[str, set[str]] = defaultdict(set)
    for p in range(index.n_parties):
        record = index.record(p)
        if record.list_id == "un_sc":
            for value, _kind in record.names:
                un_names[analyze_name(value, NameType.PERSON).comparable].add(record.party_id)
    rows = read_csv(eval_dir() / "opensanctions" / "yente_positives_un_untreated.csv")
    stats = {kind: {"n": 0, "matched": 0, "top": 0, "top_and_match": 0} for kind in KINDS}
    lost: list[tuple[str, str, str, float]] = []
    for row in rows:
        dob = row["date_of_birth"]
        expected = un_names.get(analyze_name(row["full_name"], NameType.PERSON).comparable)
        if not expected or len(dob) != 10:
            continue
        for kind in KINDS:
            date = slip(dob, kind, rng)
            if date is None:
                continue
            query = ScreeningQuery(
                name=row["full_name"],
                type=PartyType.PERSON,
                birth_date=date or None,
                country=normalize_country(row["nationality"]) if row["nationality"] else None,
            )
            response = screener.screen(query, limit=25)
            top = response.matches[0].score if response.matches else 0.0
            hit = [m for m in response.matches if m.party_id in expected]
            at_top = bool(hit) and hit[0].score >= top - 1e-9
            stats[kind]["n"] += 1
            stats[kind]["matched"] += bool(hit) and hit[0].match
            stats[kind]["top"] += at_top
            stats[kind]["top_and_match"] += at_top and hit[0].match
            if kind not in {"exact", "none"} and not (hit and hit[0].match):
                lost.append((row["full_name"], dob, date, hit[0].score if hit else 0.0))
    return {"per_kind": stats, "not_matched_examples": lost[:12]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--negatives", type=int, default=0, help="rows (0 = all 50,000)")
    args = parser.parse_args()
    loaded = load_full_lists()
    index = build_index(loaded.parties, version=loaded.fingerprint)
    screener = Screener(index)
    figures = {
        "un_typos": typo_positives(screener, index, random.Random(17)),
        "negatives": negatives(screener, args.negatives or None),
    }
    figures["negatives"].pop("per_script", None)
    print(json.dumps(figures, indent=1, default=str))


if __name__ == "__main__":
    main()
