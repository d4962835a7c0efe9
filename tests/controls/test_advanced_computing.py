"""3A090/4A090 on advanced_computing_chip_specs.csv, checked against values worked out
by hand from the Technical Notes (TPP = rate × bit length, highest across bit lengths;
PD = TPP ÷ die area) and the thresholds of 3A090.a/.b. The file's own labels are never
read."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.controls.advanced_computing import classify_chip
from dualuse.controls.classify import classify_params
from dualuse.controls.data import ControlData
from dualuse.errors import InputError

# chip: (TPP, performance density to 4 dp, entries with datacenter=true)
HAND = {
    "NVIDIA A100 (SXM/PCIe)": ("4992", "6.0436", ["3A090.a"]),  # 312×16 = 624×8 = 4992 ≥ 4800 (a.1)
    "NVIDIA A800": ("4992", "6.0436", ["3A090.a"]),
    "NVIDIA H100 SXM": ("15832", "19.4496", ["3A090.a"]),  # 989.5×16 = 1979×8
    "NVIDIA H100 NVL/PCIe-class": (
        "13368",
        "16.4226",
        ["3A090.a"],
    ),  # 835.5×16 = 13368 > 1670.5×8 = 13364
    "NVIDIA H800 SXM": ("15832", "19.4496", ["3A090.a"]),
    "NVIDIA H200 SXM": ("15832", "19.4496", ["3A090.a"]),
    "NVIDIA H20": ("2368", "2.9091", []),  # < 2400 (b.1), PD < 3.2 (b.2), PD < 5.92 (a.2)
    "NVIDIA B200": ("36000", "22.1130", ["3A090.a"]),
    "AMD MI300X": ("20919.2", "20.5695", ["3A090.a"]),  # 2614.9×8 = 20919.2 > 1307.4×16 = 20918.4
    "AMD MI250X": ("6128", "3.8785", ["3A090.a"]),  # 383×16; b.2 also met, .a prevails
    "AMD MI210": ("2896", "3.6658", ["3A090.b"]),  # 2400 ≤ 2896 < 4800, 1.6 ≤ 3.67 < 5.92 (b.1)
}


def chips(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / "export_control" / "advanced_computing_chip_specs.csv").open(
        newline=""
    ) as f:
        return list(csv.DictReader(f))


def params(row: dict[str, str], datacenter: str) -> dict[str, str]:
    return {
        "tflops_fp16": row["dense_fp16_bf16_tflops"],
        "tops_int8": row["dense_int8_or_fp8_tops"],
        "die_area_mm2": row["applicable_die_area_mm2"],
        "datacenter": datacenter,
    }


def test_every_chip_in_the_file(control_data: ControlData, shared_data: Path) -> None:
    rows = chips(shared_data)
    assert {r["chip"] for r in rows} == set(HAND)
    for row in rows:
        tpp, pd, entries = HAND[row["chip"]]
        result = classify_params(control_data, params(row, "true"))
        assert result.tpp == Decimal(tpp), row["chip"]
        assert result.performance_density is not None
        assert result.performance_density.quantize(Decimal("0.0001")) == Decimal(pd), row["chip"]
        assert list(result.entries) == entries, row["chip"]
        assert result.decided
        assert any(s.startswith("TPP = max(") for s in result.steps)
        assert any("performance density" in s for s in result.steps)


def test_non_datacenter_below_4800_is_not_3a090(
    control_data: ControlData, shared_data: Path
) -> None:
    for row in chips(shared_data):
        result = classify_params(control_data, params(row, "false"))
        tpp = Decimal(HAND[row["chip"]][0])
        if tpp < 4800:
            assert result.entries == (), row["chip"]
        else:
            assert result.entries == ("3A090.a",)
            assert any("NAC" in n for n in result.notes)


def test_computers_containing_the_ic_are_4a090(
    control_data: ControlData, shared_data: Path
) -> None:
    row = next(r for r in chips(shared_data) if r["chip"] == "AMD MI210")
    result = classify_params(control_data, {**params(row, "true"), "item_type": "computer"})
    assert result.entries == ("4A090.b",)


def test_missing_parameters_say_what_decides(control_data: ControlData) -> None:
    no_area = classify_params(control_data, {"tflops_fp16": "181", "datacenter": "true"})
    assert no_area.entries == () and no_area.undecided[0].decided_by == ("die_area_mm2",)
    no_dc = classify_params(control_data, {"tflops_fp16": "181", "die_area_mm2": "790"})
    assert no_dc.undecided[0].decided_by == ("datacenter",)
    # TPP ≥ 4800 decides 3A090.a without die area or datacenter status
    high = classify_params(control_data, {"tflops_fp16": "312"})
    assert high.entries == ("3A090.a",) and high.decided
    low = classify_params(control_data, {"tops_int8": "100"})  # TPP 800 < 1600: nothing to decide
    assert low.entries == () and low.decided
    with pytest.raises(InputError):
        classify_params(control_data, {"die_area_mm2": "800"})
    with pytest.raises(InputError, match="greater than zero"):
        classify_params(control_data, {"tflops_fp16": "100", "die_area_mm2": "0"})
    with pytest.raises(InputError) as err:
        classify_params(control_data, {"tflops_fp61": "100"})
    assert "tflops_fp16" in err.value.suggestions


def test_threshold_edges() -> None:
    # 300 TFLOPS at 16 bits = TPP 4800 exactly (TN 2 example) -> a.1
    assert classify_chip({"tflops_fp16": Decimal(300)}).entries == ("3A090.a",)
    assert classify_chip({"tops_int8": Decimal(600)}).entries == ("3A090.a",)
    just_below = classify_chip(
        {"tflops_fp16": Decimal("299.99"), "die_area_mm2": Decimal(10000), "datacenter": True}
    )
    assert just_below.entries == ()
    # a.2: TPP 1600 and PD 1600/270 = 5.926 >= 5.92; with 271 mm² PD = 5.904 -> b.2
    a2 = classify_chip(
        {"tflops_fp16": Decimal(100), "die_area_mm2": Decimal(270), "datacenter": True}
    )
    assert a2.entries == ("3A090.a",) and a2.paragraphs_met == ("3A090.a.2",)
    b2 = classify_chip(
        {"tflops_fp16": Decimal(100), "die_area_mm2": Decimal(271), "datacenter": True}
    )
    assert b2.entries == ("3A090.b",) and b2.paragraphs_met == ("3A090.b.2",)


def test_hbm_memory_bandwidth_density() -> None:
    at = classify_chip({"hbm_bandwidth_gbs": Decimal(200), "hbm_area_mm2": Decimal(100)})
    assert at.entries == ()  # 2.0 is not "greater than 2"
    above = classify_chip({"hbm_bandwidth_gbs": Decimal(201), "hbm_area_mm2": Decimal(100)})
    assert above.entries == ("3A090.c",) and above.memory_bandwidth_density == Decimal("2.01")


rates = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(5000), places=1)
areas = st.decimals(min_value=Decimal(50), max_value=Decimal(3000), places=0)


@given(rates, rates, areas)
def test_tpp_is_the_highest_product(fp16: Decimal, int8: Decimal, area: Decimal) -> None:
    r = classify_chip(
        {"tflops_fp16": fp16, "tops_int8": int8, "die_area_mm2": area, "datacenter": True}
    )
    assert r.tpp == max(fp16 * 16, int8 * 8)
    assert r.performance_density == r.tpp / area


@given(rates, areas, st.decimals(min_value=Decimal(1), max_value=Decimal(4), places=2))
def test_more_performance_never_relaxes(fp16: Decimal, area: Decimal, factor: Decimal) -> None:
    base = classify_chip({"tflops_fp16": fp16, "die_area_mm2": area, "datacenter": True})
    more = classify_chip({"tflops_fp16": fp16 * factor, "die_area_mm2": area, "datacenter": True})
    if "3A090.a" in base.entries:
        assert "3A090.a" in more.entries


def test_half_rate_accumulate_figure_is_flagged(control_data: ControlData) -> None:
    """Issue 15 §4: a graphics part entered with its FP16-with-FP32-accumulate rate
    (half the dense FP16 figure) came out 'not 3A090' with no warning. The answer stays
    the one the entered figure gives, and a note names the dense figure that decides
    and shows both outcomes."""
    params = {"tflops_fp16": "165.2", "die_area_mm2": "609", "datacenter": "false"}
    result = classify_params(control_data, params)
    assert result.entries == ()
    (note,) = [n for n in result.notes if n.startswith("Check the rate")]
    assert "FP32 accumulate" in note and "330.4" in note
    assert "not 3A090/4A090" in note and "3A090.a" in note


def test_sparse_figure_is_flagged_when_nothing_cross_checks_it(control_data: ControlData) -> None:
    result = classify_params(
        control_data, {"tops_int8": "700", "die_area_mm2": "800", "datacenter": "true"}
    )
    assert result.entries == ("3A090.a",)  # 700 × 8 = 5600
    assert any("sparse" in n and "350" in n for n in result.notes)


def test_consistent_datasheet_rates_raise_no_variant_note(
    control_data: ControlData, shared_data: Path
) -> None:
    """Dense FP16 and INT8 entered together (INT8 = 2 × FP16, or equal on MI200 parts)
    cross-check each other: no accumulate or sparse note for the chips in the file."""
    with (shared_data / "export_control" / "advanced_computing_chip_specs.csv").open() as f:
        for row in csv.DictReader(f):
            params = {
                "tflops_fp16": row["dense_fp16_bf16_tflops"],
                "tops_int8": row["dense_int8_or_fp8_tops"],
                "die_area_mm2": row["applicable_die_area_mm2"],
                "datacenter": "true",
            }
            notes = classify_params(control_data, params).notes
            assert not any(n.startswith("Check the rate") for n in notes), row["chip"]
