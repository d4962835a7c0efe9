"""Loading and validating the control data: counts match the sources, and a malformed
entry is a clear error naming the file and the entry, never a half-loaded state."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from dualuse.controls import data as cd
from dualuse.controls.data import ControlData, build_country_names, load
from dualuse.errors import InputError


def test_counts(control_data: ControlData) -> None:
    assert len(control_data.ccl) == 633
    assert len(control_data.chart.columns) == 16
    assert len([r for r in control_data.chart.rows.values() if not r.embargo_pointer]) == 196
    assert {c for c, r in control_data.chart.rows.items() if r.embargo_pointer} == {
        "cu",
        "ir",
        "kp",
        "sy",
    }
    sizes = {g: len(m) for g, m in control_data.groups.items()}
    assert (
        sizes["A:5"],
        sizes["A:6"],
        sizes["D:1"],
        sizes["D:4"],
        sizes["D:5"],
        sizes["E:1"],
        sizes["E:2"],
    ) == (38, 8, 24, 21, 22, 3, 1)
    assert "ae" in control_data.groups["A:5"] and "mo" not in control_data.groups["D:5"]
    assert (
        len({e.section for e in control_data.exceptions.values()}) == 27
    )  # NAC and ACA share § 740.8
    assert len(control_data.exceptions) == 28
    assert len(control_data.eu) == 552
    tiers = Counter(i.tier for i in control_data.chpl.values())
    assert tiers == {
        "Tier 1": 4,
        "Tier 2": 5,
        "Tier 3.A": 16,
        "Tier 3.B": 9,
        "Tier 4.A": 11,
        "Tier 4.B": 5,
    }
    assert control_data.hs["854231"].description.startswith("Electronic integrated circuits")


def test_shipped_country_table_is_current(control_data: ControlData) -> None:
    folder = cd.data_dir()
    chart = json.loads((folder / cd.FILES["chart"]).read_text())
    groups = json.loads((folder / cd.FILES["groups"]).read_text())
    shipped = json.loads((folder / cd.FILES["names"]).read_text())["names"]
    assert build_country_names(chart, groups) == shipped


def test_hong_kong_has_no_row_and_follows_china(control_data: ControlData) -> None:
    assert "hk" not in control_data.chart.rows
    assert control_data.chart.territories["hk"][0] == "cn"


def test_every_rule_cites(control_data: ControlData) -> None:
    rules = control_data.rules
    for e in rules.embargoes:
        assert e.citation.section and e.citation.date
    for group in rules.end_uses.values():
        for r in group:
            assert r.citation.section
    for entry in control_data.parametric["entries"]:
        assert entry.citation.section and entry.citation.date


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "controls"
    shutil.copytree(cd.data_dir(), folder)
    for f in folder.iterdir():
        f.chmod(0o644)
    return folder


def test_malformed_ccl_entry_names_file_and_entry(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / cd.FILES["ccl"]
    doc = json.loads(path.read_text())
    doc["entries"][5]["eccn"] = "3Z999"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        load(folder)
    assert err.value.source == cd.FILES["ccl"] and "entry 5" in (err.value.location or "")


def test_wrong_entry_count_is_caught(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / cd.FILES["ccl"]
    doc = json.loads(path.read_text())
    del doc["entries"][0]
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="entryCount"):
        load(folder)


def test_unknown_chart_column_and_bad_rule(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / cd.FILES["chart"]
    doc = json.loads(path.read_text())
    doc["countries"]["Germany"]["marks"].append("XX 9")
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="unknown column"):
        load(folder)
    shutil.copy(cd.data_dir() / cd.FILES["chart"], path)
    rules = folder / cd.FILES["rules"]
    rules.write_text(rules.read_text().replace("scope: all_items\n", "scope: everything\n", 1))
    with pytest.raises(InputError, match="unknown scope"):
        load(folder)


def test_chpl_code_must_be_hs2022(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / cd.FILES["chpl"]
    path.write_text(path.read_text().replace(",854231,", ",854299,", 1))
    with pytest.raises(InputError, match="not an HS 2022 subheading"):
        load(folder)


def test_missing_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / cd.FILES["eu"]).unlink()
    with pytest.raises(InputError, match="missing"):
        load(folder)
