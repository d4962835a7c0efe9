"""The HTTP edge, run before any route: who calls, how much they send, what answers carry.

FastAPI reads and parses a request body before it runs the dependencies that check the
key, and Starlette's JSON accepts ``NaN``, ``Infinity``, ``1e400`` and lone surrogates.
This ASGI layer therefore, in order: refuses a declared ``Content-Length`` over the limit;
authenticates from the headers alone (401 before a byte of the body is read); reads the
body while counting, refusing it (413) the moment it passes the limit, chunked or not;
checks a JSON body with orjson, which rejects what RFC 8259 does not allow; refuses NUL
characters in the path, query or body (PostgreSQL cannot store them); and adds the
security headers to every answer. Early refusals close the connection, so an
unauthenticated upload stops instead of being drained.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dualuse.api.auth import principal_from_headers
from dualuse.api.overload import OVERLOADED, RETRY_HEADERS, busy
from dualuse.errors import AuthError

PUBLIC_PATHS = frozenset({"/healthz"})
"""The only routes served without a key."""

SESSION_PREFIX = "/ui/"
"""Reviewers' pages: a browser cannot send a key, so these authenticate by the session
cookie the login page sets (:mod:`dualuse.web.cases.session`), checked by each route."""
MAX_FORM_BYTES = 2 * 1024 * 1024
"""Bodies for those pages (one order's form) are read before their session is checked,
so they get a smaller limit than the API's."""

CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
"""HTML pages are self-contained (inline SVG and style, images from this server, no
scripts; forms post back to this server), so everything else is refused, framing included."""


class BodyTooLarge(Exception):
    """The body passed the limit while it was being read."""


class ClientGone(Exception):
    """The client disconnected before its body was complete: nothing is run."""


def _is_json(headers: Headers) -> bool:
    """Bodies FastAPI would parse as JSON: no content type, ``application/json``, ``+json``."""
    kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return not kind or kind == "application/json" or kind.endswith("+json")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _nul(where: str) -> dict[str, Any]:
    """NUL cannot be stored in PostgreSQL text (it was a 500 there), nor is it in any name."""
    return {"type": "nul_character", "loc": [where], "msg": "NUL characters are not accepted"}


def _json_problem(body: bytes) -> dict[str, Any] | None:
    """A 422 detail item when ``body`` is not strict JSON or holds NUL, else ``None``."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return {
            "type": "json_invalid",
            "loc": ["body", exc.pos],
            "msg": "JSON decode error",
            "ctx": {"error": exc.msg[:200]},
        }
    if b"\\u0000" in body and _has_nul(value):
        return _nul("body")
    return None


class Guard:
    """ASGI middleware; ``max_body_bytes`` bounds every request body."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _secure(send)
        headers = Headers(scope=scope)
        path = scope["path"]
        browser = (path + "/").startswith(SESSION_PREFIX)
        limit = min(self.max_body_bytes, MAX_FORM_BYTES) if browser else self.max_body_bytes
        length = headers.get("content-length")
        if length is not None and not (length.isascii() and length.isdigit()):
            await _answer(send, 400, {"detail": "invalid Content-Length"}, close=True)
            return
        if length is not None and (len(length) > 18 or int(length) > limit):
            await _answer(send, 413, self._too_large(limit), close=True)
            return
        if path not in PUBLIC_PATHS and not browser:
            try:
                principal = await run_in_threadpool(
                    principal_from_headers, scope["app"].state.engine, headers
                )
            except AuthError as exc:
                detail = {"detail": str(exc)}
                await _answer(send, exc.status, detail, dict(exc.headers), close=True)
                return
            except (OperationalError, PoolTimeoutError) as exc:
                if not busy(exc):
                    raise
                await _answer(send, 503, OVERLOADED, RETRY_HEADERS, close=True)
                return
            scope.setdefault("state", {})["principal"] = principal
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            where = "path" if "\x00" in scope["path"] else "query"
            await _answer(send, 422, {"detail": [_nul(where)]}, close=True)
            return
        try:
            body = await self._read(receive, limit)
        except BodyTooLarge:
            await _answer(send, 413, self._too_large(limit), close=True)
            return
        except ClientGone:
            return
        if body and _is_json(headers):
            problem = _json_problem(body)
            if problem is not None:
                await _answer(send, 422, {"detail": [problem]})
                return
        await self.app(scope, _replay(body, receive), send)

    def _too_large(self, limit: int) -> dict[str, str]:
        return {"detail": f"body larger than {limit} bytes"}

    async def _read(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read above as one message, then whatever the server says next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _secure(send: Send) -> Send:
    """Add the security headers to the answer, unless a route set its own."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.setdefault("x-content-type-options", "nosniff")
            headers.setdefault("cache-control", "no-store")
            headers.setdefault("referrer-policy", "no-referrer")
            if headers.get("content-type", "").startswith("text/html"):
                headers.setdefault("content-security-policy", CSP)
                headers.setdefault("x-frame-options", "DENY")
        await send(message)

    return wrapped


async def _answer(
    send: Send,
    status: int,
    content: dict[str, Any],
    extra: Mapping[str, str] | None = None,
    *,
    close: bool = False,
) -> None:
    """A JSON answer sent before the route ran; ``close`` drops an unread upload."""
    body = orjson.dumps(content)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (extra or {}).items()]
    if close:
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
