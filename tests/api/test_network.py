"""Network and shell endpoints on a real server over loopback: auth, role, answers, bad
input (400 or 422 naming the problem, never 500)."""

from __future__ import annotations

import os

import httpx
import pytest

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


CHROMIUM = "/usr/bin/chromium"


def test_analyst_pages(settings: Settings, keys: dict[str, str]) -> None:  # noqa: F811
    auth = {"X-API-Key": keys["screener"]}
    with LiveServer(create_app(settings)) as server:
        url = server.url
        assert httpx.get(f"{url}/v1/network/page").status_code == 401
        page = httpx.get(f"{url}/v1/network/page", headers=auth)
        assert page.status_code == 200 and '<form method="post"' in page.text
        form = {
            "source": "synthetic",
            "seed": "5",
            "scale": "0.4",
            "since": "2022-02-24",
            "max_hops": "5",
            "toward_share": "0.4",
        }
        r = httpx.post(f"{url}/v1/network/page", data=form, headers=auth, timeout=120)
        assert r.status_code == 200, r.text
        assert 'id="flagged"' in r.text and "<svg" in r.text and "SYNTHETIC" in r.text
        assert "<?xml" not in r.text and "<script" not in r.text
        bad = dict(form, source="records", shipments='{"id": "<b>x</b>"}\n{oops')
        r = httpx.post(f"{url}/v1/network/page", data=bad, headers=auth, timeout=60)
        assert r.status_code == 400 and "shipments, line 2: not JSON" in r.text
        assert "&lt;b&gt;x&lt;/b&gt;" in r.text  # what was typed comes back, escaped
        r = httpx.post(f"{url}/v1/network/page", data=dict(form, max_hops="50"), headers=auth)
        assert r.status_code == 400 and "max_hops" in r.text
        records = (
            '{"id": "c1", "schema": "Company", "properties": {"name": ["<i>Tea</i> LLC"], '
            '"country": ["kg"], "incorporationDate": ["2023-01-02"]}}'
        )
        s = httpx.post(
            f"{url}/v1/shell/page",
            data={"records": records, "as_of": "2025-01-01"},
            headers=auth,
            timeout=60,
        )
        assert s.status_code == 200, s.text
        assert "new_company_in_diversion_country" in s.text and "&lt;i&gt;Tea" in s.text
        assert "<i>Tea" not in s.text


@pytest.mark.browser
def test_network_page_in_chromium(settings: Settings, keys: dict[str, str]) -> None:  # noqa: F811
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with LiveServer(create_app(settings)) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(extra_http_headers={"X-API-Key": keys["screener"]})
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{server.url}/v1/network/page")
            page.fill("input[name=seed]", "8")
            page.fill("input[name=scale]", "0.3")
            page.click("#submit")
            page.wait_for_selector("#flagged")
            assert page.locator("#flagged tr[data-id]").count() >= 1
            assert page.locator("#picture svg").count() == 1
            assert page.input_value("input[name=seed]") == "8"
            # no CSP violation from the inline picture (a 404 for /favicon.ico is expected)
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()
