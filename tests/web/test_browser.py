"""The reviewers' pages in Debian chromium (Playwright): a reviewer logs in with the
keyboard, opens a held order's case, clears its alerts as false positives with a reason
and is refused when she tries to release it herself; an approver then releases it.

With ``DUALUSE_SCREENSHOTS=DIR`` the queue and the case page are saved there as PNG (that
is how docs/img/web-*.png are made)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import HELD_ORDER, REVIEW_ORDER, Site, held_case, submit

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium_browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("DUALUSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _login(browser: Any, site: Site, who: str, path: str) -> Any:
    """A fresh browser profile; the page asked for sends it to the login form first."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site.url + path)
    assert "/ui/login" in page.url
    page.wait_for_function("document.activeElement.id === 'api_key'")  # autofocus
    page.keyboard.type(site.keys[who])
    page.keyboard.press("Enter")  # no mouse needed
    page.wait_for_url(lambda url: "/ui/login" not in url and url.endswith(path))
    return page


@pytest.mark.browser
def test_reviewer_clears_and_a_second_person_releases(site: Site, chromium_browser: Any) -> None:
    assert submit(site, REVIEW_ORDER).status_code == 303
    case_id = held_case(site)
    rita = _login(chromium_browser, site, "reviewer", "/ui/queue")
    assert rita.locator("tr.case").count() == 2
    _shot(rita, "web-queue.png")
    rita.keyboard.press("Tab")
    assert rita.evaluate("document.activeElement.textContent") == "Skip to content"
    rita.select_option("#f-verdict", "hold")
    rita.focus("#f-assignee")
    rita.keyboard.press("Enter")  # the filter form submits from the keyboard
    rita.wait_for_url("**verdict=hold**")
    assert rita.locator("tr.case").count() == 1
    row = rita.locator(f'tr[data-case="{case_id}"]')
    assert "hold" in row.inner_text()
    row.get_by_role("link", name=f"Case {case_id}").click()
    rita.wait_for_url(f"**/ui/cases/{case_id}")
    first = rita.locator("section.alert").first
    assert "Arta Shipping Enterprises Ltd" in first.locator(".side > div").nth(0).inner_text()
    assert "ARTA SHIPPING ENTERPRISES LIMITED" in first.locator(".side > div").nth(1).inner_text()
    assert first.locator("table.explanation tr").count() > 2
    _shot(rita, "web-case.png")
    reason = "Different company: German ship chandler HRB 12345 Hamburg; listed entity is Iranian"
    # the first alert with the keyboard alone: choice, Tab to the reason, Tab to the button
    rita.locator("form.disposition").first.get_by_label("false positive").focus()
    rita.keyboard.press("Space")
    rita.keyboard.press("Tab")
    rita.keyboard.type(reason)
    rita.keyboard.press("Tab")
    assert rita.evaluate("document.activeElement.textContent") == "Record disposition"
    with rita.expect_navigation():
        rita.keyboard.press("Enter")
    rita.wait_for_selector("#flash")
    while rita.locator("form.disposition").count():
        form = rita.locator("form.disposition").first
        form.get_by_label("false positive").check()
        form.locator("textarea").fill(reason)
        with rita.expect_navigation():
            form.get_by_role("button", name="Record disposition").click()
        rita.wait_for_selector("#flash")
        assert rita.inner_text("#flash") == "Alert dispositioned."
    assert rita.inner_text("#open-alerts") == "0"
    rita.fill("#release-reason", "I checked it myself")
    with rita.expect_navigation():
        rita.click("#release")
    rita.wait_for_selector("#error")
    assert "four eyes" in rita.inner_text("#error")
    assert rita.inner_text("#case-status").startswith("open")

    alex = _login(chromium_browser, site, "approver", f"/ui/cases/{case_id}")
    assert reason in alex.inner_text("#history")
    assert alex.locator("form.disposition").count() == 0  # an approver does not disposition
    alex.fill("#release-reason", "Both alerts cleared with reasons; released")
    with alex.expect_navigation():
        alex.click("#release")
    alex.wait_for_selector("#flash")
    assert alex.inner_text("#case-status") == "closed (released)"
    assert "Released by Alex Approver" in alex.inner_text("#released")
    assert HELD_ORDER["id"] in alex.inner_text("h1")
    alex.goto(f"{site.url}/ui/cases/{case_id}")  # focus starts at the top again
    alex.keyboard.press("Tab")  # skip link
    alex.keyboard.press("Tab")  # Queue
    alex.keyboard.press("Tab")  # New order
    alex.keyboard.press("Tab")  # Dashboard
    alex.keyboard.press("Enter")
    alex.wait_for_url("**/ui/dashboard")
    assert alex.locator("#verdict-chart svg rect").count() == 5
    assert alex.inner_text("#decisions") == "2"
    _shot(alex, "web-dashboard.png")
