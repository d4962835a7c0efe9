"""``dualuse screen``, ``screen-file``, ``screen-spark`` and ``index``: party screening."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from dualuse.cli.common import console, print_json, rate_progress, settings_from
from dualuse.errors import InputError
from dualuse.model.screening import ScreeningResponse
from dualuse.services.screening_input import make_query
from dualuse.settings import Settings
from dualuse.views.screening import list_label, response_json


class SparkFormat(StrEnum):
    """File formats ``screen-spark`` reads and writes."""

    csv = "csv"
    parquet = "parquet"


index_app = typer.Typer(help="Build and inspect the screening index.", no_args_is_help=True)


def _service(settings: Settings) -> Any:
    from dualuse.services.screening import ScreeningService

    return ScreeningService(settings, on_build=lambda msg: console.print(f"{msg} ..."))


def _print_response(response: ScreeningResponse, explain: int) -> None:
    for warning in response.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    verdict = "[bold red]MATCH[/]" if response.is_match else "[green]no match[/]"
    console.print(
        f"{verdict} at threshold {response.threshold:.2f} "
        f"({response.algorithm}, index {response.index_version[:12]})"
    )
    table = Table(show_lines=False)
    for column in ("score", "match", "list", "entry", "listed name", "matched on", "programs"):
        table.add_column(column)
    by_party = {m.party_id: m for m in response.matches}
    for entity in response.entities:  # one row per party, naming every listing of it
        m = by_party[entity.best]
        table.add_row(
            f"{m.score:.3f}",
            "yes" if m.match else "",
            "\n".join(list_label(x) for x in entity.listings),
            "\n".join(x.entry_id for x in entity.listings),
            m.name,
            m.matched_name if m.matched_name != m.name else "",
            ", ".join(entity.programs),
        )
    if response.matches:
        out = Console(width=None if sys.stdout.isatty() else 160)
        out.print(table, soft_wrap=False)
    else:
        console.print("no candidates")
    for m in response.matches[:explain]:
        console.print(f"\nwhy {m.score:.3f} for {m.name} ({m.list_id} {m.entry_id}):")
        for e in m.explanation:
            if not e.value:
                continue
            console.print(
                f"  {e.feature:<28} {e.value:6.3f} x {e.weight:5.2f}  "
                f"{e.query_value or ''!s} ~ {e.candidate_value or ''!s}",
                highlight=False,
                markup=False,
            )


def screen(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The party's name, in any script.")],
    dob: Annotated[
        str | None,
        typer.Option(
            help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD (also 1969-7-16, 16/07/1969); "
            "one that cannot be read is left out, with a warning."
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(help="Country (ISO-2 or name): nationality, residence or registration."),
    ] = None,
    type: Annotated[
        str, typer.Option("--type", help="person, organization, vessel, aircraft or any.")
    ] = "any",
    lists: Annotated[
        list[str] | None,
        typer.Option(
            "--list", help="Only these list ids (repeatable); see `dualuse lists status`."
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Score at or above which a result is a match (needs review). "
            "Default: the algorithm's."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Results to show.")] = None,
    algorithm: Annotated[str | None, typer.Option(help="Scoring algorithm NAME.")] = None,
    explain: Annotated[int, typer.Option(help="Explain the best N results.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Screen one party against the restricted-party lists; best results first, explained."""
    from dataclasses import replace

    settings = settings_from(ctx)
    if algorithm is not None:
        settings = replace(settings, screening=replace(settings.screening, algorithm=algorithm))
    query, notes = make_query(name, dob=dob or "", country=country or "", type=type)
    if lists:
        query = replace(query, lists=tuple(lists))
    from dualuse.storage.db import make_engine

    service = _service(settings)
    engine = make_engine(settings.db_url)
    response = service.screen_recorded(engine, "cli", query, threshold=threshold, limit=limit)
    if notes:
        response = replace(response, warnings=(*response.warnings, *notes))
    if as_json:
        print_json(response_json(response))
    else:
        _print_response(response, explain)


