"""The case queue pages (see :mod:`dualuse.api.routers.ui`): queue, case, dispositions,
release, decision and dashboard, all on :class:`dualuse.services.cases.CaseService`.

A person is the key's name (the case service compares names for four eyes). Every POST
answers with a redirect to the case page (so a reload never repeats it) or, when the
service refuses, with the case page and the reason, at the status the API would give.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from dualuse.api.routers.ui import (
    Refused,
    call,
    first,
    html,
    posted,
    see_other,
    session_for,
)
from dualuse.errors import AuthError, DualuseError, IntegrityError, NotFoundError
from dualuse.services.case_views import CaseDetail, QueueFilter
from dualuse.services.cases import CaseService
from dualuse.storage.apikeys import Role
from dualuse.web.cases.entries import Entries
from dualuse.web.cases.render import VERDICT_COLOURS
from dualuse.web.cases.session import Session

_lock = threading.Lock()
READ = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR)
WORK = (Role.REVIEWER,)
APPROVE = (Role.APPROVER,)
COMMENT = (Role.REVIEWER, Role.APPROVER)
VERDICTS = tuple(VERDICT_COLOURS)
MAX_ID = 2**63
PAGE = 100
"""Cases per queue page."""
DISPOSITIONS = (
    ("false_positive", "false positive: not the listed party"),
    ("true_match", "true match: the listed party"),
    ("escalate", "escalate to a senior reviewer"),
)
CASE_ACTIONS = {
    "assign": (WORK, "assignee", "assign"),
    "comment": (COMMENT, "text", "comment"),
    "release": (APPROVE, "reason", "release"),
    "block": (APPROVE, "reason", "block"),
}
"""Case-level POSTs: the roles allowed, the form field passed on, the service method."""
FLASH = {
    "assign": "Case assigned.",
    "comment": "Comment added.",
    "disposition": "Alert dispositioned.",
    "release": "Order released.",
    "block": "Order blocked.",
}


def _state(request: Request, name: str, make: Any) -> Any:
    state = request.app.state
    found = getattr(state, name, None)
    if found is None:
        with _lock:
            found = getattr(state, name, None)
            if found is None:
                found = make(state)
                setattr(state, name, found)
    return found


def case_service(request: Request) -> CaseService:
    """The app's one case service, shared with the JSON API (one decision engine)."""
    from dualuse.api.routers.decisions import case_service as shared

    return shared(request)


def entries(request: Request) -> Entries:
    found: Entries = _state(request, "ui_entries", lambda s: Entries(s.settings))
    return found


def _status(exc: DualuseError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, AuthError):
        return 403
    if isinstance(exc, IntegrityError):
        return 409
    return 400


def _known(session: Session, *ids: int) -> None:
    """Ids past what the database stores (64-bit) are answered 404, not passed on."""
    if not all(0 < i < MAX_ID for i in ids):
        raise Refused(404, "no such case or alert", session)


def _filters(request: Request) -> tuple[QueueFilter, dict[str, str]]:
    q = request.query_params
    shown = {k: q.get(k, "")[:200] for k in ("status", "verdict", "assignee", "overdue")}
    status = shown["status"] if shown["status"] in ("open", "closed") else None
    if "status" not in q:
        status, shown["status"] = "open", "open"
    verdict = shown["verdict"] if shown["verdict"] in VERDICTS else None
    page = q.get("page", "1")
    number = int(page) if page.isdigit() and 0 < len(page) < 7 else 1
    query = QueueFilter(
        status=status,
        verdict=verdict,
        assignee=shown["assignee"].strip() or None,
        overdue=bool(shown["overdue"]),
        limit=PAGE,
        offset=(max(1, number) - 1) * PAGE,
    )
    return query, shown


def _entry_rows(request: Request, detail: CaseDetail) -> dict[int, list[tuple[str, str]]]:
    found = entries(request)
    return {a.alert_id: found.details(a.key.list_id, a.key.entry_id) for a in detail.alerts}


