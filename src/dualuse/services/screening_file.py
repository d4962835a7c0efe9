"""Screen a CSV file of parties: ordered output, parallel over cores, resumable.

Output goes to ``OUT.partial`` with a checkpoint beside it (``OUT.checkpoint.json``)
after every chunk, recording the partial file's length and SHA-256; an interrupted run
picks up where it stopped if the input file and the index are unchanged and the partial
file still verifies (otherwise it starts again). Only a finished run is renamed to ``OUT``.
Rows that cannot be screened keep their place in the output with ``status=error`` and
the reason, and ``match`` left empty: an unscreened party is never reported as clear.
Cells a spreadsheet would read as a formula are written with a leading ``'``.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from dualuse.errors import InputError
from dualuse.files import atomic_write_text
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.services.screening_input import InputRow, read_screening_csv

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
CHECKPOINT_VERSION = 2
"""2: the checkpoint records the SHA-256 of the partial file's bytes."""

_WORKER_SCREEN: ScreenMany | None = None


@dataclass(slots=True)
class BatchSummary:
    rows: int = 0
    matched: int = 0
    errors: int = 0
    resumed_from: int = 0
    error_rows: list[str] = field(default_factory=list)
    """First problems, for the summary message (at most 20)."""
    restarted: str = ""
    """Why a checkpoint was not trusted and the run started again (empty if it was not)."""


