"""Analyst pages for ownership and trade flows (the network and shell pages are in
:mod:`dualuse.api.routers.network`). Same role as the JSON routes: screener.

``/v1/ownership/page``: a form for an ownership graph and the answer of
``POST /v1/ownership`` as a page. ``/v1/flows/report``: the trade-flow report
(``dualuse flows report``) over the public statistics, with its charts embedded.
"""

from __future__ import annotations

from datetime import date

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from dualuse.api.auth import require
from dualuse.api.guard import CSP
from dualuse.api.routers.network import _form, _lines
from dualuse.errors import DualuseError
from dualuse.services import diversion as svc
from dualuse.storage.apikeys import Principal, Role
from dualuse.web.network.render import one
from dualuse.web.ownership.render import ownership_page

screener = Depends(require(Role.SCREENER))
REPORT_CSP = CSP.replace("img-src 'self'", "img-src 'self' data:")
"""The report embeds its charts as data: URIs (a file an analyst can hand on whole)."""


def _ownership(request: Request, form: dict[str, list[str]]) -> dict[str, object]:
    settings = request.app.state.settings
    as_of_text = one(form, "as_of").strip()
    as_of = svc.parse_date(as_of_text, source="as_of") if as_of_text else date.today()
    fmt = one(form, "format", "ftm")
    records = _lines(one(form, "records"), "records")
    listed = [x.strip() for x in one(form, "listed").splitlines() if x.strip()]
    graph = svc.graph_from_records(fmt, records, listed, as_of)
    return svc.DiversionService(settings).ownership_graph(
        graph, rule=one(form, "rule", "ofac"), as_of=as_of
    )


def register(app: FastAPI) -> None:
    @app.get(
        "/v1/ownership/page",
        tags=["diversion"],
        summary="Analyst page: ownership and the 50 % rules",
        response_class=HTMLResponse,
    )
    def ownership_form(_p: Principal = screener) -> HTMLResponse:
        return HTMLResponse(ownership_page({}, None, None))

    @app.post(
        "/v1/ownership/page",
        tags=["diversion"],
        summary="Analyst page: the ownership evaluation",
        response_class=HTMLResponse,
    )
    async def ownership_answer(request: Request, _p: Principal = screener) -> HTMLResponse:
        form = _form(await request.body())
        try:
            report = await run_in_threadpool(_ownership, request, form)
        except DualuseError as exc:
            return HTMLResponse(ownership_page(form, None, str(exc)), status_code=400)
        return HTMLResponse(ownership_page(form, report, None))

    @app.get(
        "/v1/flows/report",
        tags=["diversion"],
        summary="Analyst page: the trade-flow report (surges, DiD, mirror gaps, charts)",
        response_class=HTMLResponse,
    )
    async def flows_report(request: Request, _p: Principal = screener) -> HTMLResponse:
        from dualuse.services.trade_flows import TradeFlowsService

        service = TradeFlowsService(request.app.state.settings)
        html = await run_in_threadpool(service.report_html)
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})
