import csv
from collections.abc import Sequence
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.screening import ScreeningService
from dualuse.services.screening_file import (
    OUTPUT_COLUMNS,
    BatchSummary,
    check_input,
    screen_file,
)
from dualuse.settings import Settings


def real_rows(shared_data: Path, listed: int, unlisted: int) -> list[dict[str, str]]:
    """Listed names from the Entity List rows of the CSL, and synthetic negatives."""
    rows: list[dict[str, str]] = []
    with (shared_data / "sanctions/csl/csl_2026-07-31_converted.csv").open(newline="") as f:
        for record in csv.DictReader(f):
            if record["source"].startswith("Entity List") and len(rows) < listed:
                rows.append({"id": f"L{len(rows)}", "name": record["name"]})
    with (shared_data / "sanctions/eval/opensanctions/yente_negatives_global.csv").open(
        newline=""
    ) as f:
        for n, record in enumerate(csv.DictReader(f)):
            if n >= unlisted:
                break
            rows.append({"id": f"N{n}", "name": record["full_name"]})
    return rows


def write_input(path: Path, rows: list[dict[str, str]], extra: str = "") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "name"])
        writer.writeheader()
        writer.writerows(rows)
        f.write(extra)
    return path


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def service(screening_settings: Settings) -> ScreeningService:
    return ScreeningService(screening_settings)


def test_one_row_per_input_row_in_order(
    tmp_path: Path, shared_data: Path, service: ScreeningService
) -> None:
    rows = real_rows(shared_data, 20, 20)
    path = write_input(tmp_path / "in.csv", rows, extra='E1,\n"E2,never closed\n')
    out = tmp_path / "out.csv"
    summary = screen_file(
        path, out, screen_many=service.screen_many, index_version=service.index.version
    )
    result = read_output(out)
    assert list(result[0].keys()) == list(OUTPUT_COLUMNS)
    assert [r["id"] for r in result[:40]] == [r["id"] for r in rows]
    assert len(result) == 42
    assert summary.rows == 42
    assert summary.errors == 2
    listed = [r for r in result if r["id"].startswith("L")]
    assert sum(r["match"] == "true" for r in listed) >= 19
    for r in listed:
        if r["match"] == "true":
            assert r["entry_id"]
            assert r["list"] in {"us_csl", "us_ofac_sdn", "us_ofac_cons"}
    errors = result[40:]
    assert [r["status"] for r in errors] == ["error", "error"]
    assert all(r["match"] == "" for r in errors)
    assert "name is empty" in errors[0]["problems"]
    assert "unterminated quoted field" in errors[1]["problems"]
    assert not (tmp_path / "out.csv.partial").exists()
    assert not (tmp_path / "out.csv.checkpoint.json").exists()


class Interrupt(Exception):
    pass


def test_interrupted_run_resumes_to_the_same_output(
    tmp_path: Path, shared_data: Path, service: ScreeningService
) -> None:
    path = write_input(tmp_path / "in.csv", real_rows(shared_data, 30, 30))
    reference = tmp_path / "reference.csv"
    screen_file(
        path,
        reference,
        screen_many=service.screen_many,
        index_version=service.index.version,
        chunk_size=8,
    )

    calls = 0

    def failing(queries: Sequence[ScreeningQuery]) -> Sequence[ScreeningResponse]:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise Interrupt
        return service.screen_many(queries)

    out = tmp_path / "out.csv"
    with pytest.raises(Interrupt):
        screen_file(
            path, out, screen_many=failing, index_version=service.index.version, chunk_size=8
        )
    assert not out.exists()
    assert (tmp_path / "out.csv.checkpoint.json").exists()
    done_before = len(read_output(tmp_path / "out.csv.partial"))
    assert done_before == 24

    seen: list[str] = []

    def recording(queries: Sequence[ScreeningQuery]) -> Sequence[ScreeningResponse]:
        seen.extend(q.id or "" for q in queries)
        return service.screen_many(queries)

    summary = screen_file(
        path, out, screen_many=recording, index_version=service.index.version, chunk_size=8
    )
    assert summary.resumed_from == 24
    assert len(seen) == 60 - 24
    assert out.read_text() == reference.read_text()


