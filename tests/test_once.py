"""A loader asked by many threads at once runs once, and a failed load is retried."""

from __future__ import annotations

import threading
import time

import pytest

from dualuse.once import load_once
from dualuse.reference.names.lexicon import default_lexicon


def test_many_threads_at_once_share_one_load() -> None:
    calls: list[int] = []

    @load_once
    def slow() -> object:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive during the load
        return object()

    barrier = threading.Barrier(16)
    got: list[object] = []

    def ask() -> None:
        barrier.wait()
        got.append(slow())

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1
    assert len(got) == 16 and all(g is got[0] for g in got)


def test_a_failed_load_raises_and_the_next_caller_tries_again() -> None:
    attempts: list[int] = []

    @load_once
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("truncated file")
        return 7

    with pytest.raises(OSError, match="truncated"):
        flaky()
    assert flaky() == 7 and flaky() == 7
    assert len(attempts) == 2


def test_the_shared_lexicon_is_one_object() -> None:
    assert default_lexicon() is default_lexicon()
