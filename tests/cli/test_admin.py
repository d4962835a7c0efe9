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