def test_changed_index_restarts_instead_of_mixing(
    tmp_path: Path, shared_data: Path, service: ScreeningService
) -> None:
    path = write_input(tmp_path / "in.csv", real_rows(shared_data, 5, 5))
    out = tmp_path / "out.csv"

    def failing(queries: Sequence[ScreeningQuery]) -> Sequence[ScreeningResponse]:
        raise Interrupt

    with pytest.raises(Interrupt):
        screen_file(path, out, screen_many=failing, index_version="old", chunk_size=2)
    summary = screen_file(
        path,
        out,
        screen_many=service.screen_many,
        index_version=service.index.version,
        chunk_size=2,
    )
    assert summary.resumed_from == 0
    assert len(read_output(out)) == 10


def test_parallel_equals_serial(
    tmp_path: Path, shared_data: Path, service: ScreeningService
) -> None:
    path = write_input(tmp_path / "in.csv", real_rows(shared_data, 40, 40))
    serial, parallel = tmp_path / "serial.csv", tmp_path / "parallel.csv"
    screen_file(
        path,
        serial,
        screen_many=service.screen_many,
        index_version=service.index.version,
        workers=1,
        chunk_size=16,
    )
    screen_file(
        path,
        parallel,
        screen_many=service.screen_many,
        index_version=service.index.version,
        workers=2,
        chunk_size=16,
    )
    assert serial.read_text() == parallel.read_text()


def _interrupted(
    path: Path, out: Path, service: ScreeningService, *, after: int, chunk_size: int = 8
) -> None:
    """A run stopped by an exception after ``after`` chunks (a checkpoint after each)."""
    calls = 0

    def failing(queries: Sequence[ScreeningQuery]) -> Sequence[ScreeningResponse]:
        nonlocal calls
        calls += 1
        if calls > after:
            raise Interrupt
        return service.screen_many(queries)

    with pytest.raises(Interrupt):
        screen_file(
            path,
            out,
            screen_many=failing,
            index_version=service.index.version,
            chunk_size=chunk_size,
        )


def _run(path: Path, out: Path, service: ScreeningService) -> BatchSummary:
    return screen_file(
        path, out, screen_many=service.screen_many, index_version=service.index.version
    )


def _stopped_run(
    tmp_path: Path, shared_data: Path, service: ScreeningService, rows: int, after: int
) -> tuple[Path, Path, Path]:
    """An input of ``2 * rows`` rows, its reference output, and the output path of a
    run stopped after ``after`` chunks of 8 (its partial file and checkpoint left)."""
    path = write_input(tmp_path / "in.csv", real_rows(shared_data, rows, rows))
    reference = tmp_path / "reference.csv"
    _run(path, reference, service)
    out = tmp_path / "out.csv"
    _interrupted(path, out, service, after=after)
    return path, reference, out


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage checkpoint"])
def test_a_partial_file_that_does_not_verify_is_redone(
    tmp_path: Path, shared_data: Path, service: ScreeningService, damage: str
) -> None:
    path, reference, out = _stopped_run(tmp_path, shared_data, service, 20, after=3)
    partial = tmp_path / "out.csv.partial"
    data = partial.read_bytes()
    if damage == "truncate":  # a crash that lost the file's tail (the checkpoint survived)
        partial.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        partial.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    else:
        (tmp_path / "out.csv.checkpoint.json").write_text("{not json", encoding="utf-8")
    summary = _run(path, out, service)
    assert summary.resumed_from == 0
    assert summary.restarted
    assert b"\x00" not in out.read_bytes()
    assert out.read_text() == reference.read_text()
    assert summary.rows == 40


def test_a_verified_partial_file_is_resumed(
    tmp_path: Path, shared_data: Path, service: ScreeningService
) -> None:
    path, reference, out = _stopped_run(tmp_path, shared_data, service, 10, after=1)
    partial = tmp_path / "out.csv.partial"
    partial.write_bytes(partial.read_bytes() + b"half a row written before the crash")
    summary = _run(path, out, service)
    assert (summary.resumed_from, summary.restarted) == (8, "")
    assert out.read_text() == reference.read_text()


