"""BODS 0.4: the official examples (openownership/data-standard) under each rule, and bad
input that must fail with the file and line."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.diversion.ownership import load
from dualuse.diversion.ownership.evaluate import evaluate
from dualuse.diversion.ownership.load_bods import parse_json_records
from dualuse.diversion.ownership.rules import rule_for
from dualuse.errors import InputError
from tests.diversion.ownership.fuzz import bods_statements, records


def examples(shared_data: Path) -> Path:
    return shared_data / "diversion" / "bods_examples"


def run(path: Path, listed: list[str], rule: str, as_of: str) -> dict[str, object]:
    day = date.fromisoformat(as_of)
    return evaluate(load(path, "bods", listed, day), rule_for(rule, day), day)


def ids(report: dict[str, object], key: str = "blocked") -> dict[str, float]:
    items = report[key]
    assert isinstance(items, list)
    return {i["id"]: i.get("aggregate_percentage", -1) for i in items}


def test_every_example_loads(shared_data: Path) -> None:
    for path in sorted(examples(shared_data).glob("*.json")):
        graph = load(path, "bods")
        assert graph.parties, path.name


def test_joint_ownership_example(shared_data: Path) -> None:
    # CHRINON LTD is 100% held by a joint shareholding that two persons hold 50/50.
    path = examples(shared_data) / "joint-ownership.json"
    natalie = "1accb8b18b99"
    ofac = run(path, [natalie], "ofac", "2025-01-01")
    assert ids(ofac) == {"91b4236a7d89": 50.0, "31c55e425764": 100.0}
    # EU before 3 Jul 2024: 50% of the arrangement is not "more than 50%".
    assert ids(run(path, [natalie], "eu", "2024-01-01")) == {}
    # UK: a joint holder is taken to hold the arrangement's whole stake.
    assert "31c55e425764" in ids(run(path, [natalie], "uk", "2025-01-01"))


def test_state_owned_example_aggregates_direct_and_indirect(shared_data: Path) -> None:
    # Gasgrid: 76.5% by Suomen Kaasuverkko (100% held by the ministry) + 23.5% by the ministry.
    path = examples(shared_data) / "bods-package-fi-soe.json"
    report = run(path, ["7ff95ba3682c"], "ofac", "2025-01-01")
    assert ids(report) == {"0199c515a699": 100.0, "19f1c5afe9d7": 100.0}
    (gasgrid,) = [b for b in report["blocked"] if b["id"] == "19f1c5afe9d7"]  # type: ignore[attr-defined]
    assert gasgrid["arithmetic"] == "76.5% (0199c515a699) + 23.5% (7ff95ba3682c) = 100% ≥ 50%"
    codes = [f["code"] for f in report["findings"]]  # type: ignore[attr-defined]
    assert "indirect_summary" in codes  # the 100% indirect statement is not counted twice
    # The state has "otherInfluenceOrControl" over the ministry: a control case for review.
    eu = run(path, ["05ce06ec97b1"], "eu", "2025-01-01")
    assert ids(eu) == {}
    review = [f for f in eu["findings"] if f["code"] == "control_review"]  # type: ignore[attr-defined]
    assert [f["entity"] for f in review] == ["7ff95ba3682c"]


def test_chain_with_unknown_interests_is_unknown(shared_data: Path) -> None:
    # Person 1 holds B through C and D; the person's interests in C and D are unknown.
    path = examples(shared_data) / "multiple-indirect-ownership.json"
    report = run(path, ["92ebf964a1f6"], "ofac", "2025-01-01")
    assert ids(report) == {}
    assert set(ids(report, "unknown")) == {"d177864a8b39", "05fbbfb94b79", "63e3a8a8946f"}


def test_history_is_read_as_it_stood(shared_data: Path) -> None:
    # Fermcat: Patrick O'Donohue held 50% until the statement of 2022-01-21 made it 100%.
    path = examples(shared_data) / "fermcat.json"
    patrick, fermcat = "per-41c0bb0cef246f7c", "ent-93c75c87ab28f889"
    assert ids(run(path, [patrick], "ofac", "2020-06-01")) == {fermcat: 50.0}
    assert ids(run(path, [patrick], "uk", "2021-06-01")) == {}
    assert ids(run(path, [patrick], "uk", "2023-01-01")) == {fermcat: 100.0}
    # Riyadh Byrne-Amin's stake ended 2021-04-03 (record closed).
    riyadh = "per-5faa4103dee78621"
    assert ids(run(path, [riyadh], "ofac", "2020-06-01")) == {fermcat: 50.0}
    later = run(path, [riyadh], "ofac", "2023-01-01")
    assert ids(later) == {} and "expired_stake" in [f["code"] for f in later["findings"]]  # type: ignore[attr-defined]


def test_share_ranges_with_exclusive_ends(tmp_path: Path) -> None:
    statements = [
        {"statementId": "s1", "recordId": "p", "recordType": "person",
         "recordDetails": {"names": [{"fullName": "P"}]}},
        {"statementId": "s2", "recordId": "c", "recordType": "entity",
         "recordDetails": {"name": "C", "entityType": {"type": "registeredEntity"}}},
        {"statementId": "s3", "recordId": "r", "recordType": "relationship",
         "recordDetails": {"subject": "c", "interestedParty": "p", "interests": [
             {"type": "shareholding", "share": {"exclusiveMinimum": 25, "exclusiveMaximum": 50}}
         ]}},
    ]  # fmt: skip
    path = tmp_path / "range.json"
    import json

    path.write_text(json.dumps(statements))
    # More than 25% but less than 50%: never 50%, so clear under every rule.
    assert ids(run(path, ["p"], "ofac", "2025-01-01")) == {}
    assert ids(run(path, ["p"], "ofac", "2025-01-01"), "unknown") == {}
    statements[2]["recordDetails"]["interests"][0]["share"] = {"minimum": 50, "maximum": 75}  # type: ignore[index]
    path.write_text(json.dumps(statements))
    assert ids(run(path, ["p"], "ofac", "2025-01-01")) == {"c": 50.0}
    assert set(ids(run(path, ["p"], "uk", "2025-01-01"), "unknown")) == {"c"}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            '[{"recordId": "a", "recordType": "entity", "recordDetails": {}},\n{"recordId": ',
            "line 2",
        ),
        ('{"recordId": "a", "recordType": "entity", "recordDetails": {}}\n{oops}\n', "line 2"),
        ('[{"recordId": "a", "recordType": "spaceship", "recordDetails": {}}]', "statement 1"),
        ("[1, 2]", "statement 1"),
    ],
)
def test_bad_files_fail_with_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load(path, "bods")
    assert str(path) in str(info.value) and where in str(info.value)


def test_truncated_example_fails_with_line(shared_data: Path, tmp_path: Path) -> None:
    text = (examples(shared_data) / "fermcat.json").read_text()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(InputError, match=r"cut\.json, line \d+"):
        load(path, "bods")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_text_gives_records_or_input_error(text: str) -> None:
    try:
        records = parse_json_records(text, "fuzz")
    except InputError:
        return
    from dualuse.diversion.ownership.load_bods import load_bods_records

    with contextlib.suppress(InputError):
        load_bods_records(records, "fuzz")


@settings(max_examples=300, deadline=None)
@given(bods_statements | records)
def test_fuzz_statements_load_or_fail_clearly(data: list[object]) -> None:
    from dualuse.diversion.ownership.load_bods import load_bods_records

    day = date(2025, 1, 1)
    try:
        graph = load_bods_records(data, "fuzz", ["a"], day)
    except InputError:
        return
    for rule in ("ofac", "uk"):
        evaluate(graph, rule_for(rule, day), day)


def test_voting_rights_are_control_evidence_with_their_share(shared_data: Path) -> None:
    # Tecido Ltd: Shear Trust holds 80% of the shares and 80% of the votes from 2023-03-01;
    # Maria Esteves held 30% (board chair) until 2023-03-03.
    path = examples(shared_data) / "tecido.json"
    tecido, trust, maria = "01B68D7633", "033E84672B", "018AF6B3EB"
    assert ids(run(path, [trust], "uk", "2024-01-01")) == {tecido: 80.0}
    eu = run(path, [maria], "eu", "2023-01-01")
    assert ids(eu) == {}
    review = [f for f in eu["findings"] if f["code"] == "control_review"]  # type: ignore[attr-defined]
    assert sorted(f["evidence"][0]["interest"] for f in review) == [
        "boardChair 30%",
        "votingRights 30%",
    ]
    after = run(path, [maria], "eu", "2023-06-01")  # her interests ended 2023-03-03
    assert not [f for f in after["findings"] if f["code"] == "control_review"]  # type: ignore[attr-defined]
