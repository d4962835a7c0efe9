"""Destinations as the EAR sees them: ISO-2 code, Country Chart row, Country Groups.

Hong Kong has no row of its own and is governed by the China row (85 FR 83788);
the Cayman Islands follow the United Kingdom and Liechtenstein refers to Switzerland
(§ 738.3(b), Country Chart footnote 5). Macau keeps its own row and is *not* in Country
Group D:5. A destination with neither a row nor a recorded territory rule is reported as
indeterminate, never as unrestricted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from dualuse.controls.data import ControlData, suggest
from dualuse.controls.model import Citation, Effect, Reason
from dualuse.errors import InputError

# Aliases the EAR tables use themselves (Supp. 1 to Part 738 and to Part 740).
ALIASES = {
    "prc": "cn",
    "china (prc)": "cn",
    "people's republic of china": "cn",
    "mainland china": "cn",
    "hong kong sar": "hk",
    "macao": "mo",
    "macau sar": "mo",
    "uae": "ae",
    "uk": "gb",
    "great britain": "gb",
    "dprk": "kp",
    "north korea": "kp",
    "south korea": "kr",
    "rok": "kr",
    "burma": "mm",
    "myanmar": "mm",
    "russian federation": "ru",
    "turkey": "tr",
    "usa": "us",
}


@dataclass(frozen=True, slots=True)
class Destination:
    """A resolved destination. ``row`` is the ISO-2 code of the Country Chart row that
    governs it (``None`` when indeterminate)."""

    input: str
    iso2: str
    name: str
    row: str | None
    row_name: str | None
    territory_basis: str | None
    groups: tuple[str, ...]
    embargo_pointer: str | None
    footnotes: tuple[int, ...]


@lru_cache(maxsize=1024)
def _registry_code(text: str) -> str | None:
    from dualuse.reference.countries import normalize_country

    return normalize_country(text)


def resolve(data: ControlData, text: str) -> Destination:
    """Resolve a code, name or alias; unknown input is an error with suggestions."""
    raw = text.strip()
    key = raw.lower()
    known = (
        set(data.chart.rows)
        | set(data.chart.territories)
        | {c for g in data.groups.values() for c in g}
    )
    if len(key) == 2 and key.isalpha():
        code: str | None = key if key in known else _registry_code(raw)
    else:
        code = ALIASES.get(key) or _registry_code(raw)
    if code is None:
        names = {r.name: c for c, r in data.chart.rows.items()}
        choices = sorted({c.upper() for c in known} | set(names))
        raise InputError(f"unknown country {raw!r}", source="to", suggestions=suggest(raw, choices))
    row_code: str | None = code if code in data.chart.rows else None
    basis = None
    if code in data.chart.territories:
        # Hong Kong has no row; Liechtenstein's row refers to Switzerland (footnote 5).
        row_code, basis = data.chart.territories[code]
    row = data.chart.rows.get(row_code) if row_code else None
    return Destination(
        input=raw,
        iso2=code,
        name=_display_name(data, code),
        row=row_code,
        row_name=row.name if row else None,
        territory_basis=basis,
        groups=data.groups_of(row_code) if row_code else data.groups_of(code),
        embargo_pointer=row.embargo_pointer if row else None,
        footnotes=row.footnotes if row else (),
    )


# Destinations the EAR governs through another row (no row of their own).
TERRITORY_NAMES = {"hk": "Hong Kong", "ky": "Cayman Islands"}


def _display_name(data: ControlData, code: str) -> str:
    row = data.chart.rows.get(code)
    if row:
        return row.name
    if code in TERRITORY_NAMES:
        return TERRITORY_NAMES[code]
    from dualuse.reference.countries import country_name

    return country_name(code)


def in_groups(dest: Destination, groups: frozenset[str]) -> bool:
    return bool(set(dest.groups) & groups)


def as_of_groups(
    data: ControlData, dest: Destination, as_of: date
) -> tuple[Destination, list[Reason]]:
    """The destination with its Country Groups on ``as_of``: the groups of the data's date
    with every recorded later change undone (each cited); for an earlier date, a reason
    says that any other change in between is not in our sources."""
    code = dest.row or dest.iso2
    changes = [c for c in data.rules.group_changes if c.country == code and as_of < c.effective]
    groups = set(dest.groups)
    reasons = []
    for c in changes:
        if c.added:
            groups.discard(c.group)
        else:
            groups.add(c.group)
        reasons.append(
            Reason(
                "group_change",
                Effect.INFO,
                f"As of {as_of}, {dest.name} was {'not yet' if c.added else 'still'} in Country "
                f"Group {c.group} (changed with effect from {c.effective}).",
                c.citation,
            )
        )
    data_date = data.rules.data_date
    if as_of < data_date:
        reasons.append(
            Reason(
                "groups_of_data_date",
                Effect.INFO,
                f"The answer for {as_of} rests on the Country Groups of the data's date "
                f"({data_date})"
                + (" with the recorded changes above undone" if changes else "")
                + "; other membership changes in between are not in our sources.",
                Citation("15 CFR", "Supp. No. 1 to Part 740", str(data_date)),
            )
        )
    ordered = tuple(g for g in (*dest.groups, *sorted(groups - set(dest.groups))) if g in groups)
    return replace(dest, groups=ordered), reasons