def test_dates_that_do_not_parse_never_stop_the_name(
    tmp_path: Path, service: ScreeningService
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,name,dob,country\n"
        "a,Gazprom Neft,1969-7-16,RU\n"
        "b,Gazprom Neft,1981-3-05,\n"
        "c,Gazprom Neft,1969-07-32,\n"
        "d,Gazprom Neft,1952-02-30,Atlantis\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    summary = screen_file(
        path, out, screen_many=service.screen_many, index_version=service.index.version
    )
    rows = {r["id"]: r for r in read_output(out)}
    assert summary.errors == 0
    assert all(r["status"] == "ok" and r["match"] == "true" for r in rows.values())
    assert rows["a"]["problems"] == rows["b"]["problems"] == ""
    assert "day 32 is out of range" in rows["c"]["problems"]
    assert "February 1952 has 29 days" in rows["d"]["problems"]
    assert "Atlantis" in rows["d"]["problems"]


def test_cells_that_look_like_formulas_are_neutralised(
    tmp_path: Path, service: ScreeningService
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        'id,name\n=1+1,"=HYPERLINK(""http://x"",""y"")"\n+2,+Gazprom Neft\n-3,-cmd\n@4,@SUM(A1)\n'
        "5,\tTabbed Name\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    screen_file(path, out, screen_many=service.screen_many, index_version=service.index.version)
    rows = read_output(out)
    assert [r["id"] for r in rows] == ["'=1+1", "'+2", "'-3", "'@4", "5"]
    assert [r["name"] for r in rows] == [
        '\'=HYPERLINK("http://x","y")',
        "'+Gazprom Neft",
        "'-cmd",
        "'@SUM(A1)",
        "Tabbed Name",
    ]
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())


def test_paths_and_header_are_checked_before_any_work(
    tmp_path: Path, service: ScreeningService
) -> None:
    calls: list[int] = []

    def counting(queries: Sequence[ScreeningQuery]) -> Sequence[ScreeningResponse]:
        calls.append(len(queries))
        return service.screen_many(queries)

    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,Gazprom Neft\n", encoding="utf-8")
    before = source.read_bytes()
    (tmp_path / "folder").mkdir()
    twice = tmp_path / "twice.csv"
    twice.write_text("id,name,Name\n1,Gazprom Neft,x\n", encoding="utf-8")
    cases = [
        (tmp_path / "missing.csv", tmp_path / "o1.csv", "input file not found"),
        (source, tmp_path / "folder", "output is a directory"),
        (source, source, "is the input file"),
        (source, tmp_path / "." / "in.csv", "is the input file"),
        (twice, tmp_path / "o2.csv", "column 'name' appears 2 times"),
    ]
    for in_path, out_path, message in cases:
        with pytest.raises(InputError, match=message):
            check_input(in_path, out_path)
        with pytest.raises(InputError, match=message):
            screen_file(
                in_path, out_path, screen_many=counting, index_version=service.index.version
            )
    assert calls == []
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "in.csv", "twice.csv"]


def test_a_party_on_several_lists_is_one_row_naming_every_listing(
    tmp_path: Path, service: ScreeningService
) -> None:
    rows = [{"id": "P", "name": "Vladimir Putin"}, {"id": "R", "name": "Bank Rossiya"}]
    out = tmp_path / "out.csv"
    screen_file(
        write_input(tmp_path / "in.csv", rows),
        out,
        screen_many=service.screen_many,
        index_version=service.index.version,
    )
    putin, rossiya = read_output(out)
    assert putin["entity_id"] == "us_ofac_sdn:35096"
    assert putin["entity_lists"] == "us_csl SDN-35096; us_ofac_sdn 35096"
    assert rossiya["entity_id"] == "us_ofac_sdn:16681"
    assert rossiya["entity_lists"] == "us_csl SDN-16681; us_ofac_sdn 16681"
