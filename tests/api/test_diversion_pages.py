"""The analyst pages for ownership and trade flows over a real server: a key is needed,
answers are escaped, a bad line is a 400 naming it, and the flows report's embedded
charts are allowed by its page's CSP."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer
from tests.diversion.ownership.graphs import listed, own

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _graph() -> str:
    records = [
        listed("X"),
        {"id": "A", "schema": "Company", "properties": {"name": ["<script>alert(1)</script>"]}},
        {"id": "B", "schema": "Company", "properties": {"name": ["Vormqix Holdings"]}},
        own("X", "A", "50"),
        own("X", "B"),
    ]
    return "\n".join(json.dumps(r) for r in records)


def test_ownership_page(screening_settings: Settings) -> None:
    _, key = apikeys.create_key(
        make_engine(screening_settings.db_url), "analyst", frozenset({Role.SCREENER})
    )
    auth = {"X-API-Key": key}
    with LiveServer(create_app(screening_settings)) as server:
        url = f"{server.url}/v1/ownership/page"
        assert httpx.get(url).status_code == 401
        empty = httpx.get(url, headers=auth)
        assert empty.status_code == 200 and 'name="records"' in empty.text
        body = urlencode({"records": _graph(), "rule": "ofac", "as_of": "2025-01-01"})
        page = httpx.post(url, content=body, headers={**auth, **FORM}, timeout=60)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
        assert 'data-id="A"' in page.text and "X → A" in page.text and "50%" in page.text
        assert 'id="unknown"' in page.text and 'data-id="B"' in page.text
        assert "content-security-policy" in page.headers
        bad = urlencode({"records": _graph() + "\n{not json", "rule": "ofac"})
        refused = httpx.post(url, content=bad, headers={**auth, **FORM}, timeout=60)
        assert refused.status_code == 400 and "line 6" in refused.text


def test_flows_report_page(screening_settings: Settings) -> None:
    _, key = apikeys.create_key(
        make_engine(screening_settings.db_url), "analyst", frozenset({Role.SCREENER})
    )
    with LiveServer(create_app(screening_settings)) as server:
        url = f"{server.url}/v1/flows/report"
        assert httpx.get(url).status_code == 401
        page = httpx.get(url, headers={"X-API-Key": key}, timeout=300)
    assert page.status_code == 200
    assert "img-src 'self' data:" in page.headers["content-security-policy"]
    assert 'src="data:image/' in page.text
