"""Fuzzing every list parser: arbitrary bytes and mutated real files give either parsed
parties or an :class:`InputError` that names where; never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.model.party import NameKind
from dualuse.screening.lists import parse_files
from tests.conftest import shared_data_dir

DATA = Path(__file__).parent / "data"
SHARED = shared_data_dir() / "sanctions"


def head(path: Path, size: int = 6000) -> bytes:
    """The start of a real file, cut after a whole line."""
    data = path.read_bytes()[:size]
    return data[: data.rfind(b"\n") + 1] if b"\n" in data else data


SEEDS: dict[str, tuple[str, bytes]] = {
    "ofac_csv": ("sdn.csv", head(SHARED / "ofac/sdn_2021-07-07/sdn.csv")),
    "csl_csv": ("consolidated.csv", head(SHARED / "csl/consolidated_fixture_2025-06.csv")),
    "un_xml": ("consolidated.xml", head(SHARED / "un/UN_consolidated_2026-02-27.xml", 12000)),
    "bis_dpl": ("dpl.txt", head(SHARED / "bis/dpl_2023-11-30.txt")),
    "ofac_xml": ("sdn.xml", (DATA / "sdn_sample.xml").read_bytes()),
    "ofac_advanced_xml": ("SDN_ADVANCED.XML", (DATA / "sdn_advanced_sample.xml").read_bytes()),
    "eu_fsf_xml": ("eu_fsf.xml", (DATA / "eu_fsf_sample.xml").read_bytes()),
    "uk_xml": ("uk.xml", (DATA / "uk_sanctions_sample.xml").read_bytes()),
    "ftm_json": ("export.ftm.json", b""),
}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(kind: str, files: dict[str, bytes]) -> None:
    error: InputError | None = None
    try:
        lv = parse_files(files, format=kind, version="2024-01-01")
    except InputError as err:
        error = err
    if error is not None:
        assert error.source, f"{kind}: error without a source: {error}"
        return
    for party in lv.parties:
        assert party.names and party.names[0].kind is NameKind.NAME
        assert party.id == f"{lv.list_id}:{party.provenance.entry_id}"


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A real file with a few random edits: flips, insertions, deletions, a cut."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut", "dup"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=8)
                | st.sampled_from([b'"', b",", b"<", b"\t", b"\n", b"\x1a", b"-0-"])
            )
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "cut":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


@pytest.mark.parametrize("kind", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_arbitrary_bytes(kind: str, data: st.DataObject) -> None:
    name, _seed = SEEDS[kind]
    check(kind, {name: data.draw(st.binary(max_size=2000))})


@pytest.mark.parametrize("kind", sorted(k for k in SEEDS if SEEDS[k][1]))
@FUZZ
@given(data=st.data())
def test_mutated_real_files(kind: str, data: st.DataObject) -> None:
    name, seed = SEEDS[kind]
    check(kind, {name: data.draw(mutated(seed))})


@FUZZ
@given(data=st.data())
def test_mutated_ofac_set(data: st.DataObject) -> None:
    folder = SHARED / "ofac/sdn_2021-07-07"
    files = {
        "sdn.csv": head(folder / "sdn.csv", 20000),
        "alt.csv": data.draw(mutated(head(folder / "alt.csv", 3000))),
        "add.csv": data.draw(mutated(head(folder / "add.csv", 3000))),
        "sdn_comments.csv": data.draw(st.binary(max_size=300)),
    }
    check("ofac_csv", files)


@FUZZ
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["id", "schema", "properties", "datasets"]),
            st.text(max_size=12)
            | st.integers(-1000, 1000)
            | st.lists(st.text(max_size=6), max_size=3)
            | st.dictionaries(
                st.text(max_size=8), st.lists(st.text(max_size=8), max_size=2), max_size=3
            ),
        ),
        max_size=5,
    )
)
def test_ftm_json_objects(objects: list[dict[str, object]]) -> None:
    import orjson

    check("ftm_json", {"x.json": b"\n".join(orjson.dumps(o) for o in objects)})


XXE = (
    b'<!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/hostname">]><CONSOLIDATED_LIST><INDIVIDUALS>'
    b"<INDIVIDUAL><REFERENCE_NUMBER>R1</REFERENCE_NUMBER><FIRST_NAME>A &x;</FIRST_NAME>"
    b"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
)


def test_external_entities_are_never_read() -> None:
    lv = parse_files({"consolidated.xml": XXE}, version="2024-01-01")
    secret = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    assert lv.parties[0].caption == "A"
    assert not secret or secret not in lv.parties[0].caption


def test_known_traps() -> None:
    """Inputs that broke parsers elsewhere: NUL bytes, UTF-16, entity bombs, odd encodings."""
    traps = {
        "csl_csv": [b"\xff\xfe_\x00i\x00d\x00", b"_id,source\n\x00\x00"],
        "un_xml": [
            b'<?xml version="1.0" encoding="x-unknown"?><CONSOLIDATED_LIST/>',
            b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>",
            XXE,
        ],
        "ofac_csv": [b'1,"A",individual,X,,,,,,,,"DOB 31 Feb 1960; a.k.a. \'\';"\x1a', b"\x1a\x1a"],
        "ofac_advanced_xml": [
            b"<Sanctions><DistinctParties><DistinctParty/></DistinctParties></Sanctions>"
        ],
    }
    for kind, samples in traps.items():
        for sample in samples:
            check(kind, {SEEDS[kind][0]: sample})
