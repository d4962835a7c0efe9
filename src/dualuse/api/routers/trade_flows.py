"""HTTP routes for trade-flow anomalies (role: screener, like the other diversion routes):
``GET /v1/flows/surges``, ``/v1/flows/did``, ``/v1/flows/gaps``; the same JSON as
``dualuse flows surges|did|gaps --json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request

from dualuse.api.auth import require
from dualuse.services.trade_flows import TradeFlowsService
from dualuse.storage.apikeys import Principal, Role

screener = Depends(require(Role.SCREENER))
Partners = Annotated[
    list[Annotated[str, Query(min_length=2, max_length=80)]] | None,
    Query(max_length=10, description="Partner countries (ISO-2); default all."),
]


def register(app: FastAPI) -> None:
    """Add this capability's routes."""

    @app.get(
        "/v1/flows/surges",
        tags=["diversion"],
        summary="Surges per product group x partner after Feb 2022, against placebo goods",
    )
    def flows_surges(
        request: Request,
        partner: Partners = None,
        which: Literal["all", "groups", "headings"] = "all",
        surges_only: bool = False,
        limit: Annotated[int, Query(ge=1, le=5000)] = 100,
        _p: Principal = screener,
    ) -> dict[str, Any]:
        service = TradeFlowsService(request.app.state.settings)
        return service.surges(partner, which=which, only_surges=surges_only, limit=limit)

    @app.get(
        "/v1/flows/did",
        tags=["diversion"],
        summary="Difference-in-differences: sanctioned against other goods, with 95 % CIs",
    )
    def flows_did(
        request: Request,
        partner: Partners = None,
        goods: Literal["sanctioned", "chpl", "stable"] = "sanctioned",
        weighted: bool = False,
        draws: Annotated[int, Query(ge=99, le=20_000)] = 999,
        _p: Principal = screener,
    ) -> dict[str, Any]:
        service = TradeFlowsService(request.app.state.settings)
        return service.did(partner, treated=goods, weighted=weighted, draws=draws)

    @app.get(
        "/v1/flows/gaps",
        tags=["diversion"],
        summary="Mirror gaps per year against the partner's 2019-2021 range",
    )
    def flows_gaps(
        request: Request, partner: Partners = None, _p: Principal = screener
    ) -> list[dict[str, Any]]:
        return TradeFlowsService(request.app.state.settings).gaps(partner)
