"""`index delta` then `screen-file --index`: stored parties re-screened against what a
real list update (OFAC SDN 2024-04-02 -> 2024-05-03) added or changed, and nothing else."""

import csv
import json
from pathlib import Path

from dualuse.services import lists as list_service
from dualuse.settings import Settings
from tests.helpers import run_cli

OFAC = Path("sanctions/ofac")


def test_index_delta_then_screen_file(
    screening_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    old, new = (str(shared_data / OFAC / v) for v in ("sdn_2024-04-02", "sdn_2024-05-03"))
    home = ["--home", str(screening_settings.home)]
    delta = tmp_path / "delta.npz"
    built = run_cli([*home, "index", "delta", "--from", old, "--to", new, "-o", str(delta)])
    assert built.returncode == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["parties"] == 417 + 11
    assert summary["lists"][0]["added"] == 417 and summary["lists"][0]["changed"] == 11

    added = list_service.diff_versions(
        list_service.open_version(screening_settings, old),
        list_service.open_version(screening_settings, new),
    ).added
    stored = tmp_path / "parties.csv"
    with stored.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name"])
        writer.writerow(["C1", added[0].caption])
        writer.writerow(["C2", "Gazprom Neft"])  # listed long before: not in this update
        writer.writerow(["C3", "Margarethe Quellenbrunner"])
    out = tmp_path / "out.csv"
    screened = run_cli([*home, "screen-file", str(stored), "-o", str(out), "--index", str(delta)])
    assert screened.returncode == 0, screened.stderr
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["C1"]["match"] == "true"
    assert rows["C1"]["entry_id"] == added[0].provenance.entry_id
    assert rows["C2"]["match"] == rows["C3"]["match"] == "false"

    unpaired = run_cli([*home, "index", "delta", "--from", old, "-o", str(delta)])
    assert unpaired.returncode == 2
    assert "--to" in unpaired.stderr
