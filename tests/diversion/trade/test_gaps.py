"""Mirror gaps per year against ../shared/data/diversion/SOURCES.md §2."""

from __future__ import annotations

from pathlib import Path

from dualuse.diversion.trade.gaps import mirror_series


def test_kyrgyzstan(shared_data: Path) -> None:
    kg = mirror_series(shared_data, "kg")
    years = {y["year"]: y for y in kg["years"]}  # type: ignore[attr-defined]
    assert years[2023]["unrecorded_share"] == 0.67  # €901 M of €2,734 M recorded
    assert kg["years_above_pre_range"] == [2022, 2023]


def test_armenia_incomplete_year_left_out(shared_data: Path) -> None:
    am = mirror_series(shared_data, "am")
    years = {y["year"]: y for y in am["years"]}  # type: ignore[attr-defined]
    assert years[2023]["incomplete"] and 2023 not in am["years_above_pre_range"]  # type: ignore[operator]
