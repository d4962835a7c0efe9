"""Errors that name what is wrong and where.

Every error a user can cause derives from :class:`DualuseError`; interfaces turn them
into a clear message (CLI) or a 4xx response (API) instead of a traceback. Each class
carries the HTTP status it answers with, so the API needs one handler, not a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import ClassVar


class DualuseError(Exception):
    """Base of all errors the product raises on purpose."""

    status: ClassVar[int] = 400
    headers: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """Response headers the API adds to the answer (a challenge, a retry time)."""


class InputError(DualuseError, ValueError):
    """Bad input from a user or a file, with where it was found.

    ``source`` names the file, field or argument; ``location`` the line, row or
    element inside it; ``suggestions`` the closest valid values, when there are any.
    """

    status: ClassVar[int] = 400

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        location: str | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.source = source
        self.location = location
        self.suggestions = tuple(suggestions)
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ""
        if self.source and self.location:
            where = f"{self.source}, {self.location}: "
        elif self.source or self.location:
            where = f"{self.source or self.location}: "
        text = f"{where}{self.message}"
        if self.suggestions:
            text += " (did you mean: " + ", ".join(self.suggestions) + "?)"
        return text


class NotFoundError(DualuseError, LookupError):
    """A thing that was asked for by id does not exist."""

    status: ClassVar[int] = 404


class IntegrityError(DualuseError):
    """Stored state failed a check (a broken audit chain, a checksum mismatch), or a
    write conflicts with what is stored."""

    status: ClassVar[int] = 409


class AuthError(DualuseError):
    """A caller is not allowed to do this (the edge answers 401 for a missing or
    unknown key before any route runs)."""

    status: ClassVar[int] = 403


class NotAuthenticatedError(AuthError):
    """No valid API key was presented: 401 with the challenge naming the scheme."""

    status: ClassVar[int] = 401
    headers: ClassVar[Mapping[str, str]] = MappingProxyType({"WWW-Authenticate": "Bearer"})
