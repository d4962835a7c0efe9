"""Working state: the bounded caches, and one screener shared by many threads giving
the results it gives one query at a time (the API serves requests on a thread pool
with no lock around the screener)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.screening.matching import Index, Screener
from dualuse.screening.matching.workspace import BoundedCache, CacheSizes, Workspace
from dualuse.services.bundle import PACKAGE_DATA
from tests.screening.matching.conftest import eval_queries

TINY = CacheSizes(
    forms=7, records=5, symbols=11, word_keys=3, hit_keys=4, hit_names=500, similarities=13
)
"""Caches so small that they empty themselves in the middle of almost every query."""


@pytest.fixture(scope="module")
def bundled() -> Index:
    return Index.load(PACKAGE_DATA / "bundled_index.npz")


@given(
    st.integers(1, 8),
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 50)), max_size=60),
)
def test_a_bounded_cache_never_outgrows_its_bounds_and_keeps_the_last_value(
    size: int, puts: list[tuple[int, int]]
) -> None:
    cache: BoundedCache[int, int] = BoundedCache(size, max_weight=100)
    for key, weight in puts:
        cache.put(key, weight, weight)
        assert cache[key] == weight
        assert len(cache) <= size
        assert cache.weight <= 100 or len(cache) == 1


def _queries(shared_data: Path) -> list[ScreeningQuery]:
    return [*eval_queries(shared_data, 40), ScreeningQuery(name="Владимир Путин")]


def _answers(responses: list[ScreeningResponse]) -> list[tuple[object, ...]]:
    return [
        tuple((m.entry_id, m.score, m.match, m.matched_name, m.explanation) for m in r.matches)
        for r in responses
    ]


class _Watched(Screener):
    """A screener that records how many queries used each workspace at once."""

    def __init__(self, index: Index, sizes: CacheSizes) -> None:
        super().__init__(index, cache_sizes=sizes)
        self.users: dict[int, int] = {}
        self.most_at_once = 0
        self.shared_use = 0
        self._guard = threading.Lock()

    @contextmanager
    def _workspace(self) -> Iterator[Workspace]:
        with super()._workspace() as work:
            with self._guard:
                self.users[id(work)] = self.users.get(id(work), 0) + 1
                self.shared_use += self.users[id(work)] > 1
                self.most_at_once = max(self.most_at_once, sum(self.users.values()))
            try:
                yield work
            finally:
                with self._guard:
                    self.users[id(work)] -= 1


def test_one_screener_hammered_by_threads_gives_the_sequential_results(
    bundled: Index, shared_data: Path
) -> None:
    queries = _queries(shared_data)
    sequential = Screener(bundled)
    expected = _answers([sequential.screen(q) for q in queries])
    expected_batch = _answers(sequential.screen_many(queries, limit=3, explain=False))

    shared = _Watched(bundled, TINY)
    rounds = 8
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(max_workers=rounds) as pool:
            # each thread screens every query, starting at a different one
            singles = [
                pool.submit(
                    lambda r: [(i, shared.screen(queries[i])) for i in _rotated(len(queries), r)],
                    r,
                )
                for r in range(rounds)
            ]
            batches = [
                pool.submit(shared.screen_many, queries, limit=3, explain=False) for _ in range(2)
            ]
            got = [f.result() for f in singles]
            got_batches = [f.result() for f in batches]
    finally:
        sys.setswitchinterval(switch)
    for answers in got:
        by_query = dict(answers)
        assert _answers([by_query[i] for i in range(len(queries))]) == expected
    for batch in got_batches:
        assert _answers(batch) == expected_batch
    # queries really overlapped, each in a workspace of its own
    assert shared.most_at_once > 1
    assert shared.shared_use == 0
    assert len(shared._idle) == shared.most_at_once


def _rotated(n: int, start: int) -> list[int]:
    return [(start * 7 + i) % n for i in range(n)]


def test_the_index_keeps_nothing_between_queries(bundled: Index) -> None:
    """Immutable in fact: no attribute of the index or of its word lookups is
    rebound (nothing derived on first use) and no container grows."""

    def sizes() -> dict[str, tuple[int, int]]:
        held = {**vars(bundled), **{f"words.{k}": v for k, v in vars(bundled._words).items()}}
        return {
            name: (id(v), len(v) if isinstance(v, dict | list | set | frozenset) else -1)
            for name, v in held.items()
        }

    before = sizes()
    screener = Screener(bundled)
    for name in ("Vladimir Putin", "Rosneft", "Kim Jong Un", "Ali Khamenei"):
        screener.screen(ScreeningQuery(name=name))
    screener.screen_many([ScreeningQuery(name="Hassan Rouhani")])
    assert sizes() == before
