"""Shared fixtures: settings on a temporary home, the shared public data, a real HTTP
server on loopback, and database URLs (SQLite always, PostgreSQL when CI provides one)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from dualuse.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``../shared/data`` next to the checkout, or ``$DUALUSE_SHARED_DATA``."""
    return Path(os.environ.get("DUALUSE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        pytest.fail(f"shared data not found at {path}; set DUALUSE_SHARED_DATA")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", shared_data=shared_data_dir())


def _postgres_url() -> str | None:
    return os.environ.get("DUALUSE_TEST_POSTGRES_URL") or None


@contextlib.contextmanager
def postgres_schema(schema: str) -> Iterator[str]:
    """A URL of CI's PostgreSQL whose tables live in a schema of their own, dropped
    afterwards; skips (fails where CI requires PostgreSQL) when there is none."""
    url = _postgres_url()
    if url is None:
        if os.environ.get("CI_REQUIRE_POSTGRES"):
            pytest.fail("CI_REQUIRE_POSTGRES is set but DUALUSE_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL (set DUALUSE_TEST_POSTGRES_URL)")
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on SQLite and, where CI started one, on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with postgres_schema(f"t{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}") as url:
        yield url


def _browser_missing() -> list[str]:
    """What a browser test lacks on this machine: chromium on PATH, Playwright."""
    missing = []
    if shutil.which("chromium") is None:
        missing.append("chromium on PATH (Debian package `chromium`)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright Python package (`pip install -e '.[dev]'`)")
    return missing


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Browser tests skip with the reason where chromium or Playwright is missing,
    unless CI requires them (CI_REQUIRE_BROWSER=1, as .ci/run sets): then they fail."""
    if item.get_closest_marker("browser") is None:
        return
    missing = _browser_missing()
    if not missing:
        return
    message = "browser test needs " + " and ".join(missing)
    if os.environ.get("CI_REQUIRE_BROWSER"):
        pytest.fail(f"CI_REQUIRE_BROWSER is set but the {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def chromium() -> str:
    """Path of the chromium that browser tests drive (found on PATH)."""
    path = shutil.which("chromium")
    assert path is not None, "browser tests are skipped without chromium (see conftest)"
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A real uvicorn server on loopback, in a thread, for API tests."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def screening_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose index for the bundled lists is ready (built once per test session)."""
    from dualuse.services.screening import ensure_index

    home = tmp_path_factory.mktemp("screening-home")
    ensure_index(Settings(home=home))
    return home


@pytest.fixture
def screening_settings(screening_home: Path, tmp_path: Path) -> Settings:
    """Settings on the shared screening home, with a database of the test's own."""
    return Settings(
        home=screening_home,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        shared_data=shared_data_dir(),
    )
