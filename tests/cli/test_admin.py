"""``dualuse serve --workers N`` (N processes answer on one port) and the audit commands."""

from __future__ import annotations

import json
import os
import sqlite3
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
from tests.helpers import run_cli


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(x) for x in text.split()]


_SERVE = [sys.executable, "-c", "from dualuse.cli.main import main; main()", "serve"]


def _start_server(
    settings: Settings, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``dualuse serve ARGS`` in a process of its own, once it answers ``/healthz``."""
    port = free_port()
    full_env = dict(
        os.environ,
        DUALUSE_HOME=str(settings.home),
        DUALUSE_DATABASE_URL=str(settings.database_url),
        **(env or {}),
    )
    server = subprocess.Popen(
        [*_SERVE, "--port", str(port), *args],
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read() if server.stderr else "exited")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.kill()
            raise AssertionError("the server did not start")
        time.sleep(0.2)


def test_serve_with_two_workers_screens_in_two_processes(
    screening_settings: Settings,
) -> None:
    _, key = apikeys.create_key(
        make_engine(screening_settings.db_url), "screening", frozenset({Role.SCREENER})
    )
    server, url = _start_server(screening_settings, "--workers", "2")
    try:
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


def test_checkpoint_then_truncation_is_caught(tmp_path: Path) -> None:
    env = {"DUALUSE_HOME": str(tmp_path / "home")}
    for name in ("a", "b", "c"):
        assert run_cli(["keys", "create", name], env=env).returncode == 0
    cp = tmp_path / "elsewhere" / "cp.json"
    made = run_cli(["audit", "checkpoint", str(cp)], env=env)
    assert made.returncode == 0, made.stderr
    signed = json.loads(cp.read_text())
    assert signed["count"] == 3 and len(signed["signature"]) > 80
    key = tmp_path / "home" / "audit" / "checkpoint-key.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    ok = run_cli(["audit", "verify", "--checkpoint", str(cp)], env=env)
    assert ok.returncode == 0 and "4 records" in ok.stderr, ok.stderr  # + the checkpoint's own

    with sqlite3.connect(tmp_path / "home" / "dualuse.db") as db:
        db.execute("DELETE FROM audit_log WHERE seq >= 3")
    assert run_cli(["audit", "verify"], env=env).returncode == 0  # the chain alone: no sign
    caught = run_cli(["audit", "verify", "--checkpoint", str(cp)], env=env)
    assert caught.returncode == 2 and "record 3 was deleted" in caught.stderr
    assert "Traceback" not in caught.stderr


def test_openapi_prints_the_spec(tmp_path: Path) -> None:
    r = run_cli(["openapi"], env={"DUALUSE_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    spec = json.loads(r.stdout)
    assert "/v1/screen" in spec["paths"] and "/v1/audit/verify" in spec["paths"]


def _get_twice(url: str, pause_s: float) -> bytes:
    """Two requests on one connection, ``pause_s`` apart; the second answer's bytes."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"

    def answer(conn: socket.socket) -> bytes:
        data = b""
        while b"}" not in data:  # the whole JSON body, however it was cut into packets
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        assert b"200 OK" in answer(conn)
        time.sleep(pause_s)
        try:
            conn.sendall(request)
            return answer(conn)
        except OSError:
            return b""


def test_serve_keeps_idle_connections_open_longer_than_uvicorns_default(
    screening_settings: Settings,
) -> None:
    server, url = _start_server(screening_settings)
    try:
        assert b"200 OK" in _get_twice(url, 6.0)  # uvicorn's own default closes after 5 s
    finally:
        server.terminate()
        server.wait(timeout=30)
    short, url = _start_server(screening_settings, env={"DUALUSE_API_KEEP_ALIVE_S": "1"})
    try:
        assert _get_twice(url, 2.5) == b""  # the setting is what the server uses
    finally:
        short.terminate()
        short.wait(timeout=30)
