"""Audit-log routes for reviewers and admins."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request

from dualuse.api.auth import require
from dualuse.storage import audit
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import View

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class ChainCheck(View):
    """The chain verified end to end (a broken link is a 409 naming it)."""

    records: int
    head_seq: int
    head_hash: str
    intact: bool


@router.get("", summary="Audit records, oldest first", response_model=list[audit.AuditRecord])
def list_records(
    request: Request,
    subject: str | None = None,
    limit: int = Query(100, ge=1, le=10_000),
    _p: Principal = Depends(require(Role.REVIEWER, Role.AUDITOR)),
) -> list[dict[str, Any]]:
    return [
        asdict(r) for r in audit.records(request.app.state.engine, subject=subject, limit=limit)
    ]


@router.get("/verify", summary="Verify the hash chain", response_model=ChainCheck)
def verify(
    request: Request, _p: Principal = Depends(require(Role.REVIEWER, Role.AUDITOR))
) -> dict[str, Any]:
    engine = request.app.state.engine
    count = audit.verify_chain(engine)
    seq, digest = audit.head(engine)
    return {"records": count, "head_seq": seq, "head_hash": digest, "intact": True}


def register(app: FastAPI) -> None:
    app.include_router(router)
