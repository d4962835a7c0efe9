"""CLI for classification and licence determination.

``dualuse classify --param KEY=VALUE ... | --hs CODE``, ``dualuse determine --eccn ECCN
--to ISO2``, and ``dualuse controls show|search|gap|params``. ``--json`` prints the same
object the HTTP API returns; without it a short readable answer goes to stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dualuse.cli.common import print_json, settings_from
from dualuse.errors import InputError
from dualuse.services import controls as svc
from dualuse.views import controls as views

out = Console(soft_wrap=True)
controls_app = typer.Typer(
    help="Control lists: show an ECCN, search entries, coalition gap view.", no_args_is_help=True
)


def _service(ctx: typer.Context) -> svc.ControlsService:
    return svc.ControlsService(settings_from(ctx))


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for i, pair in enumerate(pairs, start=1):
        if "=" not in pair:
            raise InputError(
                f"expected KEY=VALUE, got {pair!r}", source="--param", location=f"#{i}"
            )
        key, value = pair.split("=", 1)
        if not key.strip():
            raise InputError("empty parameter name", source="--param", location=f"#{i}")
        if key.strip().lower() in params:
            raise InputError(f"parameter {key!r} given twice", source="--param", location=f"#{i}")
        params[key.strip().lower()] = value.strip()
    return params


def classify(
    ctx: typer.Context,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="Technical parameter KEY=VALUE (repeatable); see `dualuse controls params`.",
        ),
    ] = None,
    hs: Annotated[
        str | None, typer.Option("--hs", help="HS code (HS-6, CN-8 or HTS-10), e.g. 854231.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Classify an item by technical parameters or by HS code, showing every step."""
    service = _service(ctx)
    if (param and hs) or (not param and not hs):
        raise InputError("give either --param KEY=VALUE ... or --hs CODE", source="classify")
    if hs:
        h = service.classify_hs(hs)
        if as_json:
            print_json(views.hs_json(h))
            return
        out.print(f"[bold]{h.level} {h.code}[/bold]: {h.description}")
        out.print(
            f"CHPL: {h.chpl_tier or 'not listed'}"
            + (f" — {h.chpl_tier_description}" if h.chpl_tier_description else "")
        )
        for note in h.notes:
            out.print(f"  note: {note}")
        return
    result = service.classify(_params(param or []))
    if as_json:
        print_json(views.classification_json(result))
        return
    out.print(f"[bold]Entries:[/bold] {', '.join(result.entries) or 'none of the entries tested'}")
    for step in result.steps:
        out.print(f"  {step}")
    for u in result.undecided:
        out.print(f"[yellow]undecided[/yellow] {u.entry}: give {', '.join(u.decided_by)}")
    for note in result.notes:
        out.print(f"  note: {note}")


