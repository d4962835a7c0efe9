"""``dualuse network`` and ``dualuse shell`` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli


def test_generate_analyse_plot(tmp_path: Path) -> None:
    folder = tmp_path / "world"
    r = run_cli(["network", "generate", str(folder), "--seed", "4", "--scale", "0.5", "--json"])
    assert r.returncode == 0, r.stderr
    made = json.loads(r.stdout)
    assert made["shipments"] > 1000 and "SYNTHETIC" in made["notice"]
    truth = json.loads((folder / "truth.json").read_text())
    a = run_cli(["network", "analyse", str(folder), "--json"])
    assert a.returncode == 0, a.stderr
    result = json.loads(a.stdout)
    flagged = {x["id"] for x in result["intermediaries"] if x["flagged"]}
    planted = {x for s in truth["schemes"] for x in s["intermediaries"]}
    assert flagged & planted and result["communities"]
    new = [
        x
        for x in result["intermediaries"]
        if "new_company_in_diversion_country" in x["shell_flags"]
    ]
    assert new and all(x["shell_score"] >= 3 for x in new)
    text = run_cli(["network", "analyse", str(folder / "shipments.jsonl"), "--no-communities"])
    assert text.returncode == 0 and "flagged" in text.stdout
    p = run_cli(["network", "plot", str(folder), str(tmp_path / "n.svg"), "--limit", "30"])
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "n.svg").read_bytes().lstrip().startswith(b"<?xml")
    # The companies are FtM: the shell scorer reads them as they are.
    s = run_cli(["shell", "score", str(folder / "companies.jsonl"), "--no-screen",
                 "--as-of", "2025-01-01", "--json"])  # fmt: skip
    assert s.returncode == 0, s.stderr
    top = json.loads(s.stdout)["companies"][0]
    assert top["flags"] and top["score"] > 0


def test_evaluate_text() -> None:
    r = run_cli(["network", "evaluate", "--seeds", "7", "--scale", "0.5"])
    assert r.returncode == 0, r.stderr
    assert "method" in r.stdout and "baseline_volume" in r.stdout and "recall" in r.stdout


def test_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "s.jsonl"
    bad.write_text('{"id": "s1"}\n{oops\n')
    r = run_cli(["network", "analyse", str(bad)])
    assert r.returncode == 2 and "line 2: not JSON" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "precious.txt").write_text("x")
    g = run_cli(["network", "generate", str(tmp_path / "keep")])
    assert g.returncode == 2 and "not an earlier generated folder" in g.stderr
    assert (tmp_path / "keep" / "precious.txt").exists()
    s = run_cli(["shell", "score", str(tmp_path / "missing.jsonl")])
    assert s.returncode == 2 and "cannot read" in s.stderr
    e = run_cli(["network", "evaluate", "--seeds", "x-y"])
    assert e.returncode == 2 and "--seeds" in e.stderr
    d = run_cli(["network", "analyse", str(bad), "--since", "24/02/2022"])
    assert d.returncode == 2 and "--since" in d.stderr
