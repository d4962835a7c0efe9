"""Common organisation words: distinctive-looking words that many unrelated bodies
use ("energy", "bank", "trust", "properties"), so that a match one of them carries
alone is no evidence of a particular listed body.

Data, not guesses: ``data/names/common_org_words.tsv`` is derived by
``bench/company_words.py`` from word frequencies in real company names (the tuning
half of the company benchmark's negatives) and in the bundled lists' organisations;
its header says how. A word there keeps its weight in the name score; it only
cannot be the whole evidence of a match (see :mod:`dualuse.screening.matching.names.compare`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from dualuse.once import load_once

COMMON_WORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "names" / "common_org_words.tsv"
"""Where the file lies in a checkout (the bench regenerates it there)."""
ENGLISH_WORDS_FILE = COMMON_WORDS_FILE.with_name("english_words.txt.zst")
"""Known English words, zstd text (``bench/english_words.py`` derives it from
wordfreq)."""
COINED_MIN_LETTERS = 4
"""Shortest word :func:`coined` may call a coined name (the list holds no shorter
words, and a three-letter word is an acronym as often as a name)."""


@load_once
def common_org_words() -> frozenset[str]:
    """The words of ``common_org_words.tsv`` (its first column; ``#`` lines are
    comments). A missing file is an error of the installation, not of the input.
    Read as a package resource, so that a wheel shipped as a zip (Spark's
    ``--py-files``) works too."""
    return frozenset(line.split("\t", 1)[0].strip() for line in _lines("common_org_words.tsv"))


def _lines(name: str) -> list[str]:
    """The data lines of a file in ``data/names`` (``#`` lines are comments), read as
    a package resource."""
    data = resources.files("dualuse").joinpath("data", "names", name)
    return [
        line
        for line in data.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@load_once
def english_words() -> frozenset[str]:
    """English words used at least once per hundred million words of English text
    (83,000 words: read on first use, ~0.1 s)."""
    import zstandard

    data = resources.files("dualuse").joinpath("data", "names", ENGLISH_WORDS_FILE.name)
    text = zstandard.ZstdDecompressor().decompress(data.read_bytes()).decode()
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


def coined(word: str) -> bool:
    """A Latin word of four letters or more that English text (almost) never uses:
    a coined name ("megvii", "dahua", "sensetime") one body bears, where
    "alphabet", "phoenix" or "aeon" name firms by the dozen."""
    return (
        len(word) >= COINED_MIN_LETTERS
        and word.isascii()
        and word.isalpha()
        and word not in english_words()
    )


@load_once
def common_org_symbols() -> frozenset[str]:
    """The name symbols of the common words (``DOMAIN:BANK`` of "bank"): other words
    that carry one of them name the same kind of body ("banco", "banking")."""
    from dualuse.reference.names.tokens import NameType, analyze_name

    found: set[str] = set()
    for word in common_org_words():
        for symbols in analyze_name(word, NameType.ORGANIZATION).symbols:
            found |= symbols
    return frozenset(found)
