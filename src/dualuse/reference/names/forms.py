"""Word lists that give name tokens their role: legal forms, honorifics, particles,
generic organisation words, abbreviations and number words (the last three kept in
:mod:`.org_words` and :mod:`.number_words`, and exported here too).

A legal form ("LLC", "ООО", "GmbH", "有限公司") says what kind of body a name belongs
to, not which one: it is kept as a *weak* token that can never carry a match. The
lists are data (``dualuse/data/names/*.yaml``, read by :mod:`.vocabulary`), each with
its source; none is derived from a benchmark.
"""

from __future__ import annotations

from enum import IntEnum

from dualuse.reference.names.number_words import is_tens, number_value
from dualuse.reference.names.org_words import (
    GENERIC_ORG_WORDS,
    ORG_ABBREVIATIONS,
    SPELLING_VARIANTS,
    expand_abbreviation,
)
from dualuse.reference.names.vocabulary import vocabulary

__all__ = [
    "CJK_LEGAL_SUFFIXES",
    "GENERIC_ORG_WORDS",
    "HONORIFIC_PREFIXES",
    "LEGAL_FORMS",
    "NAME_HONORIFICS",
    "ORG_ABBREVIATIONS",
    "PARTICLES",
    "PERSON_SAFE_LEGAL",
    "SPELLING_VARIANTS",
    "TokenKind",
    "expand_abbreviation",
    "is_tens",
    "number_value",
]


class TokenKind(IntEnum):
    """The role of a token in a name; it sets the token's weight in comparisons."""

    NAME = 0
    """A distinctive word: a given or family name, a brand, a place in a firm name."""
    PARTICLE = 1
    """Linking words and name particles: al, bin, de, van, of, and, the."""
    LEGAL = 2
    """A legal form: llc, jsc, ltd, gmbh (canonicalised)."""
    GENERIC = 3
    """A common organisation word: group, international, trading, services."""
    HONORIFIC = 4
    """A title kept inside the name: haji, mullah, sheikh, qari."""
    INITIAL = 5
    """A single letter."""
    NUMBER = 6
    """Digits, number words, ordinals and Roman numerals (as digits)."""


_VOCABULARY = vocabulary()

LEGAL_FORMS: dict[str, str] = _VOCABULARY.forms["legal_forms"]
"""Canonical legal forms: the token rigour or ``legal_forms.yaml`` rewrites a form into."""

CJK_LEGAL_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    _VOCABULARY.forms["cjk_legal_suffixes"].items()
)
"""Legal forms written in CJK scripts, matched as suffixes before transliteration."""

HONORIFIC_PREFIXES = frozenset(_VOCABULARY.words["honorific_prefixes"])
"""Titles and honorifics removed from person names when they stand before the name."""

NAME_HONORIFICS = frozenset(_VOCABULARY.words["name_honorifics"])
"""Honorifics that are often part of the listed name itself (kept, but weak)."""

PARTICLES = frozenset(_VOCABULARY.words["particles"])

PERSON_SAFE_LEGAL = frozenset(_VOCABULARY.words["person_safe_legal_forms"])
"""Legal forms recognised in persons' names too ("Nicolas Maduro LLC"); shorter ones
("sa", "ao", "as") are name parts there."""
