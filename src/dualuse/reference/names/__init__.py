"""Name normalisation, transliteration and tokenisation (pure reference layer).

Public API:

* :func:`analyze_name` (``text, NameType`` -> :class:`NameForm`): the comparable form
  of a name (ASCII tokens with roles, source scripts and rigour name symbols).
* :func:`normalize_name`: the tokens joined by spaces, for display and keys.
* :func:`latinize`: transliteration of any text into lower-case ASCII words.
* :func:`skeleton`, :func:`metaphone`: phonetic keys of a token.
* :class:`TokenKind`, :class:`Script`, :class:`NameType`.
"""

from __future__ import annotations

from dualuse.reference.names.forms import TokenKind
from dualuse.reference.names.phonetic import metaphone, romanization_key, skeleton
from dualuse.reference.names.scripts import Script
from dualuse.reference.names.tokens import NameForm, NameType, analyze_name
from dualuse.reference.names.translit import latinize


def normalize_name(text: str, name_type: NameType = NameType.UNKNOWN) -> str:
    """The comparable form of a name as one string, idempotent: analysis is
    repeated until it is stable (a word that only becomes a legal form once
    transliterated, such as an unknown letter inside "Y?U", settles on the second
    pass)."""
    current = analyze_name(text, name_type).comparable
    for _ in range(3):
        following = analyze_name(current, name_type).comparable
        if following == current:
            break
        current = following
    return current


__all__ = [
    "NameForm",
    "NameType",
    "Script",
    "TokenKind",
    "analyze_name",
    "latinize",
    "metaphone",
    "normalize_name",
    "romanization_key",
    "skeleton",
]
