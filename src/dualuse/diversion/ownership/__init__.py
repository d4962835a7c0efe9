"""Ownership and control: load stakes (FtM, BODS, GLEIF), apply OFAC, EU or UK rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from dualuse.diversion.ownership.load_bods import load_bods
from dualuse.diversion.ownership.load_ftm import load_ftm
from dualuse.diversion.ownership.load_gleif import load_gleif
from dualuse.diversion.ownership.model import Graph
from dualuse.errors import InputError

FORMATS = ("ftm", "bods", "gleif")


def load(
    path: Path, fmt: str = "ftm", listed_ids: Iterable[str] = (), as_of: date | None = None
) -> Graph:
    """Read ``path`` in ``fmt``; ``listed_ids`` are designated besides FtM ``sanction``.

    ``as_of`` picks, for BODS, each record's statement as it stood on that date.
    """
    key = fmt.strip().lower()
    if key == "ftm":
        return load_ftm(path, listed_ids)
    if key == "bods":
        return load_bods(path, listed_ids, as_of)
    if key == "gleif":
        return load_gleif(path, listed_ids)
    raise InputError(f"unknown format {fmt!r}", source="--format", suggestions=FORMATS)
