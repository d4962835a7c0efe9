"""``dualuse serve --workers N``: N processes answer on one port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import free_port


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(x) for x in text.split()]


def test_serve_with_two_workers_screens_in_two_processes(
    screening_settings: Settings,
) -> None:
    _, key = apikeys.create_key(
        make_engine(screening_settings.db_url), "screening", frozenset({Role.SCREENER})
    )
    port = free_port()
    env = dict(
        os.environ,
        DUALUSE_HOME=str(screening_settings.home),
        DUALUSE_DATABASE_URL=str(screening_settings.database_url),
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from dualuse.cli.main import main; main()",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        assert len(_children(server.pid)) >= 2

        def best(name: str) -> str:
            response = httpx.post(
                f"{url}/v1/screen", json={"name": name}, headers={"X-API-Key": key}, timeout=120
            )
            assert response.status_code == 200, response.text
            return str(response.json()["matches"][0]["name"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            found = set(pool.map(best, ["Vladimir Putin"] * 16))
        assert len(found) == 1
        assert "PUTIN" in next(iter(found)).upper()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_workers_listener_gives_connections_tcp_nodelay() -> None:
    # asyncio sets TCP_NODELAY only on accepted sockets whose protocol is TCP
    import socket

    from uvicorn import Config

    from dualuse.cli.admin import tcp_listener

    listener = tcp_listener(Config("x:y", host="127.0.0.1", port=free_port()))
    listener.listen()  # as the server does when it starts
    with listener, socket.create_connection(listener.getsockname()[:2]):
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.proto == socket.IPPROTO_TCP
