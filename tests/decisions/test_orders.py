"""parse_order: every problem by field path, suggestions, hostile strings, soft problems."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from dualuse.decisions.model import EndUse, OrderError, Role
from dualuse.decisions.orders import MAX_NAME, parse_order

GOOD: dict[str, Any] = {
    "id": "PO-2026-0042",
    "date": "2026-12-01",
    "route": {"origin": "US", "transit": ["AE"], "destination": "KG"},
    "parties": [
        {"role": "buyer", "name": "Bishkek Electronic Supply LLC", "country": "KG",
         "incorporated": "2023-03-14", "business": "wholesale trade"}
    ],
    "items": [{"line": 1, "description": "microcontrollers", "hs": "854231", "eccn": "EAR99",
               "quantity": 5000, "value": 40000.0, "currency": "USD"}],
    "end_use": "civil",
    "payment": {"payer_country": "HK", "method": "wire"},
}  # fmt: skip


def _order(**changes: Any) -> dict[str, Any]:
    order = copy.deepcopy(GOOD)
    order.update(changes)
    return order


def _problems(raw: Any) -> dict[str, tuple[str, tuple[str, ...]]]:
    with pytest.raises(OrderError) as info:
        parse_order(raw)
    return {p.path: (p.message, p.suggestions) for p in info.value.problems}


def test_the_issue_example_parses() -> None:
    order = parse_order(GOOD)
    assert order.route.transit == ("AE",) and order.route.destination == "KG"
    assert order.parties[0].role is Role.BUYER and order.parties[0].country == "KG"
    assert order.items[0].hs == "854231" and order.items[0].eccn == "EAR99"
    assert order.end_use is EndUse.CIVIL and order.problems == ()
    assert order.input_digest == parse_order(copy.deepcopy(GOOD)).input_digest


def test_every_problem_is_named_by_path_with_suggestions() -> None:
    raw = _order(
        route={"transit": ["Kyrgyzstn"]},
        parties=[{"role": "byer", "name": "A"}, {"role": "buyer"}],
        items=[{"eccn": "3A099"}, {"line": 1, "hs": "854299"}],
        end_use="civl",
    )
    problems = _problems(raw)
    assert problems["route.destination"][0] == "missing"
    assert "KG" in problems["route.transit[0]"][1]
    assert problems["parties[0].role"][1][0] == "buyer"
    assert problems["parties[1].name"][0] == "missing"
    assert "3A090" in problems["items[0].eccn"][1]
    assert "854239" in problems["items[1].hs"][1]
    assert "repeats" in problems["items[1].line"][0]
    assert problems["end_use"][1] == ("civil",)


def test_error_message_lists_every_path() -> None:
    with pytest.raises(OrderError) as info:
        parse_order(_order(route={}, items=[]))
    text = str(info.value)
    assert "route.destination: missing" in text and "items: empty" in text


@pytest.mark.parametrize("raw", [None, [], "order", 42])
def test_not_an_object(raw: Any) -> None:
    assert "$" in _problems(raw)


def test_megabyte_name_and_control_characters_are_refused_clearly() -> None:
    raw = _order(
        parties=[
            {"role": "buyer", "name": "A" * 1_048_576},
            {"role": "consignee", "name": "Acme\x00Trading"},
        ]
    )
    problems = _problems(raw)
    assert problems["parties[0].name"][0] == f"1,048,576 characters; the limit is {MAX_NAME:,}"
    assert "U+0000" in problems["parties[1].name"][0]


def test_sql_and_markup_are_just_names() -> None:
    name = "Robert'); DROP TABLE orders;-- <script>alert(1)</script>"
    order = parse_order(_order(parties=[{"role": "buyer", "name": name}]))
    assert order.parties[0].name == name


def test_unparseable_optional_fields_are_soft_problems() -> None:
    raw = _order(
        parties=[{"role": "buyer", "name": "Acme", "country": "KG", "incorporated": "14/03/2023"}],
        items=[{"line": 1, "eccn": "EAR99", "quantity": "lots"}],
        no_russia_clause="yes",
    )
    order = parse_order(raw)
    paths = {p.path for p in order.problems}
    assert paths == {"parties[0].incorporated", "items[0].quantity", "no_russia_clause"}
    assert order.parties[0].name == "Acme" and order.parties[0].incorporated is None


def test_covered_regions_and_country_names() -> None:
    order = parse_order(
        _order(route={"destination": "Crimea", "transit": "Türkiye", "origin": "Germany"})
    )
    assert order.route.destination == "UA-43"
    assert order.route.transit == ("TR",) and order.route.origin == "DE"


def test_unknown_parameter_gets_a_suggestion() -> None:
    raw = _order(items=[{"line": 1, "parameters": {"tpp_": 5000}}])
    problems = _problems(raw)
    (path,) = [p for p in problems if p.startswith("items[0].parameters")]
    assert problems[path][1]
