"""decide-file's engine: an interrupted run resumes to the same output; a changed
version key starts again."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from dualuse.services.decisions import DecisionService
from dualuse.services.decisions_file import Line, decide_file, decide_lines
from dualuse.settings import Settings
from tests.conftest import shared_data_dir

ORDERS = Path(__file__).parents[1] / "decisions" / "orders"
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


class Interrupt(Exception):
    pass


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> DecisionService:
    home = tmp_path_factory.mktemp("decfile") / "home"
    return DecisionService(Settings(home=home, shared_data=shared_data_dir()), clock=lambda: NOW)


def _input(path: Path) -> Path:
    orders = [
        json.loads(p.read_text(encoding="utf-8"))["order"] for p in sorted(ORDERS.glob("*.json"))
    ]
    lines = [json.dumps(o) for o in orders] + ["", "not json"] + [json.dumps(o) for o in orders]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_interrupted_run_resumes_to_the_same_output(
    tmp_path: Path, service: DecisionService
) -> None:
    path = _input(tmp_path / "in.jsonl")

    def chunk(lines: Sequence[Line]) -> list[dict[str, Any]]:
        return decide_lines(lines, parse=service.parse, decide_many=service.decide_many)

    reference = tmp_path / "reference.jsonl"
    decide_file(path, reference, decide_chunk=chunk, versions_key="v1", chunk_size=4)
    calls = 0

    def failing(lines: Sequence[Line]) -> list[dict[str, Any]]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Interrupt
        return chunk(lines)

    out = tmp_path / "out.jsonl"
    with pytest.raises(Interrupt):
        decide_file(path, out, decide_chunk=failing, versions_key="v1", chunk_size=4)
    assert not out.exists() and (tmp_path / "out.jsonl.checkpoint.json").exists()
    seen: list[int] = []

    def recording(lines: Sequence[Line]) -> list[dict[str, Any]]:
        seen.extend(n for n, _ in lines)
        return chunk(lines)

    summary = decide_file(path, out, decide_chunk=recording, versions_key="v1", chunk_size=4)
    assert summary.resumed_from == 8 and seen[0] == 9
    assert out.read_bytes() == reference.read_bytes()
    assert summary.orders == 31 and summary.errors == 1


def test_other_versions_start_again(tmp_path: Path, service: DecisionService) -> None:
    path = _input(tmp_path / "in.jsonl")

    def chunk(lines: Sequence[Line]) -> list[dict[str, Any]]:
        return decide_lines(lines, parse=service.parse, decide_many=service.decide_many)

    def failing(lines: Sequence[Line]) -> list[dict[str, Any]]:
        if lines[0][0] > 4:
            raise Interrupt
        return chunk(lines)

    out = tmp_path / "out.jsonl"
    with pytest.raises(Interrupt):
        decide_file(path, out, decide_chunk=failing, versions_key="v1", chunk_size=4)
    summary = decide_file(path, out, decide_chunk=chunk, versions_key="v2", chunk_size=4)
    assert summary.resumed_from == 0 and summary.lines == 32
