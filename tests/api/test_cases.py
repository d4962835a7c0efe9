"""The order desk, reviewers, approvers and auditors over real HTTP on loopback: a held
order, retried without duplication, cleared by a reviewer, refused to the same person
as approver (four eyes), released by a second person; the clearance remembered on the
next order; bad orders named by field path; the regulator export."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.cases import decisions
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer


def order(order_id: str, buyer: str = "Minsk Wheel Tractor Plant", **changes: Any) -> Any:
    return {
        "id": order_id,
        "date": "2026-12-01",
        "route": {"origin": "US", "destination": "BY"},
        "parties": [{"role": "buyer", "name": buyer, "country": "BY"}],
        "items": [{"line": 1, "description": "bearings", "hs": "848210", "eccn": "EAR99"}],
        "end_use": "civil",
    } | changes


def test_hold_cleared_and_released_by_two_people(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)

    def client(name: str, *roles: Role) -> httpx.Client:
        _, key = apikeys.create_key(engine, name, frozenset(roles))
        return httpx.Client(headers={"X-API-Key": key}, timeout=120)

    desk = client("desk", Role.SUBMITTER)
    rita = client("rita", Role.REVIEWER, Role.APPROVER)
    alan = client("alan", Role.APPROVER)
    audrey = client("audrey", Role.AUDITOR)
    with LiveServer(create_app(screening_settings)) as server:
        v1 = f"{server.url}/v1"
        first = desk.post(f"{v1}/decisions", json=order("PO-1"))
        assert first.status_code == 200, first.text
        held = first.json()
        assert held["verdict"] == "hold" and held["created"] and held["case_id"]
        assert all(r["citation"] for r in held["reasons"])
        again = desk.post(f"{v1}/decisions", json=order("PO-1")).json()
        assert (again["decision_id"], again["created"]) == (held["decision_id"], False)
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(decisions)).scalar() == 1

        case_id = held["case_id"]
        assert desk.get(f"{v1}/cases").status_code == 403  # a submitter does not review
        queue = rita.get(f"{v1}/cases", params={"verdict": "hold"}).json()
        assert [c["case_id"] for c in queue] == [case_id]
        case = rita.get(f"{v1}/cases/{case_id}").json()
        assert case["decision"]["decision_id"] == held["decision_id"]
        assert len(case["alerts"]) == len(held["alerts"]) >= 2
        early = alan.post(f"{v1}/cases/{case_id}/release", json={"reason": "ok"})
        assert early.status_code == 409  # alerts not dispositioned yet
        for alert in case["alerts"]:
            url = f"{v1}/cases/{case_id}/alerts/{alert['alert_id']}/disposition"
            body = {"disposition": "false_positive", "reason": "a <b>different</b> plant"}
            assert alan.post(url, json=body).status_code == 403  # an approver does not clear
            assert rita.post(url, json=body).status_code == 200
        bad = rita.post(
            f"{v1}/cases/{case_id}/alerts/{case['alerts'][0]['alert_id']}/disposition",
            json={"disposition": "maybe", "reason": "x"},
        )
        assert bad.status_code == 422
        assert rita.post(f"{v1}/cases/{case_id}/comments", json={"text": "checked"}).is_success

        own = rita.post(f"{v1}/cases/{case_id}/release", json={"reason": "cleared"})
        assert own.status_code == 403 and "four eyes" in own.json()["detail"]
        released = alan.post(f"{v1}/cases/{case_id}/release", json={"reason": "second look"})
        assert released.status_code == 200, released.text
        done = released.json()
        assert done["summary"]["resolution"] == "released"
        assert done["release"] == done["release"] | {"approver": "alan", "cleared_by": "rita"}
        kinds = [e["kind"] for e in done["events"]]
        assert kinds[0] == "opened" and kinds[-1] == "release" and "comment" in kinds

        # the clearance is remembered for this customer and these exact entries
        later = desk.post(f"{v1}/decisions", json=order("PO-2")).json()
        assert later["verdict"] != "hold" and all(a["cleared"] for a in later["alerts"])

        stats = audrey.get(f"{v1}/cases/stats").json()
        assert stats["decisions"] == 2 and stats["cases"]["closed"] == 1
        export = audrey.get(f"{v1}/audit/export")
        assert export.status_code == 200
        bundle = export.json()
        assert bundle["manifest"]["chain"]["verified_records"] >= 8
        assert bundle["files"]["decisions.csv"].count("\n") == 3  # header and two rows
        assert rita.get(f"{v1}/audit/export").status_code == 403
    actions = [r.action for r in audit.records(engine)]
    assert actions.count("decision") == 2
    assert {"case.disposition", "case.release", "case.comment", "audit.export"} <= set(actions)


def test_bad_orders_are_named_by_field_path(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "desk", frozenset({Role.SUBMITTER}))
    desk = httpx.Client(headers={"X-API-Key": key}, timeout=120)
    with LiveServer(create_app(screening_settings)) as server:
        url = f"{server.url}/v1/decisions"
        broken = order("PO-9")
        del broken["route"]["destination"]
        one = desk.post(url, json=broken)
        assert one.status_code == 422
        assert "route.destination" in [p["path"] for p in one.json()["detail"]["problems"]]
        batch = desk.post(url, json={"orders": [order("PO-8"), broken, "not an order"]})
        assert batch.status_code == 422
        paths = [p["path"] for p in batch.json()["detail"]["problems"]]
        assert "orders[1].route.destination" in paths and "orders[2]" in paths
        assert desk.post(url, json=[1, 2]).status_code == 422
        assert desk.post(url, json={"orders": []}).status_code == 422
        hostile = order("PO-<script>", buyer="<script>alert(1)</script>'; DROP TABLE cases;--")
        stored = desk.post(url, json=hostile)
        assert stored.status_code == 200, stored.text
        assert stored.json()["order"]["parties"][0]["name"].startswith("<script>")
        ok = desk.post(url, json={"orders": [order("PO-7"), order("PO-6", buyer="Jane Smith")]})
        assert ok.status_code == 200 and ok.json()["count"] == 2
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(decisions)).scalar() == 3
