"""Format detection, dates and identifiers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.reference.ids.imo import IMO
from dualuse.reference.ids.lei import LEI
from dualuse.screening.lists import detect, parse_files
from dualuse.screening.lists.common import parse_date, parse_dates


def test_html_error_page_is_named() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>503</title></head><body>down</body></html>"
    with pytest.raises(InputError) as err:
        detect({"sdn.xml": page})
    assert err.value.source == "sdn.xml"
    assert "HTML" in str(err.value)


def test_unknown_file_suggests_formats() -> None:
    with pytest.raises(InputError) as err:
        parse_files({"notes.txt": b"hello"}, version="2024-01-01")
    assert "csl_csv" in err.value.suggestions


def test_detects_each_shared_format(shared_data: Path) -> None:
    base = shared_data / "sanctions"
    cases = {
        "csl_csv": base / "csl/consolidated_fixture_2025-06.csv",
        "un_xml": base / "un/UN_consolidated_2026-02-27.xml",
        "bis_dpl": base / "bis/dpl_2023-11-30.txt",
    }
    for kind, path in cases.items():
        assert detect({path.name: path.read_bytes()[:20000]}) == kind
    assert detect({"sdn.csv": b"", "alt.csv": b""}) == "ofac_csv"


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("10 Dec 1948", "mdy", "1948-12-10"),
        ("Sep 1938", "mdy", "1938-09"),
        ("circa 1951", "mdy", "1951"),
        ("1962-05-17", "mdy", "1962-05-17"),
        ("05/03/2024", "mdy", "2024-05-03"),
        ("05/03/2024", "dmy", "2024-03-05"),
        ("dd/mm/1950", "dmy", "1950"),
        ("00/05/1962", "dmy", "1962-05"),
        ("31 Feb 1960", "mdy", None),
        ("2026-02-27T00:00:09.554Z", "mdy", "2026-02-27"),
        ("-0-", "mdy", None),
    ],
)
def test_dates(text: str, order: str, expected: str | None) -> None:
    assert parse_date(text, order=order) == expected


def test_date_ranges() -> None:
    assert parse_dates("1951 to 1953") == ["1951", "1952", "1953"]
    assert parse_dates("01 Jan 1961 to 31 Dec 1962") == ["1961", "1962"]
    assert parse_dates("circa 1979-1982") == ["1979", "1980", "1981", "1982"]


@given(st.text(max_size=40))
def test_parse_date_is_total_and_iso(text: str) -> None:
    value = parse_date(text)
    assert value is None or parse_date(value) == value


def test_imo_and_lei() -> None:
    assert IMO.normalize("IMO 9187629") == "9187629"
    assert IMO.is_valid("IMO 7406784")
    assert not IMO.is_valid("7406785")
    assert IMO.normalize("12345") is None
    assert IMO.format("7406784") == "IMO 7406784"
    assert LEI.is_valid("253400V1H6ART1UQ0N98")
    assert not LEI.is_valid("253400V1H6ART1UQ0N99")
    assert LEI.normalize("2534 00V1H6ART1UQ0N98") == "253400V1H6ART1UQ0N98"


@given(st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_imo_check_digit_is_unique(first6: str) -> None:
    valid = [d for d in "0123456789" if IMO.is_valid(first6 + d)]
    assert len(valid) == 1
