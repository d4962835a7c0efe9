"""A database that cannot take a write in time answers 503 with Retry-After, never 500
(issue 17 §4: under saturation, a few of ~3,000 screening requests answered 500)."""

import sqlite3
from typing import Any

import httpx
from sqlalchemy import create_engine, event, make_url

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer


def _short_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=200")


def test_locked_database_answers_503_and_records_nothing(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "screening", frozenset({Role.SCREENER}))
    auth = {"Authorization": f"Bearer {key}"}
    app = create_app(screening_settings)
    event.listen(app.state.engine, "connect", _short_busy_timeout)
    app.state.engine.dispose()
    before = len(audit.records(engine))
    path = make_url(screening_settings.db_url).database
    assert path
    with LiveServer(app) as server:
        url = f"{server.url}/v1/screen"
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
        try:
            locked = httpx.post(url, json={"name": "Gazprom Neft"}, headers=auth, timeout=60)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert locked.status_code == 503
        assert locked.headers["retry-after"] == "1"
        assert "retry" in locked.json()["detail"]
        assert len(audit.records(engine)) == before
        again = httpx.post(url, json={"name": "Gazprom Neft"}, headers=auth, timeout=60)
        assert again.status_code == 200
    assert len(audit.records(engine)) == before + 1


def test_exhausted_connection_pool_answers_503(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "screening", frozenset({Role.SCREENER}))
    app = create_app(screening_settings)
    app.state.engine = create_engine(
        screening_settings.db_url, pool_size=1, max_overflow=0, pool_timeout=0.2
    )
    with LiveServer(app) as server:
        held = app.state.engine.connect()  # the pool's only connection is taken
        try:
            answer = httpx.post(
                f"{server.url}/v1/screen",
                json={"name": "Gazprom Neft"},
                headers={"X-API-Key": key},
                timeout=60,
            )
        finally:
            held.close()
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "1"
