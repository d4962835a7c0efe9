"""Common organisation words: distinctive-looking words that many unrelated bodies
use ("energy", "bank", "trust", "properties"), so that a match one of them carries
alone is no evidence of a particular listed body.

Data, not guesses: ``data/names/common_org_words.tsv`` is derived by
``bench/company_words.py`` from word frequencies in real company names (the tuning
half of the company benchmark's negatives) and in the bundled lists' organisations;
its header says how. A word there keeps its weight in the name score; it only
cannot be the whole evidence of a match (see :mod:`dualuse.screening.matching.compare`).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

COMMON_WORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "names" / "common_org_words.tsv"
"""Where the file lies in a checkout (the bench regenerates it there)."""


@lru_cache(maxsize=1)
def common_org_words() -> frozenset[str]:
    """The words of ``common_org_words.tsv`` (its first column; ``#`` lines are
    comments). A missing file is an error of the installation, not of the input.
    Read as a package resource, so that a wheel shipped as a zip (Spark's
    ``--py-files``) works too."""
    data = resources.files("dualuse").joinpath("data", "names", "common_org_words.tsv")
    words: set[str] = set()
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        words.add(line.split("\t", 1)[0].strip())
    return frozenset(words)


@lru_cache(maxsize=1)
def common_org_symbols() -> frozenset[str]:
    """The name symbols of the common words (``DOMAIN:BANK`` of "bank"): other words
    that carry one of them name the same kind of body ("banco", "banking")."""
    from dualuse.reference.names.tokens import NameType, analyze_name

    found: set[str] = set()
    for word in common_org_words():
        for symbols in analyze_name(word, NameType.ORGANIZATION).symbols:
            found |= symbols
    return frozenset(found)
