from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dualuse.diversion.ownership.model import date_span, parse_percentage


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [("50", "50", "50"), ("33.33%", "33.33", "33.33"), ("25 - 50", "25", "50"), ("0", "0", "0")],
)
def test_percentages(raw: str, low: str, high: str) -> None:
    share, problem = parse_percentage(raw)
    assert problem is None and share is not None
    assert (share.low, share.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("-5", "negative"), ("100.01", "above 100"), ("50-25", "backwards"), ("half", "not a number"),
     ("NaN", "not a number"), ("", "not a number")],
)  # fmt: skip
def test_bad_percentages_are_refused_not_clipped(raw: str, problem: str) -> None:
    share, text = parse_percentage(raw)
    assert share is None and text is not None and problem in text


def test_date_spans() -> None:
    assert date_span("2024-07-03") == (date(2024, 7, 3), date(2024, 7, 3))
    assert date_span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_span("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert date_span("2016-02-23T00:00:00.000+08:00") == (date(2016, 2, 23), date(2016, 2, 23))
    assert date_span("2024-02-30") is None and date_span("2024-13") is None
    assert date_span("soon") is None and date_span(None) is None
