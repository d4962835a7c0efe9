"""Hand-written orders, each with the verdict and reason codes derived by hand from the
cited rules (the ``why`` of each file says how)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dualuse.decisions.model import Verdict
from dualuse.services.decisions import DecisionService
from tests.decisions.conftest import ORDERS

EXAMPLES = sorted(ORDERS.glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_order(path: Path, decision_service: DecisionService) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    decision = decision_service.decide(case["order"])
    codes = sorted({r.code for r in decision.reasons})
    assert (decision.verdict.value, codes) == (
        case["expected"]["verdict"],
        case["expected"]["codes"],
    ), [(r.code, r.subject, r.text[:120]) for r in decision.reasons]
    assert "\\u0000" not in json.dumps(decision.to_json())  # no placeholder leaks
    for reason in decision.reasons:
        assert reason.citation.source and reason.citation.date, reason
    if decision.verdict is Verdict.CLEAR:
        assert all(
            x.determination and x.determination["licence_required"] == "no" for x in decision.lines
        )


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLES) >= 12
