"""The HTTP edge on a real server on loopback: a key before the body, the body limit while
it streams, strict JSON, small error answers, security headers, a private spec."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import ApiSettings, Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer

UPLOAD = 150 * 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture
def keys(settings: Settings) -> dict[str, str]:
    engine = make_engine(settings.db_url)
    keys = {
        role.value: apikeys.create_key(engine, role.value, frozenset({role}))[1]
        for role in (Role.SCREENER, Role.OPERATOR)
    }
    keys["device"] = apikeys.create_key(engine, "d", frozenset({Role.DEVICE}), scope="device:d")[1]
    return keys


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings)) as live:
        yield live


def chunked_upload(port: int, path: str, headers: dict[str, str]) -> tuple[str, int, float]:
    """POST a 150 MB chunked body over a raw socket, watching for an early answer.

    Returns the status line, the body bytes sent before the answer came (or the server
    closed the connection) and the seconds taken.
    """
    start = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
    head += "Content-Type: application/json\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    sock.sendall(head.encode())
    frame = f"{CHUNK:x}\r\n".encode() + b"[" * CHUNK + b"\r\n"
    sent = 0
    pending = b""
    sock.setblocking(False)
    try:
        while sent < UPLOAD or pending:
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    break  # the server answered
            except BlockingIOError:
                pass
            if not pending:
                pending = frame
                sent += CHUNK
            try:
                pending = pending[sock.send(pending) :]
            except BlockingIOError:
                time.sleep(0.001)  # the server is not reading; its answer may be on the way
        else:
            sock.setblocking(True)
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    sock.setblocking(True)
    answer = b""
    try:
        while b"\r\n" not in answer:
            piece = sock.recv(4096)
            if not piece:
                break
            answer += piece
    except ConnectionResetError:
        pass
    sock.close()
    return answer.split(b"\r\n", 1)[0].decode(), sent, time.monotonic() - start


def test_an_upload_without_a_key_is_refused_before_its_body(server: LiveServer) -> None:
    status, sent, seconds = chunked_upload(server.port, "/v1/screen", {})
    print(f"no key: {status!r} after {sent / 2**20:.1f} MB of 150 MB, {seconds:.2f} s")
    assert status == "HTTP/1.1 401 Unauthorized"
    assert sent < UPLOAD // 10  # what socket buffers took, not the body


def test_a_keyed_upload_over_the_limit_is_refused_while_it_streams(
    settings: Settings, keys: dict[str, str]
) -> None:
    small = replace(settings, api=ApiSettings(max_body_bytes=1024 * 1024))
    with LiveServer(create_app(small)) as server:
        status, sent, seconds = chunked_upload(
            server.port, "/v1/screen", {"X-API-Key": keys["screener"]}
        )
        print(f"keyed: {status!r} after {sent / 2**20:.1f} MB of 150 MB, {seconds:.2f} s")
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        assert sent < UPLOAD // 10
        # Under the limit, the same server still answers.
        ok = httpx.post(
            f"{server.url}/v1/controls/search?q=x", headers={"X-API-Key": keys["screener"]}
        )
        assert ok.status_code == 405


def test_a_bad_key_is_refused_before_the_body(server: LiveServer) -> None:
    status, sent, _ = chunked_upload(server.port, "/v1/screen", {"X-API-Key": "du_nope_nope"})
    assert status == "HTTP/1.1 401 Unauthorized"
    assert sent < UPLOAD // 10


def post_raw(server: LiveServer, key: str, path: str, body: str | bytes) -> httpx.Response:
    return httpx.post(
        f"{server.url}{path}",
        content=body,
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/screen", '{"name": "Ivan Petrov", "threshold": NaN}'),
        ("/v1/screen", '{"name": "Ivan Petrov", "threshold": Infinity}'),
        ("/v1/screen", '{"name": "Ivan Petrov", "threshold": -1e400}'),
        ("/v1/screen", '{"name": "Ivan \\ud800 Petrov"}'),
        ("/v1/screen", b'{"name": "Ivan \xff Petrov"}'),
        ("/v1/classify", '{"params": {"tflops_fp16": NaN}}'),
        ("/v1/classify", '{"params": {"tflops_fp16": 1e400}}'),
        (
            "/v1/tracking/locate",
            '{"measurements": [{"landmark_lat": NaN, "landmark_lon": 1, "rtt_ms": 1}]}',
        ),
    ],
)
def test_what_json_does_not_allow_is_a_422(
    server: LiveServer, keys: dict[str, str], path: str, body: str
) -> None:
    response = post_raw(server, keys["screener"], path, body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_numbers_too_large_are_a_clear_error(server: LiveServer, keys: dict[str, str]) -> None:
    screener = {"X-API-Key": keys["screener"]}
    huge = httpx.post(
        f"{server.url}/v1/classify", json={"params": {"tflops_fp16": 1e25}}, headers=screener
    )
    assert huge.status_code == 400 and "tflops_fp16" in huge.json()["detail"]
    text = httpx.post(
        f"{server.url}/v1/classify", json={"params": {"tflops_fp16": "9" * 5000}}, headers=screener
    )
    assert text.status_code == 400 and len(text.content) < 2000


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("DELETE", f"/v1/tracking/overrides/{2**63}", None),
        ("GET", f"/v1/tracking/devices/d/map?evidence_id={2**64}", None),
        ("GET", f"/v1/tracking/devices/d/map.png?evidence_id={-(2**63) - 1}", None),
        ("POST", "/v1/tracking/devices/d/lease", {"evidence_id": 2**63, "lease_nonce": "AAAA"}),
        ("GET", f"/v1/tracking/devices/d?limit={2**70}", None),
    ],
)
def test_integers_past_64_bits_are_a_422(
    server: LiveServer, keys: dict[str, str], method: str, path: str, body: object
) -> None:
    key = keys["device"] if path.endswith("lease") else keys["operator"]
    response = httpx.request(
        method, f"{server.url}{path}", json=body, headers={"X-API-Key": key}, timeout=60
    )
    assert response.status_code == 422, response.text


def test_a_422_does_not_echo_megabytes(server: LiveServer, keys: dict[str, str]) -> None:
    big = "A" * (5 * 1024 * 1024)
    for body in ({"name": big}, {"id": big}, {"name": "x", big[:100_000]: 1}):
        response = post_raw(server, keys["screener"], "/v1/screen", json.dumps(body))
        assert response.status_code == 422
        assert len(response.content) < 5000, len(response.content)
        assert "characters)" in response.text


def test_headers_on_api_answers(server: LiveServer, keys: dict[str, str]) -> None:
    for response in (
        httpx.get(f"{server.url}/healthz"),
        httpx.get(f"{server.url}/v1/lists"),
        httpx.get(f"{server.url}/v1/lists", headers={"X-API-Key": keys["screener"]}),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


def test_the_spec_needs_a_key_and_docs_are_not_served(
    server: LiveServer, keys: dict[str, str]
) -> None:
    assert httpx.get(f"{server.url}/openapi.json").status_code == 401
    spec = httpx.get(f"{server.url}/openapi.json", headers={"X-API-Key": keys["device"]})
    assert spec.status_code == 200 and "/v1/screen" in spec.json()["paths"]
    for page in ("/docs", "/redoc"):
        assert httpx.get(f"{server.url}{page}").status_code == 401
        keyed = httpx.get(f"{server.url}{page}", headers={"X-API-Key": keys["device"]})
        assert keyed.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/screen", {"name": "Ivan\u0000Petrov"}),
        ("POST", "/v1/screen", {"name": "Ivan Petrov", "id": "a\u0000"}),
        ("POST", "/v1/tracking/devices/d%00/nonce", None),
        ("GET", "/v1/audit?subject=%00", None),
        ("GET", "/v1/tracking/devices/%ED%A0%80", None),  # a lone surrogate, UTF-8 encoded
    ],
)
def test_nul_and_surrogates_in_paths_and_bodies_are_refused(
    settings: Settings, db_url: str, method: str, path: str, body: object
) -> None:
    """On PostgreSQL a NUL reached the database and came back as a 500."""
    settings = replace(settings, database_url=db_url)
    _, admin = apikeys.create_key(make_engine(db_url), "a", frozenset({Role.ADMIN}))
    with LiveServer(create_app(settings)) as server:
        response = httpx.request(
            method, f"{server.url}{path}", json=body, headers={"X-API-Key": admin}, timeout=60
        )
    if "%ED" in path:
        assert response.status_code == 404  # decoded as U+FFFD: a clean "no such device"
    else:
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["type"] == "nul_character"


def test_a_body_cut_short_by_a_disconnect_runs_nothing(
    screening_settings: Settings,
) -> None:
    """The edge reads the body for the route: a client gone mid-body must not leave the
    route a shorter body that happens to be valid JSON."""
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "s", frozenset({Role.SCREENER}))
    with LiveServer(create_app(screening_settings)) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        complete = b'{"name": "Ivan Petrov"}'
        head = (
            f"POST /v1/screen HTTP/1.1\r\nHost: x\r\nX-API-Key: {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(complete) + 50}\r\n\r\n"
        )
        sock.sendall(head.encode() + complete)
        time.sleep(0.5)
        sock.close()
        time.sleep(1.0)
        ok = httpx.post(
            f"{server.url}/v1/screen", json={"name": "Ivan Petrov"}, headers={"X-API-Key": key}
        )
        assert ok.status_code == 200
    from dualuse.storage import audit

    assert [r.action for r in audit.records(engine) if r.action == "screen"] == ["screen"]


@pytest.mark.parametrize("length", ["9" * 5000, "99999999999999999999", "1e3", "-5"])
def test_an_odd_content_length_is_a_4xx(server: LiveServer, length: str) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            f"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}".encode()
        )
        status = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    assert status.split()[1] in {"400", "413"}, status
