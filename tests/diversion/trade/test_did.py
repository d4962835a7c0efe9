"""Difference-in-differences: exact recovery on a constructed panel, and the real
estimates (sanctioned against other goods) with their intervals, against EBRD's ~30 %."""

from __future__ import annotations

import math

import pytest

from dualuse.diversion.trade import did
from dualuse.diversion.trade.packages import EBRD_PERCENT
from dualuse.diversion.trade.series import Panel
from dualuse.errors import InputError


def constructed(beta: float) -> Panel:
    """Three member states with their own levels and a common shock to both groups."""
    panel = Panel()
    months = [f"{y}-{m:02d}" for y in (2020, 2021, 2022) for m in range(1, 13)]
    treated: dict[str, dict[str, float]] = {}
    control: dict[str, dict[str, float]] = {}
    for i, reporter in enumerate(["A", "B", "C"]):
        treated[reporter] = {}
        control[reporter] = {}
        for j, month in enumerate(months):
            shock = 0.3 * math.sin(j) + 0.1 * i * j / 36
            post = month >= "2022-03"
            control[reporter][month] = math.exp(10 + i + shock)
            treated[reporter][month] = math.exp(8 + i + shock + (beta if post else 0.0))
    panel.members[("xx", "sanctioned")] = treated
    panel.members[("xx", "other")] = control
    return panel


@pytest.mark.parametrize("beta", [0.0, 0.4, -1.2])
def test_recovers_a_known_effect(beta: float) -> None:
    result = did.run(constructed(beta), ["xx"], draws=199)
    est = result["estimate"]
    assert isinstance(est, dict)
    assert est["beta_log_points"] == pytest.approx(beta, abs=1e-9)
    assert est["percent"] == round(100 * (math.exp(beta) - 1), 1)
    assert result["pre"] == ["2020-01", "2022-01"] and result["post"] == ["2022-03", "2022-12"]


def test_unknown_partner() -> None:
    with pytest.raises(InputError, match="no 'sanctioned' and 'other' series for YY"):
        did.run(constructed(0.1), ["yy"])


def test_real_estimates(panel: Panel) -> None:
    report = did.report(panel, ["am", "kg", "kz", "ru"], draws=499)
    results = {"+".join(r["partners"]): r for r in report["results"]}  # type: ignore[attr-defined]
    cca3 = results["AM+KG+KZ"]["estimate"]
    low, high = cca3["ci95_percent"]
    # The pooled estimate is positive with a CI that excludes 0 and contains EBRD's ~30 %.
    assert low > 0 and low < EBRD_PERCENT < high
    assert 30 < cca3["percent"] < 60 and cca3["n_clusters"] == 27
    ru = results["RU"]["estimate"]
    assert ru["ci95_percent"][1] < -40  # far steeper fall for sanctioned goods
    placebo = results["AM+KG+KZ"]["placebo_2021_03"]
    assert placebo["ci95_percent"][0] < 0 < placebo["ci95_percent"][1]
    assert report["ebrd"]["quote"].startswith("sanctioned-goods exports to CCA3")  # type: ignore[index]


def test_stable_codes_lower_bound(member_panel: Panel) -> None:
    full = did.run(member_panel, list(did.CCA3), draws=199)["estimate"]
    stable = did.run(member_panel, list(did.CCA3), treated="stable", draws=199)["estimate"]
    assert isinstance(full, dict) and isinstance(stable, dict)
    assert 0 < stable["percent"] <= full["percent"]
