"""FollowTheMoney JSON lines: parties, topics, stakes with source and dates; bad lines fail
with the file and line; random entities load or fail clearly, never crash."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings

from dualuse.diversion.ownership import load
from dualuse.diversion.ownership.evaluate import evaluate
from dualuse.diversion.ownership.load_ftm import load_ftm_records
from dualuse.diversion.ownership.model import StakeKind
from dualuse.diversion.ownership.rules import rule_for
from dualuse.errors import InputError
from tests.diversion.ownership.fuzz import ftm_entities, records
from tests.diversion.ownership.graphs import listed, own, party


def write(path: Path, entities: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entities))
    return path


def test_parties_stakes_sources_and_dates(tmp_path: Path) -> None:
    director = {
        "id": "d1",
        "schema": "Directorship",
        "properties": {"director": ["X"], "organization": ["A"], "startDate": ["2020"]},
    }
    entities = [
        listed("X"),
        party("P", "role.pep", "sanction.linked", schema="Person"),
        party("A"),
        own("X", "A", "60%", startDate="2019-05-01", endDate="2030-01-01"),
        director,
    ]
    graph = load(write(tmp_path / "g.jsonl", entities))
    assert graph.parties["X"].listed and not graph.parties["P"].listed
    assert graph.parties["A"].name == "Party A"
    ownership, control = graph.stakes
    assert ownership.kind is StakeKind.OWNERSHIP and ownership.share is not None
    assert ownership.share.text() == "60%"
    assert (ownership.start_date, ownership.end_date) == ("2019-05-01", "2030-01-01")
    assert ownership.source.endswith("g.jsonl:4")
    assert control.kind is StakeKind.CONTROL and control.source.endswith("g.jsonl:5")


def test_listed_on_the_command_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.jsonl", [party("Q", schema="Person"), party("A"), own("Q", "A", "51")]
    )
    graph = load(path, "ftm", ["Q"])
    day = date(2025, 1, 1)
    assert [b["id"] for b in evaluate(graph, rule_for("uk", day), day)["blocked"]] == ["A"]  # type: ignore[index]


def test_percentage_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.jsonl",
        [party("A"), own("X", "A", " 12.5 % "), own("Y", "A", "25-50"), own("Z", "A", "1e400")],
    )
    graph = load(path)
    texts = [s.share.text() if s.share else None for s in graph.stakes]
    assert texts[:2] == ["12.5%", "≥25% and ≤50%"]
    assert "bad_percentage" in [f.code for f in graph.findings]


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        ('{"id": "a", "schema": "Company"}\n{"id": "b", "sch', "line 2"),
        ('{"id": "a", "schema": "Company"}\n\n[1, 2]\n', "line 3"),
        ('{"id": "a", "schema": "Spaceship"}\n', "line 1"),
        ('{"id": "a", "schema": "Company", "properties": {"name": "A"}}\n', "line 1"),
        ('{"schema": "Company"}\n', "line 1"),
    ],
)
def test_bad_lines_fail_with_file_and_line(tmp_path: Path, lines: str, where: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(lines)
    with pytest.raises(InputError) as info:
        load(path)
    assert str(info.value).startswith(f"{path}, {where}:")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load(tmp_path / "nope.jsonl")


@settings(max_examples=300, deadline=None)
@given(ftm_entities | records)
def test_fuzz_entities_load_or_fail_clearly(data: list[object]) -> None:
    day = date(2025, 1, 1)
    try:
        graph = load_ftm_records(((f"entity {i}", e) for i, e in enumerate(data)), "fuzz", ["a"])
    except InputError:
        return
    for rule in ("ofac", "eu", "uk"):
        evaluate(graph, rule_for(rule, day), day)
