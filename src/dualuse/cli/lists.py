"""``dualuse lists``: load, update, status, diff, export and snapshot restricted-party lists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from dualuse.cli.common import console, print_json, settings_from
from dualuse.screening.lists import SOURCES, formats, load_path, read_files
from dualuse.screening.lists.common import sha256_hex
from dualuse.screening.lists.diff import ListDiff, diff_versions
from dualuse.screening.lists.ftm import export_ftm
from dualuse.services import lists as service
from dualuse.storage.lists import Snapshot
from dualuse.views import to_jsonable

app = typer.Typer(
    help="Restricted-party lists: load files, update from the publishers, status, diff.",
    no_args_is_help=True,
)
stdout = Console(soft_wrap=True)


class _RichTask:
    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress, self.id = progress, task

    def advance(self, amount: int) -> None:
        self.progress.advance(self.id, amount)

    def total(self, total: int | None) -> None:
        self.progress.update(self.id, total=total)


class RichProgress:
    """Rich progress bars (on stderr) for :mod:`dualuse.services.lists`."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def task(self, description: str, total: int | None = None) -> _RichTask:
        return _RichTask(self.progress, self.progress.add_task(description, total=total))


def _bars() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


@app.command("load")
def load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A list file, or a folder with an OFAC CSV set.")],
    list_id: Annotated[
        str | None, typer.Option("--list", help="List id (default: from the format).")
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD (default: from the file or its path)."),
    ] = None,
    format: Annotated[
        str | None, typer.Option(help="Format name (default: detected); see `lists formats`.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Accept an older, replaced or much shorter version.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Parse a publisher's file and make it the live version of its list."""
    settings = settings_from(ctx)
    with console.status(f"loading {path}"):
        outcome = service.load_list(
            settings, path, list_id=list_id, version=version, format=format, force=force
        )
    stored = outcome.result.stored
    if json:
        changes = _changes(outcome.diff)
        print_json({**to_jsonable(outcome.result), "changes": changes, **_impact(outcome)})
        return
    console.print(
        f"{stored.list_id} {stored.version}: {outcome.result.status}, {stored.count:,} parties"
        f" (sha256 {stored.sha256[:12]})"
    )
    for warning in stored.warnings[:10]:
        console.print(f"[yellow]warning:[/] {warning}")
    if outcome.diff:
        s = outcome.diff.summary()
        console.print(
            f"since {s['old_version']}: +{s['added']} added, -{s['removed']} removed, "
            f"{s['changed']} changed"
        )
    if outcome.monitoring:
        m = outcome.monitoring
        console.print(
            f"monitoring: {m.parties_screened:,} stored parties against {m.entries_screened:,} "
            f"changed entries: {len(m.new_hits)} new hits, {len(m.reopened)} alerts reopened "
            "(`dualuse cases updates`)"
        )


def _impact(outcome: service.LoadOutcome) -> dict[str, Any]:
    return {"monitoring": to_jsonable(outcome.monitoring)} if outcome.monitoring else {}


def _changes(diff: ListDiff | None) -> dict[str, Any] | None:
    return diff.summary() if diff else None


@app.command("update")
def update(
    ctx: typer.Context,
    list_ids: Annotated[
        list[str] | None, typer.Argument(help="Lists to update (default: all known).")
    ] = None,
    url: Annotated[
        list[str] | None,
        typer.Option("--url", help="Override a source: LIST=URL (repeatable)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Accept a much shorter or older version.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the outcomes as JSON.")] = False,
) -> None:
    """Download lists from the publishers (exit 1 if any list failed; the rest update).

    A failed list keeps its live version. Exit 2 means bad arguments.
    """
    settings = settings_from(ctx)
    overrides = service.parse_url_overrides(url or [])
    with _bars() as bars:
        outcomes = service.update_lists(
            settings, list_ids or [], urls=overrides, force=force, progress=RichProgress(bars)
        )
    if json:
        print_json(outcomes)
    for item in outcomes:
        if item.status == "failed":
            console.print(f"[red]{item.list_id}: failed[/] {item.error}")
        else:
            changes = item.changes or {}
            extra = (
                f"; +{changes['added']} -{changes['removed']} ~{changes['changed']}"
                if changes
                else ""
            )
            if item.monitoring:
                m = item.monitoring
                extra += f"; {len(m.new_hits)} new hits, {len(m.reopened)} reopened"
            console.print(
                f"{item.list_id} {item.version}: {item.status}, {item.count:,} parties{extra}"
            )
    if any(item.status == "failed" for item in outcomes):
        # SystemExit, not typer.Exit: main() runs click with standalone_mode=False, which
        # turns typer.Exit into a return value and would lose the code.
        raise SystemExit(1)


@app.command("status")
def status(
    ctx: typer.Context,
    json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Per list: version, parties, age, where it comes from; warns when stale."""
    settings = settings_from(ctx)
    rows = service.status(settings)
    current = service.current_lists(settings)
    if json:
        print_json({"fingerprint": current.fingerprint, "lists": rows})
    else:
        table = Table("list", "version", "parties", "age (days)", "origin", "source")
        for row in rows:
            age = "" if row.age_days is None else str(row.age_days)
            style = "yellow" if row.stale else None
            table.add_row(
                row.list_id,
                row.version,
                f"{row.count:,}",
                age,
                row.origin,
                row.source_url,
                style=style,
            )
        stdout.print(table)
        stdout.print(f"fingerprint {current.fingerprint}")
    for row in rows:
        if row.warning:
            console.print(f"[yellow]warning:[/] {row.warning}")


@app.command("diff")
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="A file/folder, LIST@VERSION or LIST (live).")],
    new: Annotated[str, typer.Argument(help="A file/folder, LIST@VERSION or LIST (live).")],
    json: Annotated[bool, typer.Option("--json", help="Print every change as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Parties listed per section (text output).")] = 20,
) -> None:
    """Parties added, removed and changed (with what changed) between two versions."""
    settings = settings_from(ctx)
    result = diff_versions(service.open_version(settings, old), service.open_version(settings, new))
    if json:
        print_json(
            {
                **result.summary(),
                "added": [
                    {"entry_id": p.provenance.entry_id, "name": p.caption} for p in result.added
                ],
                "removed": [
                    {"entry_id": p.provenance.entry_id, "name": p.caption} for p in result.removed
                ],
                "changed": [
                    {"entry_id": c.entry_id, "name": c.caption, "changes": to_jsonable(c.changes)}
                    for c in result.changed
                ],
            }
        )
        return
    s = result.summary()
    stdout.print(
        f"{s['list_id']} {s['old_version']} -> {s['new_version']}: {s['added']} added, "
        f"{s['removed']} removed, {s['changed']} changed, {s['unchanged']} unchanged"
    )
    for title, parties in (("added", result.added), ("removed", result.removed)):
        for party in parties[:limit]:
            stdout.print(
                f"  {'+' if title == 'added' else '-'} {party.provenance.entry_id} {party.caption}"
            )
    for change in result.changed[:limit]:
        stdout.print(f"  ~ {change.entry_id} {change.caption}: {', '.join(change.fields)}")


@app.command("sources")
def sources(json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """The lists `update` knows: official URLs, publisher, licence."""
    known = formats()
    if json:
        print_json(
            [
                {**to_jsonable(s), "tested_live": known[s.format].tested_live}
                for s in SOURCES.values()
            ]
        )
        return
    table = Table("list", "format")
    table.add_column("main URL (see --json for all files and licences)", overflow="fold")
    for s in SOURCES.values():
        live = "" if known[s.format].tested_live else " (untested against a live file)"
        table.add_row(s.list_id, s.format + live, s.source_url)
    stdout.print(table)


@app.command("formats")
def list_formats() -> None:
    """The file formats `load` reads (and which were written from documentation only)."""
    table = Table("format", "title", "default list", "tested on a live file")
    for fmt in formats().values():
        table.add_row(fmt.name, fmt.title, fmt.default_list_id, "yes" if fmt.tested_live else "no")
    stdout.print(table)


@app.command("export")
def export(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="LIST, LIST@VERSION or a file to convert.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="FollowTheMoney JSON lines file.")],
) -> None:
    """Write a list version as FollowTheMoney JSON lines (for yente, nomenklatura...)."""
    lv = service.open_version(settings_from(ctx), ref)
    with out.open("wb") as handle:
        for line in export_ftm(lv.parties):
            handle.write(line)
    console.print(f"{lv.list_id} {lv.version}: {len(lv.parties):,} parties written to {out}")


@app.command("snapshot")
def snapshot(
    paths: Annotated[list[Path], typer.Argument(help="List files or OFAC CSV folders.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Snapshot folder to write.")],
) -> None:
    """Build an offline snapshot (what the package bundles) from publisher files."""
    versions = [load_path(path) for path in paths]
    digests = {
        lv.list_id: {name: sha256_hex(data) for name, data in read_files(path).items()}
        for lv, path in zip(versions, paths, strict=True)
    }
    created = datetime.now(UTC).isoformat(timespec="seconds")
    Snapshot.write(out, versions, created=created, file_sha256=digests)
    for lv in versions:
        console.print(f"{lv.list_id} {lv.version}: {len(lv.parties):,} parties")


def register(root: typer.Typer) -> None:
    """Add ``dualuse lists ...`` to the root app."""
    root.add_typer(app, name="lists")
