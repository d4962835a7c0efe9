"""Charts of flows over time with the sanction packages marked (PNG bytes, matplotlib's
Agg backend: no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter, ScalarFormatter

from dualuse.diversion.trade.packages import PACKAGES
from dualuse.diversion.trade.series import Panel, Series
from dualuse.reference.countries import country_name

COLOURS = {"sanctioned": "#c0392b", "other": "#7f8c8d", "chpl": "#8e44ad", "total": "#2c3e50"}


def _day(month: str) -> float:
    """Matplotlib's date number for the middle of a month."""
    return _num(date(int(month[:4]), int(month[5:7]), 15))


def _num(day: date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _mark(ax: Axes, first: str, last: str, labels: bool) -> None:
    for i, package in enumerate(PACKAGES):
        when = _num(package.day)
        if _day(first) <= when <= _day(last):
            ax.axvline(when, color="#e67e22", lw=0.8, ls="--")
            if labels:
                ax.annotate(
                    package.label[:28], (when, 1.0), xycoords=("data", "axes fraction"),
                    rotation=90, va="top", ha="right", fontsize=6, color="#e67e22",
                    xytext=(-2, -2 - 8 * (i % 2)), textcoords="offset points",
                )  # fmt: skip


def _index(series: Series, base_year: str = "2021") -> tuple[list[float], list[float]]:
    base = [v for m, v in series.items() if m.startswith(base_year)]
    mean = sum(base) / len(base) if base else 0.0
    months = sorted(series)
    return [_day(m) for m in months], [
        (series[m] / mean * 100 if mean else float("nan")) for m in months
    ]


def groups_chart(panel: Panel, partners: Sequence[str], groups: Sequence[str]) -> bytes:
    """EU-27 monthly exports per partner and group, 2021 average = 100, log scale."""
    cols = 3
    rows = (len(partners) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(12, 3.2 * rows), squeeze=False, sharex=True)
    for ax, partner in zip(axes.flat, partners, strict=False):
        first, last = "9999", "0000"
        for group in groups:
            series = panel.series(partner, group)
            if not series:
                continue
            x, y = _index(series)
            ax.plot(x, y, label=group, color=COLOURS.get(group), lw=1.2)
            first, last = min(first, min(series)), max(last, max(series))
        if last != "0000":
            _mark(ax, first, last, labels=partner == partners[0])
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
        ax.set_title(f"EU-27 exports to {country_name(partner)} (2021 = 100)", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(partners) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    return _png(fig)


def did_chart(results: Sequence[dict[str, Any]], ebrd_percent: float) -> bytes:
    """Estimates with 95 % intervals (percent), EBRD's figure as a line."""
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(results)))
    for i, result in enumerate(results):
        est = result["estimate"]
        low, high = est["ci95_percent"]
        ax.errorbar(est["percent"], i, xerr=[[est["percent"] - low], [high - est["percent"]]],
                    fmt="o", color="#c0392b", capsize=3)  # fmt: skip
    ax.axvline(ebrd_percent, color="#2980b9", ls="--", lw=1, label=f"EBRD ~{ebrd_percent:.0f} %")
    ax.axvline(0, color="black", lw=0.6)
    ax.set_yticks(range(len(results)), ["+".join(r["partners"]) for r in results], fontsize=8)
    ax.set_xlabel("extra growth of sanctioned over other goods, % (95 % CI, clustered)")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3, axis="x")
    return _png(fig)


def event_chart(path: dict[str, float], title: str) -> bytes:
    fig, ax = plt.subplots(figsize=(7, 2.8))
    months = sorted(path)
    ax.plot([_day(m) for m in months], [path[m] for m in months], marker=".", color="#c0392b")
    ax.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    ax.axhline(0, color="black", lw=0.6)
    _mark(ax, months[0], months[-1], labels=False)
    ax.set_title(title, fontsize=9)
    ax.set_ylabel("log gap vs pre-2022 mean", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    return _png(fig)


def gap_chart(mirrors: Sequence[dict[str, Any]]) -> bytes:
    fig, ax = plt.subplots(figsize=(7, 2.8))
    for mirror in mirrors:
        years = [y for y in mirror["years"] if not y["incomplete"]]
        ax.plot([y["year"] for y in years], [100 * y["unrecorded_share"] for y in years],
                marker="o", label=mirror["partner"])  # fmt: skip
    ax.axvline(2022, color="#e67e22", ls="--", lw=0.8)
    ax.set_xticks(sorted({y["year"] for m in mirrors for y in m["years"]}))
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylabel("EU exports not in partner imports, %", fontsize=8)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return _png(fig)
