"""Render the reviewers' pages from plain JSON-shaped values with autoescaping Jinja2.

Every value reaches the HTML through Jinja2 with autoescape on for the whole environment
(templates are ``.html`` and strings from names, lists, comments or orders are never
marked safe), so ``<script>`` in a party name is shown, not run. Control characters are
made visible (``\\x07`` -> ``␇``) and very long strings are cut for display with their
length stated, so a 1 MB name cannot make a page unusable. Pages hold no scripts: the CSP
(:data:`dualuse.api.guard.CSP`) forbids them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from dualuse.web.cases.chart import bar_chart

DISPLAY_LIMIT = 2000
"""Characters of one value shown on a page; the rest is summarised as a count."""

VERDICT_COLOURS = {
    "prohibited": "#b71c1c",
    "hold": "#c62828",
    "licence_required": "#b34700",
    "review": "#8d6e00",
    "clear": "#2e7d32",
}
"""White text on each has a contrast ratio of at least 4.5:1 (WCAG 2 AA; tested)."""


def visible(value: object, limit: int = DISPLAY_LIMIT) -> str:
    """``value`` as text with control characters shown as symbols and cut at ``limit``."""
    if value is None:
        return ""
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    out = []
    for ch in text[:limit]:
        code = ord(ch)
        if code < 0x20 and ch not in "\t\n":
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code < 0xA0 or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            out.append(f"\\u{code:04x}")  # C1 controls and bidi overrides: shown, not obeyed
        else:
            out.append(ch)
    if len(text) > limit:
        out.append(f"… ({len(text):,} characters)")
    return "".join(out)


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def duration(seconds: float | None) -> str:
    """``3 h 5 min`` style, for time to decision."""
    if seconds is None:
        return "–"
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} d {hours % 24} h"


def verdict_bars(stats: Any) -> list[tuple[str, float, str]]:
    """Bars for the decisions by verdict, most severe first."""
    short = {"licence_required": "licence"}
    return [
        (short.get(v, v), float(stats.by_verdict.get(v, 0)), c) for v, c in VERDICT_COLOURS.items()
    ]


def volume_bars(stats: Any) -> list[tuple[str, float, str]]:
    """Bars for the decisions per day (``MM-DD`` labels)."""
    out = []
    for row in stats.per_day:
        total = sum(int(n) for k, n in row.items() if k != "day")
        out.append((str(row["day"])[5:], float(total), "#37474f"))
    return out


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dualuse.web.cases", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["v"] = visible
    env.filters["pct"] = pct
    env.filters["duration"] = duration
    env.globals["VERDICT_COLOURS"] = VERDICT_COLOURS
    env.globals["bar_chart"] = bar_chart
    env.globals["verdict_bars"] = verdict_bars
    env.globals["volume_bars"] = volume_bars
    return env


def page(template: str, context: Mapping[str, Any]) -> str:
    """Render one page; ``context`` must hold ``session`` (or ``None``) and ``title``."""
    return environment().get_template(template).render(**context)
