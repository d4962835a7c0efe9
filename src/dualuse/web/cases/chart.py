"""Bar charts as geometry for server-rendered SVG: no script, no library, no image file.

The template draws what :func:`bar_chart` computes, so labels stay escaped by Jinja2 and
the chart reads without a browser script (each bar has a ``<title>`` and the figures are
also in a table beside it for screen readers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    maximum: float
    baseline: float
    """y of the axis the bars stand on."""


def bar_chart(
    values: Sequence[tuple[str, float, str]],
    *,
    width: int = 480,
    height: int = 200,
    pad: int = 28,
    max_bar: float = 60.0,
) -> Chart:
    """Vertical bars for ``(label, value, colour)``, scaled to the largest value."""
    usable_w = width - 2 * pad
    baseline = float(height - pad)
    top = float(pad // 2)
    maximum = max((max(0.0, v) for _label, v, _c in values), default=0.0)
    n = max(1, len(values))
    slot = usable_w / n
    bars = []
    for i, (label, value, colour) in enumerate(values):
        share = 0.0 if maximum <= 0 else max(0.0, value) / maximum
        h = round(share * (baseline - top), 1)
        bar_w = min(slot * 0.7, max_bar)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(pad + i * slot + (slot - bar_w) / 2, 1),
                y=round(baseline - h, 1),
                width=round(bar_w, 1),
                height=h,
                colour=colour,
            )
        )
    return Chart(width, height, tuple(bars), maximum, baseline)
