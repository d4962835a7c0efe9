"""HTTP routes for classification and licence determination (role: screener).

``POST /v1/classify`` (parameters or HS code), ``POST /v1/determine`` (one line item),
``GET /v1/controls/eccn/{eccn}``, ``GET /v1/controls/search``, ``GET /v1/controls/gap/{eccn}``.
Bodies are validated by pydantic at the edge; bad values come back as 400 with the
field and the closest valid suggestions.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from dualuse.api.auth import require
from dualuse.errors import InputError
from dualuse.services import controls as svc
from dualuse.storage.apikeys import Principal, Role
from dualuse.views import controls as views

screener = Depends(require(Role.SCREENER))


class ClassifyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    params: dict[str, str | float | int | bool] | None = Field(
        default=None,
        max_length=50,
        description='Technical parameters, e.g. {"tflops_fp16": 989.5, "die_area_mm2": 814}',
    )
    hs: str | None = Field(default=None, max_length=20, description="HS-6, CN-8 or HTS-10 code")


class DetermineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    eccn: str = Field(max_length=40, description="ECCN with paragraph (3A090.a) or EAR99")
    to: str = Field(max_length=80, description="Destination ISO-2 code or name")
    end_user: str | None = Field(default=None, max_length=300)
    end_use: str | None = Field(default=None, max_length=40)
    as_of: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    ear99_food_or_medicine: bool | None = None


def _service(request: Request) -> svc.ControlsService:
    return svc.ControlsService(request.app.state.settings)


def register(app: FastAPI) -> None:
    """Add this capability's routes."""

    @app.post(
        "/v1/classify",
        tags=["controls"],
        summary="Classify by technical parameters or HS code",
        response_model=views.ClassificationOut | views.HSClassificationOut,
    )
    def classify(body: ClassifyBody, request: Request, _p: Principal = screener) -> dict[str, Any]:
        if (body.params is None) == (body.hs is None):
            raise InputError("give either params or hs", source="body")
        service = _service(request)
        if body.hs is not None:
            return views.hs_json(service.classify_hs(body.hs))
        return views.classification_json(service.classify(dict(body.params or {})))

    @app.post(
        "/v1/determine",
        tags=["controls"],
        summary="Licence determination for one line item",
        response_model=views.DeterminationOut,
    )
    def determine(
        body: DetermineBody, request: Request, _p: Principal = screener
    ) -> dict[str, Any]:
        result = _service(request).determine(
            eccn=body.eccn,
            destination=body.to,
            end_user=body.end_user,
            end_use=body.end_use,
            as_of=svc.parse_as_of(body.as_of),
            ear99_food_or_medicine=body.ear99_food_or_medicine,
        )
        return views.determination_json(result)

    @app.get(
        "/v1/controls/eccn/{eccn}",
        tags=["controls"],
        summary="Show a CCL entry",
        response_model=views.EntryOut,
    )
    def show(eccn: str, request: Request, _p: Principal = screener) -> dict[str, Any]:
        return views.entry_json(_service(request).show(eccn))

    @app.get(
        "/v1/controls/search",
        tags=["controls"],
        summary="Ranked full-text search of the control lists",
        response_model=list[views.HitOut],
    )
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=300)],
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        _p: Principal = screener,
    ) -> list[dict[str, Any]]:
        return [views.hit_json(h) for h in _service(request).search(q, limit)]

    @app.get(
        "/v1/controls/gap/{eccn}",
        tags=["controls"],
        summary="Coalition gap view (US vs EU)",
        response_model=views.GapOut,
    )
    def gap(
        eccn: str, request: Request, as_of: str | None = None, _p: Principal = screener
    ) -> dict[str, Any]:
        return views.gap_json(_service(request).gap(eccn, svc.parse_as_of(as_of)))
