"""Build the FastAPI application from settings; routers come from each capability."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from dualuse import __version__
from dualuse.api.guard import Guard
from dualuse.api.problems import clip, validation_error
from dualuse.api.routers import (
    admin,
    controls,
    diversion,
    investment,
    lists,
    network,
    screening,
    tracking,
)
from dualuse.errors import AuthError, DualuseError, InputError, IntegrityError, NotFoundError
from dualuse.settings import Settings
from dualuse.storage.db import make_engine


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
        code = 400
        if isinstance(exc, NotFoundError):
            code = 404
        elif isinstance(exc, AuthError):
            code = 403
        elif isinstance(exc, IntegrityError):
            code = 409
        body: dict[str, object] = {"detail": clip(str(exc), 1000)}
        if isinstance(exc, InputError):
            body.update(source=exc.source, location=exc.location, suggestions=list(exc.suggestions))
        return JSONResponse(body, status_code=code)

    @app.get("/healthz", tags=["meta"], summary="Liveness (no data, no key needed)")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for module in (screening, lists, controls, tracking, admin, investment, diversion, network):
        module.register(app)
    return app
