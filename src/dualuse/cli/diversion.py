"""CLI for diversion analytics: ``dualuse ownership FILE`` and ``dualuse flows growth``.

``--json`` prints the same object the HTTP API returns; without it a short readable
answer goes to stdout.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dualuse.cli import trade_flows
from dualuse.cli.common import print_json, settings_from
from dualuse.services import diversion as svc

out = Console(soft_wrap=True)
SHOWN = 20
"""Findings printed in the readable answer; ``--json`` has them all."""
flows_app = typer.Typer(
    help="Trade flows from official statistics (Eurostat).", no_args_is_help=True
)


def ownership(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Ownership data (FtM JSON lines, BODS or GLEIF).")],
    rule: Annotated[str, typer.Option("--rule", help="ofac, eu or uk.")] = "ofac",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge on (YYYY-MM-DD); default today.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="ftm, bods or gleif.")] = "ftm",
    listed: Annotated[
        list[str] | None,
        typer.Option(
            "--listed",
            help="Id of a designated party (repeatable); FtM entities with the topic "
            "`sanction` are listed anyway.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Parties blocked through ownership by listed parties under the OFAC, EU or UK rule,
    with the arithmetic and paths; unknown where data are missing; data-quality findings."""
    service = svc.DiversionService(settings_from(ctx))
    report = service.ownership_file(
        file, fmt=fmt, rule=rule, as_of=svc.parse_date(as_of), listed=listed or ()
    )
    if as_json:
        print_json(report)
        return
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    out.print(f"[bold]rule {report['rule']}[/bold] ({report['test']}) as of {report['as_of']}")
    out.print(f"[dim]{report['citation']}[/dim]")
    for item in report["blocked"]:
        out.print(f"[red]blocked[/red] {item['id']} {item['name'] or ''}: {item['arithmetic']}")
        for path in item["paths"][:3]:
            out.print("   path: " + " → ".join(path))
    for item in report["unknown"]:
        out.print(f"[yellow]unknown[/yellow] {item['id']} {item['name'] or ''}: {item['reason']}")
    findings = report["findings"]
    for finding in findings[:SHOWN]:
        out.print(f"finding {finding['code']}: {finding['message']}")
    if len(findings) > SHOWN:
        by_code = Counter(f["code"] for f in findings)
        out.print(
            f"... {len(findings) - SHOWN} more findings (all with --json): "
            + ", ".join(f"{code} {count}" for code, count in by_code.most_common())
        )
    counts = report["counts"]
    out.print(
        f"{counts['parties']} parties, {counts['ownership_stakes']} stakes, "
        f"{counts['listed']} listed, {counts['blocked']} blocked by ownership, "
        f"{counts['unknown']} unknown, {counts['findings']} findings"
    )


@flows_app.command("growth")
def growth(
    ctx: typer.Context,
    partner: Annotated[str, typer.Option("--partner", help="Partner country, ISO-2 (e.g. KG).")],
    year_from: Annotated[int, typer.Option("--from", help="First year.")],
    year_to: Annotated[int, typer.Option("--to", help="Second year.")],
    reporter: Annotated[
        str, typer.Option("--reporter", help="Reporter: EU27 (the aggregate row).")
    ] = "EU27",
    data: Annotated[
        Path | None,
        typer.Option(
            help="Eurostat annual extract; default under $DUALUSE_SHARED_DATA or the shared "
            "data beside a source checkout."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """EU-27 exports to a partner in EUR in two years and the change in percent."""
    service = svc.DiversionService(settings_from(ctx))
    result = service.flows_growth(partner, year_from, year_to, reporter=reporter, data=data)
    if as_json:
        print_json(result.to_json())
        return
    change = "n/a" if result.change_percent is None else f"{result.change_percent:+.1f}%"
    out.print(
        f"{result.reporter} exports to {result.partner_name} ({result.partner.upper()}): "
        f"€{result.start.value_eur:,} in {result.start.year}, €{result.end.value_eur:,} in "
        f"{result.end.year}: {change}"
    )
    out.print(f"[dim]{result.source}[/dim]")


@flows_app.command("mirror")
def mirror(
    ctx: typer.Context,
    partner: Annotated[str, typer.Option("--partner", help="AM, KG, KZ or UZ.")],
    year: Annotated[int, typer.Option("--year", help="Year to compare.")],
    base: Annotated[
        int | None, typer.Option("--base", help="Also: share of the growth since this year.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """EU-27-reported exports against the partner's reported imports from the EU-27."""
    result = svc.DiversionService(settings_from(ctx)).flows_mirror(partner, year, base)
    if as_json:
        print_json(result)
        return
    share = result["unrecorded_share"]
    out.print(
        f"{result['partner']} {year}: EU-27 exports €{result['eu27_exports_eur']:,}, "
        f"{result['partner']} imports from EU-27 €{result['partner_imports_from_eu27_eur']:,}: "
        f"{share:.1%} not recorded by the partner"
    )
    if "base" in result:
        b = result["base"]
        assert isinstance(b, dict)
        extra = b["additional_unrecorded_share"]
        out.print(
            f"since {base}: +€{b['additional_exports_eur']:,} exported, "
            f"+€{b['additional_imports_eur']:,} recorded as imported"
            + (f" ({extra:.1%} of the growth not recorded)" if extra is not None else "")
        )
    for caveat in result["caveats"]:  # type: ignore[attr-defined]
        out.print(f"[dim]caveat: {caveat}[/dim]")


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.command("ownership")(ownership)
    trade_flows.register(flows_app)
    app.add_typer(flows_app, name="flows")
