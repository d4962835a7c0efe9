"""Errors that name what is wrong and where.

Every error a user can cause derives from :class:`DualuseError`; interfaces turn them
into a clear message (CLI) or a 4xx response (API) instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


class DualuseError(Exception):
    """Base of all errors the product raises on purpose."""


class InputError(DualuseError, ValueError):
    """Bad input from a user or a file, with where it was found.

    ``source`` names the file, field or argument; ``location`` the line, row or
    element inside it; ``suggestions`` the closest valid values, when there are any.
    """

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


class IntegrityError(DualuseError):
    """Stored state failed a check (a broken audit chain, a checksum mismatch)."""


class AuthError(DualuseError):
    """A caller is not authenticated or not allowed to do this."""
