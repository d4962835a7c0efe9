"""Diversion endpoints on a real server over loopback: auth, role, answers, bad input."""

from __future__ import annotations

import httpx

from dualuse.api.app import create_app
from dualuse.settings import Settings
from tests.api.test_controls import keys  # noqa: F401 (fixture: screener and device keys)
from tests.conftest import LiveServer
from tests.diversion.ownership.graphs import listed, own, party


def test_ownership_and_flows_api(settings: Settings, keys: dict[str, str]) -> None:  # noqa: F811
    body = {
        "rule": "ofac",
        "as_of": "2025-01-01",
        "records": [listed("X"), listed("Y"), party("A"), own("X", "A", "25"), own("Y", "A", "25")],
    }
    with LiveServer(create_app(settings)) as server:
        url = server.url
        assert httpx.post(f"{url}/v1/ownership", json=body).status_code == 401
        wrong = httpx.post(f"{url}/v1/ownership", json=body, headers={"X-API-Key": keys["device"]})
        assert wrong.status_code == 403
        auth = {"Authorization": f"Bearer {keys['screener']}"}
        r = httpx.post(f"{url}/v1/ownership", json=body, headers=auth, timeout=30)
        assert r.status_code == 200, r.text
        (a,) = r.json()["blocked"]
        assert a["id"] == "A" and a["aggregate_percentage"] == 50.0 and len(a["paths"]) == 2
        uk = httpx.post(f"{url}/v1/ownership", json=body | {"rule": "uk"}, headers=auth, timeout=60)
        assert uk.json()["blocked"] == []
        bad = httpx.post(
            f"{url}/v1/ownership", json=body | {"records": [{"id": "a", "schema": "Nope"}]},
            headers=auth, timeout=60,
        )  # fmt: skip
        assert bad.status_code == 400 and "entity 1" in bad.json()["detail"]
        extra = httpx.post(f"{url}/v1/ownership", json=body | {"x": 1}, headers=auth)
        assert extra.status_code == 422
        g = httpx.get(
            f"{url}/v1/flows/growth", params={"partner": "KG", "from": 2021, "to": 2023},
            headers=auth, timeout=60,
        )  # fmt: skip
        assert g.status_code == 200, g.text
        assert g.json()["change_percent"] == 938.5 and g.json()["from"]["year"] == 2021
        m = httpx.get(
            f"{url}/v1/flows/mirror",
            params={"partner": "KG", "year": 2023, "base": 2021},
            headers=auth,
            timeout=60,
        )
        assert m.status_code == 200 and m.json()["unrecorded_share"] == 0.67
        missing = httpx.get(
            f"{url}/v1/flows/growth", params={"partner": "KG", "from": 2021, "to": 2031},
            headers=auth, timeout=60,
        )  # fmt: skip
        assert missing.status_code == 400 and "2031" in missing.json()["detail"]
