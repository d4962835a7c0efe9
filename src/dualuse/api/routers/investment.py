"""HTTP routes for investment screening (role: screener).

``POST /v1/invest`` answers one deal under the regimes asked; ``GET /v1/invest/page`` and
``POST /v1/invest/page`` serve the web form and its decision-tree answer. The facts are
validated by :func:`dualuse.investment.model.parse_facts` so a bad field comes back as 400
with its path and the closest valid values, as on the CLI.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from dualuse.api.auth import require
from dualuse.errors import DualuseError
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.investment import InvestmentService, assessment_json
from dualuse.storage.apikeys import Principal, Role

screener = Depends(require(Role.SCREENER))


class InvestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: dict[str, Any] = Field(
        description="Deal facts (investor, target, transaction, as_of); see docs/investment.md"
    )
    regimes: list[str] | None = Field(
        default=None, max_length=4, description="us_cfius, us_outbound, uk_nsi, eu_fdi"
    )
    screen: bool = Field(default=True, description="Screen the parties against the lists")


class ReasonOut(BaseModel):
    step: str
    question: str
    answer: str
    text: str
    citation: str
    source: str
    missing: list[str]
    level: int


class RegimeOut(BaseModel):
    regime: str
    outcome: str
    summary: str
    missing: list[str]
    deadline: str | None
    reasons: list[ReasonOut]
    gaps: list[str]


class AuthorizationOut(BaseModel):
    person: str
    country: str
    required: str
    determination: str
    citations: list[str]


class ItemOut(BaseModel):
    item: str
    critical_technology: str
    basis: str
    citation: str
    authorizations: list[AuthorizationOut]


class PartyOut(BaseModel):
    party: str
    name: str
    list: str
    entry: str
    score: float
    match: bool
    part_850: str | None


class InvestOut(BaseModel):
    as_of: str | None
    results: list[RegimeOut]
    items: list[ItemOut]
    parties: list[PartyOut]
    screened: list[str]
    warnings: list[str]
    facts: dict[str, Any]


def _service(request: Request) -> InvestmentService:
    """Screening goes through the app's one screening service (its index loads once)."""
    from dualuse.api.routers.screening import _service as screening

    def screen(query: ScreeningQuery) -> ScreeningResponse:
        return screening(request).screen(query)  # type: ignore[no-any-return]

    return InvestmentService(request.app.state.settings, screen=screen)


def register(app: FastAPI) -> None:
    """Add this capability's routes."""

    @app.post(
        "/v1/invest",
        tags=["investment"],
        summary="Investment screening: CFIUS, US outbound, UK NSI, EU FDI",
        response_model=InvestOut,
    )
    def invest(body: InvestBody, request: Request, _p: Principal = screener) -> dict[str, Any]:
        result = _service(request).assess(body.facts, body.regimes, screen=body.screen)
        return assessment_json(result)

    @app.get(
        "/v1/invest/page",
        tags=["investment"],
        summary="Web form for one deal",
        response_class=HTMLResponse,
    )
    def page(_request: Request, _p: Principal = screener) -> HTMLResponse:
        from dualuse.web.investment.render import page_html

        return HTMLResponse(page_html({}, None, None))

    @app.post(
        "/v1/invest/page",
        tags=["investment"],
        summary="The answer as a decision tree",
        response_class=HTMLResponse,
    )
    async def answer(request: Request, _p: Principal = screener) -> HTMLResponse:
        from dualuse.web.investment.render import facts_from_form, page_html

        raw = (await request.body()).decode("utf-8", errors="replace")
        form = {k: v for k, v in parse_qs(raw, keep_blank_values=True).items()}
        try:
            facts = facts_from_form(form)
            service = _service(request)
            result = await run_in_threadpool(service.assess, facts, None, screen="screen" in form)
        except DualuseError as exc:
            return HTMLResponse(page_html(form, None, str(exc)), status_code=400)
        return HTMLResponse(page_html(form, assessment_json(result), None))
