"""Threshold entries in categories 1-5, each tested on both sides of its threshold."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.controls.classify import classify_params
from dualuse.controls.data import ControlData
from dualuse.errors import InputError

CASES = [
    (
        {
            "fibre_type": "organic",
            "specific_modulus_m": "12.8e6",
            "specific_tensile_strength_m": "23.6e4",
        },
        ["1C010.a"],
    ),
    (
        {
            "fibre_type": "organic",
            "specific_modulus_m": "12.7e6",
            "specific_tensile_strength_m": "23.6e4",
        },
        [],
    ),  # "exceeding"
    (
        {
            "fibre_type": "carbon",
            "specific_modulus_m": "14.7e6",
            "specific_tensile_strength_m": "26.9e4",
        },
        ["1C010.b"],
    ),
    (
        {
            "fibre_type": "carbon",
            "specific_modulus_m": "14.7e6",
            "specific_tensile_strength_m": "26.82e4",
        },
        [],
    ),
    (
        {
            "fibre_type": "glass",
            "specific_modulus_m": "3.18e6",
            "specific_tensile_strength_m": "76.2e3",
        },
        ["1C210.b"],
    ),  # "or greater"
    (
        {
            "fibre_type": "glass",
            "specific_modulus_m": "3.17e6",
            "specific_tensile_strength_m": "76.2e3",
        },
        [],
    ),
    ({"ion_implant_beam_current_ma": "5"}, ["2B005.b"]),
    ({"ion_implant_beam_current_ma": "4.9"}, []),
    ({"cmm_e0_mpe_um": "2.2", "cmm_length_mm": "500"}, ["2B006.a"]),  # 1.7 + 500/1000 = 2.2
    ({"cmm_e0_mpe_um": "2.21", "cmm_length_mm": "500"}, []),
    ({"total_dose_gy_si": "5000"}, ["3A001.a.1"]),
    ({"total_dose_gy_si": "4999", "neutron_fluence_n_cm2": "5e13"}, ["3A001.a.1"]),
    (
        {
            "total_dose_gy_si": "4999",
            "dose_rate_upset_gy_si_s": "1e6",
            "neutron_fluence_n_cm2": "1e13",
        },
        [],
    ),
    ({"adc_resolution_bits": "12", "adc_sample_rate_msps": "401"}, ["3A001.a.5.a"]),
    ({"adc_resolution_bits": "12", "adc_sample_rate_msps": "400"}, []),
    ({"adc_resolution_bits": "16", "adc_sample_rate_msps": "66"}, ["3A001.a.5.a"]),
    ({"app_wt": "70.1"}, ["4A003.b"]),
    ({"app_wt": "70"}, []),
    ({"interconnect_gbyte_s_per_link": "2.5"}, ["4A003.g"]),
    ({"uwb_programmable_codes": "true", "uwb_bandwidth_mhz": "600"}, ["5A001.b.4"]),
    ({"uwb_programmable_codes": "false", "uwb_bandwidth_mhz": "600"}, []),
    (
        {
            "uwb_programmable_codes": "yes",
            "uwb_bandwidth_mhz": "100",
            "uwb_fractional_bandwidth_pct": "20",
        },
        ["5A001.b.4"],
    ),
    ({"fibre_length_m": "501", "fibre_proof_test_n_m2": "2e9"}, ["5A001.c"]),
    ({"fibre_length_m": "500", "fibre_proof_test_n_m2": "2e9"}, []),
]


@pytest.mark.parametrize(("params", "entries"), CASES)
def test_thresholds(control_data: ControlData, params: dict[str, str], entries: list[str]) -> None:
    result = classify_params(control_data, params)
    assert list(result.entries) == entries, result.steps
    assert result.decided
    for entry in entries:
        assert any(entry.split(".")[0] in str(c) for c in result.citations)


def test_categories_covered(control_data: ControlData) -> None:
    cats = {e.entry[0] for e in control_data.parametric["entries"]}
    assert {"1", "2", "3", "4", "5"} <= cats
    assert len(control_data.parametric["entries"]) >= 8


def test_undecided_names_the_parameter(control_data: ControlData) -> None:
    r = classify_params(control_data, {"fibre_type": "carbon", "specific_modulus_m": "2e7"})
    assert r.entries == ()
    assert any(
        u.entry == "1C010.b" and u.decided_by == ("specific_tensile_strength_m",)
        for u in r.undecided
    )
    cmm = classify_params(control_data, {"cmm_e0_mpe_um": "1.0"})
    assert any(u.decided_by == ("cmm_length_mm",) for u in cmm.undecided)


@pytest.mark.parametrize(
    "bad",
    [
        {"app_wt": "fast"},
        {"app_wt": "-1"},
        {"fibre_type": "steel"},
        {"uwb_programmable_codes": "maybe"},
        {"app_wt": "nan"},
    ],
)
def test_bad_values(control_data: ControlData, bad: dict[str, str]) -> None:
    with pytest.raises(InputError):
        classify_params(control_data, bad)


@pytest.mark.parametrize(
    "huge",
    [
        {"tflops_fp16": "1e25"},
        {"tops_int8": "9" * 40},
        {"die_area_mm2": "1e-30", "tflops_fp16": "1000"},
        {"neutron_fluence_n_cm2": "1e999999"},
    ],
)
def test_numbers_out_of_range_are_input_errors(
    control_data: ControlData, huge: dict[str, str]
) -> None:
    with pytest.raises(InputError, match="out of range"):
        classify_params(control_data, huge)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["tflops_fp16", "tops_int8", "die_area_mm2", "hbm_bandwidth_gbs", "app_wt"]),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str)
    | st.from_regex(r"\A[0-9]{1,30}(\.[0-9]{1,30})?(e[+-]?[0-9]{1,6})?\Z"),
)
def test_any_number_classifies_or_is_an_input_error(
    control_data: ControlData, name: str, value: str
) -> None:
    params = {name: value}
    if name != "die_area_mm2":
        params["die_area_mm2"] = "800"
    with contextlib.suppress(InputError):
        classify_params(control_data, params)
