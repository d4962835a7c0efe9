"""An index of the real UN Security Council list, and real query names, shared by
the matching tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.lists import load_path
from dualuse.screening.matching import Index, build_index


@pytest.fixture(scope="session")
def un_index(shared_data: Path) -> Index:
    version = load_path(shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml")
    return build_index(version.parties, version=f"un_sc@{version.version}")


def eval_queries(shared_data: Path, count: int) -> list[ScreeningQuery]:
    """The first ``count`` UN positives and synthetic negatives, and a few queries
    whose qualifiers (date of birth, country, type) fire."""
    eval_dir = shared_data / "sanctions/eval/opensanctions"
    queries: list[ScreeningQuery] = []
    for name in ("yente_positives_un_untreated.csv", "yente_negatives_global.csv"):
        with (eval_dir / name).open(encoding="utf-8") as handle:
            for _, row in zip(range(count), csv.DictReader(handle), strict=False):
                queries.append(ScreeningQuery(name=row["full_name"]))
    return [
        *queries,
        ScreeningQuery(name="Vladimir Putin", birth_date="1952-10-07", country="ru"),
        ScreeningQuery(name="Kim Jong Un", type=PartyType.PERSON, birth_date="1984"),
        ScreeningQuery(name="Rosneft", country="ru", type=PartyType.ORGANIZATION),
    ]