def screen_file(
    ctx: typer.Context,
    input: Annotated[
        Path,
        typer.Argument(help="CSV with a `name` column; optional `id`, `dob`, `country`, `type`."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV to write.")],
    threshold: Annotated[float | None, typer.Option(help="Match threshold.")] = None,
    workers: Annotated[int, typer.Option(help="Processes (0: one per core).")] = 0,
    resume: Annotated[bool, typer.Option(help="Continue an interrupted run.")] = True,
    chunk_size: Annotated[int, typer.Option(help="Rows per work unit.")] = 256,
    index: Annotated[
        Path | None,
        typer.Option(help="Screen against this index file (e.g. from `index delta`)."),
    ] = None,
) -> None:
    """Screen every row of a CSV; one output row per input row, in order."""
    from dualuse.services.screening_file import check_input, count_lines
    from dualuse.services.screening_file import screen_file as run

    settings = settings_from(ctx)
    if chunk_size < 1:
        raise InputError("must be at least 1", source="--chunk-size")
    check_input(input, output)
    service = _service(settings) if index is None else _IndexFile(settings, index)
    n_workers = workers if workers > 0 else settings.effective_workers
    with rate_progress("screening", count_lines(input), "rows") as advance:
        summary = run(
            input,
            output,
            screen_many=lambda qs: service.screen_many(
                qs, threshold=threshold, limit=1, explain=False
            ),
            index_version=service.index.version,
            workers=n_workers,
            chunk_size=chunk_size,
            resume=resume,
            progress=advance,
        )
    for warning in service.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    if summary.restarted:
        console.print(
            f"[yellow]checkpoint not used:[/] {summary.restarted}; screened from the start"
        )
    if summary.resumed_from:
        console.print(f"resumed after row {summary.resumed_from}")
    console.print(
        f"{summary.rows} rows screened into {output}: {summary.matched} matched, "
        f"{summary.errors} could not be screened"
    )
    for line in summary.error_rows:
        console.print(f"  [yellow]{line}[/]", highlight=False)


def screen_spark(
    ctx: typer.Context,
    input: Annotated[
        str, typer.Argument(help="CSV or Parquet (file, folder or any URI Spark reads).")
    ],
    output: Annotated[str, typer.Argument(help="Output folder (Spark writes part files).")],
    master: Annotated[
        str | None, typer.Option(help="Spark master, e.g. local[2] or spark://host:7077.")
    ] = None,
    threshold: Annotated[float | None, typer.Option(help="Match threshold.")] = None,
    index: Annotated[
        str | None,
        typer.Option(
            help="Index file to screen against (default: the current lists'; "
            "`index delta` writes one of what a list update changed)."
        ),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Partitions to spread over (default: the parallelism)."),
    ] = None,
    input_format: Annotated[
        SparkFormat | None, typer.Option(help="Input format (default: from the suffix).")
    ] = None,
    output_format: Annotated[
        SparkFormat | None, typer.Option(help="Output format (default: from the suffix).")
    ] = None,
    multiline: Annotated[
        bool, typer.Option(help="CSV fields hold newlines (such a file cannot be split).")
    ] = False,
    conf: Annotated[
        list[str] | None, typer.Option(help="Spark setting key=value (repeatable).")
    ] = None,
) -> None:
    """Screen a large CSV or Parquet file as an Apache Spark job (same rows as
    `screen-file`)."""
    from dualuse.services.spark_screening import SparkJob, run_spark_job

    settings = settings_from(ctx)
    spark_conf = {}
    for item in conf or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{item!r} is not key=value", source="--conf")
        spark_conf[key.strip()] = value
    job = SparkJob(
        input=input,
        output=output,
        index_path=index or str(_service(settings).info.path),
        input_format=input_format.value if input_format else None,
        output_format=output_format.value if output_format else None,
        partitions=partitions,
        multiline=multiline,
        algorithm=settings.screening.algorithm,
        threshold=threshold,
    )
    count = run_spark_job(job, master=master, conf=spark_conf)
    console.print(f"{count} rows screened into {output}")


@index_app.command("build")
def index_build(ctx: typer.Context) -> None:
    """Build (or find) the index for the current list versions."""
    service = _service(settings_from(ctx))
    console.print(
        f"index {service.info.fingerprint[:12]} ({service.info.origin}): "
        f"{service.info.parties} parties at {service.info.path}"
    )


@index_app.command("status")
def index_status(ctx: typer.Context) -> None:
    """Show the index the next screen would use, and the list versions behind it."""
    service = _service(settings_from(ctx))
    print_json(
        {
            "fingerprint": service.info.fingerprint,
            "origin": service.info.origin,
            "path": str(service.info.path),
            "parties": service.info.parties,
            "lists": service.list_versions(),
            "warnings": list(service.warnings),
        }
    )


@index_app.command("delta")
def index_delta(
    ctx: typer.Context,
    old: Annotated[
        list[str],
        typer.Option("--from", help="Old version: a path or LIST@VERSION (repeatable)."),
    ],
    new: Annotated[
        list[str],
        typer.Option("--to", help="New version, paired with each --from in order."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Index file to write.")],
) -> None:
    """Write an index of only the entries a list update added or changed, weighted as
    the current lists' index, for re-screening stored parties (`screen-file --index`,
    `screen-spark --index`)."""
    from dualuse.services.delta_screening import build_delta_index, compare
    from dualuse.services.lists import open_version

    if len(old) != len(new):
        raise InputError(f"{len(old)} --from but {len(new)} --to: give them in pairs")
    settings = settings_from(ctx)
    changes = [
        compare(open_version(settings, a), open_version(settings, b))
        for a, b in zip(old, new, strict=True)
    ]
    delta = build_delta_index(changes, _service(settings).index)
    delta.index.save(output)
    print_json({**delta.summary(), "path": str(output)})


class _IndexFile:
    """A screening service over one index file (``--index``), for ``screen-file``."""

    def __init__(self, settings: Settings, path: Path) -> None:
        from dualuse.screening.matching import Index, Screener

        self.index = Index.load(path)
        self._screener = Screener(
            self.index, settings.screening.algorithm, threshold=settings.screening.threshold
        )
        self.warnings: tuple[str, ...] = ()

    def screen_many(self, queries: Any, **options: Any) -> Any:
        return self._screener.screen_many(queries, **options)


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)
    app.command("screen-file")(screen_file)
    app.command("screen-spark")(screen_spark)
    app.add_typer(index_app, name="index")
