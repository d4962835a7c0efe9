"""How alike two tokens are, and why (:class:`How`): exact, shared name symbol,
transliteration, phonetic, typo, initial, abbreviation. Two tokens in the same
non-Latin script are compared as written; dense scripts allow no edit at all."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from dualuse.reference.names import Script, metaphone, romanization_key, skeleton
from dualuse.reference.names.forms import GENERIC_ORG_WORDS as _GENERIC_WORDS
from dualuse.reference.names.scripts import ABJADS, LATIN_OR_NONE, SYLLABIC
from dualuse.screening.matching.names.name_params import NameParams


class How(StrEnum):
    """Why two tokens were taken to be the same word."""

    EXACT = "exact"
    SYMBOL = "symbol"
    """rigour's name symbols link them (cross-script or nickname)."""
    TRANSLIT = "transliteration"
    """Same consonant skeleton across scripts."""
    PHONETIC = "phonetic"
    TYPO = "typo"
    INITIAL = "initial"
    ABBREVIATION = "abbreviation"
    JOINED = "joined"
    """One token is two or three tokens of the other written together."""
    LEGAL = "legal-form"
    SERIES = "series"
    """Two different numbers closing otherwise aligned names: members of one
    numbered series (funds, trusts, vessels of one owner)."""


# enum members read once: reading one off its class costs a few hundred ns, and
# these are read for every new pair of tokens a query meets
_EXACT, _TYPO = How.EXACT, How.TYPO
_VOWELS = set("aeiouy")


def typo_budget(length: int, *, same_start: bool = False, shorter: int = 0) -> int:
    """Edits two words may differ by and still be one name, by the longer word's
    ``length``: one up to six letters; two from five letters when the first
    letters agree and the shorter word has four or more (Merkel/Merkur,
    James/Jones, Khan/Khaja: typo-grade variants a screener must flag; not
    Han/Hasan); two from seven letters, three from twelve."""
    if length <= 2:
        return 0
    if length <= 4:
        return 1
    if length <= 6:
        return 2 if same_start and shorter >= 4 else 1
    if length <= 11:
        return 2
    return 3


