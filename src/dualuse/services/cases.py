"""The case queue as a service: submit orders, work cases, release holds.

Every change is one database transaction that also appends its audit record, so a
decision never exists without its alerts, case and audit entry, and a retried
submission (same order id and content) returns the stored decision instead of a second
one. Four eyes: the approver who releases a held order can be neither a reviewer who
dispositioned its alerts nor its assignee; the service refuses it and the ``releases``
table's CHECK constraint refuses it again.

People are identified by name (an API key's name, the CLI's ``--actor``): give each
person keys named after them, so two keys of one person count as one person.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.exc import OperationalError

from dualuse.decisions.model import AlertKey
from dualuse.errors import AuthError, InputError, IntegrityError, NotFoundError
from dualuse.services import submissions
from dualuse.services.case_views import (
    AlertView,
    CaseDetail,
    CaseEvent,
    CaseSummary,
    DashboardStats,
    DispositionView,
    QueueFilter,
    ReleaseView,
    Submission,
    UpdateReport,
    decode,
    median_hours,
)
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage import case_reports as reports_store
from dualuse.storage import case_store as store
from dualuse.storage.cases import DISPOSITIONS
from dualuse.storage.db import make_engine
from dualuse.storage.turns import writer_turn

if TYPE_CHECKING:
    from dualuse.decisions.model import Decision, Order

JsonDict = dict[str, Any]
DEFAULT_DUE = {"hold": timedelta(hours=24), "review": timedelta(hours=72)}
"""Time a reviewer has for a case, by verdict: a held order waits for it. Operational
defaults of this project, not regulatory periods; pass ``due=`` to change them."""
MAX_TEXT = 10_000
"""Longest comment or reason kept."""
RETRIES = 30


class Decider(Protocol):
    """The decision engine (``DecisionService`` of the decide branch)."""

    def parse(self, raw: Mapping[str, Any] | Order) -> Order: ...

    def decide_many(
        self,
        orders: Sequence[Mapping[str, Any] | Order],
        *,
        cleared: Callable[[AlertKey], bool],
    ) -> list[Decision]: ...


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InputError(f"{what} is required", source=what)
    if len(value) > MAX_TEXT:
        raise InputError(f"{what} is over {MAX_TEXT} characters", source=what)
    return value


def _is_unique(exc: SAIntegrityError) -> bool:
    """A unique-key collision with a concurrent writer (worth retrying), not a CHECK."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(exc.orig)


