"""The choice of names worth scoring: the best retrieval scores first, and among
names of one score the shorter listed name first."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dualuse.screening.matching.retrieval.candidates import best_first


def _inputs(
    scores: list[int], lengths: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(scores)
    hits = np.arange(n, dtype=np.int32) * 3  # name ids, sorted, not 0..n-1
    total = np.asarray(scores, dtype=np.float32)
    reach = np.ones(n, dtype=np.int32)
    strong = np.zeros(3 * n + 1, dtype=np.int8)
    strong[hits] = lengths
    return hits, total, reach, strong


def test_a_common_word_keeps_the_listed_names_that_are_only_that_word() -> None:
    # "Gazprom" reaches 469 listed names at one score; the three that are only
    # "Gazprom" (legal forms aside) must be among the kept ones wherever they stand
    lengths = [2] * 500
    for i in (17, 250, 499):
        lengths[i] = 1
    hits, total, reach, strong = _inputs([5] * 500, lengths)
    kept, _, _ = best_first(hits, total, reach, 40, strong)
    assert kept[:3].tolist() == [17 * 3, 250 * 3, 499 * 3]
    assert len(kept) == 40


@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(1, 5)), min_size=1, max_size=60),
    st.integers(1, 70),
)
def test_kept_names_are_the_best_by_score_then_length_then_name(
    rows: list[tuple[int, int]], keep: int
) -> None:
    hits, total, reach, strong = _inputs([s for s, _ in rows], [n for _, n in rows])
    kept, kept_total, kept_reach = best_first(hits, total, reach, keep, strong)
    expected = sorted(range(len(rows)), key=lambda i: (-rows[i][0], rows[i][1], i))[:keep]
    assert kept.tolist() == [hits[i] for i in expected]
    assert kept_total.tolist() == [float(rows[i][0]) for i in expected]
    assert len(kept_reach) == len(kept)
