"""CLI for trade-flow anomalies: ``dualuse flows surges|did|gaps|report``.

``--json`` prints the same object the HTTP API returns.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dualuse.cli.common import print_json, settings_from
from dualuse.errors import InputError
from dualuse.services.trade_flows import TradeFlowsService

out = Console(soft_wrap=True)
PartnerOption = Annotated[
    list[str] | None,
    typer.Option("--partner", help="Partner country, ISO-2 (repeatable); default all."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def surges(
    ctx: typer.Context,
    partner: PartnerOption = None,
    which: Annotated[
        str, typer.Option("--which", help="all, groups (product groups) or headings (HS4).")
    ] = "all",
    surges_only: Annotated[
        bool, typer.Option("--surges-only", help="Only the series that surge.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Series shown.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Surges per product group x partner after Feb 2022: robust z against the pre-2022
    baseline, Chow break test at March 2022, excess over placebo (non-sanctioned) goods."""
    result = TradeFlowsService(settings_from(ctx)).surges(
        partner, which=which, only_surges=surges_only, limit=limit
    )
    if as_json:
        print_json(result)
        return
    summary: dict[str, Any] = result["summary"]  # type: ignore[assignment]
    out.print(f"[dim]rule: {summary['rule']}[/dim]")
    for t in result["tests"]:  # type: ignore[attr-defined]
        mark = "[red]SURGE[/red]" if t["surge"] else "     "
        ratio = "new" if t["ratio"] is None else f"x{t['ratio']:.2f}"
        out.print(
            f"{mark} {t['partner']} {t['group']:<10} €{t['pre_mean_eur']:,.0f} → "
            f"€{t['post_mean_eur']:,.0f}/month ({ratio}; placebo x{t['placebo_ratio']:.2f}) "
            f"z={t['robust_z']} Chow p={t['chow_p']} break {t['qlr_break']} " + " ".join(t["flags"])
        )
    out.print(
        f"{summary['surges']} surges in {summary['series_tested']} series; break at 2022-03 "
        f"(p<0.01) in {summary['break_at_2022_03_p_below_0_01']} headings, at the placebo "
        f"date 2021-03 in {summary['break_at_placebo_2021_03_p_below_0_01']}"
    )


def did(
    ctx: typer.Context,
    partner: PartnerOption = None,
    goods: Annotated[
        str,
        typer.Option(
            "--goods",
            help="sanctioned (all sanctioned CN8), chpl, or stable (codes unchanged by CN 2022).",
        ),
    ] = "sanctioned",
    weighted: Annotated[
        bool, typer.Option("--weighted", help="Weight member states by pre-2022 exports.")
    ] = False,
    draws: Annotated[int, typer.Option("--draws", help="Bootstrap draws.")] = 999,
    as_json: JsonOption = False,
) -> None:
    """Difference-in-differences: sanctioned against other goods, before and after Feb
    2022, per partner and pooled (AM+KG+KZ), with 95 % intervals; compared with EBRD."""
    result = TradeFlowsService(settings_from(ctx)).did(
        partner, treated=goods, weighted=weighted, draws=draws
    )
    if as_json:
        print_json(result)
        return
    for r in result["results"]:  # type: ignore[attr-defined]
        e, p = r["estimate"], r["placebo_2021_03"]
        out.print(
            f"{'+'.join(r['partners']):<9} {e['percent']:+7.1f} %  95% CI "
            f"[{e['ci95_percent'][0]:+.1f}, {e['ci95_percent'][1]:+.1f}]  bootstrap "
            f"[{e['bootstrap_ci95_percent'][0]:+.1f}, {e['bootstrap_ci95_percent'][1]:+.1f}]  "
            f"placebo {p['percent']:+.1f} %  n={e['n_obs']}"
        )
    ebrd: dict[str, Any] = result["ebrd"]  # type: ignore[assignment]
    out.print(f'EBRD: "{ebrd["quote"].replace("**", "")}" ({ebrd["source"]})')


def gaps(ctx: typer.Context, partner: PartnerOption = None, as_json: JsonOption = False) -> None:
    """Mirror gaps per year: the share of EU-27 exports the partner does not record as
    imports, against its 2019-2021 range."""
    result = TradeFlowsService(settings_from(ctx)).gaps(partner)
    if as_json:
        print_json(result)
        return
    for m in result:
        shares = ", ".join(
            f"{y['year']} {100 * y['unrecorded_share']:.0f}%" + ("*" if y["incomplete"] else "")
            for y in m["years"]  # type: ignore[attr-defined]
        )
        above = m["years_above_pre_range"]
        out.print(f"{m['partner']}: {shares}; above the 2019-21 range: {above}")
    out.print("[dim]* incomplete year (left out); caveats in --json[/dim]")


def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")],
) -> None:
    """A self-contained HTML report (charts embedded) an analyst can hand on."""
    html = TradeFlowsService(settings_from(ctx)).report_html()
    folder = output.resolve().parent
    if not folder.is_dir():
        raise InputError("folder does not exist", source=str(folder))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        os.replace(tmp, output)  # never a half-written report
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    out.print(f"wrote {output} ({len(html):,} bytes)")


def register(app: typer.Typer) -> None:
    """Add these commands to ``dualuse flows``."""
    app.command("surges")(surges)
    app.command("did")(did)
    app.command("gaps")(gaps)
    app.command("report")(report)