def determine(
    ctx: typer.Context,
    eccn: Annotated[
        str, typer.Option("--eccn", help="ECCN with paragraph, e.g. 3A090.a, or EAR99.")
    ],
    to: Annotated[
        str, typer.Option("--to", help="Destination: ISO-2 code or name (HK, MO, UAE, PRC...).")
    ],
    end_user: Annotated[
        str | None, typer.Option("--end-user", help="End user name, screened against the lists.")
    ] = None,
    end_use: Annotated[
        str | None,
        typer.Option(
            "--end-use",
            help="none, military, military-intelligence, nuclear, missile, chemical-biological "
            "or wmd.",
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the export (YYYY-MM-DD); default today.")
    ] = None,
    food_or_medicine: Annotated[
        bool | None,
        typer.Option(
            "--food-or-medicine/--not-food-or-medicine",
            help="For EAR99 items: is it food or medicine?",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Does this item, to this destination, end user and end use, need a licence?"""
    result = _service(ctx).determine(
        eccn=eccn,
        destination=to,
        end_user=end_user,
        end_use=end_use,
        as_of=svc.parse_as_of(as_of),
        ear99_food_or_medicine=food_or_medicine,
    )
    if as_json:
        print_json(views.determination_json(result))
        return
    colour = {"yes": "red", "no": "green", "unknown": "yellow"}[result.licence_required.value]
    out.print(f"[bold]{result.item.eccn} → {result.destination.name}[/bold] (as of {result.as_of})")
    for name, j in result.jurisdictions.items():
        c = {"yes": "red", "no": "green", "unknown": "yellow"}[j.licence_required.value]
        out.print(f"[{c}]{name}: licence required: {j.licence_required.value}[/{c}] — {j.summary}")
        for r in j.reasons:
            if r.effect.value != "info" or name == "US-EAR":
                out.print(f"   [{r.effect.value}] {r.text}  [dim]({r.citation})[/dim]")
        for e in j.exceptions:
            out.print(f"   exception to examine: {e['symbol']} {e['section']} — {e['title']}")
        for c2 in j.conflicts:
            out.print(
                f"   [magenta]conflict[/magenta]: {c2['title']}: {c2['later_official_action']} "
                f"{c2['under_october_2023_rule']}"
            )
    for w in result.warnings:
        out.print(f"[yellow]warning[/yellow]: {w}")
    out.print(f"[{colour}]licence_required: {result.licence_required.value}[/{colour}]")


@controls_app.command("show")
def show(
    ctx: typer.Context, eccn: str, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Show an ECCN: heading, reasons, Country Chart lines, exception flags, item text."""
    view = _service(ctx).show(eccn)
    if as_json:
        print_json(views.entry_json(view))
        return
    e = view.entry
    out.print(f"[bold]{e.eccn}[/bold] {e.heading}")
    out.print(
        f"Reasons for control: {', '.join(e.reasons) or '(stated elsewhere)'}  "
        f"[dim]({e.citation})[/dim]"
    )
    table = Table("reason", "applies to", "Country Chart / destinations")
    for c in e.controls:
        table.add_row(
            c.reason,
            "entire entry" if c.scope is None else ", ".join(c.scope) or c.scope_text[:60],
            ", ".join(c.columns) or c.destination_text[:90],
        )
    out.print(table)
    for k, v in e.exception_flags.items():
        out.print(f"  {k}: {v}")
    for it in e.items:
        indent = "  " * it.depth
        out.print(f"{indent}{it.paragraph or '·'} {it.text}")
    if view.eu:
        out.print(f"EU Annex I counterpart by number: {view.eu.code} — {view.eu.label}")


@controls_app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words describing the product.")],
    limit: Annotated[int, typer.Option(help="How many results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ranked full-text search over CCL and EU Annex I headings and item text."""
    hits = _service(ctx).search(text, limit)
    if as_json:
        print_json([views.hit_json(h) for h in hits])
        return
    table = Table("score", "list", "entry", "heading")
    for h in hits:
        table.add_row(f"{h.score:.2f}", h.source, h.code, h.heading[:100])
    out.print(table)


@controls_app.command("params")
def params(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the parameters `dualuse classify --param` understands."""
    catalogue = _service(ctx).parameters()
    if as_json:
        print_json(catalogue)
        return
    for k, v in sorted(catalogue.items()):
        out.print(f"{k:32} {v}")


@controls_app.command("gap")
def gap(
    ctx: typer.Context,
    eccn: str,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    png: Annotated[
        Path | None, typer.Option(help="Also save a chart of the gap view as PNG.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Coalition gap view: who controls the item (US, EU) and to where; the weak links."""
    view = _service(ctx).gap(eccn, svc.parse_as_of(as_of))
    if png is not None:
        svc.save_gap_png(view, png)
    if as_json:
        print_json(views.gap_json(view))
        return
    out.print(
        f"[bold]{view.eccn}[/bold] (EU counterpart: {view.eu_entry or 'none'}) as of {view.as_of}"
    )
    for k, v in view.counts.items():
        out.print(f"  {k}: {v}")
    table = Table("destination", "US", "EU", "weak link")
    for r in view.rows:
        if r.weak_link:
            table.add_row(
                f"{r.name} ({r.iso2.upper()})",
                r.us.value,
                r.eu.value,
                f"{r.weak_link} allows what the other requires a licence for",
            )
    out.print(table)
    out.print(view.note)


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.command("classify")(classify)
    app.command("determine")(determine)
    app.add_typer(controls_app, name="controls")
