"""Evidence in organisation names: which words of two firm names agreed and whether
they are distinctive (:func:`agreement`, shown in explanations), whether a match
rests only on near misses of short words (:func:`near_misses`, the
``weak_organization_evidence`` qualifier), and the rules the name score shares with
them (:func:`concept_pair`, :func:`only_weak`). See docs/matching.md, "Organisation
names"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from dualuse.reference.names import NameForm, NameType, TokenKind, analyze_name
from dualuse.reference.names.common_words import coined, common_org_symbols, common_org_words
from dualuse.reference.names.lexicon import HashedLexicon
from dualuse.screening.matching.names.name_params import DEFAULT_PARAMS, NameParams
from dualuse.screening.matching.names.name_shape import STRONG_KINDS as _STRONG
from dualuse.screening.matching.names.token_similarity import How

if TYPE_CHECKING:
    from dualuse.screening.matching.names.compare import AlignedPair, NameScore

_LEGAL_FORM, _INITIAL = How.LEGAL, How.INITIAL
_LEGAL, _PARTICLE, _GENERIC = TokenKind.LEGAL, TokenKind.PARTICLE, TokenKind.GENERIC

_NEAR = frozenset({How.TYPO, How.PHONETIC})
_TWO_EDIT_EVIDENCE = 12
"""Shortest organisation word two edits from another that is still evidence alone
(Siltronic/Suntronic, nine letters, are two firms)."""
_NO_SYMBOLS = HashedLexicon.pack([], [], [])
"""An empty lexicon: legal forms are found without one."""
WHOLE_NAME_SIMILARITY = 0.8
"""Lowest similarity of an aligned pair for two organisation names of weak or
common words only to count as the same name, word for word."""
SHORT_NAME_LETTERS = 3
"""Most letters the agreed words of a *short company name* spell together
(:func:`short_agreement`): 17,576 three-letter strings name millions of firms."""


def concept_pair(query: NameForm, candidate: NameForm, pair: AlignedPair) -> bool:
    """Two different words linked only by the symbol of a common word's concept
    (``DOMAIN:BANK`` links Handelsbanken, Banco and Banking, as "bank" does), or
    by a symbol of a word one side reads as generic (the query's generic
    "National" and the listed "NACIONAL" share ``SYMBOL:NATL``: a generic word
    translated is still generic): a kind of body, not one body."""
    if pair.how is not How.SYMBOL or len(pair.query) != 1 or len(pair.candidate) != 1:
        return False
    i, j = pair.query[0], pair.candidate[0]
    shared = query.symbols[i] & candidate.symbols[j]
    if not shared:
        return False
    return shared <= common_org_symbols() or _GENERIC in (query.kinds[i], candidate.kinds[j])


def word_evidence(candidate: NameForm, pair: AlignedPair) -> int:
    """How many words' worth of evidence a distinctive pair carries when a listed
    generic word the query lacks is charged: two for a coined name that agreed
    exactly ("Megvii" against "MEGVII TECHNOLOGY LIMITED": one body bears it, so
    the missing "technology" costs what it costs beside two agreeing words), one
    otherwise ("Alphabet" against "ALPHABET INTERNATIONAL": firms by the dozen are
    called so)."""
    if pair.similarity < 1.0 or len(pair.candidate) != 1:
        return 1
    return 2 if coined(candidate.tokens[pair.candidate[0]]) else 1


def one_common_word(
    candidate: NameForm, pairs: tuple[AlignedPair, ...] | list[AlignedPair]
) -> bool:
    """The words that agreed, legal forms aside, are one generic or common word
    ("The Bancorp, Inc." / "BANCORP"): many bodies bear it alone, so it is no
    whole name agreeing. ("AT&T Inc." / "AT and T Inc.", where only the initial
    "T" is left beside legal forms, still is.)"""
    words = [p for p in pairs if p.how is not _LEGAL_FORM]
    if len(words) != 1:
        return False
    common = common_org_words()
    kinds, tokens = candidate.kinds, candidate.tokens
    return all(kinds[j] is _GENERIC or tokens[j] in common for j in words[0].candidate)


def company_names(names: Iterable[str]) -> bool:
    """One of a party's names carries a legal form: the listed body is a company
    ("PETROPARS LTD." beside its acronym "PPL"), not an armed group or a state
    organ known by its initials ("ADF", "FSB")."""
    return any(_LEGAL in analyze_name(n, NameType.ORGANIZATION, _NO_SYMBOLS).kinds for n in names)


def short_agreement(scored: NameScore) -> str | None:
    """The words that agreed (legal forms aside) when together they spell at most
    :data:`SHORT_NAME_LETTERS` letters and the names are written as companies'
    (a legal form on either side: "NSK Ltd." / "OOO NSK", "NEC" / "JSC NEC"), or
    at most two letters however written ("H&M" / "HM"); ``None`` otherwise. A
    registered company name of three letters is shared by firms the world over; a
    bare acronym the list gives for a body ("FSB", "DJI") is left to the name
    score (and so, by the qualifier, is a body that is no company:
    :func:`company_names`). Upper case, as explanations show words."""
    query, candidate = scored.query, scored.candidate
    words = [
        "".join(candidate.tokens[j] for j in pair.candidate)
        for pair in scored.pairs
        if pair.how is not _LEGAL_FORM
    ]
    letters = sum(len(w) for w in words)
    if not words or letters > SHORT_NAME_LETTERS:
        return None
    company = _LEGAL in query.kinds or _LEGAL in candidate.kinds
    if letters > 2 and not company:
        return None
    return " ".join(words).upper()


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
        not one_common_word(candidate, scored.pairs)
        and only_weak(query, scored.extra_query)
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
