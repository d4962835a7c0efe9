"""IMO ship identification numbers (IMO Resolution A.1117(30)).

Seven digits; the last is a check digit: the first six digits multiplied by 7, 6, 5, 4,
3, 2 and summed, modulo 10. Lists write them as ``IMO 9187629``, ``9187629`` or
``IMO9187629``; :meth:`IMO.normalize` returns the seven digits.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"^(?:IMO)?[\s:.#-]*(\d{7})$", re.IGNORECASE)


class IMO:
    """An IMO number: normalise, validate the check digit, format."""

    NAME = "imo"
    TITLE = "IMO number"

    @classmethod
    def normalize(cls, text: str) -> str | None:
        """The seven digits, or ``None`` when ``text`` is not shaped like an IMO number."""
        match = _DIGITS.match(text.strip())
        return match.group(1) if match else None

    @classmethod
    def is_valid(cls, text: str) -> bool:
        """Shaped like an IMO number and its check digit agrees."""
        digits = cls.normalize(text)
        if digits is None:
            return False
        total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
        return total % 10 == int(digits[6])

    @classmethod
    def format(cls, text: str) -> str:
        digits = cls.normalize(text)
        return f"IMO {digits}" if digits else text
