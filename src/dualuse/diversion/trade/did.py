"""Difference-in-differences: sanctioned against other goods, before against after the
invasion, per partner (and pooled over Armenia, Kazakhstan and Kyrgyzstan, EBRD's CCA3).

Model, per unit u = (partner, member state) and month t with both flows positive:
    ln X(sanctioned, u, t) - ln X(other, u, t) = beta * Post_t + a_u + e
which is ln X(g, u, t) = beta * Sanctioned_g * Post_t + FE(u, g) + FE(u, t) + e written
as a within-unit gap. Pre: 2020-01 to 2022-01; post: 2022-03 to the last month; February
2022 (invasion on the 24th) left out. exp(beta) - 1 is the extra growth of sanctioned goods
relative to other goods. Standard errors are clustered by member state (CR1, t with G-1
degrees of freedom) and checked by a cluster bootstrap (member states resampled with
replacement). A placebo DiD (March 2021 as a fake date, pre-2022 data only) checks the
parallel-trends assumption. Zeros are dropped (log); their count is reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dualuse.diversion.trade import stats
from dualuse.diversion.trade.packages import (
    BREAK_MONTH,
    EBRD_PERCENT,
    EBRD_QUOTE,
    EBRD_RU_QUOTE,
    EBRD_SOURCE,
    PLACEBO_BREAK,
)
from dualuse.diversion.trade.series import Panel
from dualuse.errors import InputError

CCA3 = ("am", "kg", "kz")
DRAWS = 999
SEED = 20220224
PRE_FROM = "2020-01"
LAST_PRE = "2022-01"


@dataclass(frozen=True, slots=True)
class Cells:
    """Log gaps with their unit, cluster and weight."""

    gap: np.ndarray
    post: np.ndarray
    unit: np.ndarray
    cluster: np.ndarray
    weight: np.ndarray
    clusters: list[str]
    months: list[str]
    dropped_zero: int


def cells(
    panel: Panel, partners: Sequence[str], treated: str, control: str, *,
    pre_from: str = PRE_FROM, break_month: str = BREAK_MONTH, last_pre: str = LAST_PRE,
    until: str | None = None, weighted: bool = False,
) -> Cells:  # fmt: skip
    gaps, posts, units, clusters, weights, months = [], [], [], [], [], []
    names: dict[str, int] = {}
    unit_ids: dict[tuple[str, str], int] = {}
    dropped = 0
    for partner in partners:
        treat = panel.members.get((partner, treated))
        ctrl = panel.members.get((partner, control))
        if treat is None or ctrl is None:
            raise InputError(
                f"no {treated!r} and {control!r} series for {partner.upper()}",
                source="--partner",
                suggestions=sorted({p.upper() for p, g in panel.members if g == treated}),
            )
        for reporter in sorted(set(treat) & set(ctrl)):
            t_series, c_series = treat[reporter], ctrl[reporter]
            unit = unit_ids.setdefault((partner, reporter), len(unit_ids))
            cluster = names.setdefault(reporter, len(names))
            base = [
                t_series.get(m, 0.0) + c_series.get(m, 0.0)
                for m in c_series if pre_from <= m <= last_pre
            ]  # fmt: skip
            weight = float(np.mean(base)) if weighted and base else 1.0
            for month in sorted(set(t_series) & set(c_series)):
                is_post = month >= break_month
                if month < pre_from or (last_pre < month < break_month):
                    continue
                if until is not None and month > until:
                    continue
                tv, cv = t_series[month], c_series[month]
                if tv <= 0 or cv <= 0:
                    dropped += 1
                    continue
                gaps.append(math.log(tv) - math.log(cv))
                posts.append(1.0 if is_post else 0.0)
                units.append(unit)
                clusters.append(cluster)
                weights.append(weight)
                months.append(month)
    return Cells(
        np.array(gaps), np.array(posts), np.array(units, dtype=np.int64),
        np.array(clusters, dtype=np.int64), np.array(weights), list(names), months, dropped,
    )  # fmt: skip


def _demean(values: np.ndarray, unit: np.ndarray, weight: np.ndarray) -> np.ndarray:
    n = int(unit.max()) + 1 if len(unit) else 0
    sums = np.bincount(unit, weights=values * weight, minlength=n)
    wsum = np.bincount(unit, weights=weight, minlength=n)
    means = sums / np.where(wsum > 0, wsum, 1.0)
    out: np.ndarray = values - means[unit]
    return out


@dataclass(frozen=True, slots=True)
class Estimate:
    beta: float
    se: float
    ci: tuple[float, float]
    bootstrap_ci: tuple[float, float]
    n_obs: int
    n_units: int
    n_clusters: int

    def percent(self, value: float) -> float:
        return round(100 * (math.exp(value) - 1), 1)

    def to_json(self) -> dict[str, object]:
        return {
            "beta_log_points": round(self.beta, 4),
            "se_cluster": round(self.se, 4),
            "ci95_log_points": [round(v, 4) for v in self.ci],
            "percent": self.percent(self.beta),
            "ci95_percent": [self.percent(v) for v in self.ci],
            "bootstrap_ci95_percent": [self.percent(v) for v in self.bootstrap_ci],
            "n_obs": self.n_obs,
            "n_units": self.n_units,
            "n_clusters": self.n_clusters,
        }


def estimate(data: Cells, *, draws: int = DRAWS, seed: int = SEED) -> Estimate:
    if len(data.gap) == 0 or data.post.min() == data.post.max():
        raise InputError("no months on both sides of the break date", source="did")
    y = _demean(data.gap, data.unit, data.weight)
    x = _demean(data.post, data.unit, data.weight)
    w = data.weight
    g = len(data.clusters)
    a = np.bincount(data.cluster, weights=w * x * y, minlength=g)
    b = np.bincount(data.cluster, weights=w * x * x, minlength=g)
    beta = float(a.sum() / b.sum())
    resid = y - beta * x
    score = np.bincount(data.cluster, weights=w * x * resid, minlength=g)
    n, k = len(y), int(data.unit.max()) + 2
    correction = g / max(g - 1, 1) * (n - 1) / max(n - k, 1)
    se = math.sqrt(float(score @ score) / float(b.sum()) ** 2 * correction)
    crit = stats.t_quantile(0.975, max(g - 1, 1))
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(g, np.full(g, 1.0 / g), size=draws)
    denominators = counts @ b
    ok = denominators > 0
    boot = (counts @ a)[ok] / denominators[ok]
    low, high = np.percentile(boot, [2.5, 97.5])
    return Estimate(
        beta, se, (beta - crit * se, beta + crit * se), (float(low), float(high)), n,
        len(np.unique(data.unit)), g,
    )  # fmt: skip


def event_path(data: Cells) -> dict[str, float]:
    """Per month: the mean over units of the gap minus the unit's pre-period mean (log
    points); flat before the break if trends were parallel."""
    pre = data.post == 0
    n = int(data.unit.max()) + 1
    base = np.bincount(data.unit[pre], weights=data.gap[pre], minlength=n) / np.maximum(
        np.bincount(data.unit[pre], minlength=n), 1
    )
    rel = data.gap - base[data.unit]
    out: dict[str, list[float]] = {}
    for month, value in zip(data.months, rel, strict=True):
        out.setdefault(month, []).append(float(value))
    return {m: round(float(np.mean(v)), 4) for m, v in sorted(out.items())}


def run(
    panel: Panel, partners: Sequence[str], *, treated: str = "sanctioned",
    control: str = "other", weighted: bool = False, draws: int = DRAWS,
) -> dict[str, object]:  # fmt: skip
    """One DiD (partners pooled when several), with the placebo-date check."""
    data = cells(panel, partners, treated, control, weighted=weighted)
    main = estimate(data, draws=draws)
    placebo = estimate(
        cells(panel, partners, treated, control, break_month=PLACEBO_BREAK,
              last_pre="2021-02", until=LAST_PRE, weighted=weighted),
        draws=draws,
    )  # fmt: skip
    months = sorted(set(data.months))
    return {
        "partners": [p.upper() for p in partners],
        "treated": treated,
        "control": control,
        "weighted": weighted,
        "pre": [months[0], LAST_PRE],
        "post": [BREAK_MONTH, months[-1]],
        "estimate": main.to_json(),
        "placebo_2021_03": placebo.to_json(),
        "dropped_zero_cells": data.dropped_zero,
        "cn2022_new_code_share": {p.upper(): panel.new_code_share.get(p) for p in partners},
        "event_path": event_path(data),
    }


def report(
    panel: Panel, partners: Sequence[str] | None = None, *, treated: str = "sanctioned",
    weighted: bool = False, draws: int = DRAWS,
) -> dict[str, object]:  # fmt: skip
    """Per partner, plus CCA3 pooled, compared with the EBRD figure."""
    chosen = list(partners) if partners else ["am", "kz", "kg", "ge", "uz", "ru"]
    results = [run(panel, [p], treated=treated, weighted=weighted, draws=draws) for p in chosen]
    if set(CCA3) <= set(chosen):
        results.append(run(panel, list(CCA3), treated=treated, weighted=weighted, draws=draws))
    return {
        "method": __doc__.split("\n\n")[1].strip() if __doc__ else "",
        "results": results,
        "ebrd": {
            "quote": EBRD_QUOTE,
            "russia_quote": EBRD_RU_QUOTE,
            "percent": EBRD_PERCENT,
            "source": EBRD_SOURCE,
            "comparability": "EBRD: UN Comtrade HS6 x exporter (EU, UK, US) x destination, "
            "Jan 2017 - Aug 2022, triple difference against the rest of the world with "
            "fixed effects; here: Eurostat, EU member states only, sanctioned-code totals "
            "against all other goods, 2020-01 to 2022-12.",
        },
    }
