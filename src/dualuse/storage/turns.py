"""Turns for writers to one SQLite file (the service layer's write transactions)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from typing import Any

from sqlalchemy import Engine


class _Turns:
    """First come, first served among the threads of this process (a ticket queue),
    then an exclusive ``flock`` on a private file beside the database among
    processes: the kernel wakes a waiting process when the lock is free, where
    SQLite's busy handler would have it poll with growing sleeps and lose to the
    other process's next writer for seconds at a time."""

    def __init__(self, database: str) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0
        self._fd = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                self._cond.wait()
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._done()
            raise

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._done()

    def _done(self) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


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
