"""``POST /v1/screen`` and ``POST /v1/screen/batch``: party screening over HTTP.

Requests are validated at the edge (lengths, dates, countries, types, threshold range);
the service records each call in the audit log with the caller's key id, the index
version and the hits, so a decision can be explained later. Requests screen concurrently: the
screener is safe to share between threads (its index is immutable and each query
borrows its own working state), so nothing here serialises them.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.errors import InputError
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.screening_input import MAX_NAME_CHARS, make_query
from dualuse.storage.apikeys import Principal, Role
from dualuse.views.screening import BatchResult, ScreenResult, response_json

router = APIRouter(prefix="/v1", tags=["screening"])
MAX_BATCH = 1000
_loading = threading.Lock()
"""Held only while the screening service is first loaded, so it is loaded once."""


class PartyQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1, max_length=MAX_NAME_CHARS, description="The party's name in any script."
    )
    id: str | None = Field(None, max_length=200, description="Your own reference.")
    dob: str | None = Field(
        None,
        max_length=40,
        description="YYYY, YYYY-MM or YYYY-MM-DD (also 1969-7-16, 16/07/1969); a date that "
        "cannot be read is left out and named in `problems`, the name is still screened",
    )
    country: str | None = Field(None, max_length=100, description="ISO-2 code or name")
    type: Literal["person", "organization", "vessel", "aircraft", "any"] = "any"
    lists: list[str] = Field(default_factory=list, max_length=50)


class ScreenRequest(PartyQuery):
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    limit: int = Field(10, ge=1, le=100)


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    queries: list[PartyQuery] = Field(min_length=1, max_length=MAX_BATCH)
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    limit: int = Field(5, ge=1, le=100)


def _service(request: Request) -> Any:
    """The app's screening service, loaded on first use (the index loads in ms)."""
    service = getattr(request.app.state, "screening", None)
    if service is not None:
        return service
    with _loading:
        service = getattr(request.app.state, "screening", None)
        if service is None:
            from dualuse.services.screening import ScreeningService

            service = ScreeningService(request.app.state.settings)
            request.app.state.screening = service
        return service


def _check_lists(service: Any, lists: list[str], source: str) -> None:
    """An unknown list id is refused (422) before any screening, naming the valid ids."""
    try:
        service.check_lists(lists)
    except InputError as exc:
        raise HTTPException(status_code=422, detail=f"{source}: {exc.describe()}") from exc


def _query(body: PartyQuery, source: str) -> tuple[ScreeningQuery, list[str]]:
    query, notes = make_query(
        body.name,
        id=body.id,
        dob=body.dob or "",
        country=body.country or "",
        type=body.type,
        source=source,
    )
    if body.lists:
        from dataclasses import replace

        query = replace(query, lists=tuple(body.lists))
    return query, notes


def _result(response: ScreeningResponse, notes: list[str]) -> dict[str, Any]:
    """The screening view, with the input notes both as warnings and as ``problems``."""
    result = response_json(response)
    result["warnings"] = [*result["warnings"], *notes]
    result["problems"] = notes
    return result


@router.post("/screen", summary="Screen one party", response_model=ScreenResult)
def screen(
    body: ScreenRequest, request: Request, principal: Principal = Depends(require(Role.SCREENER))
) -> dict[str, Any]:
    service = _service(request)
    _check_lists(service, body.lists, "lists")
    query, notes = _query(body, "query")
    response = service.screen_recorded(
        request.app.state.engine,
        f"apikey:{principal.key_id}",
        query,
        threshold=body.threshold,
        limit=body.limit,
    )
    return _result(response, notes)


@router.post(
    "/screen/batch",
    summary=f"Screen up to {MAX_BATCH} parties in one call",
    response_model=BatchResult,
)
def screen_batch(
    body: BatchRequest,
    request: Request,
    principal: Principal = Depends(require(Role.SCREENER)),
) -> dict[str, Any]:
    service = _service(request)
    for number, item in enumerate(body.queries):
        _check_lists(service, item.lists, f"queries[{number}].lists")
    asked = [_query(item, f"queries[{number}]") for number, item in enumerate(body.queries)]
    responses = service.screen_batch_recorded(
        request.app.state.engine,
        f"apikey:{principal.key_id}",
        [query for query, _ in asked],
        threshold=body.threshold,
        limit=body.limit,
    )
    results = [_result(r, notes) for r, (_, notes) in zip(responses, asked, strict=True)]
    matched = sum(1 for r in results if r["match"])
    return {"results": results, "count": len(results), "matched": matched}


def register(app: FastAPI) -> None:
    app.include_router(router)
