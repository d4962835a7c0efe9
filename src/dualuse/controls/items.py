"""The item of a determination: an ECCN validated against the CCL, and whether a
License Requirements line reaches the paragraph asked about."""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.controls.data import ControlData, suggest
from dualuse.controls.model import ChartControl, ControlEntry, Outcome
from dualuse.errors import InputError
from dualuse.reference.ids.eccn import ECCN


@dataclass(frozen=True, slots=True)
class Scope:
    applies: Outcome
    why: str
    paragraph_decides: bool = False
    """Unknown only because the item asked about holds paragraphs inside and outside the
    line (so every reading of the paragraph can be tried)."""


def parse_item(data: ControlData, text: str) -> tuple[ECCN, ControlEntry | None, bool]:
    """Validate the ECCN against the CCL; unknown ones raise with the closest valid."""
    eccn = ECCN.parse(text, source="eccn")
    if eccn.is_ear99:
        return eccn, None, True
    entry = data.ccl.get(eccn.base)
    if entry is None:
        raise InputError(
            f"ECCN {eccn.base} is not on the Commerce Control List (eCFR 2026-07-23)",
            source="eccn",
            suggestions=suggest(eccn.base, sorted(data.ccl)),
        )
    if not eccn.paragraphs or not entry.has_item_text:
        return eccn, entry, not eccn.paragraphs
    known = {it.paragraph for it in entry.items if it.kind == "item" and it.paragraph}
    known |= {
        c.removeprefix(entry.eccn + ".")
        for ctl in entry.controls
        for c in (*(ctl.scope or ()), *ctl.excluded, *ctl.excluded_if)
    }
    wanted = eccn.paragraph
    if (
        wanted in known
        or any(k.startswith(wanted + ".") for k in known)
        or _suffix_known(wanted, known)
    ):
        return eccn, entry, True
    raise InputError(
        f"{eccn} is not a paragraph of {entry.eccn}",
        source="eccn",
        suggestions=[f"{entry.eccn}.{p}" for p in suggest(wanted, sorted(known))],
    )


def _suffix_known(wanted: str, known: set[str]) -> bool:
    """Deep paragraphs are stored by their last levels only (``a.1.a`` as ``a.1.a`` or
    ``1.a``); accept a path whose tail is a known paragraph and whose head exists."""
    parts = wanted.split(".")
    return parts[0] in known and any(".".join(parts[i:]) in known for i in range(1, len(parts)))


def scope_applies(eccn: ECCN, entry: ControlEntry, control: ChartControl) -> Scope:
    complete = not control.scope_text
    if control.entire_entry and (control.excluded or control.excluded_if):
        return _except_scope(eccn, control, complete)
    if control.entire_entry:
        return Scope(
            Outcome.YES if complete else Outcome.UNKNOWN,
            "entire entry" + ("" if complete else f" ({control.scope_text})"),
        )
    refs = [ECCN.parse(r) for r in control.scope or ()]
    if not refs:
        return Scope(Outcome.UNKNOWN, f"scope described in words: {control.scope_text}")
    if any(eccn.within(r) for r in refs):
        return Scope(
            Outcome.YES if complete else Outcome.UNKNOWN,
            "paragraph within "
            + ", ".join(map(str, refs))
            + ("" if complete else f"; conditions: {control.scope_text}"),
        )
    if any(r.within(eccn) for r in refs):
        return Scope(
            Outcome.UNKNOWN,
            f"applies to {', '.join(map(str, refs))}; the paragraph of the item decides",
            paragraph_decides=complete,
        )
    return Scope(Outcome.NO, f"applies only to {', '.join(map(str, refs))}")


def _except_scope(eccn: ECCN, control: ChartControl, complete: bool) -> Scope:
    """ "Entire entry except ...": outside the exceptions the line applies; inside a
    conditional exception, or asked about a paragraph that holds an exception, the
    paragraph or the condition decides."""
    out = [ECCN.parse(r) for r in control.excluded]
    cond = [ECCN.parse(r) for r in control.excluded_if]
    listed = ", ".join(map(str, [*out, *cond]))
    if any(eccn.within(r) for r in out):
        return Scope(Outcome.NO, f"entire entry except {listed}: {eccn} is excepted")
    if any(eccn.within(r) for r in cond):
        return Scope(Outcome.UNKNOWN, f"{eccn} is excepted only under a condition: {control.text}")
    if any(r.within(eccn) for r in (*out, *cond)):
        return Scope(
            Outcome.UNKNOWN,
            f"entire entry except {listed}; the paragraph of the item decides",
            paragraph_decides=complete,
        )
    if not complete:
        return Scope(Outcome.UNKNOWN, f"entire entry ({control.scope_text})")
    return Scope(Outcome.YES, f"entire entry except {listed}; {eccn} is not excepted")
