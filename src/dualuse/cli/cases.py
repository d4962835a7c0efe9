"""``dualuse cases ...``: the reviewers' queue from a terminal, and ``dualuse audit
export``, the regulator bundle.

Write commands name the acting person with ``--actor`` (recorded in the case history and
the audit log; the four-eyes rule compares it). Errors exit 2 with one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dualuse.cli.admin import audit_app
from dualuse.cli.common import console, print_json, settings_from
from dualuse.errors import InputError
from dualuse.services.case_views import CaseDetail, QueueFilter
from dualuse.services.cases import CaseService
from dualuse.storage.cases import DISPOSITIONS

cases_app = typer.Typer(
    help="The case queue: list, show, assign, comment, disposition, release, block.",
    no_args_is_help=True,
)

Actor = Annotated[str, typer.Option(help="Who acts (a person's name; recorded and audited).")]
Reason = Annotated[str, typer.Option(help="Why (recorded in the case history and audit log).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _service(ctx: typer.Context) -> CaseService:
    return CaseService(settings_from(ctx))


def _print_case(detail: CaseDetail, as_json: bool) -> None:
    if as_json:
        print_json(detail)
        return
    s = detail.summary
    console.print(
        f"case {s.case_id} [{s.kind}] order {s.order_id} verdict {s.verdict}: {s.status}"
        f"{' (' + s.resolution + ')' if s.resolution else ''}, assignee {s.assignee or '-'}, "
        f"due {s.due_at}{' OVERDUE' if s.overdue else ''}",
        markup=False,
    )
    for a in detail.alerts:
        console.print(
            f"  alert {a.alert_id} {a.status}: {a.party_name!r} ~ {a.listed_name!r} "
            f"({a.key.list_id} {a.key.entry_id}, score {a.score:.2f}, {a.origin})",
            markup=False,
        )
    for e in detail.events:
        console.print(f"  {e.at} {e.actor} {e.kind}: {e.text[:200]}", markup=False)


@cases_app.command("list")
def list_cases(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="open, closed or all.")] = "open",
    assignee: Annotated[str | None, typer.Option(help="Only this assignee's cases.")] = None,
    verdict: Annotated[str | None, typer.Option(help="hold or review.")] = None,
    kind: Annotated[str | None, typer.Option(help="decision or monitoring.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only open cases past their due date.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    as_json: AsJson = False,
) -> None:
    """The queue, oldest due first."""
    if status not in ("open", "closed", "all"):
        raise InputError(f"unknown status {status!r}", source="--status", suggestions=["open"])
    query = QueueFilter(
        None if status == "all" else status, assignee, verdict, kind, None, overdue, limit
    )
    rows = _service(ctx).queue(query)
    if as_json:
        print_json(rows)
        return
    table = Table("case", "kind", "order", "verdict", "status", "assignee", "due", "alerts")
    for r in rows:
        due = r.due_at + (" OVERDUE" if r.overdue else "")
        table.add_row(
            str(r.case_id),
            r.kind,
            r.order_id or "-",
            r.verdict,
            r.resolution or r.status,
            r.assignee or "-",
            due,
            str(r.open_alerts),
        )
    console.print(table)


@cases_app.command("show")
def show(ctx: typer.Context, case_id: int, as_json: AsJson = False) -> None:
    """One case: its alerts, history, dispositions and release."""
    _print_case(_service(ctx).case(case_id), as_json)


@cases_app.command("assign")
def assign(ctx: typer.Context, case_id: int, assignee: str, actor: Actor) -> None:
    """Assign a case to a reviewer."""
    _print_case(_service(ctx).assign(case_id, assignee, actor=actor), False)


@cases_app.command("comment")
def comment(ctx: typer.Context, case_id: int, text: str, actor: Actor) -> None:
    """Add a comment to a case's history."""
    _print_case(_service(ctx).comment(case_id, text, actor=actor), False)


