"""Surges on the real data: sanctioned goods to Armenia and Kyrgyzstan surge beyond the
placebo goods; Russia does not; the break test fires far more at the sanctions date than
at the placebo date."""

from __future__ import annotations

import math

import pytest

from dualuse.diversion.trade import surges
from dualuse.diversion.trade.series import Panel


@pytest.fixture(scope="module")
def tests(panel: Panel) -> list[surges.SurgeTest]:
    return surges.detect(panel)


def one(tests: list[surges.SurgeTest], partner: str, group: str) -> surges.SurgeTest:
    return next(t for t in tests if t.partner == partner and t.group == group)


def test_groups(tests: list[surges.SurgeTest]) -> None:
    kg = one(tests, "kg", "sanctioned")
    assert kg.surge and kg.ratio > 8 and kg.placebo_ratio < 4 and kg.chow_p < 0.001
    assert one(tests, "am", "sanctioned").surge
    ru = one(tests, "ru", "chpl")
    assert not ru.surge and ru.ratio < 0.05 and ru.robust_z < -10
    other = one(tests, "kz", "other")  # placebo against itself: no excess
    assert other.excess_log_ratio == 0 and not other.surge
    assert kg.to_json()["partner"] == "KG"


def test_placebo_date_fires_less(tests: list[surges.SurgeTest]) -> None:
    s: dict[str, int] = surges.summary(tests)  # type: ignore[assignment]
    assert s["headings_tested"] > 2000
    assert s["break_at_2022_03_p_below_0_01"] > 5 * s["break_at_placebo_2021_03_p_below_0_01"]
    heads = [t for t in tests if t.group.startswith("hs4:") and t.surge]
    assert heads and all(t.robust_z >= 3.5 and t.chow_p < 0.01 for t in heads)
    assert all(t.excess_log_ratio >= math.log(2) for t in heads)


def test_cn2022_flags(tests: list[surges.SurgeTest]) -> None:
    tractors = one(tests, "kg", "hs4:8701")
    assert "cn2022_possible_artefact" in tractors.flags


def test_window_fills_gaps() -> None:
    months, values = surges.window({"2021-01": 1.0, "2021-04": 4.0}, "2020-01", None)
    assert months == ["2021-01", "2021-02", "2021-03", "2021-04"]
    assert list(values) == [1.0, 0.0, 0.0, 4.0]
    assert surges.evaluate_series("kg", "x", {"2023-01": 1.0}, {}) is None
