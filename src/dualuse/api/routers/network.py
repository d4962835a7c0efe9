"""HTTP routes for shipment networks and shell companies (role: screener, like the other
diversion routes).

``POST /v1/network/analyse`` (shipments and an optional company registry in the body; the
same report as ``dualuse network analyse --json``), ``POST /v1/network/generate`` (small
synthetic worlds, for trying the analysis) and ``POST /v1/shell/score`` (FtM company
records; the same report as ``dualuse shell score --json``). Bodies are validated by
pydantic at the edge; a bad record is a finding or a 400 naming the record, never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.diversion.network.analyse import SANCTIONS_DATE, AnalysisParams
from dualuse.diversion.network.generate import GeneratorParams
from dualuse.services.network import NetworkService
from dualuse.services.shell import ShellService
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import Document, View

screener = Depends(require(Role.SCREENER))


class AnalyseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shipments: list[dict[str, Any]] = Field(max_length=500_000, description="Shipment records.")
    companies: list[dict[str, Any]] = Field(
        default_factory=list, max_length=200_000, description="FtM Company records (registry)."
    )
    since: date = Field(default=SANCTIONS_DATE, description="Sanctions date.")
    max_hops: int = Field(default=5, ge=1, le=10)
    toward_share: float = Field(default=0.4, ge=0.0, le=1.0)
    communities: bool = True


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seed: int = Field(default=1, ge=0, le=2**31)
    scale: float = Field(default=1.0, gt=0.0, le=3.0)
    schemes: int = Field(default=12, ge=1, le=200)


class ShellRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    records: list[dict[str, Any]] = Field(max_length=50_000, description="FtM entities.")
    as_of: date | None = Field(default=None, description="Date to judge on; default today.")
    screen: bool = Field(default=True, description="Screen names against the lists.")


class NetworkReport(Document):
    """Paths, intermediaries, communities and shell scores (docs/diversion.md, network)."""


class ShellReport(Document):
    """Each company's red flags, score and sources (docs/diversion.md, shell companies)."""


class SyntheticWorld(View):
    """Generated records in the shapes ``/v1/network/analyse`` reads, with the truth."""

    companies: list[dict[str, Any]]
    shipments: list[dict[str, Any]]
    truth: Any


def register(app: FastAPI) -> None:
    """Add this capability's routes."""

    @app.post(
        "/v1/network/analyse",
        tags=["diversion"],
        summary="Paths from makers of CHPL items to Russian or listed end users; new "
        "intermediaries that pass CHPL volume on",
        response_model=NetworkReport,
    )
    def network_analyse(
        body: AnalyseRequest, request: Request, _p: Principal = screener
    ) -> dict[str, Any]:
        params = AnalysisParams(
            sanctions_date=body.since,
            max_hops=body.max_hops,
            toward_share=body.toward_share,
            communities=body.communities,
        )
        service = NetworkService(request.app.state.settings)
        return service.analyse_records(body.shipments, body.companies, params)

    @app.post(
        "/v1/network/generate",
        tags=["diversion"],
        summary="A small SYNTHETIC world of shipments with planted diversion schemes",
        response_model=SyntheticWorld,
    )
    def network_generate(
        body: GenerateRequest, request: Request, _p: Principal = screener
    ) -> dict[str, Any]:
        from dualuse.diversion.network.generate import generate

        data = generate(GeneratorParams(seed=body.seed, scale=body.scale, schemes=body.schemes))
        return {"companies": data.companies, "shipments": data.shipments, "truth": data.truth}

    @app.post(
        "/v1/shell/score",
        tags=["diversion"],
        summary="Red-flag score per company, with reasons and sources",
        response_model=ShellReport,
    )
    def shell_score(
        body: ShellRequest, request: Request, _p: Principal = screener
    ) -> dict[str, Any]:
        service = ShellService(request.app.state.settings)
        day = body.as_of or date.today()
        return service.score_records(
            ((f"record {i}", r) for i, r in enumerate(body.records, 1)),
            "body",
            day,
            screen=body.screen,
        )

    register_pages(app)


def _form(raw: bytes) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)


