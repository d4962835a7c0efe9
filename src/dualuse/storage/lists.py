"""The list store: every loaded list version on disk under ``<home>/lists``.

Layout, one folder per version plus a ``CURRENT`` pointer per list::

    lists/<list_id>/CURRENT                 the live version, e.g. "2024-05-03"
    lists/<list_id>/<version>/manifest.json what was loaded, from where, its sha256
    lists/<list_id>/<version>/parties.zst   the parties (compact, zstd)
    lists/<list_id>/<version>/seen.zst      first/last version each entry id was seen in
    lists/<list_id>/<version>/source/       the publisher's files as received (zstd)

A new version is validated, written into a staging folder, renamed into place and only
then made live by swapping ``CURRENT``; a failure at any step leaves the previous version
live and no half-written folder behind. Commits to one list are serialised by a lock.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from dualuse.errors import InputError, NotFoundError
from dualuse.files import read_pointer, staging_dir, swap_pointer
from dualuse.model.party import ListVersion, NameKind, Party
from dualuse.screening.lists.codec import compress, decode_parties, decompress, encode_parties

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; commits are then unlocked
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """What the store knows about one list version, without its parties."""

    list_id: str
    version: str
    title: str
    publisher: str
    source_url: str
    sha256: str
    count: int
    files: tuple[str, ...] = ()
    loaded_at: str | None = None
    retrieved_at: str | None = None
    warnings: tuple[str, ...] = ()
    origin: str = "store"
    """``store`` for a loaded version, ``bundled`` for the package's snapshot."""


@dataclass(frozen=True, slots=True)
class CommitResult:
    stored: StoredVersion
    status: str
    """``committed`` (new version live), ``unchanged`` (same file already live)."""
    previous: StoredVersion | None = None
    pruned: tuple[str, ...] = field(default=())


def _manifest(lv: ListVersion, loaded_at: str) -> StoredVersion:
    return StoredVersion(
        list_id=lv.list_id,
        version=lv.version,
        title=lv.title,
        publisher=lv.publisher,
        source_url=lv.source_url,
        sha256=lv.sha256 or "",
        count=len(lv.parties),
        files=lv.files,
        loaded_at=loaded_at,
        retrieved_at=lv.retrieved_at,
        warnings=lv.warnings,
    )


@functools.lru_cache(maxsize=256)
def version_key(version: str) -> tuple[str, int]:
    """Sort key: the date part, then the ``.N`` suffix numerically."""
    date, _, suffix = version.partition(".")
    return (date, int(suffix) if suffix.isdigit() else 0)


def validate(lv: ListVersion) -> None:
    """Checks every version passes before it is staged: parties, names, ids, provenance."""
    where = f"{lv.list_id} {lv.version}"
    if not lv.parties:
        raise InputError("the list has no parties", source=where)
    seen: set[str] = set()
    for party in lv.parties:
        if party.id in seen:
            raise InputError(f"party id {party.id} appears twice", source=where)
        seen.add(party.id)
        if not party.names or party.names[0].kind is not NameKind.NAME:
            raise InputError(f"party {party.id} has no primary name", source=where)
        prov = party.provenance
        if (prov.list_id, prov.list_version) != (lv.list_id, lv.version):
            raise InputError(
                f"party {party.id} belongs to {prov.list_id} {prov.list_version}", source=where
            )


