"""Authentication by API key and authorisation by role, as FastAPI dependencies.

Keys come in ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. A route states the
roles it accepts with ``Depends(require(Role.SCREENER))``; ``admin`` passes everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from dualuse.errors import AuthError
from dualuse.storage.apikeys import Principal, Role, authenticate

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


def current_principal(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
    header: str | None = Depends(_header),
) -> Principal:
    presented = (bearer.credentials if bearer else None) or header
    if not presented:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "API key required", headers={"WWW-Authenticate": "Bearer"}
        )
    try:
        principal = authenticate(request.app.state.engine, presented)
    except AuthError as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, str(exc), headers={"WWW-Authenticate": "Bearer"}
        ) from exc
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency that admits callers holding any of ``roles`` (or ``admin``)."""

    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if not principal.has(*roles):
            wanted = ", ".join(r.value for r in roles) or "admin"
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"this call needs role: {wanted}")
        return principal

    return dependency
