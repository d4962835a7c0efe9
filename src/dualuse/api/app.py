"""Build the FastAPI application from settings; routers come from each capability."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from dualuse import __version__
from dualuse.api.guard import Guard
from dualuse.api.overload import OVERLOADED, RETRY_HEADERS, busy
from dualuse.api.problems import clip, validation_error
from dualuse.api.routers import (
    admin,
    cases,
    controls,
    decisions,
    diversion,
    investment,
    lists,
    network,
    screening,
    tracking,
)
from dualuse.errors import DualuseError, InputError
from dualuse.settings import Settings
from dualuse.storage.db import make_engine
from dualuse.views import View


class Health(View):
    status: str
    version: str


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="dualuse",
        version=__version__,
        description="Screening, classification, licence determination and location "
        "verification for dual-use trade. Authenticate with an API key "
        "(`Authorization: Bearer du_...` or `X-API-Key`) on every route but `/healthz`, "
        "this spec included (`dualuse openapi` prints it without a server).",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.db_url)

    app.add_middleware(Guard, max_body_bytes=settings.api.max_body_bytes)
    app.add_exception_handler(RequestValidationError, validation_error)

    @app.exception_handler(DualuseError)
    async def dualuse_error(_request: Request, exc: DualuseError) -> JSONResponse:
        body: dict[str, object] = {"detail": clip(str(exc), 1000)}
        if isinstance(exc, InputError):
            body.update(source=exc.source, location=exc.location, suggestions=list(exc.suggestions))
        return JSONResponse(body, status_code=exc.status, headers=dict(exc.headers) or None)

    @app.exception_handler(OperationalError)
    async def database_error(_request: Request, exc: OperationalError) -> JSONResponse:
        if not busy(exc):
            raise exc
        return JSONResponse(OVERLOADED, status_code=503, headers=RETRY_HEADERS)

    @app.exception_handler(PoolTimeoutError)
    async def pool_exhausted(_request: Request, _exc: PoolTimeoutError) -> JSONResponse:
        return JSONResponse(OVERLOADED, status_code=503, headers=RETRY_HEADERS)

    @app.get(
        "/healthz",
        tags=["meta"],
        summary="Liveness (no data, no key needed)",
        response_model=Health,
    )
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for module in (screening, lists, controls, tracking, admin, investment, diversion, network):
        module.register(app)
    for module in (decisions, cases):
        module.register(app)
    from dualuse.api.routers.ui import register as register_pages  # reviewers' web pages

    register_pages(app)
    return app
