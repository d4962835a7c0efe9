"""Network and shell endpoints on a real server over loopback: auth, role, answers, bad
input (400 or 422 naming the problem, never 500)."""

from __future__ import annotations

import httpx

from dualuse.api.app import create_app
from dualuse.settings import Settings
from tests.api.test_controls import keys  # noqa: F401 (fixture: screener and device keys)
from tests.conftest import LiveServer


def test_network_and_shell_api(settings: Settings, keys: dict[str, str]) -> None:  # noqa: F811
    with LiveServer(create_app(settings)) as server:
        url = server.url
        gen = {"seed": 3, "scale": 0.3}
        assert httpx.post(f"{url}/v1/network/generate", json=gen).status_code == 401
        wrong = httpx.post(
            f"{url}/v1/network/generate", json=gen, headers={"X-API-Key": keys["device"]}
        )
        assert wrong.status_code == 403
        auth = {"Authorization": f"Bearer {keys['screener']}"}
        world = httpx.post(f"{url}/v1/network/generate", json=gen, headers=auth, timeout=60)
        assert world.status_code == 200, world.text
        data = world.json()
        body = {"shipments": data["shipments"], "companies": data["companies"]}
        r = httpx.post(f"{url}/v1/network/analyse", json=body, headers=auth, timeout=60)
        assert r.status_code == 200, r.text
        flagged = {x["id"] for x in r.json()["intermediaries"] if x["flagged"]}
        planted = {x for s in data["truth"]["schemes"] for x in s["intermediaries"]}
        assert flagged & planted
        broken = {"shipments": [{"id": "x", "date": "never"}, {"a": 1}], "communities": False}
        b = httpx.post(f"{url}/v1/network/analyse", json=broken, headers=auth, timeout=60)
        assert b.status_code == 200 and b.json()["counts"]["skipped"] == 2
        assert "shipment 1" in b.json()["findings"][0]["where"]
        not_object = {"shipments": [5]}
        assert (
            httpx.post(f"{url}/v1/network/analyse", json=not_object, headers=auth).status_code
            == 422
        )
        bad_company = {"shipments": [], "companies": [{"id": "c", "schema": "Nope"}]}
        c = httpx.post(f"{url}/v1/network/analyse", json=bad_company, headers=auth, timeout=60)
        assert c.status_code == 400 and "company 1" in c.json()["detail"]
        extra = httpx.post(f"{url}/v1/network/analyse", json=body | {"x": 1}, headers=auth)
        assert extra.status_code == 422
        hops = httpx.post(f"{url}/v1/network/analyse", json=body | {"max_hops": 99}, headers=auth)
        assert hops.status_code == 422
        shell = {"records": data["companies"][:50], "as_of": "2025-01-01", "screen": False}
        s = httpx.post(f"{url}/v1/shell/score", json=shell, headers=auth, timeout=60)
        assert s.status_code == 200, s.text
        assert s.json()["counts"]["companies"] == 50
        bad = httpx.post(f"{url}/v1/shell/score", json={"records": [{"x": 1}]}, headers=auth)
        assert bad.status_code == 400 and "record 1" in bad.json()["detail"]
