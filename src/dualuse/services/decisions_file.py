"""Decide a JSON-lines file of orders: ordered output, parallel over cores, resumable.

The machinery of ``screen-file`` (:mod:`dualuse.services.screening_file`): output goes
to ``OUT.partial`` with a checkpoint beside it after every chunk (the partial file's
length and SHA-256, the input's identity, the versions decided on); an interrupted run
continues if nothing changed and the partial file verifies, otherwise it starts again;
only a finished run is renamed to ``OUT``. One output line per input order, in input
order: the decision JSON, or for an order that cannot be read
``{"line": N, "id": ..., "error": ..., "problems": [{path, message}]}`` in its place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from dualuse.decisions.model import Decision, Order, OrderError, OrderProblem
from dualuse.services.screening_file import RunState, run_resumable

Line = tuple[int, str]
"""(1-based line number, text) of one input line."""
DecideChunk = Callable[[Sequence[Line]], list[dict[str, Any]]]
Progress = Callable[[int], None]


@dataclass(slots=True)
class DecideSummary:
    orders: int = 0
    lines: int = 0
    errors: int = 0
    resumed_from: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    error_lines: list[str] = field(default_factory=list)
    """First problems, for the summary message (at most 20)."""
    restarted: str = ""


def read_orders(lines: Sequence[Line]) -> list[tuple[int, Any]]:
    """Decode each non-blank line; a line that is not JSON stays as an :class:`OrderError`."""
    out: list[tuple[int, Any]] = []
    for number, text in lines:
        if not text.strip():
            continue
        try:
            out.append((number, json.loads(text)))
        except ValueError as exc:
            out.append((number, OrderError([OrderProblem("$", f"not JSON: {exc}")])))
    return out


def error_json(number: int | None, raw: Any, exc: OrderError) -> dict[str, Any]:
    order_id = exc.order_id or (raw.get("id") if isinstance(raw, dict) else None)
    return {
        "line": number,
        "id": order_id if isinstance(order_id, str | int) else None,
        "error": "invalid order",
        "problems": [p.to_json() for p in exc.problems],
    }


def decide_lines(
    lines: Sequence[Line],
    *,
    parse: Callable[[Any], Order],
    decide_many: Callable[[Sequence[Order]], list[Decision]],
) -> list[dict[str, Any]]:
    """One output object per order line, in order (errors in place)."""
    slots: list[dict[str, Any] | None] = []
    good: list[Order] = []
    where: list[int] = []
    for number, raw in read_orders(lines):
        try:
            if isinstance(raw, OrderError):
                raise raw
            good.append(parse(raw))
            where.append(len(slots))
            slots.append(None)
        except OrderError as exc:
            slots.append(error_json(number, raw, exc))
    for at, decision in zip(where, decide_many(good) if good else [], strict=True):
        slots[at] = decision.to_json()
    return [s for s in slots if s is not None]


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 20), b""))


def _numbered(path: Path, skip: int) -> Iterator[Line]:
    with path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
        yield from islice(enumerate(handle, start=1), skip, None)


def _jsonl(objects: list[dict[str, Any]]) -> bytes:
    return b"".join(
        json.dumps(o, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" for o in objects
    )


def decide_file(
    in_path: Path,
    out_path: Path,
    *,
    decide_chunk: DecideChunk,
    versions_key: str,
    workers: int = 1,
    chunk_size: int = 64,
    resume: bool = True,
    progress: Progress | None = None,
) -> DecideSummary:
    """Decide every order of ``in_path`` into ``out_path`` (see the module docstring).
    ``versions_key`` identifies the lists, rules and code: a checkpoint written on other
    versions is not resumed."""
    summary = DecideSummary()

    def work(chunk: list[Line]) -> tuple[int, bytes, list[dict[str, Any]]]:
        out = decide_chunk(chunk)
        return len(chunk), _jsonl(out), out

    def tally(run: RunState, out: list[dict[str, Any]]) -> None:
        summary.orders, summary.errors = run.matched, run.errors  # resumed counts first
        _tally(summary, out)
        run.matched, run.errors = summary.orders, summary.errors

    run = run_resumable(
        in_path,
        out_path,
        units=lambda skip: _numbered(in_path, skip),
        work=work,
        tally=tally,
        version_key=versions_key,
        workers=workers,
        chunk_size=chunk_size,
        resume=resume,
        progress=progress,
    )
    summary.lines, summary.resumed_from, summary.restarted = (
        run.done,
        run.resumed_from,
        run.restarted,
    )
    summary.orders, summary.errors = run.matched, run.errors
    return summary


def _tally(summary: DecideSummary, out: list[dict[str, Any]]) -> None:
    for o in out:
        summary.orders += 1
        if "error" in o:
            summary.errors += 1
            if len(summary.error_lines) < 20:
                problems = "; ".join(f"{p['path']}: {p['message']}" for p in o["problems"])
                summary.error_lines.append(f"line {o['line']}: {problems}")
        else:
            summary.verdicts[o["verdict"]] = summary.verdicts.get(o["verdict"], 0) + 1
