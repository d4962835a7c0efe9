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
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.diversion.network.analyse import SANCTIONS_DATE, AnalysisParams
from dualuse.diversion.network.generate import GeneratorParams
from dualuse.services.network import NetworkService
from dualuse.services.shell import ShellService
from dualuse.storage.apikeys import Principal, Role

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


def register(app: FastAPI) -> None:
    """Add this capability's routes."""

    @app.post(
        "/v1/network/analyse",
        tags=["diversion"],
        summary="Paths from makers of CHPL items to Russian or listed end users; new "
        "intermediaries that pass CHPL volume on",
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
