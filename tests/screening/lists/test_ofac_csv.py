"""OFAC legacy CSV sets against the shared real files, checked independently with csv."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.party import NameKind, PartyType
from dualuse.screening.lists import load_path

OFAC = Path("sanctions/ofac")


def raw_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().rstrip(b"\x1a\r\n").decode("ascii")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def sdn_2024(shared_data: Path):  # type: ignore[no-untyped-def]
    return load_path(shared_data / OFAC / "sdn_2024-05-03")


def test_sdn_counts_and_types_match_the_file(sdn_2024, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    rows = raw_rows(shared_data / OFAC / "sdn_2024-05-03" / "sdn.csv")
    assert sdn_2024.list_id == "us_ofac_sdn"
    assert sdn_2024.version == "2024-05-03"
    assert len(sdn_2024.parties) == len(rows) == 14965
    expected = Counter(r[2].strip() for r in rows)
    got = Counter(p.type for p in sdn_2024.parties)
    assert got[PartyType.PERSON] == expected["individual"] == 6854
    assert got[PartyType.ORGANIZATION] == expected["-0-"] == 6884
    assert got[PartyType.VESSEL] == expected["vessel"] == 851
    assert got[PartyType.AIRCRAFT] == expected["aircraft"] == 376
    assert {p.provenance.entry_id for p in sdn_2024.parties} == {r[0] for r in rows}


def test_weak_aliases_from_remarks(sdn_2024) -> None:  # type: ignore[no-untyped-def]
    bnc = next(p for p in sdn_2024.parties if p.provenance.entry_id == "306")
    assert bnc.caption == "BANCO NACIONAL DE CUBA"
    assert [n.value for n in bnc.names if n.kind is NameKind.WEAK_ALIAS] == ["BNC"]
    weak = sum(1 for p in sdn_2024.parties for n in p.names if n.kind is NameKind.WEAK_ALIAS)
    assert weak > 3000  # 3,578 quoted a.k.a./f.k.a. parts in the 2024-05-03 Remarks


def test_person_facts_from_remarks(sdn_2024) -> None:  # type: ignore[no-untyped-def]
    zawahiri = next(p for p in sdn_2024.parties if p.provenance.entry_id == "2676")
    assert zawahiri.type is PartyType.PERSON
    assert zawahiri.birth_dates == ("1951-06-19",)
    assert zawahiri.birth_places == ("Giza, Egypt",)
    passports = {(i.value, i.country) for i in zawahiri.identifiers if i.scheme == "passport"}
    assert passports == {("1084010", "eg"), ("19820215", None)}
    assert zawahiri.programs == ("SDGT",)
    assert zawahiri.provenance.source_url.startswith("https://")
    assert zawahiri.id == "us_ofac_sdn:2676"


def test_vessels_have_valid_imo_numbers(sdn_2024) -> None:  # type: ignore[no-untyped-def]
    from dualuse.reference.ids.imo import IMO

    vessels = [p for p in sdn_2024.parties if p.type is PartyType.VESSEL]
    imos = [i.value for p in vessels for i in p.identifiers if i.scheme == "imo"]
    assert len(imos) > 800
    assert sum(IMO.is_valid(v) for v in imos) / len(imos) > 0.99
    leis = [i.value for p in sdn_2024.parties for i in p.identifiers if i.scheme == "lei"]
    assert leis and all(len(v) == 20 for v in leis)


def test_coherent_2021_set_joins_aliases_addresses_and_comments(shared_data: Path) -> None:
    folder = shared_data / OFAC / "sdn_2021-07-07"
    lv = load_path(folder)
    assert len(lv.parties) == 8976
    assert lv.files == ("add.csv", "alt.csv", "sdn.csv", "sdn_comments.csv")
    by_id = {p.provenance.entry_id: p for p in lv.parties}
    alt_rows = raw_rows(folder / "alt.csv")
    strong = sum(
        1 for p in lv.parties for n in p.names if n.kind in {NameKind.ALIAS, NameKind.PREVIOUS_NAME}
    )
    assert strong == len({(r[0], r[3]) for r in alt_rows})
    bnc = by_id["306"]
    assert any(n.value == "NATIONAL BANK OF CUBA" and n.kind is NameKind.ALIAS for n in bnc.names)
    assert {a.country for a in bnc.addresses} == {"ch", "es", "jp", "pa"}
    # sdn_comments.csv continues a Remarks cut mid-word: "PROMO RAI" + "Z S.A.S."
    assert "PROMO RAIZ S.A.S." in (by_id["12300"].remarks or "")


def test_consolidated_non_sdn(shared_data: Path) -> None:
    lv = load_path(shared_data / OFAC / "consolidated_2025-12-19")
    assert lv.list_id == "us_ofac_cons"
    assert len(lv.parties) == len(
        raw_rows(shared_data / OFAC / "consolidated_2025-12-19" / "cons_prim.csv")
    )
    haniya = next(p for p in lv.parties if p.provenance.entry_id == "9639")
    assert {"HANIYA, Ismail", "HANIYYA, Ismaeel"} <= {n.value for n in haniya.names}
    assert haniya.birth_dates == ("1962",)


def test_mixed_captures_are_refused(shared_data: Path, tmp_path: Path) -> None:
    shutil.copy(shared_data / OFAC / "sdn_2024-05-03" / "sdn.csv", tmp_path / "sdn.csv")
    shutil.copy(shared_data / OFAC / "aux_2025-12-24" / "alt.csv", tmp_path / "alt.csv")
    with pytest.raises(InputError) as err:
        load_path(tmp_path, version="2024-05-03")
    assert err.value.source == "alt.csv"
    assert err.value.location and err.value.location.startswith("line ")
    assert "different captures" in str(err.value)


def test_truncated_file_names_file_and_line(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / OFAC / "sdn_2024-05-03" / "sdn.csv").read_bytes()
    cut = data[: len(data) // 2]
    cut = cut[: cut.rindex(b"\n") + 40]  # the last row ends mid-way
    (tmp_path / "sdn.csv").write_bytes(cut)
    line = cut.count(b"\n") + 1
    with pytest.raises(InputError) as err:
        load_path(tmp_path / "sdn.csv", version="2024-05-03")
    assert err.value.source == "sdn.csv"
    assert err.value.location == f"line {line}"


def test_folder_with_other_files_loads_only_the_set(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / OFAC / "consolidated_2025-12-19"
    for item in folder.iterdir():
        shutil.copy(item, tmp_path / item.name)
    (tmp_path / "README.txt").write_text("downloaded by hand", encoding="utf-8")
    lv = load_path(tmp_path, version="2025-12-19")
    assert "README.txt" not in lv.files and len(lv.parties) == 442
