"""BIS Denied Persons List (tab-separated) against the shared real file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.party import PartyType
from dualuse.screening.lists import load_path

DPL = Path("sanctions/bis/dpl_2023-11-30.txt")


def test_rows_of_one_order_become_one_party(shared_data: Path) -> None:
    with (shared_data / DPL).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    lv = load_path(shared_data / DPL)
    assert (lv.list_id, lv.version) == ("us_bis_dpl", "2023-11-30")
    orders = {(" ".join(r["Name"].split()).casefold(), r["Effective_Date"]) for r in rows}
    assert len(lv.parties) == len(orders)
    assert sum(len(p.addresses) for p in lv.parties) == len(
        {
            (
                r["Name"].strip().casefold(),
                r["Effective_Date"],
                r["Street_Address"],
                r["City"],
                r["State"],
                r["Postal_Code"],
                r["Country"],
            )
            for r in rows
        }
    )
    freight = [p for p in lv.parties if p.caption == "AIR FREIGHT LTD"]
    assert len(freight) == 1
    assert set(freight[0].countries) == {"iq", "ae", "jo"}
    assert freight[0].listed_on == "2023-10-31"
    assert all(p.type is PartyType.UNKNOWN for p in lv.parties)


def test_wrong_header_is_named(tmp_path: Path) -> None:
    (tmp_path / "dpl.txt").write_text('"Name"\t"Street"\n"X"\t"Y"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_path(tmp_path / "dpl.txt", format="bis_dpl", version="2023-11-30")
    assert (err.value.source, err.value.location) == ("dpl.txt", "line 1")
