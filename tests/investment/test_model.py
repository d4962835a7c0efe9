"""Bad deal facts give one clear error naming the field path and the closest valid values."""

from __future__ import annotations

from typing import Any

import pytest

from dualuse.errors import InputError
from dualuse.investment.model import parse_facts, warnings


@pytest.mark.parametrize(
    ("raw", "source", "words", "suggestion"),
    [
        ({"investor": {"contry": "CN"}}, "investor.contry", "unknown field", "country"),
        ({"investor": {"country": "Chna"}}, "investor.country", "unknown country", "CN (China)"),
        (
            {"transaction": {"stake_after": 130}},
            "transaction.stake_after",
            "less than or equal to 100",
            None,
        ),
        (
            {"transaction": {"voting_after": -1}},
            "transaction.voting_after",
            "greater than or equal to 0",
            None,
        ),
        (
            {"transaction": {"stake_before": 30, "stake_after": 10}},
            "transaction",
            "below stake_before",
            None,
        ),
        (
            {"transaction": {"rights": ["bord_seat"]}},
            "transaction.rights",
            "unknown right",
            "board_seat",
        ),
        (
            {"transaction": {"type": "equty"}},
            "transaction.type",
            "unknown transaction type",
            "equity",
        ),
        (
            {"target": {"uk": {"sectors": ["defense"]}}},
            "target.uk.sectors",
            "unknown UK sector",
            "defence",
        ),
        (
            {"target": {"country_of_concern_revenue_share": 80}},
            "target.country_of_concern_revenue_share",
            "less than or equal to 1",
            None,
        ),
        (
            {"target": {"items": [{"eccn": "3A090", "usml": "XI"}]}},
            "target.items[0]",
            "exactly one of eccn or usml",
            None,
        ),
        (
            {"target": {"items": [{"usml": "XXX"}]}},
            "target.items[0].usml",
            "unknown USML category",
            None,
        ),
        (
            {"investor": {"owners": [{"percent": 60}, {"percent": 60}]}},
            "investor",
            "more than 100",
            None,
        ),
        (
            {"investor": {"government_ownership": [{"country": "CN"}]}},
            "investor.government_ownership[0].percent",
            "Field required",
            None,
        ),
        ({"investor": {"country": "US", "us_person": False}}, "investor", "U.S. person", None),
        (
            {"target": {"critical_infrastructure_functions": ["xxix"]}},
            "target.critical_infrastructure_functions",
            "Appendix A",
            "xxi",
        ),
    ],
)
def test_bad_facts(raw: dict[str, Any], source: str, words: str, suggestion: str | None) -> None:
    with pytest.raises(InputError) as info:
        parse_facts(raw)
    err = info.value
    assert err.source == source, err.describe()
    assert words in err.message, err.message
    if suggestion is not None:
        assert suggestion in err.suggestions, err.suggestions


def test_not_an_object() -> None:
    with pytest.raises(InputError, match="JSON object"):
        parse_facts([1, 2])


def test_several_problems_are_all_named() -> None:
    with pytest.raises(InputError) as info:
        parse_facts({"investor": {"country": "XX"}, "transaction": {"stake_after": 200}})
    assert (
        "investor.country" in info.value.message and "transaction.stake_after" in info.value.message
    )


def test_absent_is_not_empty() -> None:
    facts = parse_facts({"transaction": {"rights": []}})
    assert facts.transaction.rights == [] and facts.transaction.resolutions_secured is None
    assert facts.investor.country is None
    assert parse_facts({"investor": {"country": "Hong Kong"}}).investor.country == "hk"


def test_unread_activity_is_a_warning_not_a_fact() -> None:
    facts = parse_facts(
        {"target": {"activities": ["designs integrated circuits", "designs chips"]}}
    )
    assert facts.target.stated_activities is None
    (warning,) = warnings(facts)
    assert "target.activities" in warning and "designs integrated circuits" in warning
