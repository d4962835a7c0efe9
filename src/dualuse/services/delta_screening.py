"""Re-screen against what a list update changed, not against every list entry.

When a list update lands, the parties already screened need a second look only against
the entries the update added or changed. A *delta index* holds those entries alone, with
the word weights of the full index (see :func:`build_index`'s ``statistics``), so a
stored party scores against a changed entry exactly as a full screen would score it,
and a job over millions of stored parties compares each with a few hundred entries
instead of tens of thousands. The delta index is an ordinary index file: ``screen-file``
and ``screen-spark --index`` run it like any other (``docs/spark.md``).

Removed entries need no re-screen (a removal lifts a hit; it never makes one), and a
change that only touches fields the matcher does not read still lands in the delta:
the diff cannot know what the matcher reads, and a few extra entries cost little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dualuse.errors import InputError
from dualuse.model.party import ListVersion, Party
from dualuse.screening.lists.diff import ListDiff, diff_versions
from dualuse.screening.matching import Index, build_index


@dataclass(frozen=True, slots=True)
class ListChange:
    """One list's update: the two versions compared and what changed."""

    old: ListVersion
    new: ListVersion
    diff: ListDiff

    @property
    def changed_parties(self) -> tuple[Party, ...]:
        """The new version's parties that the update added or changed."""
        ids = {p.provenance.entry_id for p in self.diff.added}
        ids |= {c.entry_id for c in self.diff.changed}
        return tuple(p for p in self.new.parties if p.provenance.entry_id in ids)


def compare(old: ListVersion, new: ListVersion) -> ListChange:
    """Diff two versions of one list (refusing versions of two different lists)."""
    if old.list_id != new.list_id:
        raise InputError(
            f"cannot compare {old.list_id!r} with {new.list_id!r}: both must be versions "
            "of one list",
            source="versions",
        )
    return ListChange(old, new, diff_versions(old, new))


@dataclass(frozen=True, slots=True)
class DeltaIndex:
    index: Index
    changes: tuple[ListChange, ...]

    def summary(self) -> dict[str, Any]:
        return {
            "parties": len(self.index),
            "version": self.index.version,
            "lists": [c.diff.summary() for c in self.changes],
        }


def build_delta_index(changes: Sequence[ListChange], full: Index) -> DeltaIndex:
    """The index of every party the ``changes`` added or changed, weighted as ``full``
    (the index of the lists after the update) weighs words."""
    if not changes:
        raise InputError("no list change given: name at least one old and new version")
    parties = [p for change in changes for p in change.changed_parties]
    version = "delta:" + ",".join(
        f"{c.new.list_id}@{c.old.version}..{c.new.version}" for c in changes
    )
    return DeltaIndex(build_index(parties, version=version, statistics=full), tuple(changes))
