"""Evidence in organisation names: which words of two firm names agreed and whether
they are distinctive (:func:`agreement`, shown in explanations), whether a match
rests only on near misses of short words (:func:`near_misses`, the
``weak_organization_evidence`` qualifier), and the rules the name score shares with
them (:func:`concept_pair`, :func:`only_weak`). See docs/matching.md, "Organisation
names"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from dualuse.reference.names import NameForm, TokenKind
from dualuse.reference.names.common_words import common_org_symbols, common_org_words
from dualuse.screening.matching.name_params import DEFAULT_PARAMS, NameParams
from dualuse.screening.matching.name_shape import STRONG_KINDS as _STRONG
from dualuse.screening.matching.token_similarity import How

if TYPE_CHECKING:
    from dualuse.screening.matching.compare import AlignedPair, NameScore

_LEGAL_FORM, _INITIAL = How.LEGAL, How.INITIAL
_LEGAL, _PARTICLE = TokenKind.LEGAL, TokenKind.PARTICLE

_NEAR = frozenset({How.TYPO, How.PHONETIC})
_TWO_EDIT_EVIDENCE = 12
"""Shortest organisation word two edits from another that is still evidence alone
(Siltronic/Suntronic, nine letters, are two firms)."""
WHOLE_NAME_SIMILARITY = 0.8
"""Lowest similarity of an aligned pair for two organisation names of weak or
common words only to count as the same name, word for word."""


def concept_pair(query: NameForm, candidate: NameForm, pair: AlignedPair) -> bool:
    """Two different words linked only by the symbol of a common word's concept
    (``DOMAIN:BANK`` links Handelsbanken, Banco and Banking, as "bank" does):
    a kind of body, not one body."""
    if pair.how is not How.SYMBOL or len(pair.query) != 1 or len(pair.candidate) != 1:
        return False
    shared = query.symbols[pair.query[0]] & candidate.symbols[pair.candidate[0]]
    return bool(shared) and shared <= common_org_symbols()


def only_weak(form: NameForm, extra: tuple[int, ...]) -> bool:
    """Every unaligned token is a legal form or a particle."""
    kinds = form.kinds
    return all(kinds[i] is _LEGAL or kinds[i] is _PARTICLE for i in extra)


def agreement(scored: NameScore) -> str:
    """Which words of the listed name the query agreed with, split into distinctive
    words and generic ones (generic and common organisation words, words linked
    only by a generic concept; legal forms are left out): a reviewer sees at once
    when only "GROUP" and "GLOBAL" agreed."""
    query, candidate = scored.query, scored.candidate
    common = common_org_words()
    distinctive: list[str] = []
    generic: list[str] = []
    for pair in scored.pairs:
        if pair.how is _LEGAL_FORM:
            continue
        words = [candidate.tokens[j].upper() for j in pair.candidate]
        strong = not concept_pair(query, candidate, pair) and any(
            candidate.kinds[j] in _STRONG and candidate.tokens[j] not in common
            for j in pair.candidate
        )
        left = " ".join(query.tokens[i] for i in pair.query).upper()
        if pair.how is _INITIAL:  # an acronym is no evidence of one body
            strong, words = False, [f"{left}~{' '.join(words)} (initials)"]
        elif strong and pair.how in _NEAR:
            words = [f"{left}~{' '.join(words)}"]  # alike, not the same: say so
        (distinctive if strong else generic).extend(words)
    text = (
        f"agreed distinctive: {', '.join(distinctive) or 'none'};"
        f" agreed generic: {', '.join(generic) or 'none'}"
    )
    whole = (
        only_weak(query, scored.extra_query)
        and only_weak(candidate, scored.extra_candidate)
        and all(
            p.how is _LEGAL_FORM
            or (
                p.similarity >= WHOLE_NAME_SIMILARITY
                and p.how is not _INITIAL
                and not concept_pair(query, candidate, p)
            )
            for p in scored.pairs
        )
    )
    if generic and not distinctive and whole:
        text += "; the whole name agrees word for word"
    return text


def near_misses(scored: NameScore, params: NameParams = DEFAULT_PARAMS) -> list[str]:
    """The distinctive words of two organisation names that agreed only by a typo
    or by sound, each under :attr:`NameParams.org_typo_evidence` letters (under
    twelve when two edits apart), when
    no distinctive word agreed otherwise (exactly, by symbol, transliteration or
    as joined words); empty when any did. A plural or possessive "s" is no near
    miss ("Bank's"/"Bank")."""
    query, candidate = scored.query, scored.candidate
    common = common_org_words()
    found: list[str] = []
    for pair in scored.pairs:
        if pair.how is _LEGAL_FORM or pair.how is _INITIAL or concept_pair(query, candidate, pair):
            continue
        if not any(
            candidate.kinds[j] in _STRONG and candidate.tokens[j] not in common
            for j in pair.candidate
        ):
            continue
        if pair.how not in _NEAR or len(pair.query) != 1 or len(pair.candidate) != 1:
            return []
        q, c = query.tokens[pair.query[0]], candidate.tokens[pair.candidate[0]]
        longest = max(len(q), len(c))
        if q + "s" == c or c + "s" == q:
            return []
        if longest >= params.org_typo_evidence and (
            longest >= _TWO_EDIT_EVIDENCE or OSA.distance(q, c, score_cutoff=2) < 2
        ):
            return []
        found.append(f"{q.upper()}~{c.upper()}")
    return found
