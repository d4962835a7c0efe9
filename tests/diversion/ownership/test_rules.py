from __future__ import annotations

from datetime import date

import pytest

from dualuse.diversion.ownership.rules import rule_for
from dualuse.errors import InputError


def test_each_rule_carries_its_citation_and_test() -> None:
    day = date(2025, 1, 1)
    ofac, eu, uk = (rule_for(name, day) for name in ("ofac", "eu", "uk"))
    assert "13 Aug 2014" in ofac.citation and ofac.test_text == "≥ 50%" and ofac.aggregate
    assert "3 Jul 2024" in eu.citation and eu.test_text == "≥ 50%" and eu.control_citation
    assert "SI 2019/855" in uk.citation and uk.test_text == "> 50%" and not uk.aggregate
    assert ofac.control_citation is None


def test_eu_before_and_after_the_change() -> None:
    assert rule_for("eu", date(2024, 7, 2)).test_text == "> 50%"
    assert rule_for("EU", date(2024, 7, 3)).test_text == "≥ 50%"


def test_dates_before_a_rule_existed_and_unknown_rules() -> None:
    with pytest.raises(InputError, match="13 Aug 2014"):
        rule_for("ofac", date(2014, 8, 12))
    with pytest.raises(InputError, match="SAMLA"):
        rule_for("uk", date(2020, 1, 1))
    with pytest.raises(InputError, match="did you mean: ofac, eu, uk"):
        rule_for("us", date(2025, 1, 1))
