"""Statistics files that are malformed give errors naming the file, line and column;
a fuzzed file either parses to the original numbers or is refused, never half-read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.diversion.trade import load
from dualuse.errors import InputError


@pytest.fixture(scope="module")
def kg_lines(shared_data: Path) -> list[str]:
    path = shared_data / load.TOTALS_DIR / load.TOTAL_FILES["kg"]
    return path.read_text(encoding="utf-8").splitlines(keepends=True)[:40]


def write(tmp_path: Path, lines: list[str], name: str = "kg.csv") -> Path:
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_real_file_reads(kg_lines: list[str], tmp_path: Path) -> None:
    cells, _aggregate = load.read_totals(write(tmp_path, kg_lines), "kg")
    assert cells and all(c.partner == "kg" and c.value >= 0 for c in cells)
    assert all(not load.is_aggregate(c.reporter) for c in cells)
    assert cells[0].month == "2024-08"  # "Aug. 2024"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda ls: [ls[0].replace("VALUE_IN_EUR", "VALUE"), *ls[1:]],
         r"kg\.csv, line 1: missing columns \['VALUE_IN_EUR'\]"),
        (lambda ls: [*ls[:3], ls[3].replace(",Total,Aug. 2024,", ",Total,Aug. 2024,12x"), *ls[4:]],
         r"kg\.csv, line 4: column VALUE_IN_EUR: '12x\d+' is not a non-negative number"),
        (lambda ls: [*ls[:3], ls[3].replace(",Aug. 2024,", ",Augu 2024,"), *ls[4:]],
         r"kg\.csv, line 4: column PERIOD: 'Augu 2024' is not a month"),
        (lambda ls: [*ls[:3], ",".join(ls[3].split(",")[:4]) + "\n"],
         r"kg\.csv, line 4: row is short"),
        (lambda ls: [*ls[:3], ls[3].rstrip("\n") + ",extra\n"],
         r"kg\.csv, line 4: row has 9 fields, the header 8"),
        (lambda ls: [*ls[:5], ls[5][:-9]],
         r"kg\.csv, line 6: file does not end with a line break"),
        (lambda ls: [*ls[:3], ls[3].replace("Kyrgyzstan", "Atlantis")],
         r"kg\.csv, line 4: column PARTNER: unknown partner country 'Atlantis'"),
        (lambda ls: [*ls[:3], ls[3].replace("Kyrgyzstan", "Armenia")],
         r"kg\.csv, line 4: column PARTNER: 'Armenia' in the file for KG"),
        (lambda ls: [*ls[:3], ls[3].replace(",EXPORT,", ",IMPORT,")],
         r"kg\.csv, line 4: column FLOW: 'IMPORT' in an export file"),
        (lambda ls: [*ls[:3], ls[3].replace(",Aug. 2024,", ",Aug. 2024,-")],
         r"is not a non-negative number"),
    ],
)  # fmt: skip
def test_malformed_totals(kg_lines: list[str], tmp_path: Path, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        load.read_totals(write(tmp_path, mutate(kg_lines)), "kg")


def test_other_readers(tmp_path: Path) -> None:
    bad = write(tmp_path, ["cn8,partner,month,value_eur\n", "8542310,Armenia,2021-01,5\n"])
    with pytest.raises(InputError, match=r"line 2: column cn8: '8542310' is not a 8-digit"):
        list(load.read_cn8(bad, members=False))
    bad = write(tmp_path, ["cn8,partner,month,value_eur\n", "85423100,Armenia,2021-13,5\n"])
    with pytest.raises(InputError, match=r"line 2: column month: '2021-13' is not a month"):
        list(load.read_cn8(bad, members=False))
    bad = write(tmp_path, ["partner,reporter,month,sanctioned_export\n",
                           "Armenia,Austria,2020-01,nan\n"])  # fmt: skip
    with pytest.raises(InputError, match=r"line 2: column sanctioned_export: 'nan'"):
        load.read_sanctioned_totals(bad)
    gz = tmp_path / "x.csv.gz"
    gz.write_bytes(gzip.compress(b"cn8,reporter,partner,month,value_eur\n")[:-6])
    with pytest.raises(InputError, match="not a UTF-8 CSV file"):
        list(load.read_cn8(gz, members=True))
    with pytest.raises(InputError, match="cannot read"):
        load.read_chpl(tmp_path / "missing.csv")
    bad = write(tmp_path, ["hs6,tier\n", "85423,1\n"])
    with pytest.raises(InputError, match=r"line 2: column hs6: '85423' is not a 6-digit"):
        load.read_chpl(bad)


_ORIGINAL: dict[str, list[float]] = {}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(min_value=0, max_value=4000),
    line=st.integers(min_value=0, max_value=39),
    junk=st.text(max_size=12),
    mode=st.sampled_from(["truncate", "replace_field", "insert"]),
    field=st.integers(min_value=0, max_value=7),
)
def test_fuzzed_file_is_read_exactly_or_refused(
    kg_lines: list[str], tmp_path: Path, cut: int, line: int, junk: str, mode: str, field: int
) -> None:
    text = "".join(kg_lines)
    key = "kg"
    if key not in _ORIGINAL:
        _ORIGINAL[key] = [c.value for c in load.read_totals(write(tmp_path, kg_lines), "kg")[0]]
    if mode == "truncate":
        mutated = text[: min(cut, len(text))]
    elif mode == "replace_field":
        lines = list(kg_lines)
        parts = lines[line].rstrip("\n").split(",")
        parts[min(field, len(parts) - 1)] = junk
        lines[line] = ",".join(parts) + "\n"
        mutated = "".join(lines)
    else:
        at = min(cut, len(text))
        mutated = text[:at] + junk + text[at:]
    path = tmp_path / "fuzz.csv"
    path.write_text(mutated, encoding="utf-8")
    try:
        cells, _aggregate = load.read_totals(path, "kg")
    except InputError as exc:
        message = str(exc)
    else:
        message = ""
    if message:
        assert str(path) in message
        return
    # Whatever parsed is the original numbers, in order: no value silently changed unless
    # the junk itself was a valid number put in the value column.
    values = [c.value for c in cells]
    if mode == "truncate":
        assert values == _ORIGINAL[key][: len(values)]
