"""Phonetic keys of ASCII name tokens.

* :func:`metaphone`: rigour's Metaphone (Mohammed and Muhammad -> ``MHMT``), for
  Latin spelling variants.
* :func:`skeleton`: a consonant skeleton over a reduced alphabet, for comparing a
  word transliterated from an abjad (Arabic, Persian, Hebrew: short vowels unwritten)
  with a Latin spelling: محمد -> ``mhmd`` and Mohammed -> ``mhmd``; Latin letters
  those scripts lack are folded (p -> b, g -> j, c -> k; v, w and y are
  semivowels, dropped like vowels).
"""

from __future__ import annotations

from functools import lru_cache

from rigour.text.phonetics import metaphone as _metaphone

_DIGRAPHS = (
    ("sch", "$"),
    ("tch", "$"),
    ("kh", "x"),
    ("gh", "j"),
    ("sh", "$"),
    ("ch", "$"),
    ("zh", "$"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
)
_SINGLE = str.maketrans(
    {
        "q": "k",
        "c": "k",
        "z": "s",
        "p": "b",
        "v": "",
        "g": "j",
        "x": "x",
        "e": "",
        "a": "",
        "i": "",
        "o": "",
        "u": "",
        "w": "",
        "y": "",
    }
)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton of an ASCII token (idempotent on its own output)."""
    text = "".join(c for c in token.lower() if c.isalpha())
    for digraph, repl in _DIGRAPHS:
        text = text.replace(digraph, repl)
    text = text.translate(_SINGLE)
    if len(text) > 1 and text.endswith("h"):
        text = text[:-1]
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=200_000)
def metaphone(token: str) -> str:
    """Metaphone key of an ASCII token; empty for digits-only tokens."""
    if not token.isalpha():
        return ""
    try:
        return str(_metaphone(token))
    except Exception:  # pragma: no cover - rigour's Rust core never raises on ASCII
        return ""


_KOREAN_KEY = (
    ("yeo", "yo"),
    ("eo", "o"),
    ("eu", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("sh", "s"),
    ("ch", "j"),
    ("k", "g"),
    ("p", "b"),
    ("t", "d"),
    ("r", "l"),
    ("u", "o"),
)
_CHINESE_KEY = (
    ("hs", "x"),
    ("ch", "zh"),
    ("tz", "z"),
    ("ts", "z"),
    ("k", "g"),
    ("p", "b"),
    ("t", "d"),
    ("ien", "ian"),
    ("ung", "ong"),
)


@lru_cache(maxsize=200_000)
def romanization_key(token: str, korean: bool) -> str:
    """A key on which the usual romanisations of one Korean (``korean``) or
    Chinese syllable string agree: McCune-Reischauer, Revised Romanisation and
    the popular spellings (jong/jeong/jung/chong, pak/bak, sik/shik; ㅓ and ㅜ
    are both written u, as in Sung and Myung, so they share a key), pinyin and
    Wade-Giles (zhang/chang, xi/hsi, deng/teng). Pinyin's own distinctions (j, q,
    z, zh) are kept, and tokens that differ by more than these spellings keep
    different keys: a one-letter change in a syllable (wang/yang, lin/lian) is a
    different name."""
    text = token.lower()
    for old, new in _KOREAN_KEY if korean else _CHINESE_KEY:
        text = text.replace(old, new)
    return text
