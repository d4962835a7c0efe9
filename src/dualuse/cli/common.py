"""What every command shares: the settings from the context, JSON output, error exits."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import typer
from rich.console import Console

from dualuse.settings import Settings
from dualuse.views import to_jsonable

console = Console(stderr=True, soft_wrap=True)
"""Messages, progress bars and warnings go to stderr so stdout stays parseable."""


def settings_from(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    if isinstance(obj, Settings):
        return obj
    return Settings.from_env()


def print_json(value: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(to_jsonable(value), option=orjson.OPT_INDENT_2))
    sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()


@contextlib.contextmanager
def rate_progress(label: str, total: int, unit: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr with a rate (``unit``/s); yields ``advance(n)``."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    started = time.perf_counter()
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=total, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            done = bar.tasks[0].completed
            elapsed = time.perf_counter() - started
            bar.update(task, rate=f"{done / elapsed:,.0f} {unit}/s" if elapsed else "")

        yield advance