async def _case_page(
    request: Request,
    session: Session,
    case_id: int,
    status: int = 200,
    error: str | None = None,
    flash: str | None = None,
) -> HTMLResponse:
    detail = await call(case_service(request).case, case_id)
    rows = await call(_entry_rows, request, detail)
    decision = detail.decision or {}
    return html(
        "case.html",
        session,
        status,
        title=f"Case {case_id}",
        case=detail,
        decision=decision,
        order=decision.get("order") or {},
        entry_rows=rows,
        dispositions=DISPOSITIONS,
        may_work=session.principal.has(*WORK),
        may_approve=session.principal.has(*APPROVE),
        may_comment=session.principal.has(*COMMENT),
        error=error,
        flash=flash,
    )


def add_routes(router: APIRouter) -> None:
    @router.get("/queue")
    async def queue(request: Request) -> HTMLResponse:
        session = await session_for(request, *READ)
        query, shown = _filters(request)
        cases = await call(case_service(request).queue, query)
        mine = replace(query, assignee=session.principal.name)
        return html(
            "queue.html",
            session,
            title="Case queue",
            cases=cases,
            shown=shown,
            verdicts=VERDICTS,
            mine="/ui/queue?" + urlencode({"status": "open", "assignee": mine.assignee}),
            page=query.offset // PAGE + 1,
            more=len(cases) == PAGE,
            base="/ui/queue?" + urlencode({k: v for k, v in shown.items() if v or k == "status"}),
        )

    @router.get("/cases/{case_id}")
    async def case(request: Request, case_id: int, done: str = "") -> HTMLResponse:
        session = await session_for(request, *READ)
        _known(session, case_id)
        try:
            return await _case_page(request, session, case_id, flash=FLASH.get(done))
        except NotFoundError as exc:
            raise Refused(404, str(exc), session) from exc

    async def act(
        request: Request, ids: tuple[int, ...], allowed: Any, what: str, run: Any
    ) -> Response:
        session, form = await posted(request, *allowed)
        _known(session, *ids)
        case_id = ids[0]
        try:
            await call(run, case_service(request), form, session.principal.name)
        except DualuseError as exc:
            try:
                return await _case_page(request, session, case_id, _status(exc), str(exc))
            except NotFoundError as missing:
                raise Refused(404, str(missing), session) from missing
        return see_other(f"/ui/cases/{case_id}?done={what}#main")

    @router.post("/cases/{case_id}/alerts/{alert_id}")
    async def disposition(request: Request, case_id: int, alert_id: int) -> Response:
        def run(svc: CaseService, form: dict[str, list[str]], actor: str) -> None:
            svc.disposition(
                case_id, alert_id, first(form, "disposition"), first(form, "reason"), actor=actor
            )

        return await act(request, (case_id, alert_id), WORK, "disposition", run)

    @router.post("/cases/{case_id}/{action}")
    async def case_action(request: Request, case_id: int, action: str) -> Response:
        if action not in CASE_ACTIONS:
            session = await session_for(request)
            raise Refused(404, f"no such action on a case: {action[:60]!r}", session)
        allowed, field, method = CASE_ACTIONS[action]

        def run(svc: CaseService, form: dict[str, list[str]], actor: str) -> None:
            text = first(form, field) or (actor if action == "assign" else "")
            getattr(svc, method)(case_id, text, actor=actor)

        return await act(request, (case_id,), allowed, action, run)

    @router.get("/decisions/{ref}")
    async def decision(request: Request, ref: str) -> HTMLResponse:
        session = await session_for(request, *READ, Role.SUBMITTER)
        try:
            body = await call(case_service(request).decision, ref)
        except NotFoundError as exc:
            raise Refused(404, str(exc), session) from exc
        cases = await call(
            case_service(request).queue, QueueFilter(status=None, order_id=body["id"], limit=20)
        )
        case_id = next((c.case_id for c in cases if c.decision_id == body["decision_id"]), None)
        return html(
            "decision.html",
            session,
            title=f"Decision on {body['id']}",
            decision=body,
            order=body.get("order") or {},
            case_id=case_id,
        )

    @router.get("/dashboard")
    async def dashboard(request: Request) -> HTMLResponse:
        session = await session_for(request, *READ, Role.SUBMITTER)
        stats = await call(case_service(request).stats)
        return html("dashboard.html", session, title="Dashboard", stats=stats)


def decision_path(decision_id: str) -> str:
    return "/ui/decisions/" + quote(decision_id, safe="")
