import datetime
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.model.party import PartyType
from dualuse.services.screening_input import make_query, parse_dob, read_screening_csv


def write(tmp_path: Path, data: bytes | str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_reads_columns_and_builds_queries(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,dob,country,type\nc1,Ali Hassan,1970,Iran,person\nc2,ACME GmbH,,DE,organization\n",
    )
    rows = list(read_screening_csv(path))
    assert [r.id for r in rows] == ["c1", "c2"]
    first = rows[0].query
    assert first is not None
    assert first.birth_date == "1970"
    assert first.country == "ir"
    assert first.type is PartyType.PERSON
    assert rows[1].query is not None
    assert rows[1].query.type is PartyType.ORGANIZATION


def test_missing_name_column_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "id,fullname\n1,x\n")
    with pytest.raises(InputError, match=r"line 1.*no 'name' column \(found: id, fullname\)"):
        list(read_screening_csv(path))


def test_bad_rows_are_reported_and_others_processed(tmp_path: Path) -> None:
    long_name = "A" * 10_000
    text = (
        "id,name,dob,country\n"
        "1,,,\n"  # empty name
        f"2,{long_name},,\n"  # absurd length
        "3,Good Name,19xx,\n"  # bad date
        "4,Another,,Atlantis\n"  # unknown country
        '5,"broken "quote",,\n'  # broken quoting
        "6,Fine Person,,\n"
        "7,Ctrl\x07Char,,\n"
    )
    rows = list(read_screening_csv(write(tmp_path, text)))
    assert [r.row for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    by_id = {r.row: r for r in rows}
    assert by_id[1].query is None
    assert "name is empty" in by_id[1].problems[0]
    assert "10000 characters" in by_id[2].problems[0]
    # a bad optional field is left out; the name is still screened
    assert by_id[3].query is not None and by_id[3].query.birth_date is None
    assert "19xx" in by_id[3].problems[0] and "screened without it" in by_id[3].problems[0]
    assert by_id[4].query is not None and by_id[4].query.country is None
    assert "Atlantis" in by_id[4].problems[0]
    assert "broken quoting at line 6" in by_id[5].problems[0]
    assert by_id[6].query is not None
    assert by_id[7].query is not None
    assert by_id[7].query.name == "Ctrl Char"
    assert "control characters" in by_id[7].problems[-1]


def test_unterminated_quote_resyncs_at_next_line(tmp_path: Path) -> None:
    text = 'name\n"never closed\nSecond Person\nThird Person\n'
    rows = list(read_screening_csv(write(tmp_path, text)))
    assert rows[0].query is None
    assert "unterminated quoted field starting at line 2" in rows[0].problems[0]
    assert [r.name for r in rows[1:]] == ["Second Person", "Third Person"]


def test_multiline_quoted_field_is_one_record(tmp_path: Path) -> None:
    rows = list(read_screening_csv(write(tmp_path, 'name,id\n"Line\none",a\nNext,b\n')))
    assert [r.id for r in rows] == ["a", "b"]
    assert rows[0].name == "Line one"


def test_wrong_encoding_is_flagged_not_lost(tmp_path: Path) -> None:
    data = "name\nJosé Müller\n".encode("cp1252") + "Zoë\n".encode()
    rows = list(read_screening_csv(write(tmp_path, data)))
    assert rows[0].name == "José Müller"
    assert "not valid UTF-8" in rows[0].problems[0]
    assert rows[1].name == "Zoë"
    assert rows[1].problems == ()


def test_utf16_with_bom(tmp_path: Path) -> None:
    rows = list(read_screening_csv(write(tmp_path, "name\nВладимир\n".encode("utf-16"))))
    assert rows[0].name == "Владимир"


def test_make_query_rejects_symbols_only() -> None:
    with pytest.raises(InputError, match="no letters or digits"):
        make_query("!!! ---")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_any_bytes_after_a_header_never_crash(tmp_path: Path, body: bytes) -> None:
    path = write(tmp_path, b"id,name,dob,country,type\n" + body, name="fuzz.csv")
    rows = list(read_screening_csv(path))
    for row in rows:
        if row.query is None:
            assert row.problems
    assert [r.row for r in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1969-7-16", "1969-07-16"),
        ("1981-3-05", "1981-03-05"),
        ("1969-07", "1969-07"),
        ("1969-7", "1969-07"),
        ("1969", "1969"),
        ("1969/07/16", "1969-07-16"),
        ("19690716", "1969-07-16"),
        ("16/07/1969", "1969-07-16"),  # day first: 16 cannot be a month
        ("16.7.1969", "1969-07-16"),
        ("07/16/1969", "1969-07-16"),  # month first: 16 cannot be a month
        ("05/05/1980", "1980-05-05"),  # same either way
        ("2000-02-29", "2000-02-29"),
        (" 1969-07-16 ", "1969-07-16"),
        ("", None),
    ],
)
def test_common_date_forms_are_read(text: str, iso: str | None) -> None:
    assert parse_dob(text) == iso


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1952-02-30", "day 30 is out of range (February 1952 has 29 days)"),
        ("1900-02-29", "day 29 is out of range (February 1900 has 28 days)"),
        ("1969-04-31", "day 31 is out of range"),
        ("1969-07-32", "day 32 is out of range"),
        ("1990-13-01", "month 13 is out of range"),
        ("03/05/1981", "ambiguous"),
        ("1969-07/16", "is not YYYY"),
        ("19-1", "is not YYYY"),
        ("\u0661\u0669\u0666\u0669", "is not YYYY"),  # Arabic-Indic digits are not read as a year
    ],
)
def test_impossible_or_ambiguous_dates_are_refused(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=re.escape(problem)):
        parse_dob(text)


