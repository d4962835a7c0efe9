"""Loaders for the publishers' own list formats, a registry of sources, format detection
and the difference between two list versions.

Public API (stable; other capabilities call these):

- :func:`load_path` ``(path, *, list_id=None, version=None, source_url=None, format=None)
  -> ListVersion``: parse a file, or a folder holding an OFAC CSV set.
- :func:`parse_files` ``(files: {name: bytes}, *, list_id=None, version=None,
  fallback_version=None, source_url=None, format=None, retrieved_at=None) -> ListVersion``.
- :func:`detect` ``(files) -> str``: the format name of a set of files.
- :data:`SOURCES` / :func:`get_source`: known lists with official URLs and licences.

Every :class:`~dualuse.model.party.Party` carries its provenance: list id, list version
(publication date), source URL and the entry's id in that list.
"""

from __future__ import annotations

from dualuse.screening.lists.formats import detect, formats, get_format
from dualuse.screening.lists.loader import load_path, parse_files, read_files
from dualuse.screening.lists.registry import SOURCES, ListSource, SourceFile, get_source

__all__ = [
    "SOURCES",
    "ListSource",
    "SourceFile",
    "detect",
    "formats",
    "get_format",
    "get_source",
    "load_path",
    "parse_files",
    "read_files",
]
