"""Surges per product group x partner against the partner's placebo goods.

For each EU-27 monthly series, log(1 + EUR/1000), the baseline is the months before
February 2022 (median and MAD). A series surges when, after March 2022,
- its typical month (median robust z of the post months) is >= 3.5 (modified z-score),
- the Chow test for a break in level and trend at March 2022 has p < 0.01, and
- its rise beats the placebo goods (EU exports of non-sanctioned goods to the same
  partner) by at least a doubling (excess log ratio >= ln 2).
The same test at a placebo date (March 2021, on pre-2022 data only) shows how often the
rule fires without sanctions; QLR (the break date with the largest Chow F) says which
month the data would pick.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np

from dualuse.diversion.trade import stats
from dualuse.diversion.trade.packages import BREAK_MONTH, PLACEBO_BREAK
from dualuse.diversion.trade.series import Panel, Series

PRE_FROM = "2020-01"
MIN_MONTHS = 6
SCALE_FLOOR = 0.1
"""Smallest robust scale in log points (a flat or zero baseline would give infinite z)."""
P_MAX = 0.01
EXCESS_MIN = math.log(2)
THIN_BASE_EUR = 10_000.0
"""A pre-2022 median below this per month is a thin base: big ratios, little money."""


@dataclass(frozen=True, slots=True)
class SurgeTest:
    partner: str
    group: str
    months: int
    pre_median_eur: float
    post_median_eur: float
    pre_mean_eur: float
    post_mean_eur: float
    ratio: float
    placebo_ratio: float
    excess_eur_per_month: float
    """Post mean minus what the pre mean would be had it grown like the placebo goods."""
    excess_log_ratio: float
    robust_z: float
    post_months_over_threshold: int
    chow_f: float
    chow_p: float
    qlr_break: str
    placebo_date_p: float
    surge: bool
    flags: tuple[str, ...]
    label: str = ""

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["partner"] = self.partner.upper()
        out["flags"] = list(self.flags)
        return {k: _clean(v) for k, v in out.items()}


def _clean(value: object) -> object:
    if isinstance(value, float):
        return None if not math.isfinite(value) else float(f"{value:.4g}")
    return value


def window(series: Series, start: str, end: str | None) -> tuple[list[str], np.ndarray]:
    """Months from ``start`` to the last month (or ``end``), gaps filled with 0 (an absent
    CN8 cell is no recorded export)."""
    months = sorted(m for m in series if m >= start and (end is None or m <= end))
    if not months:
        return [], np.zeros(0)
    full = _month_range(months[0], months[-1])
    return full, np.array([series.get(m, 0.0) for m in full], dtype=np.float64)


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _log(values: np.ndarray) -> np.ndarray:
    return np.log1p(values / 1000.0)


def evaluate_series(
    partner: str, group: str, series: Series, placebo: Series, *, end: str | None = None
) -> SurgeTest | None:
    months, values = window(series, PRE_FROM, end)
    if not months or months[0] >= "2022-02" or months[-1] < BREAK_MONTH:
        return None
    pre = [i for i, m in enumerate(months) if m < "2022-02"]
    post = [i for i, m in enumerate(months) if m >= BREAK_MONTH]
    if len(pre) < MIN_MONTHS or len(post) < 3:
        return None
    y = _log(values)
    med = float(np.median(y[pre]))
    scale = stats.robust_scale(y[pre], SCALE_FLOOR)
    z_post = (y[post] - med) / scale
    k = months.index(BREAK_MONTH)
    f, p = stats.chow(y, k)
    best, _f = stats.qlr(y)
    placebo_p = math.nan
    if PLACEBO_BREAK in months:
        kp = months.index(PLACEBO_BREAK)
        _pf, placebo_p = stats.chow(y[: pre[-1] + 1], kp)
    pre_eur = float(np.median(values[pre]))
    post_eur = float(np.median(values[post]))
    ratio = _ratio(values, pre, post)
    pmonths, pvalues = window(placebo, months[0], months[-1])
    pre_p = [i for i, m in enumerate(pmonths) if m < "2022-02"]
    post_p = [i for i, m in enumerate(pmonths) if m >= BREAK_MONTH]
    placebo_ratio = _ratio(pvalues, pre_p, post_p) if pre_p and post_p else math.nan
    excess = math.log(ratio) - math.log(placebo_ratio) if ratio > 0 and placebo_ratio > 0 else 0.0
    robust_z = float(np.median(z_post))
    pre_mean, post_mean = float(values[pre].mean()), float(values[post].mean())
    grown = pre_mean * placebo_ratio if math.isfinite(placebo_ratio) else pre_mean
    excess_eur = post_mean - grown
    flags = []
    if pre_eur < THIN_BASE_EUR:
        flags.append("thin_base")
    surge = robust_z >= stats.Z_THRESHOLD and p < P_MAX and excess >= EXCESS_MIN
    return SurgeTest(
        partner, group, len(months), pre_eur, post_eur, pre_mean, post_mean, ratio,
        placebo_ratio, excess_eur, excess,
        robust_z, int((z_post >= stats.Z_THRESHOLD).sum()), f, p,
        months[best] if best >= 0 else "", placebo_p, surge, tuple(flags),
    )  # fmt: skip


def _ratio(values: np.ndarray, pre: list[int], post: list[int]) -> float:
    """Mean monthly EUR after over before (means: medians of near-zero months mislead)."""
    before = float(values[pre].mean())
    after = float(values[post].mean())
    if before <= 0:
        return math.inf if after > 0 else math.nan
    return after / before


def detect(
    panel: Panel, partners: Iterable[str] | None = None, *, headings: bool = True
) -> list[SurgeTest]:
    """Tests for every group and (with ``headings``) every HS4 heading of sanctioned
    goods, per partner; placebo = that partner's non-sanctioned goods."""
    chosen = sorted(set(partners) if partners else {p for p, _g in panel.eu27})
    out: list[SurgeTest] = []
    for partner in chosen:
        placebo = panel.series(partner, "other")
        if not placebo:
            continue  # no totals for this partner (Belarus): no placebo, no test
        for group in ("total", "sanctioned", "chpl", "other"):
            series = panel.series(partner, group)
            result = evaluate_series(partner, group, series, placebo, end=_end(panel, partner))
            if result is not None:
                out.append(result)
        if not headings:
            continue
        for (p, heading), series in sorted(panel.headings.items()):
            if p != partner:
                continue
            result = evaluate_series(partner, f"hs4:{heading}", series, placebo)
            if result is None:
                continue
            result = _with(result, label=panel.heading_labels.get(heading, "")[:120])
            change = panel.code_changes.get(heading)
            if change is not None:
                flag = "cn2022_recoded" if change.balanced else "cn2022_possible_artefact"
                result = _with(result, flags=(*result.flags, flag))
            out.append(result)
    return out


