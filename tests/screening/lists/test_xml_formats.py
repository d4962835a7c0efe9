"""OFAC XML (classic and advanced), EU FSF and UK formats on schema-following samples
built from the shared real data (see data/README.md): the XML loaders must give the same
parties as the real OFAC CSV set and the UN list for the same entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.party import NameKind, Party, PartyType
from dualuse.screening.lists import load_path

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def csv_2021(shared_data: Path) -> dict[str, Party]:
    lv = load_path(shared_data / "sanctions/ofac/sdn_2021-07-07")
    return {
        p.provenance.entry_id: p
        for p in lv.parties
        if p.provenance.entry_id in {"306", "2676", "4238"}
    }


def names(party: Party) -> set[tuple[str, NameKind]]:
    return {(n.value, n.kind) for n in party.names}


@pytest.mark.parametrize("sample", ["sdn_sample.xml", "sdn_advanced_sample.xml"])
def test_ofac_xml_agrees_with_the_csv_set(sample: str, csv_2021: dict[str, Party]) -> None:
    lv = load_path(DATA / sample)
    assert lv.list_id == "us_ofac_sdn"
    assert lv.version == "2021-07-07"  # Publish_Date / DateOfIssue inside the file
    xml = {p.provenance.entry_id: p for p in lv.parties}
    assert set(xml) == set(csv_2021)
    for entry, expected in csv_2021.items():
        got = xml[entry]
        assert got.id == expected.id
        assert got.type is expected.type
        assert names(got) == names(expected), entry
        assert got.birth_dates == expected.birth_dates
        assert got.birth_places == expected.birth_places
        assert set(got.programs) == set(expected.programs)
        assert {(i.scheme, i.value, i.country) for i in got.identifiers} == {
            (i.scheme, i.value, i.country) for i in expected.identifiers
        }
        assert {a.country for a in got.addresses} == {a.country for a in expected.addresses}
    assert ("BNC", NameKind.WEAK_ALIAS) in names(xml["306"])
    assert xml["4238"].type is PartyType.VESSEL and "cu" in xml["4238"].countries
    assert ("call_sign", "CL2192") in xml["4238"].extra


def test_ofac_advanced_keeps_list_and_programs() -> None:
    lv = load_path(DATA / "sdn_advanced_sample.xml")
    by_id = {p.provenance.entry_id: p for p in lv.parties}
    assert by_id["306"].sublist == "SDN List"
    assert by_id["2676"].type is PartyType.PERSON


@pytest.fixture(scope="module")
def un(shared_data: Path) -> dict[str, Party]:
    lv = load_path(shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    return {p.provenance.entry_id: p for p in lv.parties}


def test_eu_sample(un: dict[str, Party]) -> None:
    lv = load_path(DATA / "eu_fsf_sample.xml")
    assert (lv.list_id, lv.version) == ("eu_fsf", "2026-02-27")
    saddam, adf = lv.parties
    assert saddam.type is PartyType.PERSON and adf.type is PartyType.ORGANIZATION
    assert saddam.birth_dates == un["IQi.001"].birth_dates == ("1937-04-28",)
    assert saddam.nationalities == un["IQi.001"].nationalities == ("iq",)
    assert ("Abu Ali", NameKind.WEAK_ALIAS) in names(saddam)
    assert ("Abu Ali", NameKind.WEAK_ALIAS) in names(un["IQi.001"])
    assert ("صدام حسين التكريتي", NameKind.ALIAS, "AR") in {
        (n.value, n.kind, n.lang) for n in saddam.names
    }
    assert saddam.gender == "male"
    assert saddam.listed_on == un["IQi.001"].listed_on
    assert ("un_reference_number", "IQi.001") in saddam.extra
    assert adf.countries == ("cd",)


def test_uk_sample(un: dict[str, Party]) -> None:
    lv = load_path(DATA / "uk_sanctions_sample.xml")
    assert (lv.list_id, lv.version) == ("gb_fcdo", "2026-02-27")
    by_un = {dict(p.extra)["un_reference_number"]: p for p in lv.parties}
    badege = by_un["CDi.001"]
    assert badege.caption == un["CDi.001"].caption == "ERIC BADEGE"
    assert badege.birth_dates == un["CDi.001"].birth_dates == ("1971",)  # "dd/mm/1971"
    assert badege.listed_on == un["CDi.001"].listed_on
    assert badege.nationalities == ("cd",)
    saddam = by_un["IQi.001"]
    assert saddam.caption == "SADDAM HUSSEIN AL-TIKRITI"
    assert ("Abu Ali", NameKind.WEAK_ALIAS) in names(saddam)
    assert saddam.birth_dates == ("1937-04-28",)
    assert by_un["CDe.001"].type is PartyType.ORGANIZATION


@pytest.mark.parametrize(
    "sample",
    ["sdn_sample.xml", "sdn_advanced_sample.xml", "eu_fsf_sample.xml", "uk_sanctions_sample.xml"],
)
def test_truncated_samples_name_file_and_line(sample: str, tmp_path: Path) -> None:
    data = (DATA / sample).read_bytes()
    (tmp_path / sample).write_bytes(data[: int(len(data) * 0.6)])
    with pytest.raises(InputError) as err:
        load_path(tmp_path / sample, version="2021-07-07")
    assert err.value.source == sample
    assert err.value.location and "line" in err.value.location
