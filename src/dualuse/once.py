"""Loaders that run once per process, however many threads ask at once.

``functools.lru_cache`` does not hold other callers back while the first one loads:
on a server's first requests, each of its 40 request threads ran the loader itself
(the name lexicon: one worker reached 8 GB). :func:`load_once` makes the others wait for
the first load and share it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def load_once(load: Callable[[], T]) -> Callable[[], T]:
    """``load()`` runs once; every caller gets its result (a failed load raises to its
    caller and is tried again by the next one)."""
    lock = threading.Lock()
    loaded: list[T] = []

    @functools.wraps(load)
    def get() -> T:
        if not loaded:
            with lock:
                if not loaded:
                    loaded.append(load())
        return loaded[0]

    return get
