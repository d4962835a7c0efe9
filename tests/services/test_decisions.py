"""DecisionService: determinism, cleared alerts and entry digests, replay, rule settings,
each party screened once, screening failure never clear."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dualuse.decisions.model import AlertKey, Verdict
from dualuse.errors import DualuseError, InputError
from dualuse.services.decisions import DecisionService
from dualuse.services.screening import ScreeningService
from dualuse.settings import DecisionSettings, Settings
from tests.conftest import shared_data_dir

ORDERS = Path(__file__).parents[1] / "decisions" / "orders"
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _case(name: str) -> dict[str, Any]:
    return dict(json.loads((ORDERS / f"{name}.json").read_text(encoding="utf-8"))["order"])


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(home=tmp_path_factory.mktemp("dec") / "home", shared_data=shared_data_dir())


@pytest.fixture(scope="module")
def screening(settings: Settings) -> ScreeningService:
    return ScreeningService(settings)


@pytest.fixture(scope="module")
def service(settings: Settings, screening: ScreeningService) -> DecisionService:
    return DecisionService(settings, screening=screening, clock=lambda: NOW)


def test_same_inputs_same_decision(service: DecisionService) -> None:
    order = _case("05_ear99_mcu_via_uae_to_kyrgyzstan")
    first = service.decide(order).to_json()
    again = (
        DecisionService(
            service.settings, screening=service.screening, clock=lambda: NOW + dt.timedelta(hours=1)
        )
        .decide(copy.deepcopy(order))
        .to_json()
    )
    assert first.pop("decided_at") != again.pop("decided_at")
    assert first == again
    assert first["versions"]["lists"] and first["versions"]["rules"] and first["versions"]["code"]


def test_cleared_alert_does_not_hold_and_reopens_when_the_entry_changes(
    service: DecisionService,
) -> None:
    order = _case("02_listed_party_damaged_name")
    held = service.decide(order)
    assert held.verdict is Verdict.HOLD and len(held.alerts) >= 2
    keys = {a.key for a in held.alerts}
    cleared = service.decide(order, cleared=keys.__contains__)
    assert all(a.cleared for a in cleared.alerts)
    assert cleared.verdict is Verdict.LICENCE_REQUIRED  # the Entity List licence remains
    assert {r.code for r in cleared.reasons} >= {"screening.cleared"}
    # the same clearance against other entry content (a changed listing) does not apply
    stale = {replace(k, entry_digest="0" * 64) for k in keys}
    assert service.decide(order, cleared=stale.__contains__).verdict is Verdict.HOLD
    # another customer with the same listing is not cleared by it
    other = copy.deepcopy(order)
    other["parties"][0]["country"] = "BY"
    assert service.decide(other, cleared=keys.__contains__).verdict is Verdict.HOLD


def test_alert_keys_are_stable_across_spellings(service: DecisionService) -> None:
    order = _case("02_listed_party_damaged_name")
    loud = copy.deepcopy(order)
    loud["parties"][0]["name"] = "  ROSOBORONEXPROT "
    loud["parties"][0]["country"] = "ru"
    a = {x.key for x in service.decide(order).alerts}
    b = {x.key for x in service.decide(loud).alerts}
    assert a == b and all(isinstance(k, AlertKey) for k in a)


def test_replay_same_and_changed_rules(settings: Settings, service: DecisionService) -> None:
    recorded = service.decide(_case("10_bakery_buys_gnss")).to_json()
    replay = service.replay(json.loads(json.dumps(recorded)))
    assert replay.same_verdict and replay.same_versions and not replay.differences
    off = replace(
        settings,
        decisions=DecisionSettings(
            disabled_rules="bis_kyc.business_mismatch,bis_kyc.cash_payment,"
            "fincen_bis.chpl_transshipment"
        ),
    )
    changed = DecisionService(off, screening=service.screening, clock=lambda: NOW)
    result = changed.replay(recorded)
    assert not result.same_versions and not result.same_verdict
    assert result.replayed.verdict is Verdict.CLEAR
    assert any(d.startswith("versions.rules") for d in result.differences)


def test_replay_needs_the_order(service: DecisionService) -> None:
    recorded = service.decide(_case("01_distributor_not_listed")).to_json()
    recorded["order"] = None
    with pytest.raises(InputError, match="order"):
        service.replay(recorded)


class CountingScreening:
    """The real screening service, counting the names it is asked."""

    def __init__(self, inner: ScreeningService) -> None:
        self.inner = inner
        self.asked: list[str] = []
        self.lists, self.index, self.threshold = inner.lists, inner.index, inner.threshold

    def screen_many(self, queries: Any) -> Any:
        queries = list(queries)
        self.asked += [q.name for q in queries]
        return self.inner.screen_many(queries)


def test_each_party_screened_once(settings: Settings, screening: ScreeningService) -> None:
    counting = CountingScreening(screening)
    svc = DecisionService(settings, screening=counting, controls=None, clock=lambda: NOW)
    orders = [_case("04_3a090_chips_to_china"), _case("09_forwarder_end_user")]
    svc.decide_many(orders)
    # each order names its buyer twice (buyer and end user): one query each
    assert sorted(counting.asked) == sorted({p["name"] for o in orders for p in o["parties"]})


class FailingScreening(CountingScreening):
    def screen_many(self, queries: Any) -> Any:
        raise DualuseError("index unavailable")


def test_screening_failure_is_never_clear(settings: Settings, screening: ScreeningService) -> None:
    svc = DecisionService(settings, screening=FailingScreening(screening), clock=lambda: NOW)
    decision = svc.decide(_case("01_distributor_not_listed"))
    assert decision.verdict is Verdict.REVIEW
    assert "screening.unavailable" in {r.code for r in decision.reasons}


def test_line_from_parameters(service: DecisionService) -> None:
    order = _case("01_distributor_not_listed")
    order["route"]["destination"] = "CN"
    order["parties"] = [{"role": "buyer", "name": "Rutronik Elektronische Bauelemente GmbH"}]
    # H100 SXM figures (shared/reference/controls.md §2.3): 1,979 dense FP8 TFLOPS, 814 mm²
    params = {"tflops_fp8": 1979, "die_area_mm2": 814, "datacenter": True}
    order["items"] = [{"line": 1, "parameters": params}]
    decision = service.decide(order)
    assert decision.lines[0].classified_from == "parameters"
    assert decision.lines[0].eccn and decision.lines[0].eccn.startswith("3A090")
    assert decision.verdict is Verdict.LICENCE_REQUIRED


def test_threads_share_one_service(service: DecisionService) -> None:
    """The API decides on many threads with one service: the same answers as one by one."""
    from concurrent.futures import ThreadPoolExecutor

    orders = [
        json.loads(p.read_text(encoding="utf-8"))["order"] for p in sorted(ORDERS.glob("*.json"))
    ] * 4
    alone = [service.decide(o).to_json() for o in orders]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda o: service.decide(o).to_json(), orders))
    assert together == alone


def test_a_remembered_party_is_not_screened_again_and_decides_the_same(
    settings: Settings, screening: ScreeningService
) -> None:
    counting = CountingScreening(screening)
    remembering = DecisionService(settings, screening=counting, clock=lambda: NOW)
    forgetting = DecisionService(
        settings, screening=screening, clock=lambda: NOW, remembered_parties=0
    )
    names = sorted(p.name for p in ORDERS.glob("*.json"))
    orders = [_case(p.removesuffix(".json")) for p in names]
    first = [d.to_json() for d in remembering.decide_many(orders)]
    asked = len(counting.asked)
    again = [d.to_json() for d in remembering.decide_many(orders)]
    assert len(counting.asked) == asked  # every party answered from memory
    fresh = [d.to_json() for d in forgetting.decide_many(orders)]
    assert first == again == fresh
