from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import shared_data_dir
from tests.helpers import run_cli

ENV = {"DUALUSE_SHARED_DATA": str(shared_data_dir())}


def test_did_json_and_text() -> None:
    r = run_cli(["flows", "did", "--partner", "KG", "--draws", "199", "--json"], env=ENV)
    assert r.returncode == 0, r.stderr
    (kg,) = json.loads(r.stdout)["results"]
    assert kg["partners"] == ["KG"] and kg["estimate"]["n_clusters"] == 27
    text = run_cli(["flows", "did", "--partner", "AM", "--draws", "199"], env=ENV)
    assert text.returncode == 0 and text.stdout.startswith("AM ") and "EBRD" in text.stdout


def test_surges_and_gaps() -> None:
    r = run_cli(["flows", "surges", "--which", "groups", "--surges-only", "--json"], env=ENV)
    assert r.returncode == 0, r.stderr
    found = {(t["partner"], t["group"]) for t in json.loads(r.stdout)["tests"]}
    assert {("AM", "sanctioned"), ("KG", "sanctioned")} <= found
    g = run_cli(["flows", "gaps", "--partner", "KZ"], env=ENV)
    assert g.returncode == 0 and "KZ: 2019" in g.stdout


def test_report_and_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = run_cli(["flows", "report", "-o", str(out)], env=ENV)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left
    missing = run_cli(["flows", "report", "-o", str(tmp_path / "no" / "r.html")], env=ENV)
    assert missing.returncode == 2 and "folder does not exist" in missing.stderr
    bad = run_cli(["flows", "did", "--partner", "BY"], env=ENV)
    assert bad.returncode == 2 and "no trade series for BY" in bad.stderr
    assert "Traceback" not in bad.stderr
    goods = run_cli(["flows", "did", "--goods", "luxury"], env=ENV)
    assert goods.returncode == 2 and "unknown goods 'luxury'" in goods.stderr
