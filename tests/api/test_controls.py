"""Controls endpoints on a real server over loopback: auth, role, answers, bad input."""

from __future__ import annotations

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer


@pytest.fixture
def keys(settings: Settings) -> dict[str, str]:
    engine = make_engine(settings.db_url)
    _, screener = apikeys.create_key(engine, "s", frozenset({Role.SCREENER}))
    _, device = apikeys.create_key(engine, "d", frozenset({Role.DEVICE}), scope="device:x")
    return {"screener": screener, "device": device}


def test_controls_api(settings: Settings, keys: dict[str, str]) -> None:
    with LiveServer(create_app(settings)) as server:
        url = server.url
        body = {"eccn": "3A090.a", "to": "HK", "as_of": "2026-07-23"}
        assert httpx.post(f"{url}/v1/determine", json=body).status_code == 401
        wrong_role = httpx.post(
            f"{url}/v1/determine", json=body, headers={"X-API-Key": keys["device"]}
        )
        assert wrong_role.status_code == 403
        auth = {"Authorization": f"Bearer {keys['screener']}"}
        det = httpx.post(f"{url}/v1/determine", json=body, headers=auth, timeout=30)
        assert det.status_code == 200, det.text
        data = det.json()
        assert data["licence_required"] == "yes" and all("citation" in r for r in data["reasons"])
        cls = httpx.post(
            f"{url}/v1/classify",
            json={
                "params": {
                    "tflops_fp16": 181,
                    "tops_int8": 181,
                    "die_area_mm2": 790,
                    "datacenter": True,
                }
            },
            headers=auth,
        )
        assert cls.json()["entries"] == ["3A090.b"] and cls.json()["tpp"] == 2896.0
        hs = httpx.post(f"{url}/v1/classify", json={"hs": "8542.31.00.00"}, headers=auth)
        assert hs.json()["chpl_tier"] == "Tier 1"
        show = httpx.get(f"{url}/v1/controls/eccn/4A090", headers=auth)
        assert show.json()["reasons_for_control"] == ["RS", "AT"]
        search = httpx.get(
            f"{url}/v1/controls/search",
            params={"q": "coordinate measuring machine", "limit": 3},
            headers=auth,
        )
        assert search.json()[0]["code"] == "2B006"
        gap = httpx.get(
            f"{url}/v1/controls/gap/3A090.b",
            params={"as_of": "2026-07-23"},
            headers=auth,
            timeout=30,
        )
        assert any(w["iso2"] == "CN" for w in gap.json()["weak_links"])
        # bad input: 400 with field and suggestions; the server keeps serving
        bad = httpx.post(f"{url}/v1/determine", json={"eccn": "3A099", "to": "DE"}, headers=auth)
        assert bad.status_code == 400 and "3A090" in bad.json()["suggestions"]
        bad_country = httpx.post(
            f"{url}/v1/determine", json={"eccn": "3A090.a", "to": "Narnia"}, headers=auth
        )
        assert bad_country.status_code == 400 and bad_country.json()["source"] == "to"
        both = httpx.post(
            f"{url}/v1/classify", json={"params": {"app_wt": 1}, "hs": "854231"}, headers=auth
        )
        assert both.status_code == 400
        extra = httpx.post(f"{url}/v1/determine", json={**body, "sneaky": 1}, headers=auth)
        assert extra.status_code == 422
        assert httpx.get(f"{url}/healthz").json()["status"] == "ok"
