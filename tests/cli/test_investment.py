"""``dualuse invest`` in a real subprocess: the JSON contract, the readable answer, and
bad input failing with the field named and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli
from tests.investment.conftest import CASES, build


def _write(tmp_path: Path, facts: object) -> str:
    path = tmp_path / "deal.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    return str(path)


def test_invest_json_contract(tmp_path: Path) -> None:
    facts = build(next(c for c in CASES if c["id"] == "cfius-gov-100-board-seat"))
    r = run_cli(["invest", _write(tmp_path, facts), "--json", "--no-screen"])
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert [x["regime"] for x in body["results"]] == ["us_cfius", "us_outbound", "uk_nsi", "eu_fdi"]
    cfius = body["results"][0]
    assert cfius["outcome"] == "mandatory_declaration" and cfius["deadline"] == "2026-11-15"
    assert all(reason["citation"] for x in body["results"] for reason in x["reasons"])


def test_invest_one_regime_text(tmp_path: Path) -> None:
    facts = build(next(c for c in CASES if c["id"] == "uk-0-to-30"))
    r = run_cli(["invest", _write(tmp_path, facts), "--regime", "uk_nsi", "--no-screen"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("uk_nsi: mandatory") and "s. 8(2)" in r.stdout
    assert "us_cfius" not in r.stdout


def test_invest_bad_input_exits_non_zero(tmp_path: Path) -> None:
    r = run_cli(["invest", _write(tmp_path, {"investor": {"contry": "CN"}}), "--no-screen"])
    assert r.returncode != 0 and "investor.contry" in r.stderr and "country" in r.stderr
    r = run_cli(["invest", _write(tmp_path, {}), "--regime", "uk", "--no-screen"])
    assert r.returncode != 0 and "uk_nsi" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run_cli(["invest", str(bad)])
    assert r.returncode != 0 and "line 1" in r.stderr
    r = run_cli(["invest", str(tmp_path / "missing.json")])
    assert r.returncode != 0 and "cannot read" in r.stderr
