"""Licence exceptions worth examining for a line item (15 CFR part 740).

Only what the data supports is said: the ECCN's List Based License Exception flags, the
destination's Country Groups where the exception's title names them (GBS: Country Group
B; STA: A:5/A:6), the advanced-computing exceptions, and the narrow lists Part 746 allows
for embargoed destinations. Eligibility still needs the conditions of each section
(§ 740.2 restrictions first), which our catalogue does not hold: every entry says so.
"""

from __future__ import annotations

import re

from dualuse.controls.data import ControlData
from dualuse.controls.destinations import Destination
from dualuse.controls.model import ControlEntry
from dualuse.controls.rules import Embargo
from dualuse.reference.ids.eccn import ECCN

_FOR = re.compile(
    r"\b(\d[A-E]\d{3}(?:\.[a-z0-9]{1,2})+)|(?<![\w.])(\.?[a-z](?:\.[a-z0-9]{1,2})+|\.[a-z])(?![\w])"
)


def _flag_reaches(value: str, base: str, eccn: ECCN | None) -> bool:
    """A flag "Yes, for 3A090.c" only reaches that paragraph (and its sub-paragraphs)."""
    if eccn is None or not value.lower().startswith("yes"):
        return True
    refs = []
    for whole, rel in _FOR.findall(value):
        full = whole or f"{base}.{rel.lstrip('.')}"
        if ECCN.is_valid(full) and full.startswith(base):
            refs.append(ECCN.parse(full))
    if not refs:
        return True
    return any(eccn.within(r) or r.within(eccn) for r in refs)


def exceptions_to_examine(
    data: ControlData,
    entry: ControlEntry | None,
    dest: Destination,
    embargo: Embargo | None,
    *,
    blocked_by_end_user: bool,
    eccn: ECCN | None = None,
) -> tuple[dict[str, str], ...]:
    if blocked_by_end_user:
        return ()
    out: dict[str, dict[str, str]] = {}

    def add(symbol: str, why: str) -> None:
        exc = data.exceptions.get(symbol)
        out.setdefault(
            symbol,
            {
                "symbol": symbol,
                "section": exc.section if exc else "",
                "title": exc.title if exc else symbol,
                "why": why,
                "check": "conditions of the section and the § 740.2 restrictions (not in our data)",
            },
        )

    if embargo is not None:
        for symbol in embargo.exceptions:
            add(symbol, f"listed for {embargo.programme}")
        return tuple(out.values())
    flags = entry.exception_flags if entry else {}
    for symbol, value in flags.items():
        v = value.strip()
        if not v or v.upper().startswith("N/A") or v.lower() == "no":
            continue
        if not _flag_reaches(v, entry.eccn if entry else "", eccn):
            continue
        if symbol == "GBS" and dest.row and "B" not in dest.groups:
            continue
        if symbol == "STA" and not {"A:5", "A:6"} & set(dest.groups):
            continue
        add(symbol, f"ECCN flag: {v[:200]}")
    if entry is not None and entry.eccn in {"3A090", "4A090"}:
        add("NAC", "advanced computing items (§ 740.8)")
        add("ACA", "advanced computing items (§ 740.8)")
    return tuple(out.values())
