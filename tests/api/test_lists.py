"""``/v1/lists``: status for screeners, update for admins only, on a real server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer
from tests.screening.lists.server import FileServer, Route


def test_status_and_update_by_role(shared_data: Path, settings: Settings) -> None:
    un = (shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml").read_bytes()
    with FileServer({"/un.xml": Route(un, "application/xml")}) as files:
        configured = replace(
            settings,
            screening=replace(settings.screening, list_urls=f"un_sc={files.url('/un.xml')}"),
        )
        engine = make_engine(configured.db_url)
        _, screener = apikeys.create_key(engine, "s", frozenset({Role.SCREENER}))
        _, admin = apikeys.create_key(engine, "a", frozenset({Role.ADMIN}))
        with LiveServer(create_app(configured)) as server:
            base = f"{server.url}/v1/lists"
            assert httpx.get(base).status_code == 401
            status = httpx.get(base, headers={"X-API-Key": screener})
            assert status.status_code == 200
            body = status.json()
            assert {row["list_id"] for row in body["lists"]} == {
                "us_csl",
                "us_ofac_sdn",
                "us_ofac_cons",
            }
            assert len(body["fingerprint"]) == 64
            denied = httpx.post(
                f"{base}/update", json={"lists": ["un_sc"]}, headers={"X-API-Key": screener}
            )
            assert denied.status_code == 403
            bad = httpx.post(
                f"{base}/update", json={"lists": ["nope"]}, headers={"X-API-Key": admin}
            )
            assert bad.status_code == 400 and "unknown list" in bad.json()["detail"]
            done = httpx.post(
                f"{base}/update",
                json={"lists": ["un_sc"]},
                headers={"X-API-Key": admin},
                timeout=120,
            )
            assert done.status_code == 200, done.text
            assert done.json()["ok"] is True
            assert done.json()["outcomes"][0]["version"] == "2026-02-27"
            after = httpx.get(base, headers={"X-API-Key": screener}).json()
            assert after["fingerprint"] != body["fingerprint"]
            assert "un_sc" in {row["list_id"] for row in after["lists"]}
            spec = httpx.get(f"{server.url}/openapi.json", headers={"X-API-Key": screener}).json()
            assert {"/v1/lists", "/v1/lists/update"} <= set(spec["paths"])
    records = audit.records(engine, subject="list:un_sc")
    assert records[-1].actor.startswith("apikey:") and records[-1].action == "lists.update"
