"""When the item's paragraph or a word condition is not given: try every reading.

A License Requirements line that covers some paragraphs of an entry leaves an item
asked about without its paragraph "unknown". That is only honest while the readings
disagree: when every possible paragraph (or every value of a quantity the lines split
exhaustively, "less than 24 in." / "greater than or equal to 24 in.") leads to an X in
the destination's row, a licence is required whichever it is.
The readings and their columns are shown, so the reasoning can be checked.

Also here: the reason for an entry whose reasons for control lack a License
Requirements line (found at load by :func:`.chart.missing_reasons`): a gap, never a "no".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from dualuse.controls.model import ChartRow, Citation, ControlEntry, Effect, Reason
from dualuse.reference.ids.eccn import ECCN

if TYPE_CHECKING:
    from dualuse.controls.destinations import Destination

OTHER = "~other"
"""A synthetic last paragraph: any paragraph no line names (never shown as an ECCN)."""


def _named(entry: ControlEntry) -> set[ECCN]:
    """Every paragraph a License Requirements line of the entry names."""
    return {
        ECCN.parse(r)
        for c in entry.controls
        for r in (*(c.scope or ()), *c.excluded, *c.excluded_if)
    }


def _show(reading: ECCN, entry: ControlEntry) -> str:
    parent = ECCN(reading.base, reading.paragraphs[:-1])
    if any(r.within(parent) and r != parent for r in _named(entry)) or not parent.paragraphs:
        return f"{parent}, other paragraphs"
    return str(parent)


def readings(eccn: ECCN, entry: ControlEntry) -> list[ECCN]:
    """One representative paragraph for every class of paragraphs of ``eccn`` that the
    entry's lines treat alike: each named paragraph inside ``eccn`` and, under each, a
    paragraph no deeper line names."""
    inside = sorted((r for r in _named(entry) if r.within(eccn) and r != eccn), key=str)
    out = [ECCN(r.base, (*r.paragraphs, OTHER)) for r in inside]
    out.append(ECCN(eccn.base, (*eccn.paragraphs, OTHER)))
    return out


def every_reading(
    eccn: ECCN,
    entry: ControlEntry,
    dest: Destination,
    layer: Callable[[ECCN], list[Reason]],
) -> Reason | None:
    """A ``requires`` reason when the chart layer requires a licence under every reading
    of the paragraph; ``None`` when the readings disagree (the answer stays unknown)."""
    why = []
    for reading in readings(eccn, entry):
        required = [r for r in layer(reading) if r.effect is Effect.REQUIRES]
        if not required:
            return None
        cells = "; ".join(
            f"{r.detail.get('column') or r.detail.get('reason_for_control', r.code)}"
            f"{' = ' + r.detail['cell'] if r.detail.get('cell') else ''}"
            for r in required
        )
        why.append(f"{_show(reading, entry)}: {cells}")
    return Reason(
        "every_reading",
        Effect.REQUIRES,
        f"{eccn}: the paragraph is not given, but every paragraph the License Requirements "
        f"lines distinguish leads to a licence requirement for {dest.name} — " + " | ".join(why),
        entry.citation,
        detail={"readings": str(len(why))},
    )


_SPLIT = re.compile(
    r"(?P<subject>[a-z][a-z\s-]*?)\s+with an?\s+(?P<quantity>[a-z\s]+?)\s+"
    r"(?P<op>less than|greater than or equal to)\s+(?P<value>[\d.]+\s*[a-z]+)\.?",
    re.I,
)


def complementary_conditions(entry: ControlEntry, row: ChartRow, cite: Citation) -> list[Reason]:
    """Two lines of one reason for control whose conditions split a quantity at one value
    ("shotguns with a barrel length less than 24 in." and "... greater than or equal to
    24 in.") cover every item the entry's heading names by that subject: with an X in
    both columns, a licence is required whatever the value."""
    found: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for c in entry.controls:
        if c.scope != () or len(c.columns) != 1:
            continue
        for m in _SPLIT.finditer(c.text):
            subject = m["subject"].split()[-1].lower()
            key = (c.reason, subject, m["quantity"].lower(), m["value"].lower().replace(" ", ""))
            found.setdefault(key, {}).setdefault(m["op"].lower(), c.columns[0])
    out = []
    for (reason, subject, quantity, value), ops in found.items():
        if len(ops) != 2 or subject.rstrip("s") not in entry.heading.lower():
            continue
        columns = sorted(set(ops.values()))
        if all(col in row.marks for col in columns):
            out.append(
                Reason(
                    "every_reading",
                    Effect.REQUIRES,
                    f"{reason}: the lines split {subject} by {quantity} at {value} (less than: "
                    f"{ops['less than']}; greater than or equal to: "
                    f"{ops['greater than or equal to']}), and {row.name} has an X in "
                    f"{' and '.join(columns)}: a license is required whatever the {quantity}.",
                    cite,
                    detail={"reason_for_control": reason, "columns": ", ".join(columns)},
                )
            )
    return out


def missing_lines(entry: ControlEntry) -> list[Reason]:
    if not entry.missing_reasons:
        return []
    names = ", ".join(entry.missing_reasons)
    return [
        Reason(
            "missing_control_line",
            Effect.UNDETERMINED,
            f"{entry.eccn} names {names} among its reasons for control, but no License "
            f"Requirements line for {names} was read from our data: what it requires here is "
            "unknown, so the absence of a line is not a 'no'.",
            entry.citation,
            detail={"missing": names},
        )
    ]