def _input_identity(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts a spreadsheet would run as a formula (OWASP, CSV injection)."""


def neutralise(value: str) -> str:
    """A cell a spreadsheet will show as text: one starting like a formula gets a
    single quote in front (OWASP's CSV injection advice)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def result_row(item: InputRow, response: ScreeningResponse | None) -> dict[str, str]:
    """One output row for one input row: its best result, or its problems; no cell
    starts like a spreadsheet formula (see :func:`neutralise`)."""
    out = _result_row(item, response)
    return {key: neutralise(value) for key, value in out.items()}


def _result_row(item: InputRow, response: ScreeningResponse | None) -> dict[str, str]:
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


def check_paths(in_path: Path, out_path: Path) -> None:
    """Refuse paths that cannot work before any screening: a missing input, an output
    that is a directory, is the input itself, or sits in a folder that cannot be written."""
    if not in_path.exists():
        raise InputError("input file not found", source=str(in_path))
    if not in_path.is_file():
        raise InputError("input is not a file", source=str(in_path))
    if out_path.is_dir():
        raise InputError("output is a directory; give a file name", source=str(out_path))
    for path in (out_path, *_work_files(out_path)):
        if path.resolve() == in_path.resolve() or (path.exists() and path.samefile(in_path)):
            raise InputError(
                f"output {path} is the input file; it would be overwritten", source=str(out_path)
            )
    folder = out_path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write in {folder}", source=str(out_path))


def check_input(in_path: Path, out_path: Path) -> None:
    """:func:`check_paths`, then the header (a ``name`` column, no column twice)."""
    check_paths(in_path, out_path)
    next(read_screening_csv(in_path), None)


def _work_files(out_path: Path) -> tuple[Path, Path]:
    """``OUT.partial`` and ``OUT.checkpoint.json``."""
    return (
        out_path.with_name(out_path.name + ".partial"),
        out_path.with_name(out_path.name + ".checkpoint.json"),
    )


def _resume_point(
    checkpoint: Path, partial: Path, identity: dict[str, Any], index_version: str
) -> tuple[dict[str, int] | None, Any, str]:
    """Where to resume (rows done, bytes, matched, errors) and a SHA-256 of the partial
    file's verified bytes; or ``None`` and why the run starts again. A checkpoint is
    trusted only if the partial file still holds the bytes it recorded."""
    if not (checkpoint.exists() and partial.exists()):
        return None, hashlib.sha256(), ""
    try:
        state = json.loads(checkpoint.read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            raise ValueError("not an object")
        if (state.get("version"), state.get("input"), state.get("index_version")) != (
            CHECKPOINT_VERSION,
            identity,
            index_version,
        ):
            return None, hashlib.sha256(), ""  # another input, index or release: start over
        point = {k: int(state[k]) for k in ("rows_done", "bytes", "matched", "errors")}
        digest = str(state["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, hashlib.sha256(), "the checkpoint is unreadable"
    length = point["bytes"]
    size = partial.stat().st_size
    if size < length:
        reason = f"{partial.name} has {size} bytes, the checkpoint recorded {length}"
        return None, hashlib.sha256(), reason
    hasher = hashlib.sha256()
    with partial.open("rb") as handle:
        while length > 0 and (block := handle.read(min(length, 1 << 20))):
            hasher.update(block)
            length -= len(block)
    if length or hasher.hexdigest() != digest:
        return None, hashlib.sha256(), f"{partial.name} does not match its checkpoint checksum"
    return point, hasher, ""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _csv_bytes(rows: Sequence[dict[str, str]], *, header: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OUTPUT_COLUMNS)
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@dataclass(slots=True)
class RunState:
    """Where a resumable run stands: input units done, and two counters it keeps."""

    done: int = 0
    matched: int = 0
    errors: int = 0
    resumed_from: int = 0
    restarted: str = ""


Chunk = list[Any]
Work = Callable[[Chunk], tuple[int, bytes, Any]]
"""One chunk of input units -> (units consumed, output bytes, anything for ``tally``)."""
_WORKER_RUN: Work | None = None


def _run_chunk(chunk: Chunk) -> tuple[int, bytes, Any]:
    assert _WORKER_RUN is not None, "worker started without work"
    return _WORKER_RUN(chunk)


def run_resumable(
    in_path: Path,
    out_path: Path,
    *,
    units: Callable[[int], Iterable[Any]],
    work: Work,
    tally: Callable[[RunState, Any], None],
    version_key: str,
    header: bytes = b"",
    workers: int = 1,
    chunk_size: int = 256,
    resume: bool = True,
    progress: Progress | None = None,
) -> RunState:
    """The engine of ``screen-file`` and ``decide-file``: ``units(skip)`` yields the input
    units after the first ``skip``; ``work`` turns a chunk of them into output bytes (in a
    forked worker when ``workers > 1``); ``tally`` counts in the parent. Output goes to
    ``OUT.partial`` and a checkpoint after every chunk; see the module docstring."""
    global _WORKER_RUN
    check_paths(in_path, out_path)
    partial, checkpoint = _work_files(out_path)
    identity = _input_identity(in_path)
    run = RunState()
    point, hasher, run.restarted = (
        _resume_point(checkpoint, partial, identity, version_key)
        if resume
        else (None, hashlib.sha256(), "")
    )
    offset = 0
    if point is not None and point["rows_done"] > 0:
        run.done, offset = point["rows_done"], point["bytes"]
        run.matched, run.errors = point["matched"], point["errors"]
    run.resumed_from = run.done
    remaining = units(run.done)  # raises on unusable input before any output
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(partial, os.O_RDWR | os.O_CREAT, 0o644)
    os.ftruncate(fd, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    if offset == 0:
        hasher = hashlib.sha256()
        _write_all(fd, header)
        hasher.update(header)
        offset = len(header)
    if progress and run.done:
        progress(run.done)
    _WORKER_RUN = work
    pool = None
    try:
        chunks = _chunks(remaining, chunk_size)
        if workers > 1:
            # the loaded index and caches are long-lived: freezing them keeps the
            # workers' collections from walking (and copying) the parent's objects
            # (Python's gc docs advise it right before fork)
            gc.freeze()
            pool = multiprocessing.get_context("fork").Pool(workers)
            results: Iterator[tuple[int, bytes, Any]] = pool.imap(_run_chunk, chunks)
        else:
            results = map(_run_chunk, chunks)
        for consumed, data, result in results:
            _write_all(fd, data)
            os.fsync(fd)
            hasher.update(data)
            offset += len(data)
            run.done += consumed
            tally(run, result)
            atomic_write_text(
                checkpoint,
                json.dumps(
                    {
                        "version": CHECKPOINT_VERSION,
                        "input": identity,
                        "index_version": version_key,
                        "rows_done": run.done,
                        "bytes": offset,
                        "sha256": hasher.hexdigest(),
                        "matched": run.matched,
                        "errors": run.errors,
                    }
                ),
            )
            if progress:
                progress(consumed)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _WORKER_RUN = None
        os.close(fd)
    os.replace(partial, out_path)
    checkpoint.unlink(missing_ok=True)
    return run


def _screen_work(chunk: list[InputRow]) -> tuple[int, bytes, list[dict[str, str]]]:
    rows = _screen_chunk(chunk)
    return len(chunk), _csv_bytes(rows), rows


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
    summary = BatchSummary()

    def units(skip: int) -> Iterable[InputRow]:
        rows = read_screening_csv(in_path)  # raises on an unusable header before any output
        first = next(rows, None)
        return islice([] if first is None else _prepend(first, rows), skip, None)

    def tally(run: RunState, out_rows: list[dict[str, str]]) -> None:
        summary.matched, summary.errors = run.matched, run.errors  # resumed counts first
        _tally(summary, out_rows)
        run.matched, run.errors = summary.matched, summary.errors

    check_paths(in_path, out_path)
    _WORKER_SCREEN = screen_many
    try:
        run = run_resumable(
            in_path,
            out_path,
            units=units,
            work=_screen_work,
            tally=tally,
            version_key=index_version,
            header=_csv_bytes([], header=True),
            workers=workers,
            chunk_size=chunk_size,
            resume=resume,
            progress=progress,
        )
    finally:
        _WORKER_SCREEN = None
    summary.rows, summary.resumed_from, summary.restarted = (
        run.done,
        run.resumed_from,
        run.restarted,
    )
    summary.matched, summary.errors = run.matched, run.errors
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
