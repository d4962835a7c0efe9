"""``dualuse invest FACTS.json``: does this deal need a filing, or is it prohibited?

One deal described once (JSON, see docs/investment.md) answered under US CFIUS (31 CFR
part 800), US outbound (31 CFR part 850), UK NSI and EU 2019/452, each with its reasons
and citations. ``--json`` prints the object the HTTP API returns.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dualuse.cli.common import print_json, settings_from
from dualuse.errors import InputError
from dualuse.services.investment import InvestmentService, assessment_json

out = Console(soft_wrap=True, highlight=False)
MARK = {"yes": "[green]yes[/]", "no": "[red]no[/]", "unknown": "[yellow]unknown[/]", "info": "·"}


def load_facts(path: Path) -> Any:
    """Read and decode the facts file; errors name the file and the line."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", source=str(path), location=f"line {exc.lineno}"
        ) from None


def invest(
    ctx: typer.Context,
    facts: Annotated[
        Path, typer.Argument(metavar="FACTS.json", help="Deal facts as JSON ('-' reads stdin).")
    ],
    regime: Annotated[
        list[str] | None,
        typer.Option(
            "--regime",
            "-r",
            help="us_cfius, us_outbound, uk_nsi or eu_fdi (repeatable; default all four).",
        ),
    ] = None,
    no_screen: Annotated[
        bool, typer.Option("--no-screen", help="Skip screening the parties against the lists.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Screen a deal under CFIUS, US outbound, UK NSI and EU FDI rules, with citations."""
    service = InvestmentService(settings_from(ctx))
    result = service.assess(load_facts(facts), regime, screen=not no_screen)
    if as_json:
        print_json(assessment_json(result))
        return
    body = assessment_json(result)
    for r in body["results"]:
        out.print(f"[bold]{r['regime']}[/]: [bold]{r['outcome']}[/] - {r['summary']}")
        for step in r["reasons"]:
            if step["answer"] == "info" and step["level"] > 1:
                continue
            pad = "  " * (step["level"] + 1)
            words = step["question"] or step["text"]
            out.print(f"{pad}{MARK[step['answer']]} {words} [dim]({step['citation']})[/]")
        out.print()
    for p in body["parties"]:
        flag = f" - § {p['part_850']}" if p["part_850"] else ""
        out.print(f"[red]hit[/] {p['party']} {p['name']!r} ~ {p['entry']!r} on {p['list']}{flag}")
    for w in body["warnings"]:
        out.print(f"[yellow]warning:[/] {w}")


def register(app: typer.Typer) -> None:
    app.command("invest")(invest)
