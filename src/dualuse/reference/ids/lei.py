"""Legal Entity Identifiers (ISO 17442).

Twenty characters: 18 alphanumerics then two check digits computed with ISO 7064
MOD 97-10 (letters count as 10-35), so the whole code read as a number is 1 modulo 97.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^[0-9A-Z]{18}[0-9]{2}$")


class LEI:
    """A Legal Entity Identifier: normalise, validate the check digits, format."""

    NAME = "lei"
    TITLE = "Legal Entity Identifier"

    @classmethod
    def normalize(cls, text: str) -> str | None:
        """Upper case without spaces, or ``None`` when not shaped like an LEI."""
        value = re.sub(r"[\s-]", "", text).upper()
        return value if _SHAPE.match(value) else None

    @classmethod
    def is_valid(cls, text: str) -> bool:
        value = cls.normalize(text)
        if value is None:
            return False
        number = "".join(str(int(ch, 36)) for ch in value)
        return int(number) % 97 == 1

    @classmethod
    def format(cls, text: str) -> str:
        return cls.normalize(text) or text
