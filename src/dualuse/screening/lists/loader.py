"""From files to a :class:`ListVersion`: detect the format, parse, and settle the list id
and version (publication date).

The version is, in order: the one asked for; the publication date inside the file
(UN ``dateGenerated``, OFAC ``Publish_Date``...); a fallback the caller knows (the HTTP
``Last-Modified`` date); a ``YYYY-MM-DD`` date in the path; the file's modification date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from dualuse.errors import InputError
from dualuse.model.party import ListVersion, Party
from dualuse.screening.lists import ofac_csv
from dualuse.screening.lists.common import ParseContext, combined_sha256, sha256_hex
from dualuse.screening.lists.formats import detect, get_format, reject_html
from dualuse.screening.lists.registry import SOURCES

_DATE_IN_PATH = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_VERSION = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:\.\d{1,4})?$")
_LIST_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def check_list_id(list_id: str) -> str:
    if not _LIST_ID.match(list_id):
        raise InputError(
            f"list id {list_id!r} must be lower-case letters, digits and '_' (e.g. us_ofac_sdn)",
            source="list",
        )
    return list_id


def check_version(version: str) -> str:
    """A version label is a publication date (``2024-05-03``), optionally ``.N``."""
    if not _VERSION.match(version):
        raise InputError(
            f"version {version!r} must be a date YYYY-MM-DD (optionally followed by .N)",
            source="version",
        )
    return version


def default_list_id(kind: str, names: list[str]) -> str:
    if kind == "ofac_csv":
        return "us_ofac_cons" if ofac_csv.file_set(names) is ofac_csv.CONS else "us_ofac_sdn"
    if kind in {"ofac_xml", "ofac_advanced_xml"}:
        return "us_ofac_cons" if any("cons" in n.lower() for n in names) else "us_ofac_sdn"
    return get_format(kind).default_list_id


def date_in_path(path: Path) -> str | None:
    """The last ``YYYY-MM-DD`` in a path (the folder or file name nearest the data)."""
    found = _DATE_IN_PATH.findall(str(path))
    return found[-1] if found else None


def read_files(path: Path) -> dict[str, bytes]:
    """One file, or every visible file of a folder (an OFAC CSV set)."""
    if path.is_dir():
        members = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if not members:
            raise InputError("folder has no files", source=str(path))
        return {p.name: p.read_bytes() for p in members}
    if not path.is_file():
        raise InputError("no such file or folder", source=str(path))
    return {path.name: path.read_bytes()}


def parse_files(
    files: Mapping[str, bytes],
    *,
    list_id: str | None = None,
    version: str | None = None,
    fallback_version: str | None = None,
    source_url: str | None = None,
    format: str | None = None,
    retrieved_at: str | None = None,
) -> ListVersion:
    """Parse publisher files given as ``{file name: bytes}`` into one list version."""
    if not files:
        raise InputError("no files to load", source="files")
    reject_html(files)
    kind = format or detect(files)
    fmt = get_format(kind)
    if kind == "ofac_csv" and ofac_csv.file_set(list(files)) is None:
        raise InputError("an OFAC CSV set needs sdn.csv or cons_prim.csv", source="files")
    names = sorted(files)
    lid = check_list_id(list_id) if list_id else default_list_id(kind, names)
    registered = SOURCES.get(lid)
    url = source_url or (registered.source_url if registered else f"file:{names[0]}")
    first = names[0]
    provisional = ParseContext(lid, version or fallback_version or "unknown", url, first)
    parsed = fmt.parse(files, provisional)
    if parsed.list_hint and not list_id and kind == "ftm_json":
        lid = check_list_id(parsed.list_hint)
        registered = SOURCES.get(lid)
        url = source_url or (registered.source_url if registered else url)
    final = version or parsed.published or fallback_version
    if final is None:
        raise InputError("no version: give one (a publication date YYYY-MM-DD)", source="version")
    check_version(final)
    parties = parsed.parties
    if final != provisional.version or lid != provisional.list_id or url != provisional.source_url:
        parties = tuple(_reprovenance(p, lid, final, url) for p in parties)
    digests = {name: sha256_hex(files[name]) for name in names}
    return ListVersion(
        list_id=lid,
        version=final,
        source_url=url,
        title=registered.title if registered else lid,
        publisher=registered.publisher if registered else "unknown",
        parties=parties,
        retrieved_at=retrieved_at,
        sha256=combined_sha256(digests),
        files=tuple(names),
        warnings=parsed.warnings,
    )


def relabel(lv: ListVersion, version: str) -> ListVersion:
    """The same list version under another version label (provenance follows)."""
    check_version(version)
    parties = tuple(_reprovenance(p, lv.list_id, version, lv.source_url) for p in lv.parties)
    return replace(lv, version=version, parties=parties)


def _reprovenance(party: Party, list_id: str, version: str, url: str) -> Party:
    prov = replace(party.provenance, list_id=list_id, list_version=version, source_url=url)
    return replace(party, id=f"{list_id}:{prov.entry_id}", provenance=prov)


def load_path(
    path: str | Path,
    *,
    list_id: str | None = None,
    version: str | None = None,
    source_url: str | None = None,
    format: str | None = None,
) -> ListVersion:
    """Parse a publisher's file, or a folder holding an OFAC CSV set, into a list version.

    The format is detected from file names and content; an error names the file and the
    line or element when the file is malformed or truncated.
    """
    target = Path(path)
    files = read_files(target)
    fallback = date_in_path(target)
    if fallback is None:
        stamp = max((target / n if target.is_dir() else target).stat().st_mtime for n in files)
        fallback = datetime.fromtimestamp(stamp, UTC).date().isoformat()
    return parse_files(
        files,
        list_id=list_id,
        version=version,
        fallback_version=fallback,
        source_url=source_url,
        format=format,
    )
