"""Bring a database to the newest schema with Alembic, quickly and safely.

Every engine the package makes passes through :func:`upgrade`. The usual case, a
database already at the newest revision, costs one small query. Otherwise the upgrade
runs under a lock, so two servers starting on one database do not both migrate it:
a PostgreSQL advisory lock, or for a SQLite file an exclusive ``flock`` on a file
beside it; the revision is read again under the lock. A database made before
migrations existed (tables, no version) upgrades in place: the baseline creates only
missing tables and the ``scope`` migration adds the column only where it is missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_KEY = 0x6475_6D69_6772_6174
"""PostgreSQL advisory lock held while migrating ('dumigrat')."""
_local = threading.Lock()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def heads() -> tuple[str, ...]:
    """The newest revision(s) the package ships."""
    return tuple(sorted(ScriptDirectory.from_config(_config()).get_heads()))


def current(conn: Connection) -> tuple[str, ...]:
    """The revision(s) the database is at (empty before its first migration)."""
    return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade ``engine``'s database to ``revision`` (default the newest), if needed."""
    if revision == "head":
        with engine.connect() as conn:
            if current(conn) == heads():
                return
    with _local, _file_lock(engine), engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()
        try:
            if revision != "head" or current(conn) != heads():
                config = _config()
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()


@contextlib.contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock beside a SQLite file (other processes migrating wait); the
    file is private like the database."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        yield
        return
    fd = os.open(f"{database}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
