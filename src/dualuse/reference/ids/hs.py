"""Harmonized System codes and their national extensions as a small value class.

The WCO Harmonized System fixes the first six digits (chapter 2, heading 4,
subheading 6); the EU Combined Nomenclature adds two (CN-8) and the US HTS four
(HTS-10). Dots and spaces are ignored (``8542.31.00`` == ``85423100``). A code of
any other length, or with letters, is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dualuse.errors import InputError

LEVELS = {2: "HS chapter", 4: "HS heading", 6: "HS subheading (HS-6)", 8: "CN-8", 10: "HTS-10"}


@dataclass(frozen=True, slots=True, order=True)
class HSCode:
    """Digits only, 2, 4, 6, 8 or 10 of them."""

    digits: str

    @classmethod
    def parse(cls, text: str, *, source: str = "hs") -> HSCode:
        value = cls.normalize(text)
        if value is None:
            raise InputError(
                f"{text!r} is not an HS code (expected 2, 4, 6, 8 or 10 digits, e.g. 854231, "
                "8542.31 or 8542.31.00.00)",
                source=source,
            )
        return cls(value)

    @staticmethod
    def normalize(text: str | None) -> str | None:
        if text is None:
            return None
        compact = re.sub(r"[\s.\-]", "", str(text))
        if not compact.isdigit() or not compact.isascii() or len(compact) not in LEVELS:
            return None
        return compact

    @classmethod
    def is_valid(cls, text: str | None) -> bool:
        return cls.normalize(text) is not None

    @property
    def level(self) -> str:
        return LEVELS[len(self.digits)]

    @property
    def chapter(self) -> str:
        return self.digits[:2]

    @property
    def heading(self) -> str | None:
        return self.digits[:4] if len(self.digits) >= 4 else None

    @property
    def hs6(self) -> str | None:
        """The internationally harmonised six-digit prefix, if the code is that long."""
        return self.digits[:6] if len(self.digits) >= 6 else None

    @property
    def dotted(self) -> str:
        d = self.digits
        parts = [d[:4], d[4:6], d[6:8], d[8:10]]
        return ".".join(p for p in parts if p) if len(d) > 4 else d

    def __str__(self) -> str:
        return self.digits
