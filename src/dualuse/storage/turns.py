"""Turns for writers to one SQLite file (the service layer's write transactions)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections import deque
from typing import Any

from sqlalchemy import Engine


class _Turns:
    """First come, first served among the threads of this process (a ticket queue),
    then an exclusive ``flock`` on a private file beside the database among
    processes: the kernel wakes a waiting process when the lock is free, where
    SQLite's busy handler would have it poll with growing sleeps and lose to the
    other process's next writer for seconds at a time."""

    def __init__(self, database: str) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Event] = deque()
        self._fd = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)

    def __enter__(self) -> None:
        with self._lock:
            gate = None
            if self._busy:
                gate = threading.Event()
                self._waiting.append(gate)
            else:
                self._busy = True
        if gate is not None:
            gate.wait()  # the writer before hands its turn to this thread alone
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._done()
            raise

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._done()

    def _done(self) -> None:
        """Hand the turn to the longest waiter (waking only it: waking all 40 threads of
        a server for each commit cost more CPU than the commits), else free it."""
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._busy = False


_TURNS: dict[str, _Turns] = {}
_TURNS_LOCK = threading.Lock()


def writer_turn(engine: Engine) -> contextlib.AbstractContextManager[Any]:
    """Writers to one SQLite file wait their turn here, before taking a pooled
    connection.

    SQLite admits one writer at a time. Without this, every server thread waiting for
    the write lock held a pooled connection while it waited, and under 200 clients the
    pool ran dry: 444 of 50,000 requests failed with SQLAlchemy's pool timeout (a 500;
    bench/decision_load.py, docs/benchmarks.md). Only the short write transaction takes
    turns, never the decision itself; PostgreSQL writers need no turns."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return contextlib.nullcontext()
    with _TURNS_LOCK:
        turns = _TURNS.get(database)
        if turns is None:
            turns = _TURNS[database] = _Turns(database)
        return turns
