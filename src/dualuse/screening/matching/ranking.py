"""One ranking rule beyond the score: a query named by one distinctive word ranks the
parties whose names hold that word exactly above those that hold only a typo of it.

A refinery screened by its distinctive word ("ZHAZAND") must not be outranked by a
different company one letter away ("SHAZAND PETROCHEMICAL COMPANY") because the
refinery's listed name has more words: with one word to go on, the exact spelling is
the better evidence of which party is meant. Scores are left as they are (a typo-grade
hit over the threshold stays a match); only the order changes, and only within the
matches and within the rest: a match is never ranked below a party under the
threshold (the screener sorts by that first).
"""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.reference.names import NameForm, TokenKind
from dualuse.screening.matching.features import Comparison
from dualuse.screening.matching.names.token_similarity import How

_DISTINCTIVE = frozenset({TokenKind.NAME, TokenKind.NUMBER})


def sole_word(forms: Sequence[NameForm]) -> str | None:
    """The query's one distinctive word, when every analysis of it has exactly one
    and it is the same word; else ``None``."""
    words: set[str] = set()
    for form in forms:
        mine = [t for t, k in zip(form.tokens, form.kinds, strict=True) if k in _DISTINCTIVE]
        if len(mine) != 1:
            return None
        words.add(mine[0])
    return words.pop() if len(words) == 1 else None


def how_word_matched(ctx: Comparison, word: str) -> How | None:
    """How the party's best strong name met the query word ``word``: ``EXACT``,
    ``TYPO``, another way, or ``None`` when it did not."""
    best = ctx.best_name(weak=False)
    if best is None:
        return None
    for pair in best.pairs:
        if len(pair.query) == 1 and best.query.tokens[pair.query[0]] == word:
            return How.EXACT if pair.similarity >= 1.0 else pair.how
    return None


def typo_demotions(word: str | None, contexts: Sequence[Comparison]) -> list[bool]:
    """Per party: whether it ranks below the parties that hold ``word`` exactly,
    because it holds only a typo-grade variant of it (none when no party holds the
    word exactly, or there is no sole word)."""
    if word is None:
        return [False] * len(contexts)
    hows = [how_word_matched(ctx, word) for ctx in contexts]
    if How.EXACT not in hows:
        return [False] * len(contexts)
    return [how is How.TYPO for how in hows]
