import csv
from collections.abc import Sequence
from pathlib import Path

import pytest

from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.screening import ScreeningService
from dualuse.services.screening_file import OUTPUT_COLUMNS, screen_file
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
