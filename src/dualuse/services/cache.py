"""A bounded least-recently-used map that threads can share: the services keep answers
that cannot change while their loaded data stays the same."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``size`` entries (0: keeps nothing); reads and writes take one lock, so
    concurrent request threads never see it half-updated."""

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("an LruCache cannot hold a negative number of entries")
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The entries found among ``keys`` (each marked as recently used)."""
        out: dict[K, V] = {}
        with self._lock:
            for key in keys:
                value = self._data.get(key)
                if value is not None:
                    self._data.move_to_end(key)
                    out[key] = value
        return out

    def put_many(self, items: Mapping[K, V]) -> None:
        """Add or refresh ``items``, dropping the least recently used beyond ``size``."""
        with self._lock:
            for key, value in items.items():
                self._data[key] = value
                self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
