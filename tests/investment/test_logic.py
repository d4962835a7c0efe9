"""Kleene's connectives are monotone: an unknown input never makes a definite output that
differs from what the known input gave. The rules rely on this for every answer."""

from __future__ import annotations

from itertools import product

import pytest

from dualuse.investment.logic import Trace, k_and, k_not, k_or
from dualuse.investment.reference import cfr800
from dualuse.investment.uk_nsi import crosses

VALUES = (True, False, None)


@pytest.mark.parametrize("op", [k_and, k_or])
def test_connectives_are_monotone(op) -> None:  # type: ignore[no-untyped-def]
    for a, b, c in product(VALUES, repeat=3):
        full = op(a, b, c)
        for i in range(3):
            args = [a, b, c]
            args[i] = None
            assert op(*args) in (full, None)
    assert k_and(True, True) is True and k_and(True, None) is None and k_and(False, None) is False
    assert k_or(False, False) is False and k_or(False, None) is None and k_or(True, None) is True
    assert [k_not(v) for v in VALUES] == [False, True, None]


def test_missing_is_named_only_for_unknown_steps() -> None:
    t = Trace()
    t.ask("a", "known?", True, "", cfr800("800.224"), missing=["x.y"])
    t.ask("b", "open?", None, "", cfr800("800.224"), missing=["x.z"])
    assert t.missing() == ("x.z",)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (0, 25, False),
        (0, 25.01, True),
        (25, 26, True),
        (30, 50, False),
        (50, 50.5, True),
        (60, 74.9, False),
        (74.9, 75, True),
        (75, 100, False),
        (None, 20, False),
        (None, 30, None),
        (0, None, None),
    ],
)
def test_uk_thresholds(before: float | None, after: float | None, expected: bool | None) -> None:
    """s. 8(2)/(5): more than 25%, more than 50%, 75% or more."""
    assert crosses(before, after) is expected
