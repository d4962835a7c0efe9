"""A name score in the manner of OFAC's Sanctions List Search.

OFAC FAQ 249 says the tool scores a name with two techniques and reports the
higher: a character-based comparison of the whole string and a comparison of the
name's parts. Observed behaviour (and nomenklatura's emulation notes, PR #310):
the whole-string Jaro-Winkler applies its prefix bonus without the usual 0.7 gate
and only when the first letters agree; the per-part score averages, over the
query's parts longer than two characters, each part's best Jaro-Winkler against the
listed name's parts, counting pairs below 0.5 as zero. Order-sensitive by design.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Jaro, JaroWinkler

from dualuse.reference.names.text import clean_text, split_words
from dualuse.reference.names.translit import latinize_word


@lru_cache(maxsize=100_000)
def _parts(name: str) -> tuple[str, ...]:
    return tuple(a for w in split_words(clean_text(name)) for a, _ in latinize_word(w))


def _jaro_winkler_ungated(left: str, right: str) -> float:
    jaro = Jaro.similarity(left, right)
    if jaro == 0.0:
        return 0.0
    prefix = 0
    for a, b in zip(left[:4], right[:4], strict=False):
        if a != b:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1.0 - jaro)


def ofac_similarity(query: str, candidate: str) -> float:
    """OFAC-style similarity of two names in [0, 1]."""
    q_parts, c_parts = _parts(query), _parts(candidate)
    if not q_parts or not c_parts:
        return 0.0
    q_whole, c_whole = " ".join(q_parts), " ".join(c_parts)
    whole = _jaro_winkler_ungated(q_whole, c_whole) if q_whole[0] == c_whole[0] else 0.0
    kept = [p for p in q_parts if len(p) > 2] or list(q_parts)
    total = 0.0
    for part in kept:
        best = max(JaroWinkler.similarity(part, other) for other in c_parts)
        total += best if best >= 0.5 else 0.0
    return max(whole, total / len(kept))
