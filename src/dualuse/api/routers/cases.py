"""The reviewers' case queue over HTTP: list, read, assign, comment, disposition alerts,
release (four eyes) or block; the dashboard figures; what list updates did; the
regulator export.

Who may do what: reviewers work cases, approvers release them, auditors read
everything and export; ``admin`` passes everywhere. The acting person is the key's
name, which the four-eyes rule compares.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.api.routers.decisions import case_service
from dualuse.services.audit_export import bundle_files, record_export
from dualuse.services.case_views import (
    CaseDetail,
    CaseSummary,
    DashboardStats,
    QueueFilter,
    UpdateReport,
)
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import View

router = APIRouter(prefix="/v1", tags=["cases"])
READ = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR)
TEXT = Field(min_length=1, max_length=10_000)
CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The case's number.")]
AlertId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The alert's number.")]


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: str = Field(min_length=1, max_length=200)


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = TEXT


class DispositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: Literal["true_match", "false_positive", "escalate"]
    reason: str = TEXT


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = TEXT


@router.get("/cases", summary="The queue, oldest due first", response_model=list[CaseSummary])
def list_cases(
    request: Request,
    status: Literal["open", "closed"] | None = "open",
    assignee: str | None = Query(None, max_length=200),
    verdict: Literal["hold", "review"] | None = None,
    kind: Literal["decision", "monitoring"] | None = None,
    order_id: str | None = Query(None, max_length=255),
    overdue: bool = False,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    _p: Principal = Depends(require(*READ)),
) -> list[CaseSummary]:
    query = QueueFilter(status, assignee, verdict, kind, order_id, overdue, limit, offset)
    return case_service(request).queue(query)


@router.get("/cases/stats", summary="Dashboard figures", response_model=DashboardStats)
def stats(
    request: Request,
    days: int = Query(30, ge=1, le=366),
    _p: Principal = Depends(require(*READ)),
) -> DashboardStats:
    return case_service(request).stats(days=days)


@router.get("/cases/{case_id}", summary="One case in full", response_model=CaseDetail)
def get_case(
    case_id: CaseId, request: Request, _p: Principal = Depends(require(*READ))
) -> CaseDetail:
    return case_service(request).case(case_id)


@router.post("/cases/{case_id}/assign", summary="Assign a case", response_model=CaseDetail)
def assign(
    case_id: CaseId,
    body: AssignIn,
    request: Request,
    p: Principal = Depends(require(Role.REVIEWER)),
) -> CaseDetail:
    return case_service(request).assign(case_id, body.assignee, actor=p.name)


@router.post("/cases/{case_id}/comments", summary="Comment on a case", response_model=CaseDetail)
def comment(
    case_id: CaseId,
    body: CommentIn,
    request: Request,
    p: Principal = Depends(require(Role.REVIEWER, Role.APPROVER)),
) -> CaseDetail:
    return case_service(request).comment(case_id, body.text, actor=p.name)


@router.post(
    "/cases/{case_id}/alerts/{alert_id}/disposition",
    summary="Disposition one alert: true match, false positive or escalate",
    response_model=CaseDetail,
)
def disposition(
    case_id: CaseId,
    alert_id: AlertId,
    body: DispositionIn,
    request: Request,
    p: Principal = Depends(require(Role.REVIEWER)),
) -> CaseDetail:
    service = case_service(request)
    return service.disposition(case_id, alert_id, body.disposition, body.reason, actor=p.name)


@router.post(
    "/cases/{case_id}/release",
    summary="Release a held order (never by a person who cleared it: four eyes)",
    response_model=CaseDetail,
)
def release(
    case_id: CaseId,
    body: ReasonIn,
    request: Request,
    p: Principal = Depends(require(Role.APPROVER)),
) -> CaseDetail:
    return case_service(request).release(case_id, body.reason, actor=p.name)


@router.post(
    "/cases/{case_id}/block",
    summary="Close a case: the order does not ship",
    response_model=CaseDetail,
)
def block(
    case_id: CaseId,
    body: ReasonIn,
    request: Request,
    p: Principal = Depends(require(Role.REVIEWER, Role.APPROVER)),
) -> CaseDetail:
    return case_service(request).block(case_id, body.reason, actor=p.name)


@router.get(
    "/monitoring/updates",
    summary="What recent list updates did: new hits, alerts reopened",
    response_model=list[UpdateReport],
)
def updates(
    request: Request,
    list_id: str | None = Query(None, max_length=255),
    limit: int = Query(20, ge=1, le=500),
    _p: Principal = Depends(require(*READ)),
) -> list[UpdateReport]:
    return case_service(request).list_updates(list_id=list_id, limit=limit)


class AuditBundle(View):
    """The manifest (chain head, digests of every file) and each file's text."""

    manifest: dict[str, Any]
    files: dict[str, str]


@router.get(
    "/audit/export",
    summary="The regulator bundle as JSON (files and manifest)",
    response_model=AuditBundle,
)
def export(
    request: Request,
    since: str | None = Query(None, max_length=40, description="decided_at >= (ISO)"),
    until: str | None = Query(None, max_length=40, description="decided_at < (ISO)"),
    p: Principal = Depends(require(Role.AUDITOR)),
) -> dict[str, Any]:
    engine = request.app.state.engine
    files, manifest = bundle_files(request.app.state.settings, engine, since=since, until=until)
    record_export(engine, manifest, actor=p.name, since=since, until=until)
    return {"manifest": manifest, "files": {k: v.decode("utf-8") for k, v in files.items()}}


def register(app: FastAPI) -> None:
    app.include_router(router)
