"""A party of an order on no list but blocked through ownership holds the order, marked
derived, with its path (issue 13 §1 in transaction verdicts); a party whose status the
graph cannot decide sends the order to review; a cleared finding stays cleared until
the ownership behind it changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dualuse.decisions.model import AlertKey, Verdict
from dualuse.services.decisions import DecisionService
from dualuse.services.ownership_screening import OwnershipIndex
from dualuse.settings import Settings
from tests.conftest import shared_data_dir
from tests.decisions.conftest import ORDERS
from tests.diversion.ownership.graphs import listed, own, report
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def decision_service(tmp_path_factory: pytest.TempPathFactory) -> DecisionService:
    home = tmp_path_factory.mktemp("ownership") / "home"
    return DecisionService(Settings(home=home, shared_data=shared_data_dir()))


BUYER = "Zyxwv Quplor Trading LLC"
OTHER = "Vormqix Holdings"


def graph(stake: str) -> list[dict[str, Any]]:
    return [
        listed("X"),
        {"id": "A", "schema": "Company", "properties": {"name": [BUYER]}},
        {"id": "B", "schema": "Company", "properties": {"name": [OTHER]}},
        own("X", "A", stake),
        own("X", "B"),  # no percentage: B's status cannot be decided
    ]


def order_with(buyer: str) -> dict[str, Any]:
    case = json.loads((ORDERS / "01_distributor_not_listed.json").read_text())
    order: dict[str, Any] = case["order"]
    order["parties"][0]["name"] = buyer
    return order


def service(base: DecisionService, stake: str = "50") -> DecisionService:
    index = OwnershipIndex(report(graph(stake), "ofac"))
    return DecisionService(
        base.settings, screening=base.screening, controls=base.controls, ownership=index
    )


def test_owned_buyer_holds_the_order_with_the_path(decision_service: DecisionService) -> None:
    assert decision_service.decide(order_with(BUYER)).verdict is Verdict.CLEAR  # no graph
    decision = service(decision_service).decide(order_with(BUYER))
    assert decision.verdict is Verdict.HOLD
    (alert,) = decision.alerts
    assert alert.list_id == "ownership:ofac" and alert.entry_id == "A" and not alert.cleared
    assert alert.explanation[0]["candidate_value"] == "X -> A"
    (reason,) = [r for r in decision.reasons if r.code == "ownership.derived"]
    assert reason.subject == "parties[0]" and "13 Aug 2014" in reason.citation.source
    assert "50" in reason.text


def test_undecidable_ownership_is_review_never_clear(decision_service: DecisionService) -> None:
    decision = service(decision_service).decide(order_with(OTHER.upper() + ","))
    assert decision.verdict is Verdict.REVIEW
    assert [r.code for r in decision.reasons] == ["ownership.unknown"]
    assert not decision.alerts


def test_a_cleared_finding_reopens_when_the_stake_changes(
    decision_service: DecisionService,
) -> None:
    first = service(decision_service).decide(order_with(BUYER))
    cleared = {first.alerts[0].key}

    def is_cleared(key: AlertKey) -> bool:
        return key in cleared

    again = service(decision_service).decide(order_with(BUYER), cleared=is_cleared)
    assert again.verdict is Verdict.CLEAR and again.alerts[0].cleared
    changed = service(decision_service, "75").decide(order_with(BUYER), cleared=is_cleared)
    assert changed.verdict is Verdict.HOLD and not changed.alerts[0].cleared


def test_decide_cli_takes_an_ownership_graph(
    decision_service: DecisionService, tmp_path: Path
) -> None:
    graph_file = tmp_path / "graph.ftm.jsonl"
    graph_file.write_text("".join(json.dumps(e) + "\n" for e in graph("60")))
    order_file = tmp_path / "order.json"
    order_file.write_text(json.dumps(order_with(BUYER)))
    home = ["--home", str(decision_service.settings.home)]
    result = run_cli([*home, "decide", str(order_file), "--json", "--ownership", str(graph_file)])
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["verdict"] == "hold"
    assert decision["alerts"][0]["list_id"] == "ownership:ofac"
    plain = run_cli([*home, "decide", str(order_file), "--json"])
    assert json.loads(plain.stdout)["verdict"] == "clear"
