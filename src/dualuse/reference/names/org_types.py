"""Organisation-type words beyond the legal forms: words that say what *kind* of body
a name belongs to (a Russian state corporation, a federal state unitary enterprise,
a scientific production association, a design bureau, a concern; the Persian and
Chinese words for company, organisation, industries, group), not *which* body.

Each phrase is folded into one token before the words are classified, so "STATE
CORPORATION ROSTEC" and "Rostec" differ by one weak token, not by two missing
distinctive words. Phrases fold to:

* ``soe`` (a state-owned body: a *legal* token, rigour's generic code for it);
* ``npo``, ``npp``, ``okb``, ``kb``, ``vpk``, ``concern``, ``prodassoc`` (*generic* organisation
  words);
* an English word the rest of the analysis already knows ("sherkat" -> "company",
  a legal form; "sazman" -> "organization", a generic word).

The phrases, their tokens and the source of each group (the laws that define the
forms, the list entries that pair them) are data: ``dualuse/data/names/org_types.yaml``,
read by :mod:`.vocabulary`. Nothing here is derived from a benchmark.
"""

from __future__ import annotations

from dualuse.once import load_once
from dualuse.reference.names.forms import TokenKind
from dualuse.reference.names.vocabulary import vocabulary

_VOCABULARY = vocabulary()

ORG_TYPE_PHRASES: dict[str, str] = _VOCABULARY.forms["org_type_phrases"]

_KINDS = {"legal": TokenKind.LEGAL, "generic": TokenKind.GENERIC}
ORG_TYPE_KINDS: dict[str, TokenKind] = {
    token: _KINDS[kind] for token, kind in _VOCABULARY.forms["org_type_kinds"].items()
}
"""The role of each folded token this module introduces (the others are words the
legal-form and generic-word tables already know)."""

ORG_TYPE_WORDS = frozenset(t for t, kind in ORG_TYPE_KINDS.items() if kind is TokenKind.GENERIC)
"""Generic words that say what kind of body a name belongs to, like a legal form: a
listed name's missing one costs what a weak word costs, not what a missing common
word of a firm name costs ("Kalashnikov" is "Kalashnikov Concern")."""


@load_once
def _by_length() -> tuple[tuple[tuple[str, ...], str], ...]:
    phrases = [(tuple(p.split()), token) for p, token in ORG_TYPE_PHRASES.items()]
    return tuple(sorted(phrases, key=lambda p: -len(p[0])))


def fold_org_types(words: list[str]) -> list[str]:
    """``words`` with every organisation-type phrase replaced by its token, longest
    phrase first (``["state", "corporation", "rostec"]`` -> ``["soe", "rostec"]``)."""
    if not any(w in _FIRST_WORDS for w in words):
        return words
    out: list[str] = []
    i = 0
    phrases = _by_length()
    while i < len(words):
        for phrase, token in phrases:
            n = len(phrase)
            if tuple(words[i : i + n]) == phrase:
                out.append(token)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


_FIRST_WORDS = frozenset(p.split()[0] for p in ORG_TYPE_PHRASES)