class ListStore:
    """List versions under ``home/lists``; see the module docstring for the layout."""

    def __init__(self, home: Path) -> None:
        self.root = Path(home) / "lists"

    # -- reading ---------------------------------------------------------------------------

    def list_ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / "CURRENT").is_file())

    def current_version(self, list_id: str) -> str | None:
        return read_pointer(self.root / list_id / "CURRENT")

    def versions(self, list_id: str) -> list[str]:
        folder = self.root / list_id
        if not folder.is_dir():
            return []
        found = [p.name for p in folder.iterdir() if (p / "manifest.json").is_file()]
        return sorted(found, key=version_key)

    def manifest(self, list_id: str, version: str | None = None) -> StoredVersion:
        version = version or self.current_version(list_id)
        path = self.root / list_id / (version or "") / "manifest.json"
        if not version or not path.is_file():
            raise NotFoundError(f"no stored version {version or '(current)'} of list {list_id}")
        return _stored(orjson.loads(path.read_bytes()), "store")

    def current(self) -> list[StoredVersion]:
        return [self.manifest(list_id) for list_id in self.list_ids()]

    def parties(self, list_id: str, version: str | None = None) -> tuple[Party, ...]:
        meta = self.manifest(list_id, version)
        data = (self.root / list_id / meta.version / "parties.zst").read_bytes()
        return decode_parties(
            data, list_id=list_id, version=meta.version, source_url=meta.source_url
        )

    def load(self, list_id: str, version: str | None = None) -> ListVersion:
        meta = self.manifest(list_id, version)
        return ListVersion(
            list_id=meta.list_id,
            version=meta.version,
            source_url=meta.source_url,
            title=meta.title,
            publisher=meta.publisher,
            parties=self.parties(list_id, meta.version),
            retrieved_at=meta.retrieved_at,
            sha256=meta.sha256,
            files=meta.files,
            warnings=meta.warnings,
        )

    def source_files(self, list_id: str, version: str | None = None) -> dict[str, bytes]:
        """The publisher's files of a version as received (the last good copy)."""
        meta = self.manifest(list_id, version)
        folder = self.root / list_id / meta.version / "source"
        return {
            p.name.removesuffix(".zst"): decompress(p.read_bytes())
            for p in sorted(folder.glob("*.zst"))
        }

    def _seen(self, list_id: str, version: str | None) -> dict[str, list[str]]:
        if version is None:
            return {}
        path = self.root / list_id / version / "seen.zst"
        if not path.is_file():
            return {}
        data: dict[str, list[str]] = orjson.loads(decompress(path.read_bytes()))
        return data

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, list_id: str) -> Iterator[Path]:
        folder = self.root / list_id
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("a") as handle:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                for stale in folder.glob(".*.staging"):
                    shutil.rmtree(stale, ignore_errors=True)
                yield folder
            finally:
                if fcntl is not None:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def commit(
        self,
        lv: ListVersion,
        *,
        source_files: Mapping[str, bytes] | None = None,
        force: bool = False,
        max_shrink: float = 0.5,
        keep: int = 5,
        now: datetime | None = None,
    ) -> CommitResult:
        """Validate, stage and make ``lv`` the live version of its list.

        Refused unless ``force``: a version older than the live one, a different file under
        an existing version label, or one that loses more than ``max_shrink`` of the live
        version's entries (a truncated download often parses into a short list).
        """
        validate(lv)
        loaded_at = (now or datetime.now(UTC)).isoformat()
        with self._locked(lv.list_id) as folder:
            live = self.current_version(lv.list_id)
            previous = self.manifest(lv.list_id, live) if live else None
            existing = (folder / lv.version / "manifest.json").is_file()
            if existing:
                stored = self.manifest(lv.list_id, lv.version)
                if stored.sha256 == lv.sha256 and not force:
                    if live != lv.version:
                        swap_pointer(folder / "CURRENT", lv.version)
                    return CommitResult(stored, "unchanged", previous)
                if not force:
                    raise InputError(
                        f"version {lv.version} is already stored with different content "
                        "(use --force to replace it)",
                        source=lv.list_id,
                    )
            if previous is not None and not force:
                if version_key(lv.version) < version_key(previous.version):
                    raise InputError(
                        f"version {lv.version} is older than the live {previous.version} "
                        "(use --force to roll back)",
                        source=lv.list_id,
                    )
                check_shrink(len(lv.parties), previous, max_shrink)
            seen = self._seen(lv.list_id, live)
            self._update_seen(lv, seen)
            manifest = _manifest(lv, loaded_at)
            with staging_dir(folder / lv.version) as stage:
                (stage / "parties.zst").write_bytes(encode_parties(lv.parties, level=3, seen=seen))
                (stage / "seen.zst").write_bytes(compress(orjson.dumps(seen)))
                if source_files:
                    (stage / "source").mkdir()
                    for name, data in source_files.items():
                        (stage / "source" / f"{Path(name).name}.zst").write_bytes(compress(data))
                (stage / "manifest.json").write_bytes(
                    orjson.dumps(_jsonable(manifest), option=orjson.OPT_INDENT_2)
                )
                _fsync_tree(stage)
            swap_pointer(folder / "CURRENT", lv.version)
            pruned = self._prune(lv.list_id, keep)
        return CommitResult(manifest, "committed", previous, pruned)

    @staticmethod
    def _update_seen(lv: ListVersion, seen: dict[str, list[str]]) -> None:
        """Record this version in the first/last-seen history of each of its entries."""
        here = version_key(lv.version)
        for party in lv.parties:
            entry = party.provenance.entry_id
            known = seen.get(entry)
            if known is None:
                seen[entry] = [lv.version, lv.version]
                continue
            if version_key(known[0]) > here:
                known[0] = lv.version
            if version_key(known[1]) < here:
                known[1] = lv.version

    def _prune(self, list_id: str, keep: int) -> tuple[str, ...]:
        live = self.current_version(list_id)
        versions = [v for v in self.versions(list_id) if v != live]
        extra = len(versions) - max(keep - 1, 0)
        removed = tuple(versions[: max(extra, 0)])
        for version in removed:
            shutil.rmtree(self.root / list_id / version, ignore_errors=True)
        return removed


