from dataclasses import replace

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import ApiSettings, Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer


@pytest.fixture
def server(settings: Settings) -> LiveServer:
    return LiveServer(create_app(settings))


def test_healthz_open_audit_needs_role(settings: Settings, server: LiveServer) -> None:
    engine = make_engine(settings.db_url)
    _, screener = apikeys.create_key(engine, "s", frozenset({Role.SCREENER}))
    _, reviewer = apikeys.create_key(engine, "r", frozenset({Role.REVIEWER}))
    with server:
        assert httpx.get(f"{server.url}/healthz").json()["status"] == "ok"
        assert httpx.get(f"{server.url}/v1/audit").status_code == 401
        bad = httpx.get(f"{server.url}/v1/audit", headers={"X-API-Key": "du_x_y"})
        assert bad.status_code == 401
        forbidden = httpx.get(
            f"{server.url}/v1/audit", headers={"Authorization": f"Bearer {screener}"}
        )
        assert forbidden.status_code == 403
        ok = httpx.get(f"{server.url}/v1/audit/verify", headers={"X-API-Key": reviewer})
        assert ok.status_code == 200 and ok.json()["intact"] is True
        spec = httpx.get(f"{server.url}/openapi.json", headers={"X-API-Key": screener}).json()
        assert "/v1/audit" in spec["paths"]


def test_oversized_body_rejected(settings: Settings) -> None:
    small = replace(settings, api=ApiSettings(max_body_bytes=100))
    with LiveServer(create_app(small)) as server:
        response = httpx.post(f"{server.url}/v1/audit", content=b"x" * 1000)
        assert response.status_code == 413
