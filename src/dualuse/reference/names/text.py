"""Text cleaning for names: Unicode normal form, control characters, length bound.

Everything here is total: any ``str`` in, a clean ``str`` out, in time linear in the
(bounded) input. Names longer than :data:`MAX_NAME_CHARS` are cut, because no listed
name is that long and a 10,000-character "name" must not cost more than a real one.
"""

from __future__ import annotations

import unicodedata

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


def clean_text(text: str) -> str:
    """NFKC-normalise, drop control and unassigned characters, collapse spaces.

    The result keeps letters of any script, digits, ``&`` and word-internal
    apostrophes; it is case-folded. Idempotent.
    """
    if not isinstance(text, str):  # defensive: callers pass str, but never raise
        text = str(text)
    text = text[: MAX_NAME_CHARS * 2]
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for char in text:
        if char in _KEEP_FORMAT:
            continue
        cat = unicodedata.category(char)
        if cat in _DROP_CATEGORIES:
            out.append(" ")
            continue
        out.append(char)
    folded = "".join(out).casefold()
    folded = unicodedata.normalize("NFKC", folded)
    return " ".join(folded.split())[:MAX_NAME_CHARS].strip()


def split_words(text: str, *, split_initials: bool = False) -> list[str]:
    """Split cleaned text into words; ``&`` stands alone, apostrophes and dots join.

    Dots join ("j.p." -> "jp", "s.a.r.l." -> "sarl") because initialisms are written
    both ways; a dot followed by a space still ends the word. With ``split_initials``
    (person names) a dotted run of single letters is split ("j.p." -> "j", "p").
    """
    if split_initials:
        text = _split_dotted_initials(text)
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if char in SPLITTERS or char.isspace():
            if current:
                words.append("".join(current))
                current = []
            continue
        if char == "&":
            if current:
                words.append("".join(current))
                current = []
            words.append("&")
            continue
        if char in _JOINERS:
            continue
        if unicodedata.category(char)[0] in {"P", "S"}:
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    return words


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
