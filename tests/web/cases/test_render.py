"""Rendering: every string from an order, a list or a reviewer is escaped, control
characters are shown as symbols, and a 1 MB name is cut for display, not echoed."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.web.cases.chart import bar_chart
from dualuse.web.cases.render import DISPLAY_LIMIT, duration, page, visible

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
    assert all(b.height == 0 for b in bar_chart([("a", 0, "#000")]).bars)
