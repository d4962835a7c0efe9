"""Invariants of the verdict over generated orders (real lists, data and rules):
the verdict is the most severe of its reasons; an order with an unknown or missing
determination is never clear; adding a party never lowers the verdict (except through
the one rule about an absence: a payment from where no party is, which a new party in
the payer's country legitimately answers, so the added party is never there)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.decisions.model import Verdict
from dualuse.services.decisions import DecisionService

COUNTRIES = ["US", "DE", "KG", "AE", "CN", "RU", "IR", "CU", "AM", "JP", "UA-43", "HK", "IN", "KZ"]
NAMES = [
    "Rutronik Elektronische Bauelemente GmbH",
    "Rosoboronexprot",
    "Huawei Technologies Co Ltd",
    "Bishkek Electronic Supply LLC",
    "Gulf Star Freight Forwarding FZE",
    "Sweet Crumbs Bakery LLC",
    "Almaty Industrial Components LLP",
]
ROLES = ["buyer", "consignee", "end_user", "intermediate_consignee", "forwarder", "payer", "bank"]

party = st.fixed_dictionaries(
    {"role": st.sampled_from(ROLES), "name": st.sampled_from(NAMES)},
    optional={
        "country": st.sampled_from(COUNTRIES),
        "incorporated": st.sampled_from(["2010-01-01", "2023-03-14", "not a date"]),
        "business": st.sampled_from(["bakery", "freight forwarding", "electronics"]),
    },
)
item = st.fixed_dictionaries(
    {},
    optional={
        "eccn": st.sampled_from(["EAR99", "3A090.a", "3A001.a.2", "5A002"]),
        "hs": st.sampled_from(["854231", "847130", "850440", "841370", "852691"]),
    },
)
order = st.fixed_dictionaries(
    {
        "id": st.just("PO-P"),
        "date": st.sampled_from(["2023-01-10", "2026-12-01"]),
        "route": st.fixed_dictionaries(
            {
                "destination": st.sampled_from(COUNTRIES),
                "transit": st.lists(st.sampled_from(COUNTRIES), max_size=3),
            },
            optional={"origin": st.sampled_from(["US", "DE"])},
        ),
        "parties": st.lists(party, min_size=1, max_size=3),
        "items": st.lists(item, min_size=1, max_size=3),
        "end_use": st.sampled_from(
            ["civil", "military", "military-intelligence", "wmd", "unknown"]
        ),
    },
    optional={
        "payment": st.fixed_dictionaries(
            {
                "payer_country": st.sampled_from(COUNTRIES),
                "method": st.sampled_from(["wire", "cash"]),
            }
        ),
        "no_russia_clause": st.booleans(),
    },
)
CHECKS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _number(raw: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    for i, line in enumerate(raw["items"]):
        line["line"] = i + 1
    return raw


@CHECKS
@given(order)
def test_verdict_is_the_worst_reason(
    decision_service: DecisionService, raw: dict[str, Any]
) -> None:
    decision = decision_service.decide(_number(raw))
    assert decision.verdict is Verdict.worst(r.verdict for r in decision.reasons)
    assert all(r.citation.source for r in decision.reasons)


@CHECKS
@given(order)
def test_unknown_determination_is_never_clear(
    decision_service: DecisionService, raw: dict[str, Any]
) -> None:
    decision = decision_service.decide(_number(raw))
    undetermined = any(
        x.determination is None or x.determination["licence_required"] != "no"
        for x in decision.lines
    )
    if undetermined:
        assert decision.verdict is not Verdict.CLEAR


@CHECKS
@given(order, party)
def test_adding_a_party_never_lowers_the_verdict(
    decision_service: DecisionService, raw: dict[str, Any], extra: dict[str, Any]
) -> None:
    raw = _number(raw)
    payer = raw.get("payment", {}).get("payer_country")
    if extra.get("country") == payer:
        extra = {k: v for k, v in extra.items() if k != "country"}
    before = decision_service.decide(raw)
    more = copy.deepcopy(raw)
    more["parties"].append(extra)
    after = decision_service.decide(more)
    assert after.verdict >= before.verdict, (before.reasons, after.reasons)
