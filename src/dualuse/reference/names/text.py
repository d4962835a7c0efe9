"""Text cleaning for names: Unicode normal form, control characters, length bound.

Everything here is total: any ``str`` in, a clean ``str`` out, in time linear in the
(bounded) input. Names longer than :data:`MAX_NAME_CHARS` are cut, because no listed
name is that long and a 10,000-character "name" must not cost more than a real one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

MAX_NAME_CHARS = 300
"""Characters of a name that are looked at; the longest listed names are ~250."""

MAX_TOKENS = 24
"""Tokens of a name that are compared; more carry no extra identifying power."""

_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_KEEP_FORMAT = {"\u200c", "\u200d"}  # joiners, used inside Persian and Indic words

# Punctuation that joins the parts of one word: removed without a space.
_JOINERS = {"'", "’", "‘", "`", "´", "ʼ", "ʻ", "ʿ", "ʾ", "׳", "״", "."}
# Characters that split words.
SPLITTERS = frozenset(' \t\n\r\v\f-‐‑‒–—―_/\\|,;:()[]{}<>"“”„«»‹›*+=!?¡¿#@$%^~・·•\u3000、。，')


class _CharMap(dict[int, str | None]):
    """A ``str.translate`` table worked out per character on first sight (the
    same few hundred characters come back name after name): ``str.translate`` then
    does the per-character loop in C. At most :data:`_MAX_CACHED_CHARS` entries are
    kept, so hostile text of many distinct characters cannot grow it without
    bound."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, code: int) -> str | None:
        value = self._rule(chr(code))
        if len(self) < _MAX_CACHED_CHARS:
            self[code] = value
        return value


_MAX_CACHED_CHARS = 65_536


def _clean_char(char: str) -> str | None:
    """One character of :func:`clean_text`: dropped (joiners), a space (control and
    unassigned characters) or itself."""
    if char in _KEEP_FORMAT:
        return None
    return " " if unicodedata.category(char) in _DROP_CATEGORIES else char


_CLEAN = _CharMap(_clean_char)


def clean_text(text: str) -> str:
    """NFKC-normalise, drop control and unassigned characters, collapse spaces.

    The result keeps letters of any script, digits, ``&`` and word-internal
    apostrophes; it is case-folded. Idempotent.
    """
    if not isinstance(text, str):  # defensive: callers pass str, but never raise
        text = str(text)
    text = text[: MAX_NAME_CHARS * 2]
    if text.isascii() and text.isprintable():
        # NFKC leaves printable ASCII alone, and casefold is lower there
        folded = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).translate(_CLEAN)
        folded = unicodedata.normalize("NFKC", text.casefold())
    return " ".join(folded.split())[:MAX_NAME_CHARS].strip()


def _word_char(char: str) -> str | None:
    """One character of :func:`split_words`: a space where words split, ``&`` as
    a word of its own, nothing for a joiner, else itself."""
    if char in SPLITTERS or char.isspace():
        return " "
    if char == "&":
        return " & "
    if char in _JOINERS:
        return None
    if unicodedata.category(char)[0] in {"P", "S"}:
        return " "
    return char


_WORDS = _CharMap(_word_char)


def split_words(text: str, *, split_initials: bool = False) -> list[str]:
    """Split cleaned text into words; ``&`` stands alone, apostrophes and dots join.

    Dots join ("j.p." -> "jp", "s.a.r.l." -> "sarl") because initialisms are written
    both ways; a dot followed by a space still ends the word. With ``split_initials``
    (person names) a dotted run of single letters is split ("j.p." -> "j", "p").
    """
    if split_initials:
        text = _split_dotted_initials(text)
    return text.translate(_WORDS).split()


def _split_dotted_initials(text: str) -> str:
    out: list[str] = []
    for word in text.split(" "):
        pieces = word.split(".")
        letters = [p for p in pieces if p]
        if len(letters) >= 2 and all(len(p) == 1 and p.isalpha() for p in letters):
            out.append(" ".join(letters))
        else:
            out.append(word)
    return " ".join(out)
