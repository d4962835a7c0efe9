"""``dualuse cases ...`` and ``dualuse audit export`` as a reviewer runs them: the real
command in a subprocess on a database holding a real decision."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from dualuse.services.cases import CaseService
from dualuse.settings import Settings
from tests.api.test_cases import order
from tests.helpers import run_cli


def test_work_a_case_and_export_the_bundle(screening_settings: Settings, tmp_path: Path) -> None:
    held = CaseService(screening_settings).submit(order("PO-CLI"), actor="desk")
    assert held.case_id is not None
    base = ["--home", str(screening_settings.home), "--database-url", screening_settings.db_url]

    listed = run_cli([*base, "cases", "list", "--json"], check=True)
    (row,) = json.loads(listed.stdout)
    assert (row["case_id"], row["verdict"], row["order_id"]) == (held.case_id, "hold", "PO-CLI")
    case = json.loads(run_cli([*base, "cases", "show", str(held.case_id), "--json"]).stdout)
    alert_ids = [a["alert_id"] for a in case["alerts"]]
    assert alert_ids

    dispose = [*base, "cases", "disposition", str(held.case_id)]
    wrong = run_cli([*dispose, str(alert_ids[0]), "cleared", "--reason", "x", "--actor", "rita"])
    assert wrong.returncode == 2 and "false_positive" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    for alert_id in alert_ids:
        why = ["--reason", "other plant", "--actor", "rita"]
        done = run_cli([*dispose, str(alert_id), "false_positive", *why])
        assert done.returncode == 0, done.stderr
    own = run_cli(
        [*base, "cases", "release", str(held.case_id), "--reason", "ok", "--actor", "rita"]
    )
    assert own.returncode == 2 and "four eyes" in own.stderr
    ok = run_cli(
        [*base, "cases", "release", str(held.case_id), "--reason", "ok", "--actor", "alan"]
    )
    assert ok.returncode == 0, ok.stderr
    assert "released" in ok.stderr
    assert json.loads(run_cli([*base, "cases", "list", "--json"]).stdout) == []
    stats = json.loads(run_cli([*base, "cases", "stats"]).stdout)
    assert stats["cases"]["closed"] == 1

    out = tmp_path / "bundle"
    exported = run_cli([*base, "audit", "export", str(out)])
    assert exported.returncode == 0, exported.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    for name, meta in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == meta["sha256"], name
    rows = list(csv.DictReader((out / "decisions.csv").open()))
    assert [(r["order_id"], r["verdict"]) for r in rows] == [("PO-CLI", "hold")]
    (release,) = list(csv.DictReader((out / "releases.csv").open()))
    assert (release["approver"], release["cleared_by"]) == ("alan", "rita")
    versions = json.loads((out / "versions.json").read_text())
    assert versions["rules_used"] and versions["lists_used"]
    assert manifest["chain"]["verified_records"] == manifest["chain"]["head_seq"]
    assert "762" in manifest["retention"]
    again = run_cli([*base, "audit", "export", str(out)])
    assert again.returncode == 2 and "exists" in again.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_monitor_two_versions(shared_data: Path, screening_settings: Settings) -> None:
    service = CaseService(screening_settings)
    held = service.submit(
        order("PO-M", buyer="Wuhan Global Sensor Technology Co Ltd"), actor="desk"
    )
    # decided on the bundled lists, which already carry the May entry: an open alert
    assert ("us_ofac_sdn", "46633") in {
        (a["list_id"], a["entry_id"]) for a in held.decision["alerts"]
    }
    sdn = shared_data / "sanctions/ofac"
    base = ["--home", str(screening_settings.home), "--database-url", screening_settings.db_url]
    old, new = str(sdn / "sdn_2024-04-02"), str(sdn / "sdn_2024-05-03")
    done = run_cli([*base, "cases", "monitor", old, new, "--actor", "ops"])
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["entries_screened"], report["parties_screened"]) == (428, 1)
    assert report["new_hits"] == []  # the same hit is not raised twice while it is open
    un = str(shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    mixed = run_cli([*base, "cases", "monitor", old, un])
    assert mixed.returncode == 2 and "different lists" in mixed.stderr


def test_stored_parties_export_feeds_screen_file(
    screening_settings: Settings, tmp_path: Path
) -> None:
    submitted = order("PO-PARTIES")
    CaseService(screening_settings).submit(submitted, actor="desk")
    base = ["--home", str(screening_settings.home), "--database-url", screening_settings.db_url]
    out = tmp_path / "parties.csv"
    done = run_cli([*base, "cases", "parties", "-o", str(out)])
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names = {p["name"] for p in submitted["parties"]}
    assert {r["name"] for r in rows} == names and all(r["id"] for r in rows)
    screened = tmp_path / "screened.csv"
    again = run_cli([*base, "screen-file", str(out), "-o", str(screened)])
    assert again.returncode == 0, again.stderr
    with screened.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(rows)
