"""Use cases for restricted-party lists: load a file, update from the publishers, report
status, compare versions, and name the set of list versions screening runs against.

Every load and update (and every failed one) is recorded in the audit log. Updates
download with :mod:`httpx` (timeouts, retries with exponential backoff on errors and
5xx/429, a size cap, an HTML-page check, sha256 of what was received) and are isolated
per list: one list failing does not stop the others, and its live version stays.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from dualuse import __version__
from dualuse.errors import DualuseError, InputError, NotFoundError
from dualuse.model.party import ListVersion, Party
from dualuse.screening.lists import SOURCES, get_source, load_path, parse_files, read_files
from dualuse.screening.lists.diff import ListDiff, diff_versions
from dualuse.screening.lists.loader import check_list_id, relabel
from dualuse.screening.lists.registry import ListSource
from dualuse.services.case_views import UpdateReport
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage.db import make_engine
from dualuse.storage.lists import CommitResult, ListStore, Snapshot, StoredVersion


class Task(Protocol):
    def advance(self, amount: int) -> None: ...
    def total(self, total: int | None) -> None: ...


class ProgressSink(Protocol):
    """Where long work reports progress (the CLI passes Rich progress bars)."""

    def task(self, description: str, total: int | None = None) -> Task: ...


class _Silent:
    def advance(self, amount: int) -> None:
        pass

    def total(self, total: int | None) -> None:
        pass


class NoProgress:
    def task(self, description: str, total: int | None = None) -> Task:
        return _Silent()


# -- the current set of lists -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CurrentLists:
    """The list versions screening uses: the store's, else the bundled snapshot's."""

    versions: tuple[StoredVersion, ...]
    store: ListStore
    snapshot: Snapshot

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the sorted (list id, version, sha256) tuples: a key for an index."""
        lines = sorted(f"{v.list_id}\t{v.version}\t{v.sha256}\n" for v in self.versions)
        return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()

    def load(self, list_ids: Iterable[str] | None = None) -> tuple[ListVersion, ...]:
        wanted = set(list_ids) if list_ids is not None else None
        out = []
        for meta in self.versions:
            if wanted is not None and meta.list_id not in wanted:
                continue
            source = self.store if meta.origin == "store" else self.snapshot
            out.append(source.load(meta.list_id, meta.version))
        return tuple(out)

    def parties(self, list_ids: Iterable[str] | None = None) -> Iterable[Party]:
        for lv in self.load(list_ids):
            yield from lv.parties


def current_lists(settings: Settings) -> CurrentLists:
    """Per list, the store's live version; lists never loaded fall back to the bundled
    snapshot (unless ``screening.use_bundled_lists`` is off)."""
    store = ListStore(settings.home)
    snapshot = Snapshot.bundled()
    versions = {v.list_id: v for v in store.current()}
    if settings.screening.use_bundled_lists:
        for meta in snapshot.versions():
            versions.setdefault(meta.list_id, meta)
    return CurrentLists(tuple(versions[k] for k in sorted(versions)), store, snapshot)


@dataclass(frozen=True, slots=True)
class ListStatus:
    list_id: str
    title: str
    version: str
    count: int
    origin: str
    age_days: int | None
    stale: bool
    source_url: str
    sha256: str
    loaded_at: str | None
    warning: str | None = None


def age_days(version: str, today: date) -> int | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", version)
    if not match:
        return None
    published = date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    return (today - published).days


def status(settings: Settings, *, today: date | None = None) -> list[ListStatus]:
    """Per list: version, count, age and a staleness warning past ``stale_after_days``."""
    today = today or datetime.now(UTC).date()
    limit = settings.screening.stale_after_days
    out = []
    for meta in current_lists(settings).versions:
        age = age_days(meta.version, today)
        stale = age is not None and age > limit
        warning = None
        if stale:
            what = "bundled snapshot" if meta.origin == "bundled" else "version"
            warning = (
                f"{meta.list_id}: {what} {meta.version} is {age} days old (over {limit}); "
                f"run `dualuse lists update {meta.list_id}`"
            )
        out.append(
            ListStatus(
                meta.list_id,
                meta.title,
                meta.version,
                meta.count,
                meta.origin,
                age,
                stale,
                meta.source_url,
                meta.sha256,
                meta.loaded_at,
                warning,
            )
        )
    return out


# -- loading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    result: CommitResult
    diff: ListDiff | None
    monitoring: UpdateReport | None = None
    """What the update did to the stored parties (new hits, alerts reopened)."""