@cases_app.command("disposition")
def disposition(
    ctx: typer.Context,
    case_id: int,
    alert_id: int,
    value: Annotated[str, typer.Argument(help="true_match, false_positive or escalate.")],
    reason: Reason,
    actor: Actor,
) -> None:
    """Disposition one alert; a false positive is remembered for this party and entry."""
    if value not in DISPOSITIONS:
        raise InputError(f"unknown disposition {value!r}", source="VALUE", suggestions=DISPOSITIONS)
    _print_case(_service(ctx).disposition(case_id, alert_id, value, reason, actor=actor), False)


@cases_app.command("release")
def release(ctx: typer.Context, case_id: int, reason: Reason, actor: Actor) -> None:
    """Release a held order (four eyes: never by a person who cleared it)."""
    _print_case(_service(ctx).release(case_id, reason, actor=actor), False)


@cases_app.command("block")
def block(ctx: typer.Context, case_id: int, reason: Reason, actor: Actor) -> None:
    """Close a case without release: the order does not ship."""
    _print_case(_service(ctx).block(case_id, reason, actor=actor), False)


@cases_app.command("stats")
def stats(ctx: typer.Context) -> None:
    """Dashboard figures: decisions by verdict, hit rate, open and overdue cases."""
    print_json(_service(ctx).stats())


@cases_app.command("updates")
def updates(
    ctx: typer.Context,
    list_id: Annotated[str | None, typer.Option("--list", help="Only this list.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
) -> None:
    """What recent list updates did to the stored parties: new hits, alerts reopened."""
    print_json(_service(ctx).list_updates(list_id=list_id, limit=limit))


@cases_app.command("monitor")
def monitor_versions(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Earlier version: a path, LIST@VERSION or LIST.")],
    new: Annotated[str, typer.Argument(help="Later version: a path, LIST@VERSION or LIST.")],
    actor: Actor = "cli",
) -> None:
    """Re-screen the stored parties against what changed between two list versions (as
    a list update does), e.g. when an update was committed but not monitored."""
    from dualuse.screening.lists.diff import diff_versions
    from dualuse.services.lists import open_version
    from dualuse.services.monitoring import monitor

    settings = settings_from(ctx)
    before, after = open_version(settings, old), open_version(settings, new)
    if before.list_id != after.list_id:
        raise InputError(f"{before.list_id} and {after.list_id} are different lists", source="NEW")
    print_json(monitor(settings, diff_versions(before, after), after, actor=actor))


@cases_app.command("parties")
def export_parties(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV to write.")],
) -> None:
    """Write the stored parties (every party of every decided order, once) as a CSV that
    `screen-file` and `screen-spark` read (`id`, `name`, `country`): the input of a
    re-screen on a cluster, e.g. `screen-spark parties.csv out/ --index delta.npz` after
    `index delta` (docs/spark.md)."""
    import csv
    import io

    from dualuse.files import atomic_write_text
    from dualuse.storage import case_store

    service = CaseService(settings_from(ctx))
    with service.engine.connect() as conn:
        rows = case_store.all_parties(conn)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", "country"])
    writer.writerows([r["party_ref"], r["name"], r["country"] or ""] for r in rows)
    atomic_write_text(output, buffer.getvalue())
    console.print(f"{len(rows)} parties written to {output}", markup=False)


def audit_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="New folder to write the bundle to.")],
    since: Annotated[str | None, typer.Option(help="Decisions taken at or after (ISO).")] = None,
    until: Annotated[str | None, typer.Option(help="Decisions taken before (ISO).")] = None,
) -> None:
    """Write the regulator bundle (decisions with evidence, cases, dispositions,
    releases, list and rule versions, the audit chain and its head) as CSV and JSON,
    atomically. Keep it five years (15 CFR 762.6)."""
    from dualuse.services.audit_export import export_bundle, record_export

    settings = settings_from(ctx)
    service = CaseService(settings)
    manifest = export_bundle(settings, service.engine, out, since=since, until=until)
    record_export(service.engine, manifest, actor="cli", since=since, until=until, out=str(out))
    chain = manifest["chain"]
    console.print(
        f"bundle {out}: {len(manifest['files'])} files, chain head {chain['head_seq']} "
        f"{chain['head_hash']}",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
    audit_app.command("export")(audit_export)