def _stored(data: dict[str, Any], origin: str) -> StoredVersion:
    """A manifest entry (JSON) back to a :class:`StoredVersion`."""
    known = {k: v for k, v in data.items() if k in StoredVersion.__slots__}
    for key in ("files", "warnings"):
        known[key] = tuple(known.get(key) or ())
    return StoredVersion(**{**known, "origin": origin})


def _jsonable(meta: StoredVersion) -> dict[str, Any]:
    return asdict(meta)


def _fsync_tree(folder: Path) -> None:
    """Make the staged files durable before the folder is renamed into place."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def check_shrink(count: int, previous: StoredVersion, max_shrink: float) -> None:
    """Refuse a version that lost more than ``max_shrink`` of the live version's entries."""
    if previous.count and count < (1 - max_shrink) * previous.count:
        lost = 1 - count / previous.count
        raise InputError(
            f"{count:,} parties, {lost:.0%} fewer than the live {previous.version} "
            f"({previous.count:,}); a truncated file? (use --force if this is right)",
            source=f"{previous.list_id}",
        )


class Snapshot:
    """A read-only set of list versions in one folder: ``manifest.json`` plus one
    ``<list_id>.parties.zst`` per list. The package bundles one (:meth:`bundled`) so that
    screening works offline on a fresh machine; :meth:`write` makes a new one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def bundled(cls) -> Snapshot:
        import dualuse

        return cls(Path(dualuse.__file__).parent / "data" / "lists")

    def _manifest(self) -> dict[str, Any]:
        path = self.folder / "manifest.json"
        if not path.is_file():
            return {"lists": []}
        data: dict[str, Any] = orjson.loads(path.read_bytes())
        return data

    def versions(self) -> list[StoredVersion]:
        return [_stored(item, "bundled") for item in self._manifest()["lists"]]

    def load(self, list_id: str, version: str | None = None) -> ListVersion:
        for item in self._manifest()["lists"]:
            if item["list_id"] == list_id and version in {None, item["version"]}:
                data = (self.folder / item["file"]).read_bytes()
                parties = decode_parties(
                    data, list_id=list_id, version=item["version"], source_url=item["source_url"]
                )
                return ListVersion(
                    list_id=list_id,
                    version=item["version"],
                    source_url=item["source_url"],
                    title=item["title"],
                    publisher=item["publisher"],
                    parties=parties,
                    sha256=item["sha256"],
                    files=tuple(item.get("files") or ()),
                )
        raise NotFoundError(f"list {list_id} {version or ''} is not in the snapshot {self.folder}")

    @staticmethod
    def write(
        folder: Path,
        versions: list[ListVersion],
        *,
        created: str,
        file_sha256: Mapping[str, Mapping[str, str]] | None = None,
        level: int = 19,
    ) -> None:
        """Write a snapshot atomically (the folder is swapped in whole; notes such as
        ``SOURCES.md`` are kept). ``file_sha256`` gives, per list, each original file's
        digest."""
        entries = []
        with staging_dir(folder) as stage:
            for note in folder.glob("*.md") if folder.is_dir() else ():
                shutil.copy2(note, stage / note.name)
            for lv in versions:
                name = f"{lv.list_id}.parties.zst"
                (stage / name).write_bytes(encode_parties(lv.parties, level=level))
                meta = asdict(_manifest(lv, created))
                meta.pop("origin")
                digests = dict((file_sha256 or {}).get(lv.list_id, {}))
                entries.append({**meta, "file": name, "file_sha256": digests})
            body = {"format": 1, "created": created, "lists": entries}
            (stage / "manifest.json").write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
