"""HS 2022 subheadings and the Common High Priority List, read from the control data
shipped in the package (the same files :mod:`dualuse.controls.data` validates), so the
diversion rules and the classifier agree on what a CHPL item is."""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.controls.data import FILES, data_dir, parse_chpl, parse_hs
from dualuse.once import load_once


@dataclass(frozen=True, slots=True)
class Codes:
    hs6: frozenset[str]
    """Every HS 2022 subheading (6 digits)."""
    chpl: dict[str, str]
    """CHPL HS-6 code -> tier (``Tier 1`` ... ``Tier 4.B``), BIS list of 23 Feb 2024."""
    descriptions: dict[str, str]


@load_once
def load_codes() -> Codes:
    folder = data_dir()
    hs = parse_hs((folder / FILES["hs"]).read_text(encoding="utf-8-sig"))
    chpl = parse_chpl((folder / FILES["chpl"]).read_text(encoding="utf-8-sig"), hs)
    return Codes(
        hs6=frozenset(c for c in hs if len(c) == 6),
        chpl={code: item.tier for code, item in chpl.items()},
        descriptions={c: h.description for c, h in hs.items() if len(c) == 6},
    )
