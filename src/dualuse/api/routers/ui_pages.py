"""The pages behind the session (see :mod:`dualuse.api.routers.ui`): orders and decisions,
list status and the audit view. The case queue pages are in :mod:`ui_cases`."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from dualuse.api.routers.ui import call, html, posted, see_other, session_for
from dualuse.errors import DualuseError, IntegrityError
from dualuse.services.case_views import UpdateReport
from dualuse.services.cases import CaseService
from dualuse.storage import audit
from dualuse.storage.apikeys import Role
from dualuse.web.cases.forms import END_USES, ITEM_ROWS, PARTY_ROLES, PARTY_ROWS, order_from_form
from dualuse.web.cases.session import Session

SUBMIT = (Role.SUBMITTER,)
READ = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.SUBMITTER)
AUDIT = (Role.AUDITOR, Role.REVIEWER)
AUDIT_ROWS = 100


def _order_page(
    session: Session, form: dict[str, list[str]], status: int = 200, **more: Any
) -> HTMLResponse:
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


def _list_status(settings: Any, engine: Engine, cases: CaseService) -> list[dict[str, Any]]:
    """Per list: the live version, the kept ones, the last load or update (from the audit
    log) and what monitoring found after it (new hits, reopened clearances)."""
    from dualuse.services import lists as list_service
    from dualuse.storage.lists import ListStore

    store = ListStore(settings.home)
    reports: dict[str, UpdateReport] = {}
    for report in cases.list_updates(limit=100):
        reports.setdefault(report.list_id, report)
    out = []
    for st in list_service.status(settings):
        kept = store.versions(st.list_id) if st.origin != "bundled" else []
        last = [
            r
            for r in audit.records(engine, subject=f"list:{st.list_id}")
            if r.action.startswith(("lists.load", "lists.update"))
        ]
        out.append(
            {
                "status": st,
                "versions": kept,
                "last": last[-1] if last else None,
                "impact": reports.get(st.list_id),
            }
        )
    return out


def export_zip(settings: Any, engine: Engine, actor: str) -> tuple[str, bytes]:
    """The regulator bundle (see ``dualuse audit export``) as one ZIP, recorded as
    ``audit.export`` like the API's export; returns the file name and the bytes."""
    from dualuse.services.audit_export import bundle_files, record_export

    files, manifest = bundle_files(settings, engine)
    record_export(engine, manifest, actor=actor, since=None, until=None, via="web")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    stamp = str(manifest["created_at"])[:19].replace(":", "").replace("-", "")
    return f"dualuse-audit-{stamp}.zip", buffer.getvalue()


def add_routes(router: APIRouter) -> None:
    @router.get("/orders/new")
    async def order_form(request: Request) -> HTMLResponse:
        session = await session_for(request, *SUBMIT)
        return _order_page(session, {})

    @router.post("/orders")
    async def submit_order(request: Request) -> Response:
        from dualuse.api.routers.ui_cases import case_service, decision_path

        session, form = await posted(request, *SUBMIT)
        try:
            order = order_from_form(form)
            service = case_service(request)
            submitted = await call(service.submit, order, actor=session.principal.name)
        except DualuseError as exc:
            return _order_page(session, form, 400, problems=_problems(exc))
        return see_other(decision_path(submitted.decision["decision_id"]))

    @router.get("/lists")
    async def list_status(request: Request) -> HTMLResponse:
        session = await session_for(request, *READ)
        state = request.app.state
        from dualuse.api.routers.ui_cases import case_service

        rows = await call(_list_status, state.settings, state.engine, case_service(request))
        return html("lists.html", session, title="Lists", rows=rows)

    @router.post("/audit/export")
    async def audit_export(request: Request) -> Response:
        session, _form = await posted(request, Role.AUDITOR)
        state = request.app.state
        name, data = await call(export_zip, state.settings, state.engine, session.principal.name)
        disposition = f'attachment; filename="{name}"'
        return Response(
            data, media_type="application/zip", headers={"content-disposition": disposition}
        )

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
            may_export=session.principal.has(Role.AUDITOR),
        )
