"""``dualuse lists`` end to end, as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.screening.lists.server import FileServer, Route

OFAC = Path("sanctions/ofac")
pytestmark = pytest.mark.slow  # each test starts the real command in a subprocess


def test_load_status_diff(shared_data: Path, tmp_path: Path) -> None:
    home = ["--home", str(tmp_path / "home")]
    first = run_cli([*home, "lists", "load", str(shared_data / OFAC / "sdn_2024-04-02"), "--json"])
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["stored"]["count"] == 14560
    second = run_cli([*home, "lists", "load", str(shared_data / OFAC / "sdn_2024-05-03")])
    assert second.returncode == 0, second.stderr
    assert "+417 added, -12 removed, 11 changed" in second.stderr
    status = run_cli([*home, "lists", "status", "--json"])
    rows = {r["list_id"]: r for r in json.loads(status.stdout)["lists"]}
    assert (
        rows["us_ofac_sdn"]["version"] == "2024-05-03" and rows["us_ofac_sdn"]["origin"] == "store"
    )
    assert rows["us_csl"]["origin"] == "bundled"
    assert "warning: us_ofac_sdn" in status.stderr  # 2024-05-03 is long stale
    diff = run_cli([*home, "lists", "diff", "us_ofac_sdn@2024-04-02", "us_ofac_sdn", "--json"])
    assert diff.returncode == 0, diff.stderr
    body = json.loads(diff.stdout)
    assert (body["added"].__len__(), len(body["removed"]), len(body["changed"])) == (417, 12, 11)
    changed = {c["entry_id"]: c for c in body["changed"]}
    assert "programs" in {f["field"] for f in changed["13109"]["changes"]}


def test_bad_file_exits_2_naming_file_and_line(shared_data: Path, tmp_path: Path) -> None:
    result = run_cli(
        [
            "--home",
            str(tmp_path),
            "lists",
            "load",
            str(shared_data / "sanctions/csl/csl_sample_2023-11-30.csv"),
        ]
    )
    assert result.returncode == 2
    assert "csl_sample_2023-11-30.csv, line" in result.stderr
    assert "Traceback" not in result.stderr


def test_update_exit_code_says_a_list_failed(shared_data: Path, tmp_path: Path) -> None:
    un = (shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml").read_bytes()
    routes = {
        "/un.xml": Route(un, "application/xml"),
        "/dpl.txt": Route(b"<html>oops</html>", "text/html"),
    }
    env = {
        "DUALUSE_SCREENING_DOWNLOAD_BACKOFF_S": "0.01",
        "DUALUSE_SCREENING_DOWNLOAD_RETRIES": "1",
    }
    with FileServer(routes) as server:
        result = run_cli(
            [
                "--home", str(tmp_path / "home"), "lists", "update", "un_sc", "us_bis_dpl",
                "--url", f"un_sc={server.url('/un.xml')}",
                "--url", f"us_bis_dpl={server.url('/dpl.txt')}",
                "--json",
            ],
            env=env,
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    outcomes = {o["list_id"]: o for o in json.loads(result.stdout)}
    assert outcomes["un_sc"]["status"] == "committed"
    assert outcomes["us_bis_dpl"]["status"] == "failed"
    assert "us_bis_dpl: failed" in result.stderr


def test_export_ftm_and_load_it_back(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "un.ftm.json"
    home = ["--home", str(tmp_path / "home")]
    un = str(shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    assert run_cli([*home, "lists", "export", un, "-o", str(out)]).returncode == 0
    loaded = run_cli([*home, "lists", "load", str(out), "--version", "2026-02-27", "--json"])
    assert loaded.returncode == 0, loaded.stderr
    stored = json.loads(loaded.stdout)["stored"]
    assert (stored["list_id"], stored["count"]) == ("un_sc", 1003)


def test_sources_and_formats() -> None:
    sources = run_cli(["lists", "sources", "--json"])
    by_id = {s["list_id"]: s for s in json.loads(sources.stdout)}
    assert by_id["eu_fsf"]["tested_live"] is False
    assert by_id["us_csl"]["files"][0]["url"].startswith("https://")
    assert "untested" not in run_cli(["lists", "formats"]).stderr
