"""Organisation vocabulary: generic words that name no particular body ("group",
"international", "trading"), the abbreviations expanded to full words in organisation
names ("grp" -> "group"), and spelling variants folded for every name (en-GB/en-US,
"&", "mohd"). Data: ``dualuse/data/names/org_words.yaml`` (read by :mod:`.vocabulary`);
none is derived from a benchmark.
"""

from __future__ import annotations

from dualuse.reference.names.vocabulary import vocabulary

_VOCABULARY = vocabulary()

GENERIC_ORG_WORDS = frozenset(_VOCABULARY.words["generic_org_words"])

ORG_ABBREVIATIONS: dict[str, str] = _VOCABULARY.forms["org_abbreviations"]
"""Abbreviations in organisation names, expanded to the full word (nomenklatura#245,
#274: COMP, GRP, TECH, SRVCES and the like defeat matchers that do not expand them)."""

SPELLING_VARIANTS: dict[str, str] = _VOCABULARY.forms["spelling_variants"]
"""Spelling variants folded to one form (en-GB/en-US, "&")."""


def expand_abbreviation(token: str, *, organization: bool) -> str:
    """The full word for an abbreviation or spelling variant; organisation
    abbreviations (``grp`` -> ``group``) only in organisation names."""
    token = SPELLING_VARIANTS.get(token, token)
    if organization:
        return ORG_ABBREVIATIONS.get(token, token)
    return token
