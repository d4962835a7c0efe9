"""GLEIF level 2: the relationship sample (HGNH International, HK, consolidated by a
Zhejiang group holding), periods and status, bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings

from dualuse.diversion.ownership import load
from dualuse.diversion.ownership.evaluate import evaluate
from dualuse.diversion.ownership.load_gleif import load_gleif_records
from dualuse.diversion.ownership.rules import rule_for
from dualuse.errors import InputError
from tests.diversion.ownership.fuzz import gleif_records, records

CHILD, PARENT = "3003005JY7KTP8L48N10", "30030096HNNZNN7BZK36"


def sample(shared_data: Path) -> Path:
    return shared_data / "diversion" / "gleif" / "gleif_rr_lei_sample_relationship_issued.json"


def test_sample_loads_names_dates_and_stakes(shared_data: Path) -> None:
    graph = load(sample(shared_data), "gleif")
    assert graph.parties[PARENT].name == "横店集团控股有限公司"
    (own,) = [s for s in graph.stakes if s.kind.value == "ownership"]
    assert (own.owner, own.asset) == (PARENT, CHILD)
    assert own.start_date is not None and own.start_date.startswith("2016-02-23")
    assert own.share is not None and not own.share.exact  # GLEIF gives no percentage


def test_consolidation_by_a_listed_parent_is_unknown_never_clear(shared_data: Path) -> None:
    day = date(2025, 1, 1)
    for rule in ("ofac", "eu", "uk"):
        report = evaluate(load(sample(shared_data), "gleif", [PARENT]), rule_for(rule, day), day)
        assert report["blocked"] == []
        assert [u["id"] for u in report["unknown"]] == [CHILD]  # type: ignore[index]
    codes = [f["code"] for f in report["findings"]]  # type: ignore[index]
    assert "missing_percentage" in codes and "control_review" in codes


def test_before_the_relationship_started_nothing_follows(shared_data: Path) -> None:
    day = date(2015, 1, 1)
    report = evaluate(load(sample(shared_data), "gleif", [PARENT]), rule_for("ofac", day), day)
    assert report["unknown"] == [] and report["blocked"] == []


def test_inactive_relationship_is_ended(shared_data: Path) -> None:
    data = json.loads(sample(shared_data).read_text())
    data[0]["Relationship"]["RelationshipStatus"] = "INACTIVE"
    graph = load_gleif_records(data, "inactive", [PARENT])
    assert not [s for s in graph.stakes if s.asset == CHILD]
    assert "inactive_relationship" in [f.code for f in graph.findings]


def test_bad_files(tmp_path: Path, shared_data: Path) -> None:
    cut = tmp_path / "cut.json"
    cut.write_text(sample(shared_data).read_text()[:500])
    with pytest.raises(InputError, match=r"cut\.json, line \d+"):
        load(cut, "gleif")
    odd = tmp_path / "odd.json"
    odd.write_text('[{"Hello": 1}]')
    with pytest.raises(InputError, match="record 1"):
        load(odd, "gleif")


@settings(max_examples=300, deadline=None)
@given(gleif_records | records)
def test_fuzz_records_load_or_fail_clearly(data: list[object]) -> None:
    day = date(2025, 1, 1)
    try:
        graph = load_gleif_records(data, "fuzz", ["a"])
    except InputError:
        return
    evaluate(graph, rule_for("eu", day), day)
