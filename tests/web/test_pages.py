"""The reviewers' pages over real HTTP (uvicorn on loopback): every page needs a session,
every POST a CSRF token from this site, roles decide what a page allows, and hostile
strings from orders are shown escaped."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer
from tests.web.conftest import (
    HELD_ORDER,
    REVIEW_ORDER,
    Browser,
    Site,
    assert_balanced,
    held_case,
    submit,
)

PAGES = [
    "/ui/queue",
    "/ui/queue?status=closed&overdue=1",
    "/ui/cases/1",
    "/ui/orders/new",
    "/ui/dashboard",
    "/ui/lists",
    "/ui/audit",
    "/ui/decisions/dec_0",
]
POSTS = [
    "/ui/orders",
    "/ui/logout",
    "/ui/cases/1/assign",
    "/ui/cases/1/comment",
    "/ui/cases/1/alerts/1",
    "/ui/cases/1/release",
    "/ui/cases/1/block",
]


def test_pages_need_a_session(site: Site) -> None:
    key = {"X-API-Key": site.keys["reviewer"]}  # an API key is not a browser session
    forged = {"cookie": "__Host-dualuse_session=v1.abc.1.x.00", **key}
    latin = {"cookie": "__Host-dualuse_session=v1.abc.1.x.\u00e9".encode("latin-1")}
    for path in PAGES:
        for headers in ({}, key, forged, latin):
            r = httpx.get(site.url + path, headers=headers)
            assert r.status_code == 303, (path, r.status_code)
            assert r.headers["location"].startswith("/ui/login?next=/ui/")
    for path in POSTS:
        r = httpx.post(site.url + path, data={"csrf": "x"}, headers=key)
        assert r.status_code == 303 and r.headers["location"].startswith("/ui/login")
    # the API itself still wants a key, and the login page is public
    assert httpx.get(site.url + "/v1/lists").status_code == 401
    login = httpx.get(site.url + "/ui/login")
    assert login.status_code == 200 and "content-security-policy" in login.headers
    assert "script-src" not in login.headers["content-security-policy"]  # default 'none'


def test_login_cookie_and_logout(site: Site, browser: Browser) -> None:
    r = browser.login(site.keys["reviewer"])
    assert r.status_code == 303 and r.headers["location"] == "/ui/audit"
    raw = next(c for c in r.headers.get_list("set-cookie") if "dualuse_session" in c)
    for part in ("__Host-dualuse_session=", "HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert part in raw
    assert site.keys["reviewer"].split("_", 2)[2] not in raw
    page = browser.get("/ui/audit")
    assert page.status_code == 200 and "Rita Reviewer" in page.text
    assert "web.login" in page.text
    cookie = dict(browser.cookies)
    assert browser.post("/ui/logout", {}).status_code == 303
    assert browser.get("/ui/audit").status_code == 303
    again = Browser(site.url, cookie)  # the old cookie replayed after logout
    assert again.get("/ui/audit").status_code == 303


def test_login_refusals(site: Site, browser: Browser) -> None:
    browser.get("/ui/login")
    r = browser.post("/ui/login", {"api_key": "du_nope_nope"})
    assert r.status_code == 401 and "unknown or revoked API key" in r.text
    assert "dualuse_session" not in r.headers.get("set-cookie", "")
    r = browser.post("/ui/login", {"api_key": site.keys["reviewer"], "csrf": "forged"})
    assert r.status_code == 403
    fresh = Browser(site.url)  # no pre-login cookie: a form posted from elsewhere
    r = fresh.post("/ui/login", {"api_key": site.keys["reviewer"]})
    assert r.status_code == 403 and "dualuse_session" not in r.headers.get("set-cookie", "")
    browser.get("/ui/login")
    r = browser.post(
        "/ui/login", {"api_key": site.keys["reviewer"]}, headers={"sec-fetch-site": "cross-site"}
    )
    assert r.status_code == 403


def test_posts_need_the_csrf_token_and_this_site(site: Site, browser: Browser) -> None:
    case_id = held_case(site)
    browser.login(site.keys["reviewer"])
    browser.get(f"/ui/cases/{case_id}")
    path = f"/ui/cases/{case_id}/comment"
    assert browser.post(path, {"text": "ok", "csrf": ""}).status_code == 403
    assert browser.post(path, {"text": "ok", "csrf": "0" * 64}).status_code == 403
    assert browser.post(path, {"text": "ok", "csrf": "é" * 64}).status_code == 403
    r = browser.post(path, {"text": "ok"}, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403 and "another site" in r.text
    r = browser.post(path, {"text": "looks fine"})
    assert r.status_code == 303
    assert "looks fine" in browser.get(r.headers["location"]).text


def test_roles_decide_what_a_page_allows(site: Site) -> None:
    screener = Browser(site.url)
    screener.login(site.keys["screener"])
    r = screener.get("/ui/queue")
    assert r.status_code == 403 and "reviewer" in r.text
    reviewer = Browser(site.url)
    reviewer.login(site.keys["reviewer"])
    assert reviewer.get("/ui/orders/new").status_code == 403  # submitting is the desk's
    auditor = Browser(site.url)
    auditor.login(site.keys["auditor"])
    assert auditor.get("/ui/audit").status_code == 200
    assert auditor.get("/ui/queue").status_code == 200
    assert "Record disposition" not in auditor.get("/ui/queue").text
    assert auditor.post("/ui/cases/1/comment", {"text": "x"}).status_code == 403


@pytest.mark.parametrize("site", ["sqlite", "postgresql"], indirect=True)
def test_case_flow_and_four_eyes(site: Site) -> None:
    case_id = held_case(site)
    rita = Browser(site.url)
    rita.login(site.keys["reviewer"])
    queue = rita.get("/ui/queue?verdict=hold")
    assert f'href="/ui/cases/{case_id}"' in queue.text
    page = rita.get(f"/ui/cases/{case_id}")
    assert "ARTA SHIPPING ENTERPRISES LIMITED" in page.text  # the list entry
    assert "Arta Shipping Enterprises Ltd" in page.text  # beside the party
    assert "name_match" in page.text  # the explanation, feature by feature
    alerts = re.findall(rf"/ui/cases/{case_id}/alerts/(\d+)", page.text)
    assert alerts
    path = f"/ui/cases/{case_id}/release"
    r = rita.post(path, {"reason": "too early"})
    assert r.status_code == 409 and "not dispositioned" in r.text
    for alert_id in alerts:
        reason = "German ship chandler, HRB 12345 Hamburg; the listed entity is Iranian"
        r = rita.post(
            f"/ui/cases/{case_id}/alerts/{alert_id}",
            {"disposition": "false_positive", "reason": reason},
        )
        assert r.status_code == 303, r.text
    r = rita.post(path, {"reason": "I cleared it"})
    assert r.status_code == 403 and "four eyes" in r.text
    alex = Browser(site.url)
    alex.login(site.keys["approver"])
    assert "Release the order" in alex.get(f"/ui/cases/{case_id}").text
    r = alex.post(path, {"reason": "dispositions checked"})
    assert r.status_code == 303
    page = alex.get(r.headers["location"])
    assert "released" in page.text and "Released by Alex Approver" in page.text
    audit = alex.get("/ui/audit?verify=1")
    assert audit.status_code == 403  # an approver alone does not read the audit log
    ada = Browser(site.url)
    ada.login(site.keys["auditor"])
    audit = ada.get("/ui/audit?verify=1")
    assert "intact" in audit.text and "case.release" in audit.text
    dash = ada.get("/ui/dashboard")
    assert dash.status_code == 200 and "<svg" in dash.text and 'id="verdict-chart"' in dash.text


HOSTILE = [
    "<script>alert(1)</script>",
    "Bell\x07Corp\x1b[0m GmbH",
    "x" * 1_000_000,
    "Robert'); DROP TABLE cases;--",
]


@pytest.mark.parametrize("name", HOSTILE, ids=["script", "control", "1mb", "sql"])
def test_hostile_names_are_shown_escaped(site: Site, name: str) -> None:
    order = json.loads(json.dumps(HELD_ORDER))
    order["id"] = "PO-HOSTILE-" + str(len(name))
    order["parties"][0]["name"] = name
    r = submit(site, order)
    assert r.status_code in (303, 400), r.text[:500]
    text = r.text
    if r.status_code == 303:
        desk = Browser(site.url)
        desk.login(site.keys["submitter"])
        text = desk.get(r.headers["location"]).text
    assert "<script>alert" not in text
    assert "\x07" not in text and "\x1b" not in text
    assert len(text) < 200_000  # a 1 MB name is not echoed back
    if "<" in name:
        assert "&lt;script&gt;" in text
    if name.startswith("x"):
        assert r.status_code == 400 and "parties[0].name" in text


def test_decision_dashboard_and_order_problems(site: Site) -> None:
    assert submit(site, REVIEW_ORDER).status_code == 303
    r = submit(site, HELD_ORDER)
    desk = Browser(site.url)
    desk.login(site.keys["submitter"])
    page = desk.get(r.headers["location"])
    assert page.status_code == 200 and "Decision on order PO-2026-0107" in page.text
    assert 'class="reason" data-code="screening.match"' in page.text
    assert "<cite>" in page.text and "us_ofac_sdn" in page.text  # each reason cites its entry
    assert re.search(r'href="/ui/cases/\d+" id="case-link"', page.text)
    lines = page.text.split('id="lines"', 1)[1].split("</section>", 1)[0]
    assert "EAR99" in lines and "<cite>" in lines  # the determination cites its rules
    review = desk.get(submit(site, REVIEW_ORDER).headers["location"]).text
    flags = review.split('id="flags"', 1)[1].split("</section>", 1)[0]
    assert "fincen_bis.chpl_transshipment" in flags and "FIN-2022-Alert003" in flags
    assert "2022-06-28" in flags  # the red flag's source with its date
    again = submit(site, HELD_ORDER)  # the same order again: the stored decision
    assert again.headers["location"] == r.headers["location"]
    bad = json.loads(json.dumps(REVIEW_ORDER))
    bad["route"]["destination"] = "Kyrgizstan"
    del bad["items"][0]["line"]
    bad["parties"][0]["role"] = "byer"
    r = submit(site, bad)
    assert r.status_code == 400
    for path in ("route.destination", "parties[0].role"):
        assert f"<code>{path}</code>" in r.text
    assert "buyer" in r.text  # the suggestion
    auditor = Browser(site.url)
    auditor.login(site.keys["auditor"])
    dash = auditor.get("/ui/dashboard")
    assert '<dd id="decisions">2</dd>' in dash.text
    assert "50.0% of decisions had a restricted-party alert" in dash.text
    assert dash.text.count("<rect ") >= 5 + 1  # five verdict bars, one day of volume
    assert "<script" not in dash.text


def test_list_status_shows_what_an_update_did(settings: Settings, shared_data: Path) -> None:
    from dualuse.services import lists as list_service

    engine = make_engine(settings.db_url)
    key = apikeys.create_key(engine, "Ada Auditor", frozenset({Role.AUDITOR}))[1]
    ofac = shared_data / "sanctions" / "ofac"
    list_service.load_list(settings, ofac / "sdn_2024-04-02", actor="admin")
    list_service.load_list(settings, ofac / "sdn_2024-05-03", actor="admin")
    with LiveServer(create_app(settings)) as server:
        ada = Browser(server.url)
        ada.login(key)
        page = ada.get("/ui/lists")
    assert page.status_code == 200
    row = page.text.split('id="list-us_ofac_sdn"', 1)[1].split("</tr>", 1)[0]
    assert "2024-05-03" in row and "2024-04-02, 2024-05-03" in row  # live and kept
    assert "lists.load" in row and "by admin" in row
    assert "2024-04-02 → 2024-05-03" in row and "+417 added" in row
    assert "0 stored parties against 428 changed entries" in row  # monitoring's report
    assert "0 new hits" in row and "0 cleared alerts reopened" in row


def test_queue_pages_filters_and_unknown_actions(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dualuse.api.routers import ui_cases

    assert httpx.get(site.url + "/ui").headers["location"] == "/ui/queue"
    held = held_case(site)
    assert submit(site, REVIEW_ORDER).status_code == 303
    rita = Browser(site.url)
    rita.login(site.keys["reviewer"])
    monkeypatch.setattr(ui_cases, "PAGE", 1)  # the server runs in this process
    first = rita.get("/ui/queue?status=&verdict=")
    assert first.text.count('<tr class="case') == 1 and 'rel="next"' in first.text
    assert 'href="/ui/queue?status=&amp;page=2"' in first.text  # "any status" is kept
    second = rita.get("/ui/queue?status=&page=2")
    assert second.text.count('<tr class="case') == 1 and 'rel="prev"' in second.text
    monkeypatch.setattr(ui_cases, "PAGE", 100)
    assert rita.get("/ui/queue?overdue=1").text.count('<tr class="case') == 0  # due tomorrow
    assert rita.get("/ui/queue?assignee=Rita+Reviewer").text.count('<tr class="case') == 0
    rita.get(f"/ui/cases/{held}")
    assert rita.post(f"/ui/cases/{held}/assign", {"assignee": ""}).status_code == 303
    mine = rita.get("/ui/queue?status=open&assignee=Rita+Reviewer")
    assert mine.text.count('<tr class="case') == 1 and f'data-case="{held}"' in mine.text
    assert rita.post(f"/ui/cases/{held}/explode", {}).status_code == 404
    (review,) = re.findall(r'data-case="(\d+)"', rita.get("/ui/queue?verdict=review").text)
    ada = Browser(site.url)
    ada.login(site.keys["auditor"])
    ada.get(f"/ui/cases/{review}")
    assert ada.post(f"/ui/cases/{review}/block", {"reason": "x"}).status_code == 403
    alex = Browser(site.url)
    alex.login(site.keys["approver"])
    alex.get(f"/ui/cases/{review}")
    assert alex.post(f"/ui/cases/{review}/block", {"reason": ""}).status_code == 400
    r = alex.post(f"/ui/cases/{review}/block", {"reason": "end user not credible"})
    assert r.status_code == 303
    assert "closed (blocked)" in alex.get(r.headers["location"]).text
    assert f'data-case="{review}"' in alex.get("/ui/queue?status=closed").text
    assert rita.get("/ui/cases/999999").status_code == 404


def test_only_ui_paths_skip_the_api_key(site: Site) -> None:
    for path in ("/uix", "/v1/ui/queue", "/healthzui/"):
        r = httpx.get(site.url + path)
        assert r.status_code == 401, path
    assert httpx.get(site.url + "/ui/nope").status_code == 404
    rita = Browser(site.url)
    rita.login(site.keys["reviewer"])
    for case in ("0", "-1", str(2**63), str(10**30)):
        assert rita.get(f"/ui/cases/{case}").status_code == 404
        assert rita.post(f"/ui/cases/{case}/comment", {"text": "x"}).status_code == 404
        assert rita.post(f"/ui/cases/1/alerts/{case}", {"reason": "x"}).status_code == 404


def test_auditor_downloads_the_regulator_bundle(site: Site) -> None:
    import io
    import zipfile

    held_case(site)
    rita = Browser(site.url)
    rita.login(site.keys["reviewer"])
    assert 'id="export"' not in rita.get("/ui/audit").text
    assert rita.post("/ui/audit/export", {}).status_code == 403
    ada = Browser(site.url)
    ada.login(site.keys["auditor"])
    assert 'id="export"' in ada.get("/ui/audit").text
    r = ada.post("/ui/audit/export", {})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith('attachment; filename="dualuse-audit-')
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert {"decisions.csv", "audit_log.jsonl", "versions.json"} <= set(archive.namelist())
    for name, entry in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == entry["sha256"]
    decisions = archive.read("decisions.jsonl").decode().splitlines()
    assert [json.loads(d)["id"] for d in decisions] == [HELD_ORDER["id"]]
    assert "audit.export" in ada.get("/ui/audit").text  # the export itself is on record


@pytest.mark.slow
def test_a_list_update_opens_a_monitoring_case_shown_on_the_pages(
    settings: Settings, shared_data: Path
) -> None:
    """A Chinese buyer served while it was not listed is added to the SDN list on
    2024-05-03: the list page says what the update found and links the case it opened."""
    from dualuse.services import lists as list_service

    ofac = shared_data / "sanctions" / "ofac"
    list_service.load_list(settings, ofac / "sdn_2024-04-02", actor="admin")
    engine = make_engine(settings.db_url)
    keys = {
        who: apikeys.create_key(engine, name, frozenset(roles))[1]
        for who, name, roles in (
            ("desk", "Order Desk", {Role.SUBMITTER}),
            ("rita", "Rita Reviewer", {Role.REVIEWER}),
        )
    }
    order = json.loads(json.dumps(HELD_ORDER))
    order.update(id="PO-2024-0311", date="2024-04-10")
    order["route"]["destination"] = "CN"
    order["parties"][0].update(name="Wuhan Global Sensor Technology Co., Ltd.", country="CN")
    with LiveServer(create_app(settings)) as server:
        desk = Browser(server.url)
        desk.login(keys["desk"])
        desk.get("/ui/orders/new")
        assert desk.post("/ui/orders", {"order_json": json.dumps(order)}).status_code == 303
        list_service.load_list(settings, ofac / "sdn_2024-05-03", actor="admin")
        rita = Browser(server.url)
        rita.login(keys["rita"])
        lists = rita.get("/ui/lists").text
        row = lists.split('id="list-us_ofac_sdn"', 1)[1].split("</tr>", 1)[0]
        assert "1 new hit</strong>" in row and "0 cleared alerts reopened" in row
        (case_id,) = re.findall(r'href="/ui/cases/(\d+)"', row)
        page = rita.get(f"/ui/cases/{case_id}")
        assert "monitoring" in page.text and "stored party (no order on this case)" in page.text
        assert "Wuhan Global Sensor Technology Co., Ltd." in page.text
        assert "WUHAN GLOBAL SENSOR TECHNOLOGY CO., LTD." in page.text
        assert "RUSSIA-EO14024" in page.text  # the programme, from the new entry
        (alert_id,) = re.findall(rf"/ui/cases/{case_id}/alerts/(\d+)", page.text)
        r = rita.post(
            f"/ui/cases/{case_id}/alerts/{alert_id}",
            {"disposition": "true_match", "reason": "same firm, Wuhan; SDN since 2024-05-03"},
        )
        assert r.status_code == 303
        assert "closed (blocked)" in rita.get(r.headers["location"]).text


def test_every_page_is_well_formed(site: Site) -> None:
    case_id = held_case(site)
    assert_balanced(httpx.get(site.url + "/ui/login").text)
    admin = Browser(site.url)
    admin.login(site.keys["reviewer"])
    pages = [
        "/ui/queue",
        f"/ui/cases/{case_id}",
        "/ui/dashboard",
        "/ui/lists",
        "/ui/audit?verify=1",
    ]
    for path in pages:
        r = admin.get(path)
        assert r.status_code == 200, path
        assert_balanced(r.text)
    decision = re.search(r'href="(/ui/decisions/[^"]+)"', admin.get(f"/ui/cases/{case_id}").text)
    assert decision is not None
    assert_balanced(admin.get(decision.group(1)).text)
    desk = Browser(site.url)
    desk.login(site.keys["submitter"])
    assert_balanced(desk.get("/ui/orders/new").text)
    bad = desk.post("/ui/orders", {"order_json": '{"id": "x"}'})
    assert bad.status_code == 400
    assert_balanced(bad.text)
    assert_balanced(desk.get("/ui/queue").text)  # the 403 page


def test_page_bodies_have_a_smaller_limit(site: Site) -> None:
    big = {"api_key": "x" * (2 * 1024 * 1024 + 1)}
    r = httpx.post(site.url + "/ui/login", data=big)
    assert r.status_code == 413 and "2097152" in r.json()["detail"]
    # chunked, with no declared length: refused while it streams in
    chunks = iter([b"api_key=", b"x" * (1024 * 1024), b"x" * (1024 * 1024 + 1)])
    r = httpx.post(
        site.url + "/ui/login",
        content=chunks,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 413
