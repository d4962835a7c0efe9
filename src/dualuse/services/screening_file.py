"""Screen a CSV file of parties: ordered output, parallel over cores, resumable.

Output goes to ``OUT.partial`` with a checkpoint beside it (``OUT.checkpoint.json``)
after every chunk; an interrupted run picks up where it stopped if the input file and
the index are unchanged. Only a finished run is renamed to ``OUT``. Rows that cannot be
screened keep their place in the output with ``status=error`` and the reason, and
``match`` left empty: an unscreened party is never reported as clear.
"""

from __future__ import annotations

import csv
import gc
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from dualuse.errors import InputError
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.screening_input import InputRow, read_screening_csv
from dualuse.storage.files import atomic_write_text

ScreenMany = Callable[[Sequence[ScreeningQuery]], Sequence[ScreeningResponse]]
Progress = Callable[[int], None]

OUTPUT_COLUMNS = (
    "row",
    "id",
    "name",
    "status",
    "match",
    "score",
    "list",
    "entry_id",
    "entry_name",
    "matched_name",
    "type",
    "programs",
    "sublist",
    "listed_on",
    "list_version",
    "threshold",
    "index_version",
    "problems",
    "entity_id",
    "entity_lists",
)
CHECKPOINT_VERSION = 1

_WORKER_SCREEN: ScreenMany | None = None


@dataclass(slots=True)
class BatchSummary:
    rows: int = 0
    matched: int = 0
    errors: int = 0
    resumed_from: int = 0
    error_rows: list[str] = field(default_factory=list)
    """First problems, for the summary message (at most 20)."""


def _input_identity(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def result_row(item: InputRow, response: ScreeningResponse | None) -> dict[str, str]:
    """One output row for one input row: its best result, or its problems."""
    out = dict.fromkeys(OUTPUT_COLUMNS, "")
    out.update(row=str(item.row), id=item.id, name=item.name, problems="; ".join(item.problems))
    if response is None:
        out["status"] = "error"
        return out
    out.update(
        status="ok",
        threshold=f"{response.threshold:.2f}",
        index_version=response.index_version,
    )
    if not response.matches:
        out.update(match="false", score="0.000")
        return out
    best = response.matches[0]
    out.update(
        match="true" if best.match else "false",
        score=f"{best.score:.3f}",
        list=best.list_id,
        entry_id=best.entry_id,
        entry_name=best.name,
        matched_name=best.matched_name,
        type=best.type.value,
        programs="; ".join(best.programs),
        sublist=best.sublist or "",
        listed_on=best.listed_on or "",
        list_version=best.list_version,
    )
    if response.entities:
        entity = response.entities[0]  # the best result's entity
        out.update(
            entity_id=entity.entity_id,
            entity_lists="; ".join(f"{x.list_id} {x.entry_id}" for x in entity.listings),
        )
    return out


def _screen_chunk(chunk: list[InputRow]) -> list[dict[str, str]]:
    assert _WORKER_SCREEN is not None, "worker started without a screener"
    queries = [item.query for item in chunk if item.query is not None]
    responses = iter(_WORKER_SCREEN(queries)) if queries else iter(())
    return [result_row(item, next(responses) if item.query is not None else None) for item in chunk]


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def count_lines(path: Path) -> int:
    """Physical lines minus the header: a cheap estimate of rows for the progress bar."""
    with path.open("rb") as handle:
        return max(0, sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 20), b"")) - 1)


def screen_file(
    in_path: Path,
    out_path: Path,
    *,
    screen_many: ScreenMany,
    index_version: str,
    workers: int = 1,
    chunk_size: int = 256,
    resume: bool = True,
    progress: Progress | None = None,
) -> BatchSummary:
    """Screen every row of ``in_path`` into ``out_path`` (see the module docstring)."""
    global _WORKER_SCREEN
    if not in_path.is_file():
        raise InputError("input file not found", source=str(in_path))
    partial = out_path.with_name(out_path.name + ".partial")
    checkpoint = out_path.with_name(out_path.name + ".checkpoint.json")
    identity = _input_identity(in_path)
    summary = BatchSummary()
    done, offset = 0, 0
    if resume and checkpoint.exists() and partial.exists():
        state = json.loads(checkpoint.read_text(encoding="utf-8"))
        if (
            state.get("version") == CHECKPOINT_VERSION
            and state.get("input") == identity
            and state.get("index_version") == index_version
        ):
            done, offset = int(state["rows_done"]), int(state["bytes"])
            summary.matched, summary.errors = int(state["matched"]), int(state["errors"])
    if done == 0:
        offset = 0
    summary.resumed_from = done
    rows = read_screening_csv(in_path)  # raises on an unusable header before any output
    first = next(rows, None)
    remaining: Iterable[InputRow] = [] if first is None else _prepend(first, rows)
    remaining = islice(remaining, done, None)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(partial, os.O_RDWR | os.O_CREAT, 0o644)
    os.ftruncate(fd, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    text = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
    writer = csv.DictWriter(text, fieldnames=OUTPUT_COLUMNS)
    if offset == 0:
        writer.writeheader()
    if progress and done:
        progress(done)
    _WORKER_SCREEN = screen_many
    pool = None
    try:
        chunks = _chunks(remaining, chunk_size)
        if workers > 1:
            # the loaded index and caches are long-lived: freezing them keeps the
            # workers' collections from walking (and copying) the parent's objects
            # (Python's gc docs advise it right before fork)
            gc.freeze()
            pool = multiprocessing.get_context("fork").Pool(workers)
            results: Iterator[list[dict[str, str]]] = pool.imap(_screen_chunk, chunks)
        else:
            results = map(_screen_chunk, chunks)
        for out_rows in results:
            writer.writerows(out_rows)
            text.flush()
            os.fsync(fd)
            done += len(out_rows)
            _tally(summary, out_rows)
            atomic_write_text(
                checkpoint,
                json.dumps(
                    {
                        "version": CHECKPOINT_VERSION,
                        "input": identity,
                        "index_version": index_version,
                        "rows_done": done,
                        "bytes": os.lseek(fd, 0, os.SEEK_CUR),
                        "matched": summary.matched,
                        "errors": summary.errors,
                    }
                ),
            )
            if progress:
                progress(len(out_rows))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _WORKER_SCREEN = None
        text.close()
    summary.rows = done
    os.replace(partial, out_path)
    checkpoint.unlink(missing_ok=True)
    return summary


def _tally(summary: BatchSummary, out_rows: list[dict[str, str]]) -> None:
    for out in out_rows:
        if out["status"] == "error":
            summary.errors += 1
            if len(summary.error_rows) < 20:
                summary.error_rows.append(f"row {out['row']}: {out['problems']}")
        elif out["match"] == "true":
            summary.matched += 1


def _prepend(first: InputRow, rest: Iterator[InputRow]) -> Iterator[InputRow]:
    yield first
    yield from rest
