"""Investment screening over real HTTP (uvicorn on loopback): authentication and role, the
JSON answer, bad input as 400 with the field and suggestions, and the web page with its
decision tree (escaped; also driven in Debian chromium)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer
from tests.investment.conftest import CASES, build

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live(settings: Settings) -> Iterator[tuple[str, dict[str, str]]]:
    engine = make_engine(settings.db_url)
    keys = {
        "screener": apikeys.create_key(engine, "s", frozenset({Role.SCREENER}))[1],
        "device": apikeys.create_key(engine, "d", frozenset({Role.DEVICE}), scope="device:x")[1],
    }
    with LiveServer(create_app(settings)) as server:
        yield server.url, keys


def facts(name: str) -> dict[str, Any]:
    return build(next(c for c in CASES if c["id"] == name))


def test_invest_api(live: tuple[str, dict[str, str]]) -> None:
    url, keys = live
    body = {"facts": facts("ob-ai-1e25-exactly"), "regimes": ["us_outbound"], "screen": False}
    assert httpx.post(f"{url}/v1/invest", json=body).status_code == 401
    wrong = httpx.post(f"{url}/v1/invest", json=body, headers={"X-API-Key": keys["device"]})
    assert wrong.status_code == 403
    auth = {"Authorization": f"Bearer {keys['screener']}"}
    r = httpx.post(f"{url}/v1/invest", json=body, headers=auth, timeout=60)
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["regime"] == "us_outbound" and result["outcome"] == "notifiable"
    assert result["deadline"] == "2026-07-15"
    assert all(reason["citation"] for reason in result["reasons"])


def test_invest_api_screens_parties(live: tuple[str, dict[str, str]]) -> None:
    url, keys = live
    deal = facts("ob-restricted-lists-missing")
    deal["target"]["name"] = "Semiconductor Manufacturing International Corporation"
    body = {"facts": deal, "regimes": ["us_outbound"]}
    r = httpx.post(
        f"{url}/v1/invest", json=body, headers={"X-API-Key": keys["screener"]}, timeout=120
    )
    assert r.status_code == 200, r.text
    flagged = {p["part_850"] for p in r.json()["parties"] if p["party"] == "target"}
    assert "850.224(m)(1)" in flagged
    assert r.json()["results"][0]["missing"] == ["target.restricted_lists"]


def test_invest_api_bad_input(live: tuple[str, dict[str, str]]) -> None:
    url, keys = live
    auth = {"X-API-Key": keys["screener"]}
    bad = {"facts": {"target": {"uk": {"sectors": ["defense"]}}}, "screen": False}
    r = httpx.post(f"{url}/v1/invest", json=bad, headers=auth, timeout=60)
    assert r.status_code == 400
    assert r.json()["source"] == "target.uk.sectors" and "defence" in r.json()["suggestions"]
    r = httpx.post(f"{url}/v1/invest", json={"facts": {}, "regimes": ["eu"]}, headers=auth)
    assert r.status_code == 400 and "eu_fdi" in r.json()["suggestions"]
    r = httpx.post(f"{url}/v1/invest", json={"fact": {}}, headers=auth)
    assert r.status_code == 422


def test_invest_page_escapes_and_shows_the_tree(live: tuple[str, dict[str, str]]) -> None:
    url, keys = live
    auth = {"X-API-Key": keys["screener"]}
    assert httpx.get(f"{url}/v1/invest/page").status_code == 401
    page = httpx.get(f"{url}/v1/invest/page", headers=auth)
    assert page.status_code == 200 and '<form method="post"' in page.text
    form = {
        "inv_name": "<script>alert(1)</script>",
        "inv_country": "CN",
        "inv_ppb": "CN",
        "inv_gov_country": "CN",
        "inv_gov_percent": "100",
        "tgt_name": "Example Chips Inc",
        "tgt_country": "US",
        "tgt_items": "3A090.a",
        "txn_type": "equity",
        "stake_before": "0",
        "stake_after": "30",
        "voting_before": "0",
        "voting_after": "30",
        "rights_given": "1",
        "rights": "board_seat",
        "completed": "2026-12-15",
        "extra": '{"investor": {"is_fund": false}}',
    }
    r = httpx.post(f"{url}/v1/invest/page", data=form, headers=auth, timeout=60)
    assert r.status_code == 200, r.text
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text
    assert 'id="regime-us_cfius"' in r.text and "mandatory_declaration" in r.text
    assert "§ 800.401(c)" in r.text and 'data-step="authorization"' in r.text
    bad = dict(form, inv_country="Chna")
    r = httpx.post(f"{url}/v1/invest/page", data=bad, headers=auth, timeout=60)
    assert r.status_code == 400 and "CN (China)" in r.text


@pytest.mark.browser
def test_invest_page_in_chromium(live: tuple[str, dict[str, str]]) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    url, keys = live
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(extra_http_headers={"X-API-Key": keys["screener"]})
            page = context.new_page()
            page.goto(f"{url}/v1/invest/page")
            page.fill("input[name=inv_name]", "Example Acquirer Inc")
            page.fill("input[name=inv_country]", "US")
            page.fill("input[name=tgt_name]", "Example Defence Ltd")
            page.fill("input[name=tgt_country]", "GB")
            page.check("input[name=uk_sectors][value=military_and_dual_use]")
            page.select_option("select[name=uk_activities]", "yes")
            page.select_option("select[name=txn_type]", "equity")
            page.fill("input[name=stake_before]", "0")
            page.fill("input[name=stake_after]", "30")
            page.uncheck("input[name=screen]")
            page.click("#submit")
            page.wait_for_selector("#regime-uk_nsi")
            assert page.inner_text("#regime-uk_nsi .outcome") == "mandatory"
            steps = page.locator("#regime-uk_nsi li.step")
            assert steps.count() >= 5
            assert "s. 8(2)" in page.inner_text("#regime-uk_nsi")
            assert page.locator("#regime-uk_nsi li.step cite").count() == steps.count()
            # the form keeps what was entered
            assert page.input_value("input[name=stake_after]") == "30"
        finally:
            browser.close()
