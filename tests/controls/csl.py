"""Real Consolidated Screening List rows (shared/data, 2026-07-31) as screening hits.

Screening itself is another capability; these helpers only read the CSV (columns as
documented in the sanctions SOURCES.md) and turn a chosen row into the
:class:`MatchResult` a screener would return for an exact name match.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from dualuse.model.party import PartyType
from dualuse.model.screening import MatchResult

CSL = Path("sanctions/csl/csl_2026-07-31_converted.csv")
TYPES = {
    "Individual": PartyType.PERSON,
    "Entity": PartyType.ORGANIZATION,
    "Vessel": PartyType.VESSEL,
    "Aircraft": PartyType.AIRCRAFT,
}


@lru_cache(maxsize=2)
def csl_rows(shared_data: Path) -> tuple[dict[str, str], ...]:
    with (shared_data / CSL).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def csl_row(shared_data: Path, source_prefix: str, name: str) -> dict[str, str]:
    for row in csl_rows(shared_data):
        if row["source"].startswith(source_prefix) and row["name"] == name:
            return row
    raise LookupError(f"no CSL row {source_prefix!r} / {name!r}")


def match_from_row(row: dict[str, str], *, score: float = 1.0, match: bool = True) -> MatchResult:
    programs = tuple(p.strip() for p in row["programs"].split(";") if p.strip())
    return MatchResult(
        score=score,
        match=match,
        party_id=f"csl-{row['_id']}",
        list_id="us_csl",
        list_version="2026-07-31",
        entry_id=row["_id"],
        name=row["name"],
        matched_name=row["name"],
        type=TYPES.get(row["type"], PartyType.UNKNOWN),
        programs=programs,
        listed_on=None,
        algorithm="exact-name-test",
        sublist=row["source"],
        license_requirement=row["license_requirement"] or None,
        license_policy=row["license_policy"] or None,
        source_url=row["source_list_url"] or None,
    )
