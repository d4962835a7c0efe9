"""Retrieval keys: the deletion neighbourhood must reach every pair of words the
name score may call typos of each other, or pruning could lose a match."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from dualuse.screening.matching.names.token_similarity import typo_budget, typo_budgets
from dualuse.screening.matching.retrieval import keys as k

_letters = st.text(alphabet="abcdeilmnorsz", min_size=2, max_size=14)


def _edit(word: str, edits: list[tuple[int, int, str]]) -> str:
    for kind, position, letter in edits:
        at = position % (len(word) + 1)
        if kind == 0:
            word = word[:at] + letter + word[at:]
        elif kind == 1 and len(word) > 1:
            word = word[: at % len(word)] + word[at % len(word) + 1 :]
        elif word:
            at %= len(word)
            word = word[:at] + letter + word[at + 1 :]
    return word


@settings(max_examples=400, deadline=None)
@given(
    _letters,
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 20), st.sampled_from("abemoxz")),
        min_size=1,
        max_size=3,
    ),
)
def test_words_within_the_typo_budget_share_a_deletion_key(
    word: str, edits: list[tuple[int, int, str]]
) -> None:
    other = _edit(word, edits)
    distance = OSA.distance(word, other)
    budget = typo_budget(
        max(len(word), len(other)),
        same_start=word[:1] == other[:1],
        shorter=min(len(word), len(other)),
    )
    # three edits (words of twelve letters or more) are scored, not retrieved, and
    # words of three letters are reached by their phonetic key, not by deletions
    assume(0 < distance <= min(budget, 2) and max(len(word), len(other)) >= 4)
    assert set(k.deletion_hashes(word).tolist()) & set(k.deletion_hashes(other).tolist())


@given(st.text(max_size=20))
def test_deletion_hashes_are_those_of_the_deletion_strings(word: str) -> None:
    # each hash is a function of the string left, whatever was deleted to get it
    strings = k.deletions(word)
    hashes = {int(h) for h in k.deletion_hashes(word)}
    assert hashes == {int(k.deletion_hashes(s)[0]) for s in strings}


def test_deletion_hashes_are_stable_across_processes() -> None:
    # stored in index files: a change must bump the index format
    assert int(k.deletion_hashes("merkel")[0]) == int(k.deletion_hashes("merkel")[0])
    assert k.deletion_hashes("merkel")[0] != k.deletion_hashes("merkur")[0]
    assert len(set(k.deletion_hashes("abcdefgh").tolist())) == len(k.deletions("abcdefgh"))


@given(st.lists(st.tuples(st.integers(0, 20), st.booleans(), st.integers(0, 20)), max_size=30))
def test_array_typo_budgets_equal_the_scalar_budget(pairs: list[tuple[int, bool, int]]) -> None:
    longer = np.array([p[0] for p in pairs], dtype=np.int64)
    same = np.array([p[1] for p in pairs], dtype=np.bool_)
    shorter = np.array([min(p[0], p[2]) for p in pairs], dtype=np.int64)
    expected = [typo_budget(a, same_start=b, shorter=min(a, c)) for a, b, c in pairs]
    assert typo_budgets(longer, same, shorter).tolist() == expected
