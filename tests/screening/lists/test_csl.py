"""US Consolidated Screening List CSV against the shared real files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.party import NameKind, PartyType
from dualuse.screening.lists import load_path

CSL = Path("sanctions/csl")


@pytest.fixture(scope="module")
def csl_2026(shared_data: Path):  # type: ignore[no-untyped-def]
    return load_path(shared_data / CSL / "csl_2026-07-31_converted.csv")


def test_full_list_counts_per_source(csl_2026, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    with (shared_data / CSL / "csl_2026-07-31_converted.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        rows = list(csv.DictReader(f))
    assert csl_2026.list_id == "us_csl"
    assert csl_2026.version == "2026-07-31"
    assert len(csl_2026.parties) == len(rows) == 25921
    assert Counter(p.sublist for p in csl_2026.parties) == Counter(r["source"] for r in rows)
    assert len({p.id for p in csl_2026.parties}) == len(rows)


def test_entity_list_licence_requirement_and_policy(csl_2026) -> None:  # type: ignore[no-untyped-def]
    el = [p for p in csl_2026.parties if p.sublist and p.sublist.startswith("Entity List (EL)")]
    assert len(el) == 3420
    assert all(p.license_requirement for p in el)
    assert sum(1 for p in el if p.license_policy) > 3000
    ghoura = next(p for p in el if p.caption == "Abdul Satar Ghoura")
    # no entity number in this copy: the id is derived from the name, "_id" kept aside
    assert ghoura.provenance.entry_id.startswith("EL-")
    assert ("csl_id", "2453") in ghoura.extra
    assert (
        ghoura.license_requirement == "For all items subject to the EAR. (See §744.11 of the EAR)."
    )
    assert ghoura.license_policy == "Presumption of denial."
    assert set(ghoura.countries) == {"af", "pk"}


def test_aliases_types_and_ids(shared_data: Path) -> None:
    lv = load_path(shared_data / CSL / "consolidated_fixture_2025-06.csv", version="2025-06-25")
    assert len(lv.parties) == 13
    types = Counter(p.type for p in lv.parties)
    assert types[PartyType.PERSON] == 4 and types[PartyType.ORGANIZATION] == 3
    assert types[PartyType.UNKNOWN] == 6
    sample = load_path(
        shared_data / CSL / "consolidated_fixture_2025-06.csv", version="2025-06-25"
    ).parties
    assert any(n.kind is NameKind.ALIAS for p in sample for n in p.names)


def test_older_28_column_header_is_accepted(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / CSL / "consolidated_fixture_2025-06.csv"
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    out = tmp_path / "consolidated_2019.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(r[1:] for r in rows)
    lv = load_path(out, version="2019-01-01")
    assert [p.caption for p in lv.parties] == [r[5] for r in rows[1:]]


def test_truncated_sample_is_rejected_naming_the_line(shared_data: Path) -> None:
    with pytest.raises(InputError) as err:
        load_path(shared_data / CSL / "csl_sample_2023-11-30.csv")
    assert err.value.source == "csl_sample_2023-11-30.csv"
    assert err.value.location and err.value.location.startswith("line ")


def test_duplicated_header_alone_is_tolerated(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / CSL / "csl_sample_2023-11-30.csv").read_bytes()
    complete = data[: data.rstrip(b"\n").rindex(b'\n"')]  # drop the truncated last row
    (tmp_path / "csl.csv").write_bytes(complete)
    lv = load_path(tmp_path / "csl.csv", version="2023-11-30")
    assert len(lv.parties) == 4226
    assert any("header repeated at line 2" in w for w in lv.warnings)


def test_short_and_long_forms_in_one_name_become_aliases(csl_2026) -> None:  # type: ignore[no-untyped-def]
    rostec = next(
        p
        for p in csl_2026.parties
        if p.caption == "Rostec (Russian Technologies State Corporation)"
    )
    names = {(n.value, n.kind) for n in rostec.names}
    # the name as listed is kept; both parts are aliases, with where they came from
    assert ("Rostec (Russian Technologies State Corporation)", NameKind.NAME) in names
    assert ("Rostec", NameKind.ALIAS) in names
    assert ("Russian Technologies State Corporation", NameKind.ALIAS) in names
    assert (
        "name_parts",
        "Rostec (Russian Technologies State Corporation) -> Rostec | "
        "Russian Technologies State Corporation",
    ) in rostec.extra
    smic = next(
        p
        for p in csl_2026.parties
        if p.caption == "Semiconductor Manufacturing International Corporation (SMIC)"
    )
    assert ("SMIC", NameKind.ALIAS) in {(n.value, n.kind) for n in smic.names}
    # a place in parentheses is not a name
    kiev = [p for p in csl_2026.parties if any(n.value == "KIEV" for n in p.names)]
    assert kiev == []


def test_names_inside_listed_names_become_aliases(csl_2026) -> None:  # type: ignore[no-untyped-def]
    # issue 15 §1: BelAZ is listed only as "OJSC BELAZ - MANAGEMENT COMPANY OF HOLDING
    # BELAZ-HOLDING"; CAEP only inside an alias of the academy's Entity List entry
    belaz = next(
        p
        for p in csl_2026.parties
        if p.caption == "OPEN JOINT STOCK COMPANY BELARUSIAN AUTOMOBILE PLANT"
    )
    assert {"OJSC BELAZ", "OAO BELAZ", "AAT BELAZ"} <= {n.value for n in belaz.names}
    academy = next(
        p for p in csl_2026.parties if p.caption == "Chinese Academy of Engineering Physics"
    )
    assert ("CAEP", NameKind.ALIAS) in {(n.value, n.kind) for n in academy.names}
    assert ("defined_acronyms", "CAEP") in academy.extra
    # the acronym is the academy's alone: no other party gains it
    others = [
        p for p in csl_2026.parties if p is not academy and any(n.value == "CAEP" for n in p.names)
    ]
    assert others == []
