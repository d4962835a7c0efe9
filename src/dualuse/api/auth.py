"""Authentication by API key and authorisation by role.

Keys come in ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. The edge
(:mod:`dualuse.api.guard`) authenticates from the headers before any body is read and
leaves the principal in the request state; a route states the roles it accepts with
``Depends(require(Role.SCREENER))`` (``admin`` passes everywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from dualuse.errors import AuthError, NotAuthenticatedError
from dualuse.storage.apikeys import Principal, Role, authenticate

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key in ``Authorization: Bearer`` or else ``X-API-Key``, if any."""
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return headers.get("x-api-key") or None


def principal_from_headers(engine: Engine, headers: Mapping[str, str]) -> Principal:
    """Authenticate from request headers alone; 401 when no valid key is presented."""
    presented = presented_key(headers)
    if not presented:
        raise NotAuthenticatedError("API key required")
    try:
        return authenticate(engine, presented)
    except AuthError as exc:
        raise NotAuthenticatedError(str(exc)) from exc


def current_principal(
    request: Request,
    _bearer_key: HTTPAuthorizationCredentials | None = Depends(_bearer),
    _header_key: str | None = Depends(_header),
) -> Principal:
    """The principal the edge authenticated (the two schemes are declared for OpenAPI)."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        principal = principal_from_headers(request.app.state.engine, request.headers)
        request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency that admits callers holding any of ``roles`` (or ``admin``)."""

    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if not principal.has(*roles):
            wanted = ", ".join(r.value for r in roles) or "admin"
            raise AuthError(f"this call needs role: {wanted}")
        return principal

    return dependency
