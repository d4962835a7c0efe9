"""Which writing system a word is in, for picking a transliteration."""

from __future__ import annotations

import re
from enum import StrEnum


class Script(StrEnum):
    LATIN = "Latin"
    CYRILLIC = "Cyrillic"
    GREEK = "Greek"
    ARABIC = "Arabic"
    HEBREW = "Hebrew"
    HANGUL = "Hangul"
    HAN = "Han"
    KANA = "Kana"
    OTHER = "Other"
    NONE = "None"


_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x024F, Script.LATIN),
    (0x1E00, 0x1EFF, Script.LATIN),
    (0x0370, 0x03FF, Script.GREEK),
    (0x1F00, 0x1FFF, Script.GREEK),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x0590, 0x05FF, Script.HEBREW),
    (0xFB1D, 0xFB4F, Script.HEBREW),
    (0x0600, 0x06FF, Script.ARABIC),
    (0x0750, 0x077F, Script.ARABIC),
    (0x08A0, 0x08FF, Script.ARABIC),
    (0xFB50, 0xFDFF, Script.ARABIC),
    (0xFE70, 0xFEFF, Script.ARABIC),
    (0x1100, 0x11FF, Script.HANGUL),
    (0x3130, 0x318F, Script.HANGUL),
    (0xAC00, 0xD7AF, Script.HANGUL),
    (0x3040, 0x30FF, Script.KANA),
    (0x31F0, 0x31FF, Script.KANA),
    (0x3400, 0x4DBF, Script.HAN),
    (0x4E00, 0x9FFF, Script.HAN),
    (0xF900, 0xFAFF, Script.HAN),
    (0x20000, 0x2FA1F, Script.HAN),
)

_ASCII_LETTER = re.compile("[A-Za-z]")

ABJADS = frozenset({Script.ARABIC, Script.HEBREW})
"""Scripts that leave short vowels unwritten: compared by consonant skeleton."""
LATIN_OR_NONE = frozenset({Script.LATIN, Script.NONE})
"""Latin letters, or no letters at all (digits): words compared as written."""
HAN_OR_HANGUL = frozenset({Script.HAN, Script.HANGUL})
"""Scripts that write a Chinese or Korean personal name as one word of syllables."""
SYLLABIC = HAN_OR_HANGUL | {Script.KANA}
"""Scripts whose characters are syllables: no edit within a word is a typo, and a
word is never a particle, initial or title."""


def char_script(char: str) -> Script:
    code = ord(char)
    if code < 0x80:
        return Script.LATIN if char.isalpha() else Script.NONE
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return Script.OTHER if char.isalpha() else Script.NONE


def word_script(word: str) -> Script:
    """The script of the first letter that has one (digits and marks have none)."""
    if word.isascii():  # most words: a regular expression instead of a loop
        return Script.LATIN if _ASCII_LETTER.search(word) else Script.NONE
    for char in word:
        script = char_script(char)
        if script is not Script.NONE:
            return script
    return Script.NONE
