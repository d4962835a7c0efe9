"""``POST /v1/decisions``: one order or a batch in, one decision per order out, each
stored with its alerts and case before it is answered.

A malformed order is a 422 naming every problem by field path (``orders[2].route.
destination: missing``), never a 500; in a batch nothing is decided unless every order
reads. Each order is stored in its own transaction, so an acknowledged decision is on
disk, and a retried request (same order id and content) returns the stored decision
instead of a second one. Requests decide concurrently: nothing here holds a lock but
the one-time load of the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.decisions.model import OrderError
from dualuse.services.cases import CaseService
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import Document

router = APIRouter(prefix="/v1", tags=["decisions"])
MAX_BATCH = 1000
_loading = threading.Lock()
"""Held only while the case service and its decision engine are first loaded."""
READERS = (Role.SUBMITTER, Role.REVIEWER, Role.APPROVER, Role.AUDITOR)


class DecisionOut(BaseModel):
    """A stored decision (contract: docs/decisions.md) and the case it opened."""

    model_config = ConfigDict(extra="allow")

    id: str
    decision_id: str
    verdict: str
    decided_at: str
    reasons: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    versions: dict[str, Any]
    input_digest: str
    case_id: int | None = Field(None, description="The case opened (hold, review).")
    created: bool = Field(True, description="False when this order was already stored.")


class BatchOut(BaseModel):
    decisions: list[DecisionOut]
    count: int


def case_service(request: Request) -> CaseService:
    """The app's case service; its decision engine shares the screening index."""
    service = getattr(request.app.state, "cases", None)
    if isinstance(service, CaseService):
        return service
    with _loading:
        service = getattr(request.app.state, "cases", None)
        if not isinstance(service, CaseService):
            service = CaseService(request.app.state.settings, engine=request.app.state.engine)
            request.app.state.cases = service
        return service


def _problems(exc: OrderError, prefix: str) -> list[dict[str, Any]]:
    out = []
    for problem in exc.problems:
        item = problem.to_json()
        item["path"] = f"{prefix}{problem.path}" if prefix else problem.path
        out.append(item)
    return out


def _refuse(problems: list[dict[str, Any]]) -> HTTPException:
    lines = [f"{p['path']}: {p['message']}" for p in problems[:50]]
    return HTTPException(
        422,
        detail={
            "message": f"{len(problems)} problem(s): " + "; ".join(lines),
            "problems": problems[:200],
        },
    )


def _orders(body: Any) -> tuple[list[Mapping[str, Any]], bool]:
    if isinstance(body, Mapping) and "orders" in body and "id" not in body:
        orders = body["orders"]
        if not isinstance(orders, list) or not orders:
            raise _refuse([{"path": "orders", "message": "must be a non-empty list of orders"}])
        if len(orders) > MAX_BATCH:
            raise _refuse([{"path": "orders", "message": f"at most {MAX_BATCH} orders a call"}])
        return orders, True
    if not isinstance(body, Mapping):
        raise _refuse([{"path": "(body)", "message": 'must be an order or {"orders": [...]}'}])
    return [body], False


@router.post(
    "/decisions",
    summary='Decide one order or a batch ({"orders": [...]}) and store each decision',
    response_model=DecisionOut | BatchOut,
)
def decide(
    request: Request,
    body: Any = Body(..., description='One order, or {"orders": [order, ...]}'),
    principal: Principal = Depends(require(Role.SUBMITTER)),
) -> DecisionOut | BatchOut:
    orders, batch = _orders(body)
    service = case_service(request)
    engine = service.decider
    problems: list[dict[str, Any]] = []
    for number, order in enumerate(orders):
        prefix = f"orders[{number}]." if batch else ""
        if not isinstance(order, Mapping):
            problems.append({"path": prefix.rstrip("."), "message": "must be an object"})
            continue
        try:
            parse = getattr(engine, "parse", None)
            if parse is not None:
                parse(order)
        except OrderError as exc:
            problems.extend(_problems(exc, prefix))
    if problems:
        raise _refuse(problems)
    try:  # decided together, stored in one transaction, answered after its commit
        submitted = service.submit_many(orders, actor=principal.name)
    except OrderError as exc:
        raise _refuse(_problems(exc, "orders[]." if batch else "")) from exc
    out = [DecisionOut.model_validate(s.to_json()) for s in submitted]
    if batch:
        return BatchOut(decisions=out, count=len(out))
    return out[0]


class StoredDecision(Document):
    """A stored decision as recorded (contract: docs/decisions.md)."""


@router.get(
    "/decisions/{ref}",
    summary="A stored decision by decision id or order id",
    response_model=StoredDecision,
)
def get_decision(
    ref: str, request: Request, _p: Principal = Depends(require(*READERS))
) -> dict[str, Any]:
    return case_service(request).decision(ref)


def register(app: FastAPI) -> None:
    app.include_router(router)
