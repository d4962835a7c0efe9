"""Trade-flow endpoints on a real server over loopback: auth, role, answers, bad input."""

from __future__ import annotations

import httpx

from dualuse.api.app import create_app
from dualuse.settings import Settings
from tests.api.test_controls import keys  # noqa: F401 (fixture: screener and device keys)
from tests.conftest import LiveServer


def test_flows_analytics_api(settings: Settings, keys: dict[str, str]) -> None:  # noqa: F811
    with LiveServer(create_app(settings)) as server:
        url = server.url
        assert httpx.get(f"{url}/v1/flows/did").status_code == 401
        device = {"X-API-Key": keys["device"]}
        assert httpx.get(f"{url}/v1/flows/did", headers=device).status_code == 403
        auth = {"Authorization": f"Bearer {keys['screener']}"}
        r = httpx.get(
            f"{url}/v1/flows/did", params={"partner": ["AM", "KZ"], "draws": 199},
            headers=auth, timeout=120,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        assert [x["partners"] for x in r.json()["results"]] == [["AM"], ["KZ"]]
        s = httpx.get(
            f"{url}/v1/flows/surges", params={"partner": "KG", "which": "groups"},
            headers=auth, timeout=120,
        )  # fmt: skip
        assert s.status_code == 200 and s.json()["tests"][0]["group"] == "sanctioned"
        g = httpx.get(f"{url}/v1/flows/gaps", params={"partner": "KG"}, headers=auth, timeout=60)
        assert g.status_code == 200 and g.json()[0]["years_above_pre_range"] == [2022, 2023]
        bad = httpx.get(f"{url}/v1/flows/did", params={"partner": "BY"}, headers=auth, timeout=60)
        assert bad.status_code == 400 and "no trade series for BY" in bad.json()["detail"]
        goods = httpx.get(f"{url}/v1/flows/did", params={"goods": "x"}, headers=auth)
        assert goods.status_code == 422
        draws = httpx.get(f"{url}/v1/flows/did", params={"draws": 5}, headers=auth)
        assert draws.status_code == 422
