"""What changed between two versions of a list: parties added, removed and changed, and
for each changed party which fields changed and how.

Parties are matched by their entry id in the list (OFAC ent_num, UN reference number...);
provenance (version, first/last seen) is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from dualuse.model.party import ListVersion, Party

COMPARED = tuple(f.name for f in fields(Party) if f.name not in {"id", "provenance"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PartyChange:
    entry_id: str
    caption: str
    changes: tuple[FieldChange, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.changes)


@dataclass(frozen=True, slots=True)
class ListDiff:
    list_id: str
    old_version: str
    new_version: str
    added: tuple[Party, ...] = field(default=())
    removed: tuple[Party, ...] = field(default=())
    changed: tuple[PartyChange, ...] = field(default=())
    unchanged: int = 0

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for change in self.changed:
            for name in change.fields:
                counts[name] = counts.get(name, 0) + 1
        return {
            "list_id": self.list_id,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "changed_fields": dict(sorted(counts.items(), key=lambda kv: -kv[1])),
        }


def _values(value: Any) -> tuple[str, ...]:
    """A field's value as comparable strings (tuples element-wise, objects by repr)."""
    if value is None:
        return ()
    if isinstance(value, tuple):
        return tuple(_text(v) for v in value)
    return (_text(value),)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "=".join(str(v) for v in value)
    slots = getattr(value, "__slots__", ())
    if slots:
        parts = [getattr(value, s) for s in slots]
        return " | ".join(
            str(p.value if hasattr(p, "value") else p) for p in parts if p is not None
        )
    return str(value)


def party_changes(old: Party, new: Party) -> tuple[FieldChange, ...]:
    changes = []
    for name in COMPARED:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        old_values, new_values = _values(before), _values(after)
        added = tuple(v for v in new_values if v not in old_values)
        removed = tuple(v for v in old_values if v not in new_values)
        changes.append(FieldChange(name, added, removed))
    return tuple(changes)


def diff_versions(old: ListVersion, new: ListVersion) -> ListDiff:
    """Compare two versions of one list by entry id."""
    before = {p.provenance.entry_id: p for p in old.parties}
    after = {p.provenance.entry_id: p for p in new.parties}
    added = tuple(p for entry, p in after.items() if entry not in before)
    removed = tuple(p for entry, p in before.items() if entry not in after)
    changed = []
    unchanged = 0
    for entry, party in after.items():
        previous = before.get(entry)
        if previous is None:
            continue
        changes = party_changes(previous, party)
        if changes:
            changed.append(PartyChange(entry, party.caption, changes))
        else:
            unchanged += 1
    return ListDiff(
        new.list_id, old.version, new.version, added, removed, tuple(changed), unchanged
    )
