"""The services' bounded cache behaves as a least-recently-used map of its size."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.services.cache import LruCache


@given(
    size=st.integers(0, 5),
    steps=st.lists(st.tuples(st.booleans(), st.integers(0, 8)), max_size=60),
)
def test_matches_a_plain_lru_model(size: int, steps: list[tuple[bool, int]]) -> None:
    cache: LruCache[int, str] = LruCache(size)
    model: list[int] = []  # keys, least recently used first
    for put, key in steps:
        if put:
            cache.put_many({key: str(key)})
            model = [k for k in model if k != key] + [key]
            model = model[-size:] if size else []
        else:
            found = cache.get_many([key])
            assert found == ({key: str(key)} if key in model else {})
            if key in model:
                model = [k for k in model if k != key] + [key]
        assert len(cache) == len(model) <= size


def test_refuses_a_negative_size() -> None:
    with pytest.raises(ValueError, match="negative"):
        LruCache(-1)
