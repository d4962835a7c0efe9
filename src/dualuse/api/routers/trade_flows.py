"""HTTP routes for trade-flow anomalies (role: screener, like the other diversion routes):
``GET /v1/flows/surges``, ``/v1/flows/did``, ``/v1/flows/gaps``; the same JSON as
``dualuse flows surges|did|gaps --json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request

from dualuse.api.auth import require
from dualuse.services.trade_flows import TradeFlowsService
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import View

screener = Depends(require(Role.SCREENER))
Partners = Annotated[
    list[Annotated[str, Query(min_length=2, max_length=80)]] | None,
    Query(max_length=10, description="Partner countries (ISO-2); default all."),
]


class SurgeReport(View):
    """Surge tests per product group x partner, their summary, and the data findings."""

    summary: Any
    method: str | None
    tests: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    sources: list[str]


class DidReport(View):
    """Difference-in-differences results with 95 % intervals, beside EBRD's figure."""

    method: str
    results: Any
    ebrd: dict[str, Any]


class MirrorGaps(View):
    """One partner's mirror-gap shares per year against its 2019-2021 range."""

    partner: str
    years: list[dict[str, Any]]
    pre_range: list[Any] | None
    years_above_pre_range: list[int]
    caveats: list[str]
    sources: list[str]


def register(app: FastAPI) -> None:
    """Add this capability's routes."""

    @app.get(
        "/v1/flows/surges",
        tags=["diversion"],
        summary="Surges per product group x partner after Feb 2022, against placebo goods",
        response_model=SurgeReport,
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
        response_model=DidReport,
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
        response_model=list[MirrorGaps],
    )
    def flows_gaps(
        request: Request, partner: Partners = None, _p: Principal = screener
    ) -> list[dict[str, Any]]:
        return TradeFlowsService(request.app.state.settings).gaps(partner)
