from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import shared_data_dir
from tests.helpers import run_cli

ENTITIES = [
    {"id": "X", "schema": "Person", "properties": {"name": ["X"], "topics": ["sanction"]}},
    {"id": "Y", "schema": "Person", "properties": {"name": ["Y"], "topics": ["role.pep"]}},
    {"id": "A", "schema": "Company", "properties": {"name": ["Alpha"]}},
    {"id": "B", "schema": "Company", "properties": {"name": ["Beta"]}},
    {"id": "o1", "schema": "Ownership",
     "properties": {"owner": ["X"], "asset": ["A"], "percentage": ["50"]}},
    {"id": "o2", "schema": "Ownership", "properties": {"owner": ["A"], "asset": ["B"]}},
    {"id": "o3", "schema": "Ownership",
     "properties": {"owner": ["Y"], "asset": ["B"], "percentage": ["100"]}},
]  # fmt: skip


def test_ownership_json(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in ENTITIES))
    r = run_cli(["ownership", str(path), "--rule", "eu", "--as-of", "2024-07-03", "--json"])
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    (a,) = body["blocked"]
    assert a["id"] == "A" and a["aggregate_percentage"] == 50.0
    assert a["paths"] == [["X", "A"]]
    assert a["path_stakes"][0][0]["percentage"] == "50%"
    # B: A's share is missing but Y holds 100%, so A holds nothing: clear, not unknown.
    assert body["unknown"] == [] and body["listed"] == ["X"]
    assert "missing_percentage" in [f["code"] for f in body["findings"]]
    before = run_cli(["ownership", str(path), "--rule", "eu", "--as-of", "2024-07-02", "--json"])
    assert json.loads(before.stdout)["blocked"] == []


def test_ownership_text_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(ENTITIES[0]) + "\n{broken\n")
    r = run_cli(["ownership", str(path)])
    assert r.returncode == 2 and f"{path}, line 2" in r.stderr
    gleif = (
        shared_data_dir() / "diversion" / "gleif" / "gleif_rr_lei_sample_relationship_issued.json"
    )
    text = run_cli(
        ["ownership", str(gleif), "--format", "gleif", "--listed", "30030096HNNZNN7BZK36"]
    )
    assert text.returncode == 0 and "unknown 3003005JY7KTP8L48N10" in text.stdout
    bad_rule = run_cli(["ownership", str(gleif), "--rule", "us"])
    assert bad_rule.returncode == 2 and "unknown rule" in bad_rule.stderr


def test_flows_growth() -> None:
    env = {"DUALUSE_SHARED_DATA": str(shared_data_dir())}
    r = run_cli(
        ["flows", "growth", "--partner", "KG", "--from", "2021", "--to", "2023", "--json"], env=env
    )
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["from"]["value_eur"] == 263239032 and body["to"]["value_eur"] == 2733762752
    assert body["change_percent"] == 938.5 and body["reporter"] == "EU27"
    text = run_cli(
        ["flows", "growth", "--partner", "RU", "--from", "2021", "--to", "2023"], env=env
    )
    assert "-57.2%" in text.stdout
    mirror = run_cli(["flows", "mirror", "--partner", "KZ", "--year", "2023", "--base", "2021"])
    assert mirror.returncode == 0, mirror.stderr
    assert "20.4% not recorded" in mirror.stdout and "30.8% of the growth" in mirror.stdout


def test_readable_answer_summarises_many_findings(tmp_path: Path) -> None:
    owner = {"id": "X", "schema": "Person", "properties": {"topics": ["sanction"]}}
    stakes = [
        {"id": f"o{i}", "schema": "Ownership", "properties": {"owner": ["X"], "asset": [f"c{i}"]}}
        for i in range(30)
    ]
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in [owner, *stakes]))
    r = run_cli(["ownership", str(path)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("finding ") == 20
    assert "40 more findings (all with --json): missing_percentage 30, unknown_party 30" in r.stdout
