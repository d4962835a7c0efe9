from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.model.party import PartyType
from dualuse.services.screening_input import make_query, read_screening_csv


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
    assert "19xx" in by_id[3].problems[0]
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