def _end(panel: Panel, partner: str) -> str | None:
    """Stop the group series where the sanctioned series stops, so groups compare."""
    sanctioned = panel.series(partner, "sanctioned")
    return max(sanctioned) if sanctioned else None


def _with(result: SurgeTest, **changes: object) -> SurgeTest:
    return SurgeTest(**(asdict(result) | changes))


def summary(tests: list[SurgeTest]) -> dict[str, object]:
    """How often the rule fires on headings, and how often the break test fires at the
    placebo date: the false-alarm yardstick."""
    heads = [t for t in tests if t.group.startswith("hs4:")]
    real = [t for t in heads if math.isfinite(t.chow_p)]
    fake = [t for t in heads if math.isfinite(t.placebo_date_p)]
    return {
        "series_tested": len(tests),
        "headings_tested": len(heads),
        "surges": sum(t.surge for t in tests),
        "heading_surges": sum(t.surge for t in heads),
        "break_at_2022_03_p_below_0_01": sum(t.chow_p < P_MAX for t in real),
        "break_at_placebo_2021_03_p_below_0_01": sum(t.placebo_date_p < P_MAX for t in fake),
        "qlr_break_within_2022_02_to_2022_04": sum(
            "2022-02" <= t.qlr_break <= "2022-04" for t in heads
        ),
        "rule": "median post robust z >= 3.5, Chow p < 0.01 at 2022-03, excess over "
        "placebo goods >= ln 2",
    }
