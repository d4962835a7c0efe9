"""The reviewers' web pages under ``/ui/``: login, orders, the case queue and its pages.

Thin: each route checks the session (and, for a POST, the Origin and the CSRF token),
calls a service in a worker thread and renders a template from
:mod:`dualuse.web.cases`. The edge (:mod:`dualuse.api.guard`) leaves ``/ui/`` paths to
the session check here instead of asking for an API key. A page without a session
redirects to the login page; a role that may not do something gets a 403 page saying
which role it needs. Pages are left out of the OpenAPI spec: they are not an API.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from dualuse.errors import AuthError, DualuseError
from dualuse.storage.apikeys import Role
from dualuse.web.cases import render
from dualuse.web.cases.forms import parse_form
from dualuse.web.cases.session import (
    COOKIE,
    MAX_AGE_S,
    PRE_COOKIE,
    PRE_MAX_AGE_S,
    Session,
    Sessions,
    same,
    same_origin,
    secret_key,
)

router = APIRouter(prefix="/ui", include_in_schema=False)
T = TypeVar("T")
_lock = threading.Lock()


class LoginRequired(Exception):
    """No valid session: answered by a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Refused(Exception):
    """The request is not allowed (role, CSRF, origin): answered by an error page."""

    def __init__(self, status: int, message: str, session: Session | None) -> None:
        self.status = status
        self.message = message
        self.session = session


def sessions(request: Request) -> Sessions:
    state = request.app.state
    found = getattr(state, "ui_sessions", None)
    if found is None:
        with _lock:
            found = getattr(state, "ui_sessions", None)
            if found is None:
                found = Sessions(state.engine, secret_key(state.settings.home))
                state.ui_sessions = found
    assert isinstance(found, Sessions)
    return found


def _next_path(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return path


async def session_for(request: Request, *allowed: Role) -> Session:
    """The request's session, else :class:`LoginRequired`; ``allowed`` roles, else 403."""
    found = await run_in_threadpool(sessions(request).check, request.cookies.get(COOKIE))
    if found is None:
        raise LoginRequired(_next_path(request) if request.method == "GET" else "/ui/queue")
    if allowed and not found.principal.has(*allowed):
        wanted = " or ".join(r.value for r in allowed)
        raise Refused(403, f"This needs the role {wanted} (or admin).", found)
    return found


async def posted(request: Request, *allowed: Role) -> tuple[Session, dict[str, list[str]]]:
    """A POST's session and form, after the Origin and CSRF checks."""
    session = await session_for(request, *allowed)
    if not same_origin(request.headers):
        raise Refused(403, "The form came from another site (Origin) and was refused.", session)
    try:
        form = parse_form(await request.body())
    except DualuseError as exc:
        raise Refused(400, str(exc), session) from exc
    token = (form.get("csrf") or [""])[0]
    if not same(token, session.csrf):
        raise Refused(403, "The form's CSRF token is missing or stale; reload the page.", session)
    return session, form


def html(template: str, session: Session | None, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("title", "dualuse")
    context.setdefault("flash", None)
    context.setdefault("error", None)
    return HTMLResponse(render.page(template, {"session": session, **context}), status)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _safe_next(value: str) -> str:
    """Only a path on this server under /ui/ (never ``//host`` or a full URL)."""
    if value.startswith("/ui/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui/queue"


def _cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="strict"
    )


async def call(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await run_in_threadpool(func, *args, **kwargs)


@router.get("")
@router.get("/")
def home() -> RedirectResponse:
    return see_other("/ui/queue")


@router.get("/login")
def login_page(request: Request, next: str = "/ui/queue") -> HTMLResponse:
    cookie, token = sessions(request).pre_login()
    response = html("login.html", None, title="Log in", csrf=token, next=_safe_next(next[:2000]))
    _cookie(response, PRE_COOKIE, cookie, PRE_MAX_AGE_S)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    store = sessions(request)
    try:
        form = parse_form(await request.body())
    except DualuseError as exc:
        return html("message.html", None, 400, title="Refused", message=str(exc), back="/ui/login")
    token = (form.get("csrf") or [""])[0]
    if not same_origin(request.headers) or not (
        store.check_pre_login(request.cookies.get(PRE_COOKIE), token)
    ):
        message = "The login form was stale or came from another site; log in again."
        return html("message.html", None, 403, title="Refused", message=message, back="/ui/login")
    key = (form.get("api_key") or [""])[0].strip()
    try:
        cookie, _session = await call(store.login, key)
    except AuthError as exc:
        again, token = store.pre_login()
        nxt = _safe_next((form.get("next") or [""])[0])
        page = html("login.html", None, 401, title="Log in", csrf=token, next=nxt, error=str(exc))
        _cookie(page, PRE_COOKIE, again, PRE_MAX_AGE_S)
        return page
    response = see_other(_safe_next((form.get("next") or [""])[0]))
    _cookie(response, COOKIE, cookie, MAX_AGE_S)
    response.delete_cookie(PRE_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    session, _form = await posted(request)
    await call(sessions(request).logout, session)
    response = see_other("/ui/login")
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


def register(app: FastAPI) -> None:
    """Add the pages and the two answers for a missing session or a refusal."""
    from dualuse.api.routers import ui_cases, ui_pages

    ui_pages.add_routes(router)
    ui_cases.add_routes(router)
    app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def login_required(_request: Request, exc: LoginRequired) -> Response:
        return see_other("/ui/login?next=" + quote(exc.next_path, safe="/"))

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> Response:
        return html(
            "message.html",
            exc.session,
            exc.status,
            title="Refused",
            message=exc.message,
            back="/ui/queue",
        )


def first(form: Mapping[str, list[str]], key: str) -> str:
    return (form.get(key) or [""])[0].strip()
