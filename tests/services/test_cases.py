"""The case queue's rules on SQLite and PostgreSQL: one stored decision however many
times an order is retried at once, four eyes in the service and in the database,
disposition rules, due dates and the overdue queue."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from dualuse.errors import AuthError, InputError, IntegrityError, NotFoundError
from dualuse.services.case_views import QueueFilter
from dualuse.services.cases import CaseService
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage.cases import cases, decisions, releases


def decision(order_id: str, verdict: str = "hold", n_alerts: int = 2) -> dict[str, Any]:
    """A decision in the engine's JSON contract (the storage side is under test here)."""
    alerts = [
        {
            "key": {
                "party_key": f"acme {i}|KG",
                "list_id": "us_ofac_sdn",
                "entry_id": str(1000 + i),
                "entry_digest": "d" * 64,
            },
            "party_name": f"Acme {i}",
            "listed_name": f"ACME {i} LLC",
            "score": 0.91,
            "role": "buyer",
            "cleared": False,
        }
        for i in range(n_alerts)
    ]
    return {
        "id": order_id,
        "decision_id": f"dec_{order_id}",
        "verdict": verdict,
        "decided_at": "2026-12-07T12:00:00Z",
        "reasons": [{"code": "screening.hit"}],
        "alerts": alerts,
        "versions": {"lists": [{"list_id": "us_ofac_sdn", "version": "2024-05-03"}], "rules": "r1"},
        "input_digest": f"in-{order_id}",
        "order": {"id": order_id, "parties": [{"name": "Acme 0", "country": "KG"}]},
    }


@pytest.fixture
def service(settings: Settings, db_url: str) -> CaseService:
    return CaseService(replace(settings, database_url=db_url))


def test_retries_at_once_store_one_decision_and_one_case(service: CaseService) -> None:
    results: list[Any] = []
    barrier = threading.Barrier(8)

    def submit(order_id: str) -> None:
        barrier.wait()
        results.append(service.store(decision(order_id), actor="desk"))

    threads = [
        threading.Thread(target=submit, args=("PO-1" if i % 2 else f"PO-{i}",)) for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    same = [r for r in results if r.decision["id"] == "PO-1"]
    assert sum(r.created for r in same) == 1 and len({r.case_id for r in same}) == 1
    with service.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(decisions)).scalar() == 5
        assert conn.execute(select(func.count()).select_from(cases)).scalar() == 5
    chain = audit.records(service.engine)
    assert [r.action for r in chain].count("decision") == 5
    assert audit.verify_chain(service.engine) == len(chain)


def test_four_eyes_is_a_database_constraint_too(service: CaseService) -> None:
    held = service.store(decision("PO-2"), actor="desk")
    assert held.case_id is not None
    with pytest.raises(SAIntegrityError), service.engine.begin() as conn:
        conn.execute(
            insert(releases).values(
                case_id=held.case_id, approver="rita", cleared_by="rita", reason="x", at="now"
            )
        )


def test_disposition_rules(service: CaseService) -> None:
    held = service.store(decision("PO-3"), actor="desk")
    case_id = held.case_id
    assert case_id is not None
    first, second = (a.alert_id for a in service.case(case_id).alerts)
    with pytest.raises(InputError):
        service.disposition(case_id, first, "false_positive", "  ", actor="rita")
    with pytest.raises(InputError):
        service.disposition(case_id, first, "dunno", "why", actor="rita")
    with pytest.raises(NotFoundError):
        service.disposition(case_id, 99_999, "false_positive", "why", actor="rita")
    service.disposition(case_id, first, "escalate", "not sure", actor="rita")
    service.disposition(case_id, first, "false_positive", "senior: other firm", actor="sam")
    with pytest.raises(IntegrityError, match="already"):
        service.disposition(case_id, first, "true_match", "changed my mind", actor="sam")
    service.disposition(case_id, second, "true_match", "same firm", actor="rita")
    with pytest.raises(IntegrityError, match="true match"):
        service.release(case_id, "ship it", actor="alan")
    blocked = service.block(case_id, "listed buyer", actor="rita")
    assert (blocked.summary.status, blocked.summary.resolution) == ("closed", "blocked")
    with pytest.raises(IntegrityError, match="closed"):
        service.assign(case_id, "rita", actor="rita")
    kinds = [e.kind for e in service.case(case_id).events]
    assert kinds == ["opened", "disposition", "disposition", "disposition", "block"]


def test_review_cases_need_a_reviewer_before_release(service: CaseService) -> None:
    reviewed = service.store(decision("PO-4", "review", n_alerts=0), actor="desk")
    case_id = reviewed.case_id
    assert case_id is not None
    with pytest.raises(IntegrityError, match="no reviewer"):
        service.release(case_id, "fine", actor="alan")
    service.assign(case_id, "rita", actor="rita")
    with pytest.raises(AuthError, match="four eyes"):
        service.release(case_id, "fine", actor="rita")
    assert service.release(case_id, "fine", actor="alan").summary.resolution == "released"
    clear = service.store(decision("PO-5", "clear", n_alerts=0), actor="desk")
    assert clear.case_id is None


def test_overdue_cases_come_first(settings: Settings, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'due.db'}"
    then = CaseService(
        replace(settings, database_url=url), clock=lambda: "2026-12-01T09:00:00+00:00"
    )
    held = then.store(decision("PO-6"), actor="desk")
    review = then.store(decision("PO-7", "review"), actor="desk")
    later = CaseService(
        replace(settings, database_url=url), clock=lambda: "2026-12-02T10:00:00+00:00"
    )
    overdue = later.queue(QueueFilter(overdue=True))
    assert [c.case_id for c in overdue] == [held.case_id]  # hold: 24 h; review: 72 h
    assert [c.case_id for c in later.queue()] == [held.case_id, review.case_id]
    assert later.stats().cases["overdue"] == 1


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reviewers=st.lists(st.sampled_from(["ann", "bob", "cy"]), min_size=2, max_size=2),
    approver=st.sampled_from(["ann", "bob", "cy", "dee"]),
)
def test_release_succeeds_exactly_when_the_approver_cleared_nothing(
    settings: Settings, reviewers: list[str], approver: str
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        service = CaseService(replace(settings, database_url=f"sqlite:///{folder}/h.db"))
        case_id = service.store(decision("PO-H"), actor="desk").case_id
        assert case_id is not None
        for alert, who in zip(service.case(case_id).alerts, reviewers, strict=True):
            service.disposition(case_id, alert.alert_id, "false_positive", "no", actor=who)
        if approver in reviewers:
            with pytest.raises(AuthError):
                service.release(case_id, "go", actor=approver)
            assert service.case(case_id).summary.status == "open"
        else:
            assert service.release(case_id, "go", actor=approver).release is not None
        service.engine.dispose()


def test_a_new_rule_set_is_audited_once(service: CaseService) -> None:
    service.store(decision("PO-R1"), actor="desk")
    service.store(decision("PO-R2"), actor="desk")
    newer = decision("PO-R3")
    newer["versions"] = {**newer["versions"], "rules": "r2"}
    service.store(newer, actor="desk")
    service.store(decision("PO-R4") | {"versions": newer["versions"]}, actor="desk")
    (change,) = audit.records(service.engine, action="rules.change")
    assert change.payload == {"from": "r1", "to": "r2", "first_order": "PO-R3"}
