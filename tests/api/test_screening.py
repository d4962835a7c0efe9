import httpx

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer


def test_screen_endpoints(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "screening", frozenset({Role.SCREENER}))
    _, device = apikeys.create_key(engine, "device", frozenset({Role.DEVICE}), scope="device:x")
    auth = {"Authorization": f"Bearer {key}"}
    with LiveServer(create_app(screening_settings)) as server:
        url = f"{server.url}/v1/screen"
        assert httpx.post(url, json={"name": "Gazprom Neft"}).status_code == 401
        forbidden = httpx.post(url, json={"name": "x"}, headers={"X-API-Key": device})
        assert forbidden.status_code == 403
        ok = httpx.post(
            url, json={"name": "Gazprom Neft", "type": "organization"}, headers=auth, timeout=60
        )
        assert ok.status_code == 200
        best = ok.json()["matches"][0]
        assert best["match"] is True
        assert best["explanation"]

        invalid = httpx.post(url, json={"name": "x" * 5000}, headers=auth)
        assert invalid.status_code == 422
        bad_country = httpx.post(
            url, json={"name": "A B", "country": "Atlantis"}, headers=auth, timeout=60
        )
        assert bad_country.status_code == 200
        assert "Atlantis" in bad_country.json()["problems"][0]

        batch = httpx.post(
            f"{url}/batch",
            headers=auth,
            timeout=60,
            json={
                "queries": [
                    {"name": "Gazprom Neft", "id": "a"},
                    {"name": "Margarethe Quellenbrunner", "id": "b"},
                ]
            },
        )
        assert batch.status_code == 200
        body = batch.json()
        assert body["count"] == 2
        assert [r["match"] for r in body["results"]] == [True, False]
        too_many = httpx.post(
            f"{url}/batch", headers=auth, json={"queries": [{"name": "a"}] * 1001}
        )
        assert too_many.status_code == 422

        spec = httpx.get(f"{server.url}/openapi.json", headers=auth).json()
        assert {"/v1/screen", "/v1/screen/batch"} <= set(spec["paths"])
    actions = [r.action for r in audit.records(engine)]
    assert "screen" in actions
    assert "screen.batch" in actions
    assert key.split("_", 2)[2] not in str(audit.records(engine))


def test_bad_dates_and_unknown_lists_over_http(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "screening", frozenset({Role.SCREENER}))
    auth = {"Authorization": f"Bearer {key}"}
    with LiveServer(create_app(screening_settings)) as server:
        url = f"{server.url}/v1/screen"

        def screen(**body: object) -> httpx.Response:
            return httpx.post(url, json={"name": "Gazprom Neft", **body}, headers=auth, timeout=60)

        for dob, iso in (("1969-7-16", "1969-07-16"), ("16/07/1969", "1969-07-16")):
            answer = screen(dob=dob).json()
            assert (answer["query"]["birth_date"], answer["problems"]) == (iso, [])
        for dob, problem in (
            ("1981-3-32", "day 32 is out of range"),
            ("1952-02-30", "February 1952 has 29 days"),
            ("1990-13-01", "month 13"),
            ("19-1", "is not YYYY"),
        ):
            ok = screen(dob=dob)
            assert ok.status_code == 200
            body = ok.json()
            assert body["match"] is True  # the name was screened
            assert body["query"]["birth_date"] is None
            assert problem in body["problems"][0] and "screened without it" in body["problems"][0]

        unknown = screen(lists=["ofac_sdn"])
        assert unknown.status_code == 422
        assert "unknown list 'ofac_sdn'" in unknown.text
        assert "us_csl, us_ofac_cons, us_ofac_sdn" in unknown.text
        assert screen(lists=["us_ofac_sdn"]).status_code == 200

        batch = httpx.post(
            f"{url}/batch",
            headers=auth,
            timeout=60,
            json={
                "queries": [
                    {"name": "Gazprom Neft", "id": "a", "dob": "1969-7-16"},
                    {"name": "Gazprom Neft", "id": "b", "dob": "1952-02-30"},
                ]
            },
        )
        assert batch.status_code == 200
        results = batch.json()["results"]
        assert [r["match"] for r in results] == [True, True]
        assert results[0]["problems"] == []
        assert "queries[1]: dob '1952-02-30'" in results[1]["problems"][0]
        refused = httpx.post(
            f"{url}/batch",
            headers=auth,
            json={"queries": [{"name": "Gazprom Neft"}, {"name": "x", "lists": ["ofac_sdn"]}]},
            timeout=60,
        )
        assert refused.status_code == 422
        assert "queries[1].lists" in refused.text