def _commit(
    settings: Settings,
    lv: ListVersion,
    files: dict[str, bytes],
    *,
    force: bool,
    actor: str,
    action: str,
) -> LoadOutcome:
    store = ListStore(settings.home)
    live = store.current_version(lv.list_id)
    previous = store.load(lv.list_id, live) if live else None
    result = store.commit(
        lv,
        source_files=files,
        force=force,
        max_shrink=settings.screening.max_shrink,
        keep=settings.screening.keep_versions,
    )
    changes = diff_versions(previous, lv) if previous and result.status == "committed" else None
    audit.append(
        make_engine(settings.db_url),
        actor=actor,
        action=action,
        subject=f"list:{lv.list_id}",
        payload={
            "status": result.status,
            "version": lv.version,
            "previous": previous.version if previous else None,
            "sha256": lv.sha256,
            "count": len(lv.parties),
            "files": list(lv.files),
            "source_url": lv.source_url,
            "forced": force,
            "changes": changes.summary() if changes else None,
        },
    )
    report = None
    if changes is not None:
        from dualuse.services.monitoring import monitor  # needs the case tables

        report = monitor(settings, changes, lv, actor=actor)
    return LoadOutcome(result, changes, report)


def _audit_failure(settings: Settings, list_id: str, action: str, actor: str, error: str) -> None:
    audit.append(
        make_engine(settings.db_url),
        actor=actor,
        action=f"{action}.failed",
        subject=f"list:{list_id}",
        payload={"error": error},
    )


def load_list(
    settings: Settings,
    path: Path,
    *,
    list_id: str | None = None,
    version: str | None = None,
    format: str | None = None,
    force: bool = False,
    actor: str = "cli",
) -> LoadOutcome:
    """Parse a publisher file (or an OFAC CSV folder) and make it the live version."""
    try:
        lv = load_path(path, list_id=list_id, version=version, format=format)
        return _commit(
            settings, lv, read_files(path), force=force, actor=actor, action="lists.load"
        )
    except DualuseError as exc:
        _audit_failure(settings, list_id or str(path), "lists.load", actor, str(exc))
        raise


def open_version(settings: Settings, ref: str) -> ListVersion:
    """A list version named by a path, ``LIST@VERSION`` in the store, or ``LIST`` (live)."""
    path = Path(ref)
    if path.exists():
        return load_path(path)
    list_id, _, version = ref.partition("@")
    store = ListStore(settings.home)
    if list_id in store.list_ids():
        return store.load(list_id, version or None)
    snapshot = Snapshot.bundled()
    for meta in snapshot.versions():
        if meta.list_id == list_id and version in {"", meta.version}:
            return snapshot.load(list_id, meta.version)
    raise NotFoundError(f"{ref!r} is neither a file nor a stored list version (LIST@VERSION)")


# -- downloading ----------------------------------------------------------------------------


def parse_url_overrides(items: Iterable[str]) -> dict[str, str]:
    """``LIST=URL`` pairs (also comma- or space-separated in one string) to a mapping."""
    out: dict[str, str] = {}
    for item in items:
        for pair in re.split(r"[,\s]+", item.strip()):
            if not pair:
                continue
            list_id, sep, url = pair.partition("=")
            if not sep or not url:
                raise InputError(f"{pair!r} is not LIST=URL", source="--url")
            get_source(check_list_id(list_id))
            if not url.startswith(("http://", "https://")):
                raise InputError(f"{url!r} is not an http(s) URL", source="--url")
            out[list_id] = url
    return out


def source_urls(source: ListSource, override: str | None) -> list[tuple[str, str, bool]]:
    """``(file name, url, required)`` per file; an override replaces the main file's URL
    and the other files are fetched beside it."""
    if override is None:
        return [(f.name, f.url, f.required) for f in source.files]
    base = override.rsplit("/", 1)[0] + "/"
    return [
        (f.name, override if i == 0 else base + f.name, f.required)
        for i, f in enumerate(source.files)
    ]


@dataclass(frozen=True, slots=True)
class Fetched:
    name: str
    url: str
    data: bytes
    sha256: str
    last_modified: str | None


class DownloadError(DualuseError):
    """A download failed after its retries (the message names the URL and why)."""


RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


def fetch(
    client: httpx.Client,
    url: str,
    name: str,
    settings: Settings,
    progress: ProgressSink,
    *,
    required: bool = True,
) -> Fetched | None:
    """GET ``url`` with retries; ``None`` for a missing optional file (404)."""
    cfg = settings.screening
    attempts = max(1, cfg.download_retries + 1)
    last_error = ""
    for attempt in range(attempts):
        wait = cfg.download_backoff_s * (2**attempt)
        try:
            with client.stream("GET", url) as response:
                if response.status_code == 404 and not required:
                    return None
                if response.status_code in RETRY_STATUS:
                    last_error = f"HTTP {response.status_code}"
                    retry_after = response.headers.get("Retry-After", "")
                    if retry_after.isdigit():
                        wait = min(float(retry_after), 60.0)
                    raise _Retry(last_error)
                if response.status_code >= 400:
                    raise DownloadError(f"{url}: HTTP {response.status_code}")
                _check_headers(response, url, cfg.max_download_bytes)
                data = _read_body(response, url, name, cfg.max_download_bytes, progress)
                return Fetched(
                    name,
                    url,
                    data,
                    hashlib.sha256(data).hexdigest(),
                    response.headers.get("Last-Modified"),
                )
        except _Retry:
            pass
        except (httpx.TransportError, httpx.DecodingError) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        if attempt + 1 < attempts:
            time.sleep(wait)
    raise DownloadError(f"{url}: failed after {attempts} attempts ({last_error})")


