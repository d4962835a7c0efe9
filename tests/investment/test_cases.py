"""The hand-derived case table (cases.yaml): every case passes, and the table covers every
outcome of every regime and the themes the issue names."""

from __future__ import annotations

from typing import Any

import pytest

from dualuse.investment.logic import OUTCOMES
from dualuse.services.investment import InvestmentService
from tests.investment.conftest import CASES, build


def test_table_size_and_coverage() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(c.get("cite") and c.get("why") for c in CASES)
    seen = {(c["regime"], c["expect"]) for c in CASES}
    for regime, outcomes in OUTCOMES.items():
        for outcome in outcomes:
            assert (regime, outcome) in seen, (regime, outcome)
    tags = {t for c in CASES for t in c.get("tags", [])}
    assert tags >= {
        "excepted_investor",
        "excepted_transaction",
        "government_prong",
        "critical_technology_prong",
        "ai_threshold",
        "hong_kong",
        "macau",
        "missing_fact",
    }
    assert sum("missing_fact" in c.get("tags", []) for c in CASES) >= 2


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any], service: InvestmentService) -> None:
    result = service.assess(build(case), [case["regime"]], screen=False).results[0]
    steps = "\n".join(f"  {s.answer:8} {s.question or s.text}" for s in result.steps)
    assert result.outcome == case["expect"], f"{result.summary}\n{steps}"
    for name in case.get("missing", []):
        assert name in result.missing, (name, result.missing)
    if "deadline" in case:
        assert result.deadline == case["deadline"]
    assert all(str(s.citation) for s in result.steps)
