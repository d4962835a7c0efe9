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


def test_concurrent_screens_answer_as_sequential_ones_and_audit_each(
    screening_settings: Settings,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "screening", frozenset({Role.SCREENER}))
    names = ["Vladimir Putin", "Gazprom Neft", "Kim Jong Un", "Ali Khamenei", "Maria Schmidt"]
    with (
        LiveServer(create_app(screening_settings)) as server,
        httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=120) as client,
    ):

        def matches(name: str) -> list[tuple[str, float]]:
            response = client.post("/v1/screen", json={"name": name, "limit": 5})
            assert response.status_code == 200, response.text
            return [(m["entry_id"], m["score"]) for m in response.json()["matches"]]

        sequential = {name: matches(name) for name in names}
        before = audit.verify_chain(engine)
        asked = names * 8
        with ThreadPoolExecutor(max_workers=20) as pool:
            together = list(pool.map(matches, asked))
    assert together == [sequential[name] for name in asked]
    assert audit.verify_chain(engine) == before + len(asked)


def test_results_grouped_by_entity_show_every_list(screening_settings: Settings) -> None:
    engine = make_engine(screening_settings.db_url)
    _, key = apikeys.create_key(engine, "screening", frozenset({Role.SCREENER}))
    with LiveServer(create_app(screening_settings)) as server:
        answer = httpx.post(
            f"{server.url}/v1/screen",
            json={"name": "Vladimir Putin", "limit": 5},
            headers={"X-API-Key": key},
            timeout=120,
        ).json()
    entity = answer["entities"][0]
    assert entity["entity_id"] == "us_ofac_sdn:35096"
    assert entity["lists"] == ["us_csl", "us_ofac_sdn"]
    assert sorted(x["entry_id"] for x in entity["listings"]) == ["35096", "SDN-35096"]
    assert "RUSSIA-EO14024" in entity["programs"]
    # the per-listing results stay as they were, each naming its entity
    assert {m["entity_id"] for m in answer["matches"][:2]} == {"us_ofac_sdn:35096"}
