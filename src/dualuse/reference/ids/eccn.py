"""Export Control Classification Numbers (15 CFR 738.2(d)) as a small value class.

An ECCN is five characters: a Commerce Control List category digit (0-9), a product
group letter (A-E) and three digits, e.g. ``3A090``; paragraphs follow after dots
(``3A090.a``, ``3A001.a.1.a``). ``EAR99`` names items subject to the EAR but not
listed on the CCL. Input is normalised (spaces, case, a trailing dot) so that
``3a090 .A`` and ``3A090.a`` are the same value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dualuse.errors import InputError

EAR99 = "EAR99"
_BASE = re.compile(r"^([0-9])([A-E])([0-9]{3})$")
_PARAGRAPH = re.compile(r"^(?:[a-z]{1,2}|[0-9]{1,2})$")
GROUP_NAMES = {
    "A": "Systems, equipment and components",
    "B": "Test, inspection and production equipment",
    "C": "Materials",
    "D": "Software",
    "E": "Technology",
}


@dataclass(frozen=True, slots=True, order=True)
class ECCN:
    """A validated ECCN with optional paragraph path, e.g. ``3A090.a`` or ``EAR99``."""

    base: str
    paragraphs: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str, *, source: str = "eccn") -> ECCN:
        """Normalise and validate; raise :class:`InputError` naming what is wrong."""
        value = cls.normalize(text)
        if value is None:
            raise InputError(
                f"{text!r} is not an ECCN (expected e.g. 3A090, 3A090.a or EAR99)",
                source=source,
            )
        head, *rest = value.split(".")
        return cls(head, tuple(rest))

    @staticmethod
    def normalize(text: str | None) -> str | None:
        """The canonical spelling, or ``None`` when ``text`` is not an ECCN."""
        return None if text is None else _normalize(str(text))

    @classmethod
    def is_valid(cls, text: str | None) -> bool:
        return cls.normalize(text) is not None

    @property
    def is_ear99(self) -> bool:
        return self.base == EAR99

    @property
    def category(self) -> str | None:
        return None if self.is_ear99 else self.base[0]

    @property
    def group(self) -> str | None:
        return None if self.is_ear99 else self.base[1]

    @property
    def is_600_series(self) -> bool:
        """Munitions items moved from the USML (third character 6, e.g. 9A610)."""
        return not self.is_ear99 and self.base[2] == "6"

    @property
    def is_9x515(self) -> bool:
        return not self.is_ear99 and self.base[2:] == "515"

    @property
    def paragraph(self) -> str:
        """The paragraph path without the base, e.g. ``a.1`` (empty for the entry)."""
        return ".".join(self.paragraphs)

    def parent(self) -> ECCN | None:
        """One level up (``3A001.a.1`` -> ``3A001.a``); ``None`` at the entry."""
        if not self.paragraphs:
            return None
        return ECCN(self.base, self.paragraphs[:-1])

    def within(self, other: ECCN) -> bool:
        """True when this value is ``other`` or one of its sub-paragraphs."""
        n = len(other.paragraphs)
        return self.base == other.base and self.paragraphs[:n] == other.paragraphs

    def __str__(self) -> str:
        return ".".join([self.base, *self.paragraphs])


@lru_cache(maxsize=8192)
def _normalize(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text).strip(".")
    if not compact:
        return None
    if compact.upper() == EAR99:
        return EAR99
    head, *rest = compact.split(".")
    head = head.upper()
    if not _BASE.match(head):
        return None
    parts = [p.lower() for p in rest]
    if any(not _PARAGRAPH.match(p) for p in parts):
        return None
    return ".".join([head, *parts])