@given(st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_real_date_reads_the_same_in_every_form(day: datetime.date) -> None:
    iso = day.isoformat()
    forms = [iso, f"{day.year}-{day.month}-{day.day}", day.strftime("%Y%m%d")]
    if day.day > 12 or day.day == day.month:
        forms.append(f"{day.day}/{day.month}/{day.year}")
    if day.day > 12:
        forms.append(f"{day.month:02d}/{day.day:02d}/{day.year}")
    assert {parse_dob(form) for form in forms} == {iso}


def test_a_bad_optional_field_never_stops_the_name(tmp_path: Path) -> None:
    text = (
        "id,name,dob,country,type\n"
        "a,Ali Hassan,1969-7-16,,\n"
        "b,Ali Hassan,1981-3-05,,\n"
        "c,Ali Hassan,1969-07-32,,\n"
        "d,Ali Hassan,1952-02-30,,\n"
        "e,Ali Hassan,,Atlantis,\n"
        "f,Ali Hassan,,,wizard\n"
    )
    rows = {r.id: r for r in read_screening_csv(write(tmp_path, text))}
    assert all(r.query is not None and r.query.name == "Ali Hassan" for r in rows.values())
    assert rows["a"].query is not None and rows["a"].query.birth_date == "1969-07-16"
    assert rows["b"].query is not None and rows["b"].query.birth_date == "1981-03-05"
    assert rows["a"].problems == rows["b"].problems == ()
    for key, word in (("c", "day 32"), ("d", "February 1952 has 29 days"), ("e", "Atlantis")):
        assert rows[key].query is not None
        assert word in rows[key].problems[0]
    assert rows["c"].query is not None and rows["c"].query.birth_date is None
    assert rows["f"].query is not None and rows["f"].query.type is None
    assert "unknown type 'wizard'" in rows["f"].problems[0]


@pytest.mark.parametrize("header", ["id,name,dob,name", "name,DOB,dob", "Name,id,ID"])
def test_a_column_named_twice_is_refused(tmp_path: Path, header: str) -> None:
    with pytest.raises(InputError, match=r"line 1: column '\w+' appears 2 times"):
        list(read_screening_csv(write(tmp_path, header + "\nx,y,z,w\n")))


def test_unknown_columns_may_repeat(tmp_path: Path) -> None:
    rows = list(read_screening_csv(write(tmp_path, "name,,\nAli Hassan,1,2\n")))
    assert rows[0].query is not None


@given(st.text(max_size=30) | st.from_regex(r"\d{1,4}[-/.]\d{1,4}([-/.]\d{1,4})?", fullmatch=True))
def test_any_date_text_is_an_iso_date_or_a_clear_error(text: str) -> None:
    try:
        value = parse_dob(text)
    except InputError as exc:
        error: InputError | None = exc
    else:
        error = None
    if error is not None:
        assert error.source == "dob" and error.message
        return
    assert value is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value, re.ASCII)
    if value is not None and len(value) == 10:
        datetime.date.fromisoformat(value)
