"""Build the FastAPI application from settings; routers come from each capability."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from dualuse import __version__
from dualuse.api.routers import admin, controls, lists, screening, tracking
from dualuse.api.routers import diversion as diversion_routes
from dualuse.errors import AuthError, DualuseError, InputError, IntegrityError, NotFoundError
from dualuse.settings import Settings
from dualuse.storage.db import make_engine


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="dualuse",
        version=__version__,
        description="Screening, classification, licence determination and location "
        "verification for dual-use trade. Authenticate with an API key "
        "(`Authorization: Bearer du_...` or `X-API-Key`).",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.db_url)

    @app.middleware("http")
    async def limit_body(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return JSONResponse({"detail": "invalid Content-Length"}, status_code=400)
            if int(length) > settings.api.max_body_bytes:
                return JSONResponse(
                    {"detail": f"body larger than {settings.api.max_body_bytes} bytes"},
                    status_code=413,
                )
        return await call_next(request)

    @app.exception_handler(DualuseError)
    async def dualuse_error(_request: Request, exc: DualuseError) -> JSONResponse:
        code = 400
        if isinstance(exc, NotFoundError):
            code = 404
        elif isinstance(exc, AuthError):
            code = 403
        elif isinstance(exc, IntegrityError):
            code = 409
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, InputError):
            body.update(source=exc.source, location=exc.location, suggestions=list(exc.suggestions))
        return JSONResponse(body, status_code=code)

    @app.get("/healthz", tags=["meta"], summary="Liveness (no data, no key needed)")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for module in (screening, lists, controls, tracking, admin):
        module.register(app)
    diversion_routes.register(app)
    return app
