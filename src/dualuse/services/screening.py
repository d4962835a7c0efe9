"""Screening as a service: the current lists, their index, and one screener over it.

The index is keyed by the fingerprint of the current list versions (list id, version,
checksum). It is built once per set of versions, saved under ``home/index/`` with
write-then-swap, and loaded in milliseconds afterwards. On a fresh install, where the
current lists are exactly the bundled snapshot, the index shipped in the package is
used, so the first screen needs no build.
"""

from __future__ import annotations

import difflib
import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine

from dualuse.errors import InputError
from dualuse.files import atomic_write_text
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.screening.lists import SOURCES
from dualuse.screening.matching import Index, Screener, build_index
from dualuse.screening.matching.retrieval.index import IndexFormatError
from dualuse.services.lists import CurrentLists, current_lists, status
from dualuse.settings import Settings
from dualuse.storage import audit

INDEX_FILE = "index.npz"
BUNDLED_INDEX = "bundled_index.npz"
BUNDLED_INDEX_META = "bundled_index.json"
KEEP_INDEXES = 2
"""Older index versions kept beside the current one (for rollback and running jobs)."""

BuildProgress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class IndexInfo:
    fingerprint: str
    path: Path
    origin: str
    """``bundled`` (shipped in the package), ``cached`` (built earlier) or ``built`` (now)."""
    parties: int


def index_root(settings: Settings) -> Path:
    return settings.home / "index"


def bundled_index_path() -> tuple[Path, str] | None:
    """The index shipped in the package and the list fingerprint it was built from."""
    data = resources.files("dualuse.data") / "lists"
    meta = data / BUNDLED_INDEX_META
    index = data / BUNDLED_INDEX
    if not (meta.is_file() and index.is_file()):
        return None
    fingerprint = str(json.loads(meta.read_text(encoding="utf-8"))["fingerprint"])
    return Path(str(index)), fingerprint


def _prune(root: Path, keep: str) -> None:
    versions = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in [p for p in versions if p.name != keep][KEEP_INDEXES:]:
        shutil.rmtree(stale, ignore_errors=True)


def ensure_index(
    settings: Settings, lists: CurrentLists | None = None, *, on_build: BuildProgress | None = None
) -> tuple[Index, IndexInfo]:
    """Load the index for the current list versions, building it if none exists yet."""
    lists = lists or current_lists(settings)
    fingerprint = lists.fingerprint
    bundled = bundled_index_path()
    if bundled is not None and bundled[1] == fingerprint:
        try:
            index = Index.load(bundled[0])
            return index, IndexInfo(fingerprint, bundled[0], "bundled", len(index))
        except IndexFormatError:
            pass  # shipped by an older release: build one below
    path = index_root(settings) / fingerprint[:24] / INDEX_FILE
    if path.is_file():
        try:
            index = Index.load(path)
            return index, IndexInfo(fingerprint, path, "cached", len(index))
        except IndexFormatError:
            pass  # written by an older release: rebuild it below
    if on_build is not None:
        on_build(f"building the screening index for {len(lists.versions)} lists")
    index = build_index(lists.parties(), version=fingerprint)
    index.save(path)
    atomic_write_text(index_root(settings) / "CURRENT", fingerprint[:24] + "\n")
    _prune(index_root(settings), fingerprint[:24])
    return index, IndexInfo(fingerprint, path, "built", len(index))


class ScreeningService:
    """One loaded index and screener, with the list warnings users must see."""

    def __init__(self, settings: Settings, *, on_build: BuildProgress | None = None) -> None:
        self.settings = settings
        self.lists = current_lists(settings)
        self.index, self.info = ensure_index(settings, self.lists, on_build=on_build)
        self.screener = Screener(
            self.index, settings.screening.algorithm, threshold=settings.screening.threshold
        )
        self.warnings = tuple(s.warning for s in status(settings) if s.warning)

    @property
    def threshold(self) -> float:
        return self.screener.threshold

    def check_lists(self, lists: Sequence[str]) -> None:
        """Refuse list ids that are not loaded: screening against a list that is not
        there would answer "no match" without comparing anything."""
        if not lists:
            return
        loaded = sorted({v.list_id for v in self.lists.versions})
        unknown = [x for x in lists if x not in loaded]
        if unknown:
            known = [x for x in unknown if x in SOURCES]
            hint = f" (`dualuse lists update {' '.join(known)}` loads it)" if known else ""
            raise InputError(
                f"unknown list {', '.join(repr(x) for x in unknown)}; "
                f"the loaded lists are: {', '.join(loaded) or 'none'}{hint}",
                source="list",
                suggestions=difflib.get_close_matches(unknown[0], loaded, n=3, cutoff=0.5),
            )

    def screen(
        self,
        query: ScreeningQuery,
        *,
        threshold: float | None = None,
        limit: int | None = None,
        explain: bool = True,
    ) -> ScreeningResponse:
        self.check_lists(query.lists)
        response = self.screener.screen(
            query,
            threshold=threshold,
            limit=limit or self.settings.screening.limit,
            explain=explain,
        )
        return self._with_warnings(response)

    def screen_many(
        self,
        queries: Iterable[ScreeningQuery],
        *,
        threshold: float | None = None,
        limit: int | None = None,
        explain: bool = True,
    ) -> list[ScreeningResponse]:
        queries = list(queries)
        for query in queries:
            self.check_lists(query.lists)
        responses = self.screener.screen_many(
            queries,
            threshold=threshold,
            limit=limit or self.settings.screening.limit,
            explain=explain,
        )
        return [self._with_warnings(response) for response in responses]

    def screen_recorded(
        self,
        engine: Engine,
        actor: str,
        query: ScreeningQuery,
        *,
        threshold: float | None = None,
        limit: int | None = None,
    ) -> ScreeningResponse:
        """Screen one party and record it in the audit log (caller, index version, hits),
        so a decision can be explained later; every interface screens through here."""
        response = self.screen(query, threshold=threshold, limit=limit)
        audit.append(
            engine,
            actor=actor,
            action="screen",
            subject=f"query:{query.id or query.name[:80]}",
            payload={
                "name": query.name,
                "index": response.index_version,
                "threshold": response.threshold,
                "hits": [[m.list_id, m.entry_id, m.score] for m in response.matches if m.match],
            },
        )
        return response

    def screen_batch_recorded(
        self,
        engine: Engine,
        actor: str,
        queries: Sequence[ScreeningQuery],
        *,
        threshold: float | None = None,
        limit: int | None = None,
    ) -> list[ScreeningResponse]:
        """Screen each party in turn and record the batch as one audit entry (its size,
        how many matched, the index version). Every list id is checked before any screen."""
        for query in queries:
            self.check_lists(query.lists)
        responses = [self.screen(q, threshold=threshold, limit=limit) for q in queries]
        audit.append(
            engine,
            actor=actor,
            action="screen.batch",
            subject=f"batch:{len(responses)}",
            payload={
                "queries": len(responses),
                "matched": sum(1 for r in responses if r.is_match),
                "index": self.index.version,
            },
        )
        return responses

    def _with_warnings(self, response: ScreeningResponse) -> ScreeningResponse:
        if not self.warnings:
            return response
        return replace(response, warnings=(*self.warnings, *response.warnings))

    def list_versions(self) -> Sequence[dict[str, str]]:
        return [
            {"list": v.list_id, "version": v.version, "origin": v.origin}
            for v in self.lists.versions
        ]
