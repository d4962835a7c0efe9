"""The HTML report is self-contained (no external fetch), carries the numbers, and its
embedded charts decode in a real chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dualuse.services.trade_flows import TradeFlowsService
from dualuse.settings import Settings


@pytest.fixture(scope="module")
def html(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    settings = Settings(home=tmp_path_factory.mktemp("home"), shared_data=shared_data)
    return TradeFlowsService(settings).report_html()


def test_self_contained(html: str) -> None:
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 5 and all(len(i) > 5000 for i in images)
    assert "AM+KG+KZ" in html and "~30 %" in html and "unpublished_month" in html
    assert "02014R0833-20230624" in html  # package dates carry their citation


@pytest.mark.browser
def test_charts_render_in_chromium(html: str, chromium: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            assert len(widths) == 5 and min(widths) > 300
            assert all(u.startswith(("file:", "data:")) for u in requests)
        finally:
            browser.close()
