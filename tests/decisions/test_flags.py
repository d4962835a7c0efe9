"""Rule evaluators on parsed orders, without screening or determinations (line facts are
given as the service would compute them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.decisions.flags import Facts, LineFacts, evaluate
from dualuse.decisions.orders import parse_order
from dualuse.decisions.rules import load_rules

RULES = load_rules()
CHIP = LineFacts(0, 1, "EAR99", "854231", "Tier 1")
PUMP = LineFacts(0, 1, "EAR99", "841370", None)


def _fired(order: dict[str, Any], line: LineFacts = CHIP, day: str = "2026-12-01") -> set[str]:
    parsed = parse_order({"id": "T", "items": [{"line": 1, "eccn": "EAR99"}], **order})
    reasons, flags = evaluate(RULES, Facts(parsed, (line,), dt.date.fromisoformat(day)))
    assert {f"flag.{f.id}" for f in flags} <= {r.code for r in reasons}
    return {r.code for r in reasons}


def test_end_user_who_is_also_the_forwarder() -> None:
    order = {
        "route": {"destination": "DE"},
        "parties": [
            {"role": "end_user", "name": "Hanse Cargo GmbH", "country": "DE"},
            {"role": "forwarder", "name": "HANSE CARGO GMBH", "country": "de"},
        ],
        "end_use": "civil",
    }
    assert _fired(order) == {"flag.bis_kyc.forwarder_end_user"}


def test_payer_not_on_the_order() -> None:
    order: dict[str, Any] = {
        "route": {"destination": "DE"},
        "parties": [{"role": "buyer", "name": "Acme GmbH", "country": "DE"}],
        "end_use": "civil",
        "payment": {"payer_country": "DE", "payer": "Other Holding Ltd"},
    }
    assert _fired(order) == {"flag.fincen_bis.third_party_payment"}
    order["payment"] = {"payer_country": "DE", "payer": "ACME GMBH"}
    assert _fired(order) == set()


def test_art12g_only_from_its_date_and_only_for_eu_exports() -> None:
    order = {
        "route": {"origin": "FR", "destination": "RS"},
        "parties": [{"role": "buyer", "name": "Beograd Elektronika", "country": "RS"}],
        "end_use": "civil",
    }
    assert "flag.eu.art12g_no_russia_clause" in _fired(order)
    assert "flag.eu.art12g_no_russia_clause" not in _fired(order, day="2024-03-19")
    assert "flag.eu.art12g_no_russia_clause" not in _fired({**order, "no_russia_clause": True})
    assert "flag.eu.art12g_no_russia_clause" not in _fired(order, line=PUMP)
    us = {**order, "route": {"origin": "US", "destination": "RS"}}
    assert "flag.eu.art12g_no_russia_clause" not in _fired(us)
    partner = {**order, "route": {"origin": "FR", "destination": "JP"}}
    assert "flag.eu.art12g_no_russia_clause" not in _fired(partner)


def test_eu_hub_through_an_intermediate_consignee() -> None:
    order = {
        "route": {"origin": "IT", "destination": "JP"},
        "parties": [
            {"role": "buyer", "name": "Tokyo Parts KK", "country": "JP"},
            {"role": "intermediate_consignee", "name": "Dubai Hub FZE", "country": "AE"},
        ],
        "end_use": "civil",
    }
    assert _fired(order) == {"flag.eu.edd_circumvention_hub"}


def test_late_changes_count_only_for_parties_route_payment() -> None:
    base = {
        "route": {"destination": "DE"},
        "parties": [{"role": "buyer", "name": "Acme GmbH", "country": "DE"}],
        "end_use": "civil",
    }
    assert _fired({**base, "changes": [{"path": "items[0].quantity"}]}) == set()
    assert _fired({**base, "changes": [{"path": "parties[0].name"}]}) == {
        "flag.fincen_bis.last_minute_change"
    }


def test_embargo_codes_name_where() -> None:
    order = {
        "route": {"destination": "DE", "transit": ["KP"]},
        "parties": [{"role": "buyer", "name": "Acme GmbH", "country": "DE"}],
        "end_use": "civil",
        "payment": {"payer_country": "IR"},
    }
    fired = _fired(order, line=PUMP)
    assert {"embargo.transit", "embargo.payer_country"} <= fired


def test_end_use_not_stated() -> None:
    order = {"route": {"destination": "DE"}, "parties": [{"role": "buyer", "name": "Acme"}]}
    assert _fired(order, line=PUMP) == {"flag.bis_kyc.end_use_not_stated"}