def typo_budgets(
    longer: npt.NDArray[np.int64], same_start: npt.NDArray[np.bool_], shorter: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """:func:`typo_budget` of many word pairs at once (retrieval checks dozens of
    words per query word): read from a table of the scalar function's values (it
    depends on lengths up to 12 and on whether the shorter word has 4 letters)."""
    budget: npt.NDArray[np.int64] = _BUDGETS[
        np.minimum(longer, _LONGEST), same_start.astype(np.intp), np.minimum(shorter, _SHORTEST)
    ]
    return budget


_LONGEST, _SHORTEST = 12, 4
_BUDGET_ROWS: tuple[tuple[tuple[int, ...], ...], ...] = tuple(
    tuple(
        tuple(typo_budget(length, same_start=same, shorter=shorter) for shorter in range(5))
        for same in (False, True)
    )
    for length in range(_LONGEST + 1)
)
"""``_BUDGET_ROWS[longer][same_start][shorter]``: :func:`typo_budget`, the longer
word's length capped at 12 and the shorter's at 4 (it does not tell them apart
above)."""
_BUDGETS = np.array(_BUDGET_ROWS, dtype=np.int64)
"""The same table as an array, for :func:`typo_budgets`."""


def _is_abbreviation(short: str, long: str, *, long_generic: bool) -> bool:
    """``short`` abbreviates the generic word ``long``: a prefix (tech -> technical),
    or a consonant abbreviation: the first letter, then a subsequence of the letters
    (grp -> group, srvces -> services). A distinctive word is not abbreviated in a
    firm's name: read as abbreviations, "BAF", "SZK" and "STM" would be BASF,
    Suzuki and SiTime."""
    if len(short) < 3 or len(short) >= len(long) or short[0] != long[0] or not long_generic:
        return False  # a distinctive word has no abbreviation: Adis is not Adidas
    if long.startswith(short):
        return True
    if sum(1 for c in short[1:] if c in _VOWELS) > 1:
        return False
    position = 1
    for char in short[1:]:
        position = long.find(char, position)
        if position < 0:
            return False
        position += 1
    return len(short) * 2 >= len(long) * 0.8


_DOUBLED = re.compile(r"(.)\1+", re.DOTALL)


@lru_cache(maxsize=65_536)
def _undoubled(token: str) -> str:
    """The token with runs of one letter written once (Mohammed -> mohamed); cached,
    the same words meet again and again in a batch."""
    return _DOUBLED.sub(r"\1", token)


def _typo_similarity(q: str, c: str, budget: int, params: NameParams) -> float:
    if budget <= 0:
        return 0.0
    distance = OSA.distance(q, c, score_cutoff=budget)
    if distance > budget:
        return 0.0
    if max(len(q), len(c)) <= 4:
        return params.short_typo_score if distance == 1 else 0.0
    return 1.0 - params.typo_scale * distance / (max(len(q), len(c)) + 1)


def symbol_similarity(
    q_script: Script,
    c_script: Script,
    q_symbols: frozenset[str],
    c_symbols: frozenset[str],
    q_original: str,
    c_original: str,
    params: NameParams,
) -> tuple[float, How]:
    """The similarity two tokens get from a shared name symbol (0 without one)."""
    if not q_symbols or not c_symbols or q_symbols.isdisjoint(c_symbols):
        return 0.0, _TYPO
    one_syllable = (q_script in SYLLABIC and len(q_original) == 1) or (
        c_script in SYLLABIC and len(c_original) == 1
    )
    # one Han character has readings in several languages (徐: xu, su, tsui)
    return (params.syllable_symbol_score if one_syllable else params.symbol_score), How.SYMBOL


def token_similarity(
    q: str,
    c: str,
    q_script: Script,
    c_script: Script,
    *,
    q_original: str,
    c_original: str,
    organization: bool,
    c_generic: bool,
    params: NameParams,
) -> tuple[float, How]:
    """How alike two tokens are, in [0, 1], and why; not by name symbols (the name
    score asks :func:`symbol_similarity` for those, once the similarity is cached).

    Two tokens written in the same non-Latin script are compared as written (a
    transliteration can merge distinct letters: 정 and 종 are both "jong"); dense
    scripts (Han, Hangul, kana) allow no edit at all."""
    if q == c and (
        q_script is not c_script or q_original == c_original or q_script in LATIN_OR_NONE
    ):
        return 1.0, _EXACT
    if q.isdigit() or c.isdigit():
        return 0.0, _EXACT
    if q_script is c_script and q_script not in LATIN_OR_NONE and q_original:
        if q_original == c_original:
            return 1.0, _EXACT
        if q_script in SYLLABIC:
            return 0.0, _TYPO
        budget = typo_budget(
            max(len(q_original), len(c_original)),
            same_start=q_original[:1] == c_original[:1],
            shorter=min(len(q_original), len(c_original)),
        )
        return _typo_similarity(q_original, c_original, budget, params), _TYPO
    best, how = 0.0, _TYPO
    if q_script in ABJADS or c_script in ABJADS:
        sq, sc = skeleton(q), skeleton(c)
        # a two-consonant skeleton is weak evidence unless the words also start alike
        if sq and sq == sc and (len(sq) >= 3 or q[0] == c[0]) and params.translit_score > best:
            best, how = params.translit_score, How.TRANSLIT
        elif len(sq) >= 3 and len(sc) >= 3 and OSA.distance(sq, sc) <= 1:
            value = params.translit_score - 0.15
            if value > best:
                best, how = value, How.TRANSLIT
    length = max(len(q), len(c))
    budget = typo_budget(length, same_start=q[:1] == c[:1], shorter=min(len(q), len(c)))
    if q_script is not c_script and Script.LATIN in (q_script, c_script):
        other = c_script if q_script is Script.LATIN else q_script
        if other in SYLLABIC:
            # romanised syllables: spelling systems differ, letters do not
            korean = other is Script.HANGUL
            same = romanization_key(q, korean) == romanization_key(c, korean)
            if same and params.translit_score > best:
                best, how = params.translit_score, How.TRANSLIT
            # Chinese syllables are names of their own (wang/yang); Hangul and kana
            # also spell foreign names, loosely (조지 -> joji for George)
            budget = (0 if length <= 5 else 1) if other is Script.HAN else typo_budget(length + 3)
        else:
            budget = typo_budget(length + 3)
    value = _typo_similarity(q, c, budget, params)
    if value < params.doubled_letter_score and _undoubled(q) == _undoubled(c):
        value = params.doubled_letter_score  # Mohamed/Mohammed, Joonng/Jong
    elif value and q[:1] != c[:1] and q_script is c_script:
        value -= params.first_letter_penalty  # first letters are seldom mistyped
    if value > best:
        best, how = value, _TYPO
    # firms are told apart by their names: Zoetis/Sotis and Denso/Denise sound
    # alike and are different firms
    shortest = params.org_phonetic_min_length if organization else 5
    if best < params.phonetic_score and len(q) >= shortest and len(c) >= shortest:
        mq = metaphone(q)
        if (
            len(mq) >= 2
            and mq == metaphone(c)
            and OSA.distance(q, c, score_cutoff=budget + 1) <= budget + 1
        ):
            best, how = params.phonetic_score, How.PHONETIC
    if best < params.initial_score and (len(q) == 1 or len(c) == 1) and q[0] == c[0]:
        best, how = params.initial_score, How.INITIAL
    if organization and best < params.abbreviation_score:
        short, long = (q, c) if len(q) < len(c) else (c, q)
        if _is_abbreviation(short, long, long_generic=c_generic or long in _GENERIC_WORDS):
            best, how = params.abbreviation_score, How.ABBREVIATION
    return best, how
