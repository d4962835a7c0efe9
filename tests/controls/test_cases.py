"""The hand-derived determination table (determination_cases.yaml): every case passes.

Chip cases first compute the entry from advanced_computing_chip_specs.csv (never from a
label in the file), then determine the licence for the computed paragraph.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from dualuse.controls.classify import classify_params
from dualuse.controls.data import ControlData
from dualuse.controls.decision import determine
from dualuse.controls.determine import DeterminationRequest
from tests.controls.csl import csl_row, match_from_row

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "determination_cases.yaml").read_text()
)
TODAY = date(2026, 7, 23)


def test_table_size_and_coverage(control_data: ControlData) -> None:
    assert len(CASES) >= 80
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(c.get("cite") for c in CASES)
    # every Country Chart column is exercised by a case whose reasons name it
    columns_seen: set[str] = set()
    for case in CASES:
        if "eccn" in case and case.get("to"):
            entry = control_data.ccl.get(case["eccn"].split(".")[0])
            for ctl in entry.controls if entry else ():
                columns_seen |= set(ctl.columns)
    assert columns_seen >= set(control_data.chart.columns)
    destinations = {str(c.get("to")).upper() for c in CASES}
    assert {"HK", "MO", "CU", "IR", "KP", "SY", "RU", "BY"} <= destinations
    assert any("end_user_csl" in c and "Entity" in c["end_user_csl"]["source"] for c in CASES)
    assert any("chip" in c for c in CASES)


def _chip(shared_data: Path, name: str) -> dict[str, str]:
    with (shared_data / "export_control" / "advanced_computing_chip_specs.csv").open(
        newline=""
    ) as f:
        for row in csv.DictReader(f):
            if row["chip"] == name:
                return row
    raise LookupError(name)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any], control_data: ControlData, shared_data: Path) -> None:
    eccn = case.get("eccn")
    if "chip" in case:
        row = _chip(shared_data, case["chip"])
        params = {
            "tflops_fp16": row["dense_fp16_bf16_tflops"],
            "tops_int8": row["dense_int8_or_fp8_tops"],
            "die_area_mm2": row["applicable_die_area_mm2"],
            "datacenter": str(case["datacenter"]).lower(),
        }
        entries = classify_params(control_data, params).entries
        expected_entry = case["expect_entry"]
        assert list(entries) == ([expected_entry] if expected_entry else [])
        if expected_entry is None:
            return
        eccn = entries[0]
    hits = None
    end_user = case.get("end_user")
    if "end_user_csl" in case:
        row = csl_row(shared_data, case["end_user_csl"]["source"], case["end_user_csl"]["name"])
        hits = (match_from_row(row),)
        end_user = row["name"]
    request = DeterminationRequest(
        eccn=str(eccn),
        destination=str(case["to"]),
        end_user=end_user,
        end_use=case.get("end_use"),
        as_of=date.fromisoformat(case["as_of"]) if case.get("as_of") else None,
        end_user_hits=hits,
        ear99_food_or_medicine=case.get("food"),
    )
    result = determine(control_data, request, today=TODAY)
    codes = {r.code for r in result.reasons}
    shown = [(r.code, r.effect.value, r.text[:90]) for r in result.reasons]
    assert result.licence_required.value == case["expect"], shown
    for code in case.get("codes", []):
        assert code in codes, (code, shown)
    if case.get("conflict"):
        assert result.jurisdictions["US-EAR"].conflicts, "conflict must be shown, not hidden"
    for reason in result.reasons:
        assert reason.citation.act and reason.citation.section
