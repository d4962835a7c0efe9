"""The SQL database: one engine per settings, tables on one shared ``MetaData``.

SQLite is the embedded default (a file under ``Settings.home``); any SQLAlchemy URL
(e.g. ``postgresql+psycopg://...``) works by setting ``DUALUSE_DATABASE_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, make_url

metadata = MetaData()
POOL = {"pool_size": 10, "max_overflow": 20}
SQLITE_POOL = {"pool_size": 10, "max_overflow": 50}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _create_private(path: Path) -> None:
    """Create the SQLite file readable and writable by its owner only (0600).

    The database holds the audit log, API key digests and device data. SQLite gives its
    WAL and shared-memory files the main file's mode, so they are private too. An
    existing file keeps the mode its owner gave it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str) -> Engine:
    """Create an engine on a database at the newest schema (Alembic ``upgrade head``;
    one small query when it is already there)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _create_private(Path(parsed.database))
    # a server's thread pool (40 threads) shares one engine, and a thread the crowded
    # CPU does not schedule holds its connection meanwhile: 5 + 10 connections left
    # threads waiting past the 30 s pool timeout under 200 clients. A SQLite file gets
    # more connections than there are threads (they cost a file handle); PostgreSQL
    # 10 + 20 per process, inside its default 100 for two servers of two workers.
    sqlite = parsed.get_backend_name() == "sqlite"
    memory = sqlite and parsed.database in (None, "", ":memory:")
    pool = {} if memory else SQLITE_POOL if sqlite else POOL
    # a file database has no server connection to go stale: no ping before each use
    engine = create_engine(url, future=True, pool_pre_ping=not sqlite, **pool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    _import_table_modules()
    from dualuse.storage.migrate import upgrade

    upgrade(engine)
    return engine


def _import_table_modules() -> None:
    """Import every storage module so its tables join ``metadata``."""
    import importlib
    import pkgutil

    import dualuse.storage as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name not in {"db", "files", "migrate", "migrations", "turns"}:
            importlib.import_module(f"dualuse.storage.{info.name}")
