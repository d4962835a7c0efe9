"""Overload is a 503, not a 500.

Under saturation a request can wait out the database's lock wait (SQLite's busy timeout,
a PostgreSQL lock timeout) or the connection pool's wait. The request's transaction
rolled back, so nothing durable happened and the client may send it again: the answer
says so, with ``Retry-After``.
"""

from __future__ import annotations

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

BUSY_MESSAGES = ("database is locked", "database table is locked", "could not obtain lock")
"""SQLite's and PostgreSQL's words for a lock that was not granted within the wait."""

OVERLOADED = {"detail": "the database is busy; nothing was recorded, retry the request"}
RETRY_HEADERS = {"Retry-After": "1", "Cache-Control": "no-store"}


def busy(exc: BaseException) -> bool:
    """Whether the database refused for load (a wait ran out), not for a fault."""
    if isinstance(exc, PoolTimeoutError):
        return True
    if isinstance(exc, OperationalError):
        return any(text in str(exc.orig).lower() for text in BUSY_MESSAGES)
    return False
