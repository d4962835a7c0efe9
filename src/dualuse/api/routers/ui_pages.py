"""The pages behind the session (see :mod:`dualuse.api.routers.ui`): orders and decisions,
list status and the audit view. The case queue pages are in :mod:`ui_cases`."""

from __future__ import annotations

import json
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine, select

from dualuse.api.routers.ui import call, html, posted, roles, session_for
from dualuse.errors import DualuseError, IntegrityError
from dualuse.storage import audit
from dualuse.web.cases.forms import END_USES, ITEM_ROWS, PARTY_ROLES, PARTY_ROWS, order_from_form

_lock = threading.Lock()
SUBMIT = roles("submitter", "screener")
READ = roles("reviewer", "approver", "auditor", "submitter", "screener")
AUDIT = roles("auditor", "reviewer")
AUDIT_ROWS = 100


def decision_service(request: Request) -> Any:
    """One decision engine per app (its screening index loads once)."""
    state = request.app.state
    found = getattr(state, "ui_decisions", None)
    if found is None:
        with _lock:
            found = getattr(state, "ui_decisions", None)
            if found is None:
                from dualuse.services.decisions import DecisionService

                found = DecisionService(state.settings)
                state.ui_decisions = found
    return found


def _order_page(session: Any, form: dict[str, list[str]], status: int = 200, **more: Any) -> Any:
    return html(
        "order.html",
        session,
        status,
        title="New order",
        form=form,
        party_rows=PARTY_ROWS,
        item_rows=ITEM_ROWS,
        roles=PARTY_ROLES,
        end_uses=END_USES,
        problems=more.pop("problems", None),
        **more,
    )


def _problems(exc: DualuseError) -> list[dict[str, Any]]:
    found = getattr(exc, "problems", None)
    if found:
        return [p.to_json() for p in found]
    return [{"path": getattr(exc, "source", None) or "order", "message": str(exc)}]


def recent_audit(engine: Engine, limit: int) -> list[audit.AuditRecord]:
    """The newest ``limit`` records, newest first."""
    table = audit.audit_log
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.seq.desc()).limit(limit)).all()
    return [
        audit.AuditRecord(
            r.seq, r.at, r.actor, r.action, r.subject, json.loads(r.payload), r.prev_hash, r.hash
        )
        for r in rows
    ]


def _list_status(settings: Any, engine: Engine) -> list[dict[str, Any]]:
    from dualuse.services import lists as list_service
    from dualuse.storage.lists import ListStore

    store = ListStore(settings.home)
    out = []
    for st in list_service.status(settings):
        kept = store.versions(st.list_id) if st.origin != "bundled" else []
        last = audit.records(engine, subject=f"list:{st.list_id}")
        out.append({"status": st, "versions": kept, "last": last[-1] if last else None})
    return out


def add_routes(router: APIRouter) -> None:
    @router.get("/orders/new")
    async def order_form(request: Request) -> HTMLResponse:
        session = await session_for(request, *SUBMIT)
        return _order_page(session, {})

    @router.post("/orders")
    async def submit_order(request: Request) -> HTMLResponse:
        session, form = await posted(request, *SUBMIT)
        try:
            order = order_from_form(form)
            service = await call(decision_service, request)
            decision = await call(service.decide, order, cleared=lambda _key: False)
        except DualuseError as exc:
            return _order_page(session, form, 400, problems=_problems(exc))
        body = decision.to_json()
        return html(
            "decision.html",
            session,
            title=f"Decision {body['id']}",
            decision=body,
            order=body.get("order") or order,
            case_id=None,
        )

    @router.get("/lists")
    async def list_status(request: Request) -> HTMLResponse:
        session = await session_for(request, *READ)
        state = request.app.state
        rows = await call(_list_status, state.settings, state.engine)
        return html("lists.html", session, title="Lists", rows=rows)

    @router.get("/audit")
    async def audit_view(request: Request, verify: str = "") -> HTMLResponse:
        session = await session_for(request, *AUDIT)
        engine = request.app.state.engine
        seq, head_hash = await call(audit.head, engine)
        rows = await call(recent_audit, engine, AUDIT_ROWS)
        checked: dict[str, Any] | None = None
        if verify:
            try:
                checked = {"ok": True, "count": await call(audit.verify_chain, engine)}
            except IntegrityError as exc:
                checked = {"ok": False, "message": str(exc)}
        return html(
            "audit.html",
            session,
            title="Audit log",
            seq=seq,
            head=head_hash,
            rows=rows,
            checked=checked,
        )
