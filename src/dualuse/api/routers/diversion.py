"""HTTP routes for diversion analytics (role: screener).

``POST /v1/ownership`` (FtM entities, BODS statements or GLEIF records in the body; the
same report as ``dualuse ownership --json``) and ``GET /v1/flows/growth`` (EU-27 exports to
a partner in two years). Bodies are validated by pydantic at the edge; bad records come
back as 400 naming the record.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.api.routers import diversion_pages, trade_flows
from dualuse.services import diversion as svc
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import View

screener = Depends(require(Role.SCREENER))


class OwnershipRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["ftm", "bods", "gleif"] = "ftm"
    rule: Literal["ofac", "eu", "uk"] = "ofac"
    as_of: date | None = Field(default=None, description="Date to judge on; default today.")
    listed: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=10_000, description="Ids of designated parties."
    )
    records: list[dict[str, Any]] = Field(
        max_length=200_000, description="FtM entities, BODS statements or GLEIF records."
    )


class BlockedEntity(BaseModel):
    id: str
    name: str | None
    aggregate_percentage: float
    arithmetic: str
    rule: str
    citation: str
    paths: list[list[str]] = Field(
        description="Each path: entity ids from a listed party to this entity."
    )
    path_stakes: list[list[dict[str, Any]]] = Field(
        description="The stakes along each path (aligned with paths)."
    )
    paths_total: int


class UnknownEntity(BaseModel):
    id: str
    name: str | None
    certain_percentage: float
    possible_percentage: float
    reason: str
    depends_on: list[dict[str, Any]]


class OwnershipReport(BaseModel):
    rule: str
    as_of: date
    test: str
    aggregated: bool
    citation: str
    listed: list[str]
    blocked: list[BlockedEntity]
    unknown: list[UnknownEntity]
    findings: list[dict[str, Any]]
    counts: dict[str, int]


class YearValue(BaseModel):
    year: int
    value_eur: int


class MirrorBase(View):
    year: int
    eu27_exports_eur: Any
    partner_imports_from_eu27_eur: Any
    additional_exports_eur: Any
    additional_imports_eur: Any
    additional_unrecorded_share: Any


class MirrorReport(View):
    """EU-27 exports against the partner's imports from the EU-27; ``base`` when asked."""

    partner: str
    year: int
    eu27_exports_eur: Any
    partner_imports_from_eu27_eur: Any
    gap_eur: Any
    unrecorded_share: Any
    caveats: list[str]
    sources: list[str]
    base: MirrorBase | None = None


class GrowthReport(BaseModel):
    reporter: str
    partner: str
    partner_name: str
    from_: YearValue = Field(alias="from")
    to: YearValue
    change_percent: float | None
    source: str
    method: str


def register(app: FastAPI) -> None:
    """Add this capability's routes."""
    trade_flows.register(app)
    diversion_pages.register(app)

    @app.post(
        "/v1/ownership",
        tags=["diversion"],
        summary="Parties blocked through ownership (OFAC, EU or UK rule)",
        response_model=OwnershipReport,
    )
    def ownership(body: OwnershipRequest, request: Request, _p: Principal = screener) -> Any:
        service = svc.DiversionService(request.app.state.settings)
        as_of = body.as_of or date.today()
        graph = svc.graph_from_records(body.format, body.records, body.listed, as_of)
        return service.ownership_graph(graph, rule=body.rule, as_of=as_of)

    @app.get(
        "/v1/flows/mirror",
        tags=["diversion"],
        summary="EU-27-reported exports against the partner's reported imports",
        response_model=MirrorReport,
        response_model_exclude_unset=True,
    )
    def flows_mirror(
        request: Request,
        partner: Annotated[str, Query(min_length=2, max_length=80)],
        year: Annotated[int, Query(ge=1988, le=2100)],
        base: Annotated[int | None, Query(ge=1988, le=2100)] = None,
        _p: Principal = screener,
    ) -> dict[str, Any]:
        return svc.DiversionService(request.app.state.settings).flows_mirror(partner, year, base)

    @app.get(
        "/v1/flows/growth",
        tags=["diversion"],
        summary="EU-27 exports to a partner in two years and the change in percent",
        response_model=GrowthReport,
    )
    def flows_growth(
        request: Request,
        partner: Annotated[str, Query(min_length=2, max_length=80)],
        year_from: Annotated[int, Query(alias="from", ge=1988, le=2100)],
        year_to: Annotated[int, Query(alias="to", ge=1988, le=2100)],
        reporter: Annotated[str, Query(max_length=10)] = "EU27",
        _p: Principal = screener,
    ) -> Any:
        service = svc.DiversionService(request.app.state.settings)
        return service.flows_growth(partner, year_from, year_to, reporter=reporter).to_json()
