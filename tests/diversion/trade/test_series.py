"""The panel against the check values in ../shared/data/diversion/SOURCES.md §4 and the
EU-27 aggregate rows of the monthly extracts."""

from __future__ import annotations

import pytest

from dualuse.diversion.trade.series import Panel, Series


def jan_nov(series: Series, year: str) -> float:
    return sum(v for m, v in series.items() if m.startswith(year) and m[5:] <= "11")


@pytest.mark.parametrize(
    ("partner", "group", "eur_2021_m", "change"),
    [("ru", "sanctioned", 30_448, -58.8), ("kg", "sanctioned", 70, 606.5),
     ("am", "sanctioned", None, 291.2), ("kz", "sanctioned", None, 122.2),
     ("ru", "chpl", 1_911, -78.6), ("kg", "chpl", None, 372), ("am", "chpl", None, 201)],
)  # fmt: skip
def test_check_values(
    panel: Panel, partner: str, group: str, eur_2021_m: int | None, change: float
) -> None:
    series = panel.series(partner, group)
    before, after = jan_nov(series, "2021"), jan_nov(series, "2022")
    if eur_2021_m is not None:
        assert round(before / 1e6) == eur_2021_m
    assert abs((after / before - 1) * 100 - change) < 1


def test_members_add_up_to_the_eu27_row(panel: Panel) -> None:
    # No "member_sum_differs_from_eu27_row" finding: the 27 members (aggregate rows and
    # the UK dropped) match the EU-27 row within 1 % every month, for every partner.
    assert "member_sum_differs_from_eu27_row" not in {f.code for f in panel.findings}
    kg = panel.series("kg", "total")
    assert round(sum(v for m, v in kg.items() if m.startswith("2021")) / 1e6) == 263
    members = panel.members[("kg", "total")]
    assert len(members) == 27 and "United Kingdom" not in members


def test_other_is_total_minus_sanctioned(panel: Panel) -> None:
    for reporter, series in panel.members[("kz", "other")].items():
        for month, value in series.items():
            total = panel.members[("kz", "total")][reporter][month]
            sanctioned = panel.members[("kz", "sanctioned")][reporter][month]
            assert value == pytest.approx(max(total - sanctioned, 0.0))


def test_unpublished_december_is_left_out(panel: Panel) -> None:
    codes = {(f.code, f.message[:7]) for f in panel.findings}
    assert ("unpublished_month", "2022-12") in codes
    assert "2022-12" not in panel.series("kg", "sanctioned")
    assert "2022-12" not in panel.series("kg", "other")


def test_cn2022_recoding(panel: Panel) -> None:
    # Tractors (8701): 870121 is a 2022 code (SOURCES.md §4); its predecessor is not on the
    # sanctions list, so the heading is unbalanced and reported.
    change = panel.code_changes["8701"]
    assert any(c.startswith("870121") for c in change.new_2022) and not change.balanced
    assert any("HS4 8701" in f.message for f in panel.findings)
    assert 0 < panel.new_code_share["am"] < 0.2
