"""FollowTheMoney JSON lines: export valid entities and read them back unchanged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from followthemoney import model

from dualuse.model.party import Party
from dualuse.screening.lists import load_path, parse_files
from dualuse.screening.lists.ftm import export_ftm

LOST = {"extra": (), "title": None}
"""What FtM cannot hold for every schema: list extras, and the title of a non-person."""


def comparable(party: Party) -> Party:
    kept = replace(party, extra=())
    if party.type.ftm_schema != "Person":
        kept = replace(kept, title=None, gender=None, nationalities=())
    return replace(kept, names=tuple(replace(n, lang=None) for n in kept.names))


@pytest.mark.parametrize(
    "path",
    [
        "sanctions/ofac/sdn_2021-07-07",
        "sanctions/un/UN_consolidated_2026-02-27.xml",
        "sanctions/csl/csl_2026-07-31_converted.csv",
        "sanctions/bis/dpl_2023-11-30.txt",
    ],
)
def test_round_trip(path: str, shared_data: Path) -> None:
    original = load_path(shared_data / path)
    parties = original.parties[:: max(1, len(original.parties) // 400)]
    lines = b"".join(export_ftm(parties))
    for line in lines.splitlines():
        data = orjson.loads(line)
        proxy = model.get_proxy(data, cleaned=False)  # validates schema and properties
        assert proxy.id == data["id"]
    back = parse_files({"export.ftm.json": lines}, version=original.version)
    assert back.list_id == original.list_id
    assert [comparable(p) for p in back.parties] == [comparable(p) for p in parties]
