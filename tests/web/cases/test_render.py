"""Rendering: every string from an order, a list or a reviewer is escaped, control
characters are shown as symbols, and a 1 MB name is cut for display, not echoed."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.decisions.model import AlertKey
from dualuse.services.case_views import AlertView, CaseDetail, CaseSummary, DashboardStats
from dualuse.web.cases.chart import bar_chart
from dualuse.web.cases.render import DISPLAY_LIMIT, VERDICT_COLOURS, duration, page, visible

SCRIPT = "<script>alert('x')</script>"
HUGE = "A" * 1_000_000
CONTROL = "Bell\x07Corp\x1b[31m\u202eevil"


def hostile_decision() -> dict[str, Any]:
    citation = {"source": SCRIPT, "title": "t", "date": "2024", "url": "javascript:alert(1)"}
    return {
        "id": SCRIPT,
        "decision_id": "dec_0123456789abcdef",
        "verdict": "hold",
        "decided_at": "2026-12-07T12:00:00Z",
        "reasons": [
            {
                "code": "screening.hit",
                "verdict": "hold",
                "text": CONTROL,
                "subject": "parties[0]",
                "citation": citation,
            }
        ],
        "alerts": [
            {
                "key": {"party_key": "k", "list_id": "l", "entry_id": "e", "entry_digest": "d"},
                "party_index": 0,
                "role": "buyer",
                "party_name": HUGE,
                "list_id": "us_ofac_sdn",
                "entry_id": "123",
                "entity_id": None,
                "listed_name": '"><img src=x onerror=alert(1)>',
                "score": 0.91,
                "programs": [SCRIPT],
                "explanation": [
                    {
                        "feature": "name",
                        "weight": 1.0,
                        "value": 0.9,
                        "query_value": SCRIPT,
                        "candidate_value": "x",
                        "description": "d",
                    }
                ],
                "cleared": False,
            }
        ],
        "lines": [],
        "flags": [
            {
                "id": "f",
                "severity": "review",
                "text": SCRIPT,
                "subject": "items[0]",
                "source": citation,
            }
        ],
        "problems": [{"path": SCRIPT, "message": CONTROL, "suggestions": [SCRIPT]}],
        "versions": {"lists": [{"list_id": SCRIPT, "version": "1"}], "rules": "r", "code": "c"},
        "input_digest": "0" * 64,
    }


def test_decision_page_escapes_everything() -> None:
    order = {"parties": [{"role": "buyer", "name": HUGE, "country": SCRIPT, "business": CONTROL}]}
    html = page(
        "decision.html",
        {"session": None, "title": SCRIPT, "decision": hostile_decision(), "order": order},
    )
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html
    assert "javascript:" not in html  # a citation URL is linked only when it is http(s)
    assert "\x07" not in html and "\x1b" not in html and "\u202e" not in html
    assert "␇" in html and "␛" in html and "\\u202e" in html
    assert "(1,000,000 characters)" in html
    assert len(html) < 100_000  # the 1 MB name is not echoed


def test_visible() -> None:
    assert visible(None) == ""
    assert visible("a\x00b\x7f") == "a␀b␡"
    assert visible("\ud800") == "\\ud800"  # a lone surrogate cannot break the encoder
    assert visible("x" * (DISPLAY_LIMIT + 5)).endswith(f"… ({DISPLAY_LIMIT + 5:,} characters)")
    assert visible("tab\tand\nnewline") == "tab\tand\nnewline"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_no_text_escapes_the_markup(text: str) -> None:
    decision = hostile_decision()
    decision["reasons"][0]["text"] = text
    decision["alerts"][0]["listed_name"] = text
    html = page("decision.html", {"session": None, "title": text, "decision": decision})
    body = html.split("<body>", 1)[1]
    # the only tags are the template's own: no text value opened a tag or an attribute
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", body))
    allowed = {"a", "main", "header", "strong", "p", "span", "code", "h1", "h2", "h3", "h4"}
    allowed |= {"section", "table", "tr", "th", "td", "cite", "div", "dl", "dt", "dd", "ul"}
    allowed |= {"li", "caption"}
    assert tags <= allowed, tags - allowed
    assert "<script" not in html.lower()


def test_duration() -> None:
    assert duration(None) == "–"
    assert duration(5) == "5 s"
    assert duration(3 * 3600 + 300) == "3 h 5 min"
    assert duration(3 * 86400 + 7200) == "3 d 2 h"


def test_bar_chart_geometry() -> None:
    chart = bar_chart([("hold", 4, "#c00"), ("clear", 2, "#0c0"), ("none", 0, "#000")])
    hold, clear, none = chart.bars
    assert hold.height == 2 * clear.height and none.height == 0
    assert hold.y + hold.height == chart.baseline == clear.y + clear.height
    assert hold.x < clear.x < none.x
    assert bar_chart([]).bars == ()
    (wide,) = bar_chart([("one day", 3, "#000")]).bars
    assert wide.width == 60 and wide.x + wide.width / 2 == 240  # capped, centred
    assert all(b.height == 0 for b in bar_chart([("a", 0, "#000")]).bars)


def _contrast_with_white(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_verdict_colours_are_readable() -> None:
    for verdict, colour in VERDICT_COLOURS.items():
        assert _contrast_with_white(colour) >= 4.5, verdict


def test_empty_dashboard() -> None:
    stats = DashboardStats(0, {}, None, {}, None, [])
    html = page("dashboard.html", {"session": None, "title": "Dashboard", "stats": stats})
    assert '<dd id="decisions">0</dd>' in html and "– of decisions" in html
    assert html.count("<rect ") == 5 and 'height="0.0"' in html


def test_monitoring_case_without_an_order() -> None:
    summary = CaseSummary(
        7, "monitoring", None, None, "hold", "open", None, None, "t0", "t1", "t0", None, True, 1
    )
    alert = AlertView(
        alert_id=3,
        case_id=7,
        decision_id=None,
        origin="monitoring",
        key=AlertKey("k", "us_ofac_sdn", "1", "d"),
        party_name=SCRIPT,
        listed_name="LISTED",
        role=None,
        score=0.9,
        status="open",
        created_at="t0",
        detail={},
    )
    detail = CaseDetail(summary, None, (alert,), (), (), None)
    html = page(
        "case.html",
        {
            "session": None,
            "title": "Case 7",
            "case": detail,
            "decision": {},
            "order": {},
            "entry_rows": {},
            "dispositions": [],
            "may_work": False,
            "may_approve": False,
            "may_comment": False,
        },
    )
    assert "Case 7" in html and "overdue" in html and "&lt;script&gt;" in html
    assert "stored party (no order on this case)" in html and "<script" not in html
