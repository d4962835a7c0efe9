"""HTTP routes for restricted-party lists: status (screeners) and update (admins)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, Field

from dualuse.api.auth import require
from dualuse.services import lists as service
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import View

router = APIRouter(prefix="/v1/lists", tags=["lists"])


class UpdateRequest(BaseModel):
    lists: list[str] = Field(
        default_factory=list,
        description="List ids to update (default: every known list).",
        max_length=50,
    )
    force: bool = Field(False, description="Accept a much shorter or older version.")


class ListsStatus(View):
    """The fingerprint of the list versions in use (it keys the index) and each list."""

    fingerprint: str
    lists: list[service.ListStatus]


class UpdateResult(View):
    """``ok`` unless a list failed; one outcome per list, with what changed."""

    ok: bool
    outcomes: list[service.UpdateOutcome]


@router.get(
    "",
    summary="List versions in use, their age and staleness",
    response_model=ListsStatus,
)
def list_status(
    request: Request,
    _p: Principal = Depends(require(Role.SCREENER)),
) -> dict[str, Any]:
    settings = request.app.state.settings
    current = service.current_lists(settings)
    return {
        "fingerprint": current.fingerprint,
        "lists": [asdict(row) for row in service.status(settings)],
    }


@router.post(
    "/update",
    summary="Download lists from the publishers (per-list outcome)",
    response_model=UpdateResult,
)
def update(
    request: Request,
    body: UpdateRequest,
    principal: Principal = Depends(require(Role.ADMIN)),
) -> dict[str, Any]:
    """Source URLs come from the server's settings only (never from the request)."""
    outcomes = service.update_lists(
        request.app.state.settings,
        body.lists,
        force=body.force,
        actor=f"apikey:{principal.key_id}",
    )
    return {
        "ok": all(o.status != "failed" for o in outcomes),
        "outcomes": [asdict(o) for o in outcomes],
    }


def register(app: FastAPI) -> None:
    """Add the list routes."""
    app.include_router(router)
