"""Typos inside the long words of legal forms ("Limted", "Compny", "Obshchesvto"),
repaired before legal forms are recognised, so that a misspelt form is still a weak
legal-form token and not a distinctive word the listed name lacks.

The words are those of common legal forms written out in English and in the usual
transliterations (Russian, Ukrainian, Turkish, German, Spanish, Portuguese,
French, Italian): ``legal_form_words`` in ``dualuse/data/names/legal_forms.yaml``;
none derived from a benchmark.
Only words of seven letters and more are known here, and a word is repaired by one
edit (two from ten letters) and only when it is no word of the organisation
vocabulary itself ("society" stays): shorter words are too often other words
("Publix" is no typo of "public").
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from dualuse.reference.names.forms import GENERIC_ORG_WORDS, LEGAL_FORMS, ORG_ABBREVIATIONS
from dualuse.reference.names.vocabulary import vocabulary

LEGAL_FORM_WORDS: tuple[str, ...] = vocabulary().words["legal_form_words"]
"""In order of preference where a typo is as near to two of them."""

_KNOWN = frozenset(LEGAL_FORM_WORDS)
_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _word in LEGAL_FORM_WORDS:
    _BY_FIRST[_word[0]] = (*_BY_FIRST.get(_word[0], ()), _word)


def _budget(length: int) -> int:
    return 0 if length < 6 else 1 if length < 10 else 2


@lru_cache(maxsize=65_536)
def repair_legal_word(word: str) -> str:
    """The legal-form word ``word`` misspells (same first letter, one edit from six
    letters, two from ten), or ``word`` itself."""
    if len(word) < 6 or word in _KNOWN or not word.isascii() or not word.isalpha():
        return word
    if ORG_ABBREVIATIONS.get(word) in _KNOWN:
        return ORG_ABBREVIATIONS[word]  # "compny": a written-out form's spelling
    if word in GENERIC_ORG_WORDS or word in ORG_ABBREVIATIONS or word in LEGAL_FORMS:
        return word
    best, best_distance = word, 3
    for known in _BY_FIRST.get(word[0], ()):
        budget = _budget(min(len(known), len(word)))
        if budget == 0 or abs(len(known) - len(word)) > budget:
            continue
        distance = OSA.distance(word, known, score_cutoff=budget)
        if distance <= budget and distance < best_distance:
            best, best_distance = known, distance
    return best


def repair_legal_words(words: list[str]) -> list[str]:
    """Every word of a (lower-case) name with legal-form typos repaired."""
    return [repair_legal_word(w) for w in words]
