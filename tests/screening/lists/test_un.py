"""UN Security Council consolidated XML against the shared real file."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from dualuse.errors import InputError
from dualuse.model.party import NameKind, PartyType
from dualuse.screening.lists import load_path

UN = Path("sanctions/un/UN_consolidated_2026-02-27.xml")


@pytest.fixture(scope="module")
def un(shared_data: Path):  # type: ignore[no-untyped-def]
    return load_path(shared_data / UN)


def test_counts_and_version(un, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    tree = etree.parse(str(shared_data / UN))
    assert un.list_id == "un_sc"
    assert un.version == "2026-02-27"
    people = [p for p in un.parties if p.type is PartyType.PERSON]
    assert len(people) == len(tree.findall("INDIVIDUALS/INDIVIDUAL")) == 730
    assert len(un.parties) - len(people) == len(tree.findall("ENTITIES/ENTITY")) == 273


def test_weak_aliases_are_the_low_quality_ones(un, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    tree = etree.parse(str(shared_data / UN))
    low = {
        (ind.findtext("REFERENCE_NUMBER"), a.findtext("ALIAS_NAME").strip())
        for ind in tree.iter("INDIVIDUAL")
        for a in ind.iter("INDIVIDUAL_ALIAS")
        if a.findtext("QUALITY") == "Low" and (a.findtext("ALIAS_NAME") or "").strip()
    }
    got = {
        (p.provenance.entry_id, n.value)
        for p in un.parties
        for n in p.names
        if n.kind is NameKind.WEAK_ALIAS
    }
    assert {(e, " ".join(v.split())) for e, v in low} == got


def test_person_details(un) -> None:  # type: ignore[no-untyped-def]
    badege = next(p for p in un.parties if p.provenance.entry_id == "CDi.001")
    assert badege.caption == "ERIC BADEGE"
    assert badege.birth_dates == ("1971",)
    assert badege.nationalities == ("cd",)
    assert badege.programs == ("DRC",)
    assert badege.listed_on == "2012-12-31"
    assert badege.gender == "male"
    saddam = next(p for p in un.parties if p.provenance.entry_id == "IQi.001")
    assert "صدام حسين التكريتي" in [n.value for n in saddam.names]
    adf = next(p for p in un.parties if p.provenance.entry_id == "CDe.001")
    assert ("NALU", NameKind.PREVIOUS_NAME) in [(n.value, n.kind) for n in adf.names]


def test_truncated_xml_names_the_line(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / UN).read_bytes()
    (tmp_path / "un.xml").write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError) as err:
        load_path(tmp_path / "un.xml")
    assert err.value.source == "un.xml"
    assert err.value.location and err.value.location.startswith("line ")
