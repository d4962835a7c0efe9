"""The tunable constants of the name score (:class:`NameParams`) and the weight each
token role gets from them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dualuse.reference.names import TokenKind


@dataclass(frozen=True, slots=True)
class NameParams:
    """The constants of the name score (documented in docs/matching.md)."""

    weight_name: float = 1.0
    weight_number: float = 1.0
    weight_generic: float = 0.5
    weight_particle: float = 0.3
    weight_honorific: float = 0.3
    weight_initial: float = 0.5
    weight_legal: float = 0.15
    extra_query: float = 0.3
    """Cost of a query token with no counterpart, per unit of weight."""
    extra_candidate: float = 0.25
    """Cost of a listed token with no counterpart (lists give fuller names)."""
    extra_organization: float = 0.6
    """Cost of a distinctive token with no counterpart in organisation names, where
    an extra word usually names a different body (a subsidiary, a branch)."""
    substitution_penalty: float = 0.2
    """Subtracted when both sides keep an unmatched distinctive token."""
    number_mismatch_penalty: float = 0.25
    series_score: float = 0.5
    """Similarity of two different numbers paired as members of one series
    ("Fund VII" / "Fund VIII", "Trust 2004-1" / "Trust 2004-2")."""
    lone_number_penalty: float = 0.1
    """Organisation names where only one side has an unmatched number (a fund or
    trust series: "Bowne Global Solutions II")."""
    place_penalty: float = 0.1
    """Organisation names where one side has an unmatched country name (a branch
    or subsidiary: "Banco Santander Chile")."""
    weak_only_cap: float = 0.5
    """Highest score of a name that matches on weak tokens only."""
    role_flip_penalty: float = 0.15
    """Subtracted per aligned token that is a patronymic on one side only."""
    min_similarity: float = 0.6
    typo_scale: float = 1.0
    """Similarity lost per edit, relative to token length."""
    doubled_letter_score: float = 0.9
    """Two tokens that differ only in doubled letters (Mohamed/Mohammed)."""
    first_letter_penalty: float = 0.1
    """Taken off a typo similarity when the first letters differ (Donald/Ronald):
    people seldom get a name's first letter wrong (Winkler's observation)."""
    short_typo_score: float = 0.7
    """Similarity of two tokens of at most four letters one edit apart (Ali/Aly):
    in so short a word one letter is often another name."""
    org_phonetic_min_length: int = 8
    """Shortest words of an organisation name that may match by sound alone
    (Zoetis/Sotis, Denso/Denise, Hitachi/Hitech are different firms)."""
    org_typo_evidence: int = 9
    """Shortest word of an organisation name whose typo-grade match (not an exact
    one) is evidence of the listed body on its own: one letter makes another
    firm's name of a shorter word (Argan/Argon, Safran/Sairan, Inditex/Induitex).
    The name score still says how alike the spellings are; the screening
    algorithm's ``weak_organization_evidence`` qualifier lowers such a match."""
    org_listed_generic_cost: float = 0.5
    """Cost of a generic word of a listed organisation's name that the query lacks
    ("Alphabet" against "Alphabet International"), divided by the number of
    distinctive words that agreed: a name resting on one word is another body's
    as often as not; "Haige Guangzhou" against "Guangzhou Haige Communication
    Group" rests on two."""
    org_query_generic_cost: float = 0.3
    """Cost of a generic word of the query's organisation name that the listed
    name lacks ("Schneider Electric" against "Schneider GmbH"); "group" and
    "holding(s)", used like legal forms, cost as in other names."""
    symbol_score: float = 0.9
    syllable_symbol_score: float = 0.75
    """A symbol shared with a one-character Han or one-syllable Hangul word."""
    translit_score: float = 0.88
    phonetic_score: float = 0.8
    initial_score: float = 0.7
    abbreviation_score: float = 0.85
    bits_per_letter: float = 2.0
    """Most evidence one letter of a matched word can carry: caps a short word's
    rarity on the index (two-letter Chinese syllables are rare on sanctions lists,
    not among people)."""


DEFAULT_PARAMS = NameParams()


def kind_weights(params: NameParams) -> tuple[float, ...]:
    """The weight of each token role, indexed by :class:`TokenKind` (cached; the
    default parameters' table without hashing them: every name score asks)."""
    if params is DEFAULT_PARAMS:
        return _DEFAULT_WEIGHTS
    return _kind_weights(params)


@lru_cache(maxsize=64)
def _kind_weights(params: NameParams) -> tuple[float, ...]:
    table = {
        TokenKind.NAME: params.weight_name,
        TokenKind.NUMBER: params.weight_number,
        TokenKind.GENERIC: params.weight_generic,
        TokenKind.PARTICLE: params.weight_particle,
        TokenKind.HONORIFIC: params.weight_honorific,
        TokenKind.INITIAL: params.weight_initial,
        TokenKind.LEGAL: params.weight_legal,
    }
    return tuple(table[kind] for kind in sorted(table))


_DEFAULT_WEIGHTS = _kind_weights(DEFAULT_PARAMS)


def leftover_costs(params: NameParams, *, organization: bool) -> tuple[float, float]:
    """Cost per unit of weight of a strong query word and of a strong listed word
    left without a counterpart. The name score charges these, and retrieval's
    bound of it must charge the same."""
    if organization:
        return max(params.extra_query, params.extra_organization), params.extra_organization
    return params.extra_query, params.extra_candidate
