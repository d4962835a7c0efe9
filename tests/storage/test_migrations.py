"""Alembic migrations: a database made before migrations (and before the api key
``scope`` column) upgrades in place; a new database's schema is exactly the tables'
definitions; concurrent starts migrate once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from dualuse.storage import apikeys, audit, migrate
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine, metadata

OLD_DDL = """
CREATE TABLE api_keys (
    key_id VARCHAR(32) NOT NULL,
    name VARCHAR(200) NOT NULL,
    digest VARCHAR(64) NOT NULL,
    roles VARCHAR(200) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    revoked_at VARCHAR(40),
    PRIMARY KEY (key_id)
);
CREATE TABLE audit_log (
    seq BIGINT NOT NULL,
    at VARCHAR(40) NOT NULL,
    actor VARCHAR(200) NOT NULL,
    action VARCHAR(100) NOT NULL,
    subject VARCHAR(400) NOT NULL,
    payload TEXT NOT NULL,
    prev_hash VARCHAR(64) NOT NULL,
    hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (seq),
    UNIQUE (hash)
);
CREATE INDEX ix_audit_log_action ON audit_log (action);
CREATE INDEX ix_audit_log_subject ON audit_log (subject);
"""
"""The DDL ``create_all`` emitted for these tables before commit 7db1b73 added ``scope``."""


def test_a_database_from_before_migrations_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(OLD_DDL)
        old.execute(
            "INSERT INTO api_keys VALUES ('abc123', 'ops', ?, 'screener', '2026-11-01', NULL)",
            (apikeys._digest("secret"),),
        )
    old.close()
    engine = make_engine(f"sqlite:///{path}")
    columns = {c["name"] for c in inspect(engine).get_columns("api_keys")}
    assert "scope" in columns
    principal = apikeys.authenticate(engine, "du_abc123_secret")  # the old key still works
    assert principal.roles == frozenset({Role.SCREENER}) and principal.scope is None
    assert {"decisions", "cases", "tracking_devices"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.heads()
    audit.append(engine, actor="t", action="a", subject="s")
    assert audit.verify_chain(engine) == 1
    _key_id, key = apikeys.create_key(engine, "dev", frozenset({Role.DEVICE}), scope="device:d1")
    assert apikeys.authenticate(engine, key).scope == "device:d1"


def test_new_schema_is_exactly_the_table_definitions(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
        assert differences == [], differences
        assert migrate.current(conn) == migrate.heads() == ("0003_cases",)
    engine.dispose()


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate.upgrade(engine, "0002_api_key_scope")  # already past it: a no-op
    from alembic import command

    config = migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001_baseline")
    assert "decisions" not in inspect(engine).get_table_names()
    assert "scope" not in {c["name"] for c in inspect(engine).get_columns("api_keys")}
    migrate.upgrade(engine)
    assert "decisions" in inspect(engine).get_table_names()


def test_concurrent_starts_migrate_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        barrier.wait()
        try:
            make_engine(url).dispose()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = make_engine(url)
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.heads()
