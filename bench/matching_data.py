"""Shared data for the matching benchmarks: the full lists (through the project's own
loaders, ``dualuse.screening.lists``) and the labelled evaluation files."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dualuse.errors import InputError
from dualuse.model.party import Party
from dualuse.screening.lists import load_path

REPO = Path(__file__).resolve().parents[1]

FULL_LISTS = (
    "ofac/sdn_2024-05-03",
    "ofac/consolidated_2025-12-19",
    "csl/csl_2026-07-31_converted.csv",
    "un/UN_consolidated_2026-02-27.xml",
    "bis/dpl_2023-11-30.txt",
)


def shared_data() -> Path:
    return Path(os.environ.get("DUALUSE_SHARED_DATA", REPO.parent / "shared" / "data"))


def sanctions() -> Path:
    return shared_data() / "sanctions"


def eval_dir() -> Path:
    return sanctions() / "eval"


@dataclass
class LoadedLists:
    parties: list[Party]
    versions: list[str]
    """``list_id@version (count)`` of what was loaded."""
    skipped: list[str]
    """Files the loaders could not read yet, with the reason."""

    @property
    def fingerprint(self) -> str:
        return ";".join(self.versions)


def load_full_lists(paths: tuple[str, ...] = FULL_LISTS) -> LoadedLists:
    parties: list[Party] = []
    versions: list[str] = []
    skipped: list[str] = []
    for rel in paths:
        try:
            version = load_path(sanctions() / rel)
        except InputError as exc:
            skipped.append(f"{rel}: {exc}")
            continue
        parties.extend(version.parties)
        versions.append(f"{version.list_id}@{version.version} ({len(version.parties)})")
    return LoadedLists(parties, versions, skipped)


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))