class CaseService:
    """Orders in, decisions stored, cases worked. Thread-safe: no state but the engine
    (and the decision engine, which is safe to share)."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        decider: Decider | None = None,
        due: Mapping[str, timedelta] | None = None,
        clock: Callable[[], str] = now_iso,
    ) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.db_url)
        self._decider = decider
        self.due = dict(DEFAULT_DUE | dict(due or {}))
        self.clock = clock
        self._group = submissions.Group()

    @property
    def decider(self) -> Decider:
        if self._decider is None:
            # imported late: the engine loads lists and rules, which a queue reader skips
            module = importlib.import_module("dualuse.services.decisions")
            self._decider = cast(Decider, module.DecisionService(self.settings))
        return self._decider

    # -- transactions ---------------------------------------------------------------------

    def _write(self, work: Callable[[Connection], Any], *, turn: bool = True) -> Any:
        """Run ``work`` in one transaction, again from the start when a concurrent writer
        took the audit sequence number or inserted the same row first. ``turn=False``
        when the caller already holds the writer turn."""
        for _attempt in range(RETRIES):
            try:
                held = writer_turn(self.engine) if turn else contextlib.nullcontext()
                with held, self.engine.begin() as conn:
                    return work(conn)
            except SAIntegrityError as exc:
                if not _is_unique(exc):
                    raise IntegrityError(f"refused by the database: {exc.orig}") from exc
            except OperationalError as exc:
                # SQLite's busy timeout ran out under a long queue of writers: the
                # transaction was rolled back, so it is safe to run it again
                if "database is locked" not in str(exc.orig):
                    raise
        raise IntegrityError(f"gave up after {RETRIES} attempts against concurrent writers")

    # -- submission -----------------------------------------------------------------------

    def cleared(self, key: AlertKey) -> bool:
        """True when a reviewer cleared this alert as a false positive for this party and
        this exact entry content (the engine's ``cleared`` callback)."""
        with self.engine.connect() as conn:
            return store.is_cleared(conn, key.to_json())

    def submit(self, order: Mapping[str, Any], *, actor: str) -> Submission:
        """Decide and store one order; the same order again returns what was stored.

        Raises the engine's ``OrderError`` (every problem by field path) for a bad order;
        nothing is stored then."""
        return self.submit_many([order], actor=actor)[0]

    def submit_many(self, orders: Sequence[Mapping[str, Any]], *, actor: str) -> list[Submission]:
        """Decide a batch together and store it in one transaction (see
        :mod:`dualuse.services.submissions`); answers in input order. Orders already
        stored (same id and content) are answered from the store, not decided again.
        Raises ``OrderError`` for the first malformed order: nothing is stored then."""
        with self.engine.connect() as conn:
            stored = submissions.find_stored(conn, orders)
        pending = [o for o, s in zip(orders, stored, strict=True) if s is None]
        decided: list[JsonDict] = []
        if pending:
            parsed = [self.decider.parse(o) for o in pending]
            refs = [store.party_ref(p.key) for o in parsed for p in o.parties]
            with self.engine.connect() as conn:  # every clearance of these parties, at once
                known = store.cleared_for_parties(conn, refs)
            answers = self.decider.decide_many(parsed, cleared=known.__contains__)
            decided = [d.to_json() for d in answers]  # ids checked by find_stored
        written = iter(self._store_all(decided, actor=actor) if decided else ())
        return [self._stored(s) if s is not None else next(written) for s in stored]

    def _stored(self, row: JsonDict) -> Submission:
        with self.engine.connect() as conn:
            case_ids = [
                c["case_id"]
                for c in store.query_cases(
                    conn,
                    status=None,
                    assignee=None,
                    verdict=None,
                    kind="decision",
                    order_id=row["order_id"],
                    overdue_at=None,
                    limit=50,
                    offset=0,
                )
                if c["decision_id"] == row["decision_id"]
            ]
        return Submission(decode(row["body"]), case_ids[0] if case_ids else None, False)

    def store(self, decision: JsonDict, *, actor: str) -> Submission:
        """Store a decision taken elsewhere (its JSON), with its parties, alerts and case."""
        return self._store_all([decision], actor=actor)[0]

    def _store_all(self, decided: Sequence[JsonDict], *, actor: str) -> list[Submission]:
        """Store in a group commit: whichever request thread gets the writer turn stores
        every submission waiting at that moment in one transaction (one commit, one
        fsync), then each thread answers its own. A group that fails is undone whole and
        each of its submissions is stored alone, so one bad submission fails only itself."""
        ticket = submissions.Ticket(decided, actor)
        self._group.join(ticket)
        with writer_turn(self.engine):
            waiting = self._group.take()
            if waiting:
                self._write_group(waiting)
        ticket.done.wait()
        results = ticket.results
        if results is None:  # its group failed: alone now, so any error is its own
            results = self._write(lambda conn: self._write_tickets(conn, [ticket])[0])
        return [r if isinstance(r, Submission) else self._stored(r) for r in results]

    def _write_group(self, tickets: Sequence[submissions.Ticket]) -> None:
        written: Sequence[list[Submission | JsonDict] | None] = [None] * len(tickets)
        try:
            written = self._write(lambda conn: self._write_tickets(conn, tickets), turn=False)
        except Exception:  # noqa: S110 - each submission is stored alone, raising its own
            pass
        finally:  # every waiting thread is woken, whatever happened here
            for ticket, results in zip(tickets, written, strict=True):
                ticket.results = results
                ticket.done.set()

    def _write_tickets(
        self, conn: Connection, tickets: Sequence[submissions.Ticket]
    ) -> list[list[Submission | JsonDict]]:
        now = self.clock()

        def due(verdict: str) -> str:
            return submissions.due_at(now, self.due[verdict])

        return [
            submissions.write_decisions(conn, t.decided, actor=t.actor, now=now, due=due)
            for t in tickets
        ]

    def decision(self, ref: str) -> JsonDict:
        """A stored decision by decision id, or the latest one for an order id."""
        with self.engine.connect() as conn:
            row = store.get_decision(conn, ref)
        if row is None:
            raise NotFoundError(f"no decision {ref!r}")
        return decode(row["body"])

    # -- the queue ------------------------------------------------------------------------

    def queue(self, query: QueueFilter | None = None) -> list[CaseSummary]:
        query = query or QueueFilter()
        if not 1 <= query.limit <= 1000 or query.offset < 0:
            raise InputError("limit must be 1..1000 and offset >= 0", source="limit")
        now = self.clock()
        with self.engine.connect() as conn:
            rows = store.query_cases(
                conn,
                status=query.status,
                assignee=query.assignee,
                verdict=query.verdict,
                kind=query.kind,
                order_id=query.order_id,
                overdue_at=now if query.overdue else None,
                limit=query.limit,
                offset=query.offset,
            )
            counts = store.open_alert_counts(conn, [int(r["case_id"]) for r in rows])
        return [CaseSummary.from_row(r, now, counts.get(int(r["case_id"]), 0)) for r in rows]

    def case(self, case_id: int) -> CaseDetail:
        with self.engine.connect() as conn:
            return self._detail(conn, case_id)

    def _detail(self, conn: Connection, case_id: int) -> CaseDetail:
        row = self._case_row(conn, case_id)
        alerts = store.case_alerts(conn, case_id)
        decision = None
        if row["decision_id"]:
            found = store.get_decision(conn, row["decision_id"])
            decision = decode(found["body"]) if found else None
        release = store.get_release(conn, case_id)
        open_count = sum(a["status"] in ("open", "escalated") for a in alerts)
        return CaseDetail(
            summary=CaseSummary.from_row(row, self.clock(), open_count),
            decision=decision,
            alerts=tuple(AlertView.from_row(a) for a in alerts),
            events=tuple(
                CaseEvent(e["at"], e["actor"], e["kind"], e["text"], e["payload"])
                for e in store.events(conn, case_id)
            ),
            dispositions=tuple(
                DispositionView(
                    int(d["disposition_id"]),
                    int(d["alert_id"]),
                    d["disposition"],
                    d["reason"],
                    d["actor"],
                    d["at"],
                )
                for d in store.case_dispositions(conn, case_id)
            ),
            release=None
            if release is None
            else ReleaseView(
                release["approver"], release["cleared_by"], release["reason"], release["at"]
            ),
        )

    @staticmethod
    def _case_row(conn: Connection, case_id: int) -> JsonDict:
        row = store.get_case(conn, case_id) if 0 < case_id < 2**63 else None
        if row is None:
            raise NotFoundError(f"no case {case_id}")
        return row

    def _open_case(self, conn: Connection, case_id: int) -> JsonDict:
        row = self._case_row(conn, case_id)
        if row["status"] != "open":
            raise IntegrityError(f"case {case_id} is closed ({row['resolution']})")
        return row

    def _log(
        self,
        conn: Connection,
        case_id: int,
        actor: str,
        kind: str,
        text: str,
        payload: JsonDict,
        now: str,
    ) -> None:
        store.add_event(conn, case_id, at=now, actor=actor, kind=kind, text=text, payload=payload)
        store.update_case(conn, case_id, updated_at=now)
        audit.append_in(
            conn,
            actor=actor,
            action=f"case.{kind}",
            subject=f"case:{case_id}",
            payload={**payload, "text": text[:500]},
        )

    def assign(self, case_id: int, assignee: str, *, actor: str) -> CaseDetail:
        assignee = _text(assignee, "assignee")[:200]

        def work(conn: Connection) -> CaseDetail:
            self._open_case(conn, case_id)
            now = self.clock()
            store.update_case(conn, case_id, assignee=assignee)
            self._log(conn, case_id, actor, "assign", assignee, {"assignee": assignee}, now)
            return self._detail(conn, case_id)

        result: CaseDetail = self._write(work)
        return result

    def comment(self, case_id: int, text: str, *, actor: str) -> CaseDetail:
        text = _text(text, "comment")

        def work(conn: Connection) -> CaseDetail:
            self._case_row(conn, case_id)
            self._log(conn, case_id, actor, "comment", text, {}, self.clock())
            return self._detail(conn, case_id)

        result: CaseDetail = self._write(work)
        return result

    def disposition(
        self, case_id: int, alert_id: int, disposition: str, reason: str, *, actor: str
    ) -> CaseDetail:
        """Disposition one alert: ``true_match``, ``false_positive`` (remembered for this
        party and this entry content) or ``escalate`` (stays open for a senior reviewer).
        A monitoring case closes itself when its last alert is dispositioned."""
        if disposition not in DISPOSITIONS:
            raise InputError(
                f"unknown disposition {disposition!r}",
                source="disposition",
                suggestions=DISPOSITIONS,
            )
        reason = _text(reason, "reason")

        def work(conn: Connection) -> CaseDetail:
            row = self._open_case(conn, case_id)
            alert = store.get_alert(conn, alert_id) if 0 < alert_id < 2**63 else None
            if alert is None or alert["case_id"] != case_id:
                raise NotFoundError(f"case {case_id} has no alert {alert_id}")
            if alert["status"] not in ("open", "escalated"):
                raise IntegrityError(f"alert {alert_id} is already {alert['status']}")
            now = self.clock()
            did = store.insert_disposition(
                conn,
                alert_id=alert_id,
                case_id=case_id,
                disposition=disposition,
                reason=reason,
                actor=actor,
                at=now,
            )
            status = {"escalate": "escalated"}.get(disposition, disposition)
            store.set_alert_status(conn, alert_id, status)
            key = {k: alert[k] for k in ("party_key", "list_id", "entry_id", "entry_digest")}
            if disposition == "false_positive":
                store.remember_false_positive(conn, key, did, actor, now)
            payload = {"alert_id": alert_id, "disposition": disposition, "key": key}
            self._log(conn, case_id, actor, "disposition", reason, payload, now)
            if row["kind"] == "monitoring":
                self._close_if_done(conn, case_id, actor, now)
            return self._detail(conn, case_id)

        result: CaseDetail = self._write(work)
        return result

    def _close_if_done(self, conn: Connection, case_id: int, actor: str, now: str) -> None:
        states = {a["status"] for a in store.case_alerts(conn, case_id)}
        if states & {"open", "escalated"}:
            return
        resolution = "blocked" if "true_match" in states else "cleared"
        store.update_case(conn, case_id, status="closed", resolution=resolution, closed_at=now)
        self._log(conn, case_id, actor, "close", resolution, {"resolution": resolution}, now)

    def release(self, case_id: int, reason: str, *, actor: str) -> CaseDetail:
        """Release a held (or reviewed) order: every alert dispositioned, none a true
        match, and the approver is not a person who cleared it (four eyes)."""
        reason = _text(reason, "reason")

        def work(conn: Connection) -> CaseDetail:
            row = self._open_case(conn, case_id)
            if row["kind"] != "decision":
                raise InputError("only an order's case is released", source="case")
            alerts = store.case_alerts(conn, case_id)
            pending = [a["alert_id"] for a in alerts if a["status"] in ("open", "escalated")]
            if pending:
                raise IntegrityError(f"alerts {pending} are not dispositioned yet")
            if any(a["status"] == "true_match" for a in alerts):
                raise IntegrityError("a true match cannot be released: block the order")
            done = store.case_dispositions(conn, case_id)
            cleared_by = [d["actor"] for d in done] + ([row["assignee"]] if row["assignee"] else [])
            if not cleared_by:
                raise IntegrityError(
                    "no reviewer has worked this case: assign it or disposition its alerts"
                )
            if actor in cleared_by:
                raise AuthError(
                    f"four eyes: {actor!r} reviewed case {case_id}; another approver must "
                    "release it"
                )
            now = self.clock()
            store.insert_release(
                conn,
                case_id=case_id,
                approver=actor,
                cleared_by=cleared_by[-1],
                reason=reason,
                at=now,
            )
            store.update_case(conn, case_id, status="closed", resolution="released", closed_at=now)
            payload = {"order_id": row["order_id"], "cleared_by": sorted(set(cleared_by))}
            self._log(conn, case_id, actor, "release", reason, payload, now)
            return self._detail(conn, case_id)

        result: CaseDetail = self._write(work)
        return result

    def block(self, case_id: int, reason: str, *, actor: str) -> CaseDetail:
        """Close a case without releasing: the order does not ship (an override of any
        pending review, recorded as such)."""
        reason = _text(reason, "reason")

        def work(conn: Connection) -> CaseDetail:
            row = self._open_case(conn, case_id)
            now = self.clock()
            store.update_case(conn, case_id, status="closed", resolution="blocked", closed_at=now)
            payload = {"order_id": row["order_id"], "resolution": "blocked"}
            self._log(conn, case_id, actor, "block", reason, payload, now)
            return self._detail(conn, case_id)

        result: CaseDetail = self._write(work)
        return result

    # -- dashboards -----------------------------------------------------------------------

    def stats(self, *, days: int = 30) -> DashboardStats:
        now = self.clock()
        with self.engine.connect() as conn:
            by_verdict = reports_store.count_decisions(conn)
            total = sum(by_verdict.values())
            with_alerts = reports_store.count_with_alerts(conn)
            return DashboardStats(
                decisions=total,
                by_verdict=by_verdict,
                hit_rate=round(with_alerts / total, 4) if total else None,
                cases=reports_store.case_counts(conn, now),
                median_hours_to_close=median_hours(reports_store.closed_durations(conn)),
                per_day=reports_store.decisions_per_day(conn, days),
            )

    def list_updates(self, *, list_id: str | None = None, limit: int = 20) -> list[UpdateReport]:
        """What recent list updates did: new hits and reopened alerts, newest first."""
        with self.engine.connect() as conn:
            return [
                UpdateReport.from_row(r)
                for r in reports_store.reports(conn, list_id=list_id, limit=limit)
            ]