class _Retry(Exception):
    pass


def _check_headers(response: httpx.Response, url: str, max_bytes: int) -> None:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise DownloadError(f"{url}: {int(length):,} bytes is over the {max_bytes:,}-byte limit")
    kind = response.headers.get("Content-Type", "").lower()
    if kind.startswith("text/html"):
        raise DownloadError(f"{url}: the server sent an HTML page, not a list file")


def _read_body(
    response: httpx.Response, url: str, name: str, max_bytes: int, progress: ProgressSink
) -> bytes:
    length = response.headers.get("Content-Length")
    task = progress.task(f"download {name}", int(length) if length and length.isdigit() else None)
    chunks = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"{url}: more than the {max_bytes:,}-byte limit")
        chunks.append(chunk)
        task.advance(len(chunk))
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class UpdateOutcome:
    list_id: str
    status: str
    """``committed``, ``unchanged`` or ``failed``."""
    version: str | None = None
    count: int | None = None
    sha256: str | None = None
    error: str | None = None
    changes: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)
    """sha256 of each downloaded file."""
    monitoring: UpdateReport | None = None


def _download_version(fetched: Sequence[Fetched]) -> str:
    for item in fetched:
        if item.last_modified:
            try:
                return parsedate_to_datetime(item.last_modified).date().isoformat()
            except (TypeError, ValueError):
                continue
    return datetime.now(UTC).date().isoformat()


def _free_label(store: ListStore, lv: ListVersion) -> ListVersion:
    """Keep a new file under a new label when its date is taken by different content."""
    taken = set(store.versions(lv.list_id))
    if lv.version not in taken:
        return lv
    if store.manifest(lv.list_id, lv.version).sha256 == lv.sha256:
        return lv
    base = lv.version.split(".")[0]
    number = 2
    while f"{base}.{number}" in taken:
        number += 1
    return relabel(lv, f"{base}.{number}")


def update_one(
    settings: Settings,
    client: httpx.Client,
    list_id: str,
    override: str | None,
    *,
    force: bool,
    actor: str,
    progress: ProgressSink,
) -> UpdateOutcome:
    source = get_source(list_id)
    fetched = []
    for name, url, required in source_urls(source, override):
        item = fetch(client, url, name, settings, progress, required=required)
        if item is not None:
            fetched.append(item)
    files = {f.name: f.data for f in fetched}
    lv = parse_files(
        files,
        list_id=list_id,
        fallback_version=_download_version(fetched),
        source_url=fetched[0].url,
        format=source.format,
        retrieved_at=datetime.now(UTC).isoformat(),
    )
    store = ListStore(settings.home)
    live = store.current_version(list_id)
    if live and store.manifest(list_id, live).sha256 == lv.sha256 and not force:
        lv = relabel(lv, live)
    else:
        lv = _free_label(store, lv)
    outcome = _commit(settings, lv, files, force=force, actor=actor, action="lists.update")
    return UpdateOutcome(
        list_id,
        outcome.result.status,
        outcome.result.stored.version,
        outcome.result.stored.count,
        lv.sha256,
        changes=outcome.diff.summary() if outcome.diff else None,
        files={f.name: f.sha256 for f in fetched},
        monitoring=outcome.monitoring,
    )


def update_lists(
    settings: Settings,
    list_ids: Sequence[str] = (),
    *,
    urls: dict[str, str] | None = None,
    force: bool = False,
    actor: str = "cli",
    progress: ProgressSink | None = None,
    transport: httpx.BaseTransport | None = None,
) -> list[UpdateOutcome]:
    """Download and load each list; a failure is reported per list, never raised."""
    wanted = list(list_ids) or sorted(SOURCES)
    for list_id in wanted:
        get_source(list_id)
    overrides = parse_url_overrides([settings.screening.list_urls]) | (urls or {})
    progress = progress or NoProgress()
    outcomes = []
    headers = {"User-Agent": f"dualuse/{__version__} (lists update)"}
    timeout = httpx.Timeout(settings.screening.download_timeout_s)
    with httpx.Client(
        timeout=timeout, follow_redirects=True, headers=headers, transport=transport
    ) as client:
        for list_id in wanted:
            try:
                outcome = update_one(
                    settings,
                    client,
                    list_id,
                    overrides.get(list_id),
                    force=force,
                    actor=actor,
                    progress=progress,
                )
            except (DualuseError, OSError, httpx.HTTPError) as exc:
                message = (
                    str(exc) if isinstance(exc, DualuseError) else f"{type(exc).__name__}: {exc}"
                )
                _audit_failure(settings, list_id, "lists.update", actor, message)
                outcome = UpdateOutcome(list_id, "failed", error=message)
            outcomes.append(outcome)
    return outcomes