def _lines(text: str, source: str) -> list[Any]:
    """JSON lines pasted in a text area; a bad line is an error naming it."""
    import orjson

    from dualuse.errors import InputError

    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                out.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise InputError(
                    f"not JSON ({exc})", source=source, location=f"line {number}"
                ) from exc
    return out


def _number(form: dict[str, list[str]], key: str, kind: type, low: float, high: float) -> Any:
    from dualuse.errors import InputError
    from dualuse.web.network.render import one

    text = one(form, key).strip()
    try:
        value = kind(text)
    except ValueError as exc:
        raise InputError(f"{text!r} is not a number", source=key) from exc
    if not low <= value <= high:
        raise InputError(f"must be between {low} and {high}", source=key)
    return value


def _page_analysis(
    service: NetworkService, form: dict[str, list[str]]
) -> tuple[dict[str, Any], str | None]:
    from dualuse.diversion.network.generate import SYNTHETIC_NOTICE, generate
    from dualuse.services.diversion import parse_date
    from dualuse.web.network.render import one

    params = AnalysisParams(
        sanctions_date=parse_date(one(form, "since", str(SANCTIONS_DATE)), source="since"),
        max_hops=_number(form, "max_hops", int, 1, 10),
        toward_share=_number(form, "toward_share", float, 0.0, 1.0),
    )
    if one(form, "source", "synthetic") == "synthetic":
        gen = GeneratorParams(
            seed=_number(form, "seed", int, 0, 2**31),
            scale=_number(form, "scale", float, 0.01, 1.0),
        )
        data = generate(gen)
        result = service.analyse_records(data.shipments, data.companies, params, picture=True)
        return result, SYNTHETIC_NOTICE
    shipments = _lines(one(form, "shipments"), "shipments")
    companies = _lines(one(form, "companies"), "companies")
    return service.analyse_records(shipments, companies, params, picture=True), None


def register_pages(app: FastAPI) -> None:
    """The analyst pages (HTML forms, same role as the JSON routes)."""
    from dualuse.errors import DualuseError
    from dualuse.web.network.render import network_page, one, shell_page

    @app.get(
        "/v1/network/page",
        tags=["diversion"],
        summary="Analyst page: shipment network",
        response_class=HTMLResponse,
    )
    def network_form(_p: Principal = screener) -> HTMLResponse:
        return HTMLResponse(network_page({}, None, "", None, None))

    @app.post(
        "/v1/network/page",
        tags=["diversion"],
        summary="Analyst page: the analysis",
        response_class=HTMLResponse,
    )
    async def network_answer(request: Request, _p: Principal = screener) -> HTMLResponse:
        form = _form(await request.body())
        service = NetworkService(request.app.state.settings)
        try:
            result, notice = await run_in_threadpool(_page_analysis, service, form)
        except DualuseError as exc:
            return HTMLResponse(network_page(form, None, "", None, str(exc)), status_code=400)
        return HTMLResponse(network_page(form, result, result.pop("svg"), notice, None))

    @app.get(
        "/v1/shell/page",
        tags=["diversion"],
        summary="Analyst page: shell red flags",
        response_class=HTMLResponse,
    )
    def shell_form(_p: Principal = screener) -> HTMLResponse:
        return HTMLResponse(shell_page({}, None, None))

    @app.post(
        "/v1/shell/page",
        tags=["diversion"],
        summary="Analyst page: red-flag scores",
        response_class=HTMLResponse,
    )
    async def shell_answer(request: Request, _p: Principal = screener) -> HTMLResponse:
        from dualuse.services.diversion import parse_date

        form = _form(await request.body())
        service = ShellService(request.app.state.settings)
        try:
            records = _lines(one(form, "records"), "records")
            day = parse_date(one(form, "as_of") or None)
            result = await run_in_threadpool(
                service.score_records,
                ((f"line {i}", r) for i, r in enumerate(records, 1)),
                "records",
                day,
                screen=bool(one(form, "screen")),
            )
        except DualuseError as exc:
            return HTMLResponse(shell_page(form, None, str(exc)), status_code=400)
        return HTMLResponse(shell_page(form, result, None))
