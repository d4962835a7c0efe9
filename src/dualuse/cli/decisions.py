"""``dualuse decide`` and ``decide-file``: one verdict per order."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from dualuse.cli.common import console, rate_progress, settings_from
from dualuse.errors import InputError
from dualuse.settings import Settings

out = Console(soft_wrap=True)
"""Human output goes to stdout; messages and problems to stderr (``console``)."""
COLOURS = {
    "prohibited": "bold red",
    "hold": "red",
    "licence_required": "yellow",
    "review": "cyan",
    "clear": "green",
}


def _read(path: Path) -> list[tuple[int, str]]:
    """One order (a JSON object, possibly over several lines) or JSON lines."""
    if not path.is_file():
        raise InputError("file not found" if not path.exists() else "not a file", source=str(path))
    text = path.read_text(encoding="utf-8", errors="replace")
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            json.loads(stripped)
            return [(1, stripped)]  # one order, whatever its layout
        except ValueError:
            pass  # JSON lines (or broken JSON: each line then names its own problem)
    return list(enumerate(text.splitlines(), start=1))


OwnershipFile = Annotated[
    Path | None,
    typer.Option(
        help="Ownership graph (FtM JSON lines, or --ownership-format bods/gleif): a "
        "party blocked through ownership holds the order."
    ),
]
OwnershipFormat = Annotated[str, typer.Option(help="ftm, bods or gleif.")]
OwnershipRule = Annotated[str, typer.Option(help="Ownership rule: ofac, eu or uk.")]


def decide(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="One order (JSON) or many (JSON lines).")],
    json_out: Annotated[
        bool,
        typer.Option("--json", help="One decision JSON object per order and line, in order."),
    ] = False,
    ownership: OwnershipFile = None,
    ownership_format: OwnershipFormat = "ftm",
    rule: OwnershipRule = "ofac",
) -> None:
    """Decide orders: screen every party, determine every line, evaluate every red flag,
    and give one verdict (prohibited, hold, licence_required, review or clear) with its
    cited reasons. A malformed order exits with status 2, naming every problem by path."""
    from dualuse.services.decisions import DecisionService
    from dualuse.services.decisions_file import decide_lines

    lines = _read(file)
    settings = settings_from(ctx)
    service = DecisionService(
        settings, ownership=_ownership(settings, ownership, ownership_format, rule)
    )
    results = decide_lines(lines, parse=service.parse, decide_many=service.decide_many)
    for result in results:
        if json_out:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
        elif "error" not in result:
            _print_decision(result)
    sys.stdout.flush()
    bad = [r for r in results if "error" in r]
    for r in bad:
        where = f"line {r['line']}" + (f", order {r['id']}" if r.get("id") else "")
        console.print(f"[red]invalid order[/] ({escape(where)}):", highlight=False)
        for p in r["problems"]:
            hint = (
                f" (did you mean {' or '.join(p['suggestions'])}?)" if p.get("suggestions") else ""
            )
            console.print(
                f"  {escape(p['path'])}: {escape(p['message'])}{escape(hint)}", highlight=False
            )
    if bad:
        raise typer.Exit(2)


def _ownership(settings: Settings, path: Path | None, fmt: str, rule: str) -> Any:
    """The ownership index of ``path`` under ``rule`` as of today, or ``None``."""
    if path is None:
        return None
    from dualuse.services.diversion import DiversionService
    from dualuse.services.ownership_screening import OwnershipIndex

    report = DiversionService(settings).ownership_file(path, fmt=fmt, rule=rule)
    return OwnershipIndex(report)


def _print_decision(d: dict[str, Any]) -> None:
    verdict = d["verdict"]
    out.print(
        f"[bold]{escape(str(d['id']))}[/]: [{COLOURS[verdict]}]{verdict.upper()}[/]  "
        f"({d['decision_id']}, as of {d.get('as_of')})",
        highlight=False,
    )
    for r in d["reasons"]:
        colour, code, subject = COLOURS[r["verdict"]], escape(r["code"]), escape(r["subject"])
        out.print(f"  [{colour}]{r['verdict']:<16}[/] {code}  [dim]{subject}[/]", highlight=False)
        out.print(f"      {escape(r['text'])}", highlight=False)
        cite = r["citation"]
        out.print(
            f"      [dim]source: {escape(cite['source'])} ({cite['date']})[/]", highlight=False
        )
    for a in d["alerts"]:
        state = "cleared" if a["cleared"] else "open"
        out.print(
            f"  alert ({state}): {escape(a['role'])} {escape(a['party_name'])!r} ~ "
            f"{escape(a['listed_name'])!r} [{escape(a['list_id'])} {escape(a['entry_id'])}] "
            f"score {a['score']:.2f}",
            highlight=False,
        )
    for p in d["problems"]:
        out.print(f"  [yellow]problem[/] {escape(p['path'])}: {escape(p['message'])}")
    v = d["versions"]
    lists = ", ".join(f"{x['list_id']} {x['version']}" for x in v["lists"])
    out.print(f"  [dim]lists {lists}; rules {v['rules']}; code {v['code']}[/]", highlight=False)


def decide_file(
    ctx: typer.Context,
    input: Annotated[Path, typer.Argument(help="Orders, one JSON object per line.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="JSON lines to write.")],
    workers: Annotated[int, typer.Option(help="Processes (0: one per core).")] = 0,
    resume: Annotated[bool, typer.Option(help="Continue an interrupted run.")] = True,
    chunk_size: Annotated[int, typer.Option(help="Orders per work unit.")] = 64,
    ownership: OwnershipFile = None,
    ownership_format: OwnershipFormat = "ftm",
    rule: OwnershipRule = "ofac",
) -> None:
    """Decide every order of a JSON-lines file into another, one decision per line in
    input order (an unreadable order keeps its place with its problems); parallel and
    resumable like screen-file."""
    from dualuse.decisions.model import digest
    from dualuse.services.decisions import DecisionService
    from dualuse.services.decisions_file import count_lines, decide_lines
    from dualuse.services.decisions_file import decide_file as run
    from dualuse.services.screening_file import check_paths

    settings = settings_from(ctx)
    if chunk_size < 1:
        raise InputError("must be at least 1", source="--chunk-size")
    check_paths(input, output)
    service = DecisionService(
        settings, ownership=_ownership(settings, ownership, ownership_format, rule)
    )
    n_workers = workers if workers > 0 else settings.effective_workers
    with rate_progress("deciding", count_lines(input), "lines") as advance:
        summary = run(
            input,
            output,
            decide_chunk=lambda chunk: decide_lines(
                chunk, parse=service.parse, decide_many=service.decide_many
            ),
            versions_key=digest(service.versions.to_json()),
            workers=n_workers,
            chunk_size=chunk_size,
            resume=resume,
            progress=advance,
        )
    if summary.restarted:
        console.print(
            f"[yellow]checkpoint not used:[/] {summary.restarted}; decided from the start"
        )
    if summary.resumed_from:
        console.print(f"resumed after line {summary.resumed_from}")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.verdicts.items()))
    console.print(
        f"{summary.orders} orders decided into {output}"
        + (f" ({counts})" if counts else "")
        + f"; {summary.errors} could not be read"
    )
    for line in summary.error_lines:
        console.print(f"  [yellow]{escape(line)}[/]", highlight=False)


def decide_replay(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Recorded decisions, one JSON object per line.")],
    json_out: Annotated[bool, typer.Option("--json", help="One result object per line.")] = False,
) -> None:
    """Replay recorded decisions on the lists, rules and code loaded now: same verdict?
    what differs? Exits 1 when any verdict differs, 2 when a line is not a decision."""
    from dualuse.services.decisions import DecisionService

    if not file.is_file():
        raise InputError("file not found" if not file.exists() else "not a file", source=str(file))
    service = DecisionService(settings_from(ctx))
    changed = 0
    with file.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                recorded = json.loads(text)
            except ValueError as exc:
                where = f"line {number}"
                raise InputError(f"not JSON: {exc}", source=str(file), location=where) from None
            try:
                result = service.replay(recorded).to_json()
            except InputError as exc:
                raise InputError(exc.message, source=str(file), location=f"line {number}") from None
            changed += not result["same_verdict"]
            if json_out:
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            else:
                same = "same verdict" if result["same_verdict"] else "[red]verdict changed[/]"
                out.print(
                    f"{escape(str(result['id']))}: {result['verdict']} -> "
                    f"{result['replayed_verdict']} ({same})",
                    highlight=False,
                )
                for diff in result["differences"]:
                    out.print(f"  {escape(diff)}", highlight=False)
    sys.stdout.flush()
    if changed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("decide")(decide)
    app.command("decide-file")(decide_file)
    app.command("decide-replay")(decide_replay)
