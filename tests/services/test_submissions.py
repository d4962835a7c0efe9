"""A batch of decisions stored in one transaction leaves exactly what storing them one
by one leaves: the same decisions, parties, cases, alerts and audit chain. Checked as a
property over batches with retries, repeats and rule-set changes, on SQLite and (one
fixed batch) on PostgreSQL."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select

from dualuse.errors import InputError
from dualuse.services.cases import CaseService
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage.cases import alerts, cases, decisions, parties
from tests.services.test_cases import decision

NOW = "2026-12-07T12:00:00+00:00"


def _decision(spec: tuple[int, str, str, int, int]) -> dict[str, Any]:
    order, verdict, rules, n_alerts, party = spec
    out = decision(f"PO-{order}", verdict, n_alerts)
    out["versions"] = out["versions"] | {"rules": rules}
    out["order"]["parties"] = [{"name": f"Acme {party}", "country": "KG"}]
    return out


def _state(service: CaseService) -> dict[str, Any]:
    """Everything a submission writes, without the columns a database numbers itself."""
    with service.engine.connect() as conn:
        return {
            "decisions": [
                (r.order_id, r.decision_id, r.verdict, r.rules_version, r.stored_at, r.body)
                for r in conn.execute(select(decisions).order_by(decisions.c.seq))
            ],
            "parties": sorted(
                (r.party_ref, r.name, r.country, r.first_seen, r.last_seen, r.last_order_id)
                for r in conn.execute(select(parties))
            ),
            "cases": [
                (r.case_id, r.order_id, r.verdict, r.status, r.due_at)
                for r in conn.execute(select(cases).order_by(cases.c.case_id))
            ],
            "alerts": [
                (r.case_id, r.decision_id, r.party_key, r.entry_id, r.status, r.body)
                for r in conn.execute(select(alerts).order_by(alerts.c.alert_id))
            ],
            "audit": [
                (r.actor, r.action, r.subject, r.payload) for r in audit.records(service.engine)
            ],
        }


def _service(home: Path, url: str | None = None) -> CaseService:
    settings = Settings(home=home)
    if url is not None:
        settings = replace(settings, database_url=url)
    return CaseService(settings, clock=lambda: NOW)


specs = st.lists(
    st.tuples(
        st.integers(0, 6),  # order id: repeats are retries within and across batches
        st.sampled_from(["hold", "review", "clear", "licence_required"]),
        st.sampled_from(["r1", "r2"]),
        st.integers(0, 2),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=12,
)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=specs, second=specs)
def test_a_batch_stores_what_one_by_one_stores(
    first: list[tuple[int, str, str, int, int]], second: list[tuple[int, str, str, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        one, many = _service(Path(tmp) / "one"), _service(Path(tmp) / "many")
        answers_one, answers_many = [], []
        for specs_ in (first, second):
            batch = [_decision(s) for s in specs_]
            answers_one += [one.store(d, actor="desk") for d in batch]
            answers_many += many._store_all(batch, actor="desk")
        assert [(a.created, a.case_id, a.decision["id"]) for a in answers_many] == [
            (a.created, a.case_id, a.decision["id"]) for a in answers_one
        ]
        assert _state(many) == _state(one)
        assert audit.verify_chain(many.engine) == len(_state(many)["audit"])
        one.engine.dispose()
        many.engine.dispose()


def test_a_batch_on_the_shared_database(db_url: str, tmp_path: Path) -> None:
    """The same batch through the database under test (PostgreSQL in CI) and through
    SQLite one order at a time: the same records."""
    specs_ = [(1, "hold", "r1", 2, 0), (2, "clear", "r2", 0, 0)]
    specs_ += [(1, "hold", "r1", 2, 0), (3, "review", "r2", 1, 1)]
    batch = [_decision(s) for s in specs_]
    shared, reference = _service(tmp_path / "a", db_url), _service(tmp_path / "b")
    got = shared._store_all(batch, actor="desk")
    want = [reference.store(d, actor="desk") for d in batch]
    assert [a.created for a in got] == [True, True, False, True] == [a.created for a in want]
    assert _state(shared) | {"cases": None} == _state(reference) | {"cases": None}
    assert [c[1:] for c in _state(shared)["cases"]] == [c[1:] for c in _state(reference)["cases"]]
    assert audit.verify_chain(shared.engine) == 4  # three decisions, one rules change


def _hold_turn_while(service: CaseService, jobs: list[Any]) -> list[Any]:
    """Run ``jobs`` in threads that all queue behind a writer turn held here, so the
    first to get it finds every other one waiting (a group)."""
    import threading

    from dualuse.storage.turns import writer_turn

    out: list[Any] = [None] * len(jobs)

    def run(n: int) -> None:
        try:
            out[n] = jobs[n]()
        except Exception as exc:  # the test looks at it
            out[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    with writer_turn(service.engine):
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while len(service._group._waiting) < len(jobs) and time.monotonic() < deadline:
            time.sleep(0.005)
    for thread in threads:
        thread.join(60)
    return out


def test_concurrent_submissions_are_stored_in_one_group(tmp_path: Path) -> None:
    service = _service(tmp_path)
    groups: list[int] = []
    write_group = service._write_group

    def counting(tickets: Any) -> None:
        groups.append(len(tickets))
        write_group(tickets)

    service._write_group = counting  # type: ignore[method-assign]
    batch = [_decision((n, "hold", "r1", 1, n)) for n in range(12)]
    answers = _hold_turn_while(service, [lambda d=d: service.store(d, actor="desk") for d in batch])
    assert groups == [12]  # one transaction for all twelve
    assert [a.decision["id"] for a in answers] == [d["id"] for d in batch]
    assert all(a.created for a in answers)
    assert len({a.case_id for a in answers}) == 12
    assert audit.verify_chain(service.engine) == 12


def test_a_bad_submission_in_a_group_fails_alone(tmp_path: Path) -> None:
    service = _service(tmp_path)
    good = [_decision((n, "review", "r1", 1, n)) for n in range(4)]
    bad = _decision((9, "hold", "r1", 1, 9)) | {"id": "X" * 5000}
    answers = _hold_turn_while(
        service, [lambda d=d: service.store(d, actor="desk") for d in [*good[:2], bad, *good[2:]]]
    )
    assert isinstance(answers[2], InputError) and "longer than" in str(answers[2])
    stored = [a.decision["id"] for n, a in enumerate(answers) if n != 2]
    assert stored == [d["id"] for d in good]
    assert [s[0] for s in _state(service)["decisions"]] == [d["id"] for d in good]
    assert audit.verify_chain(service.engine) == 4
