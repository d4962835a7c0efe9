"""The BIS Denied Persons List, tab-separated with a header (``dpl.txt``).

Columns: ``Name, Street_Address, City, State, Country, Postal_Code, Effective_Date,
Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation``. A denied person
with several addresses has one row per address; rows with the same name and effective
date (the same denial order) become one party with several addresses. The file has no
entry ids, so the id is derived from the name and effective date. It carries no
publication date either (``Last_Update`` holds typos such as ``3033-09-30``), so the
version comes from the caller.
"""

from __future__ import annotations

from collections.abc import Mapping

from dualuse.model.party import PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    clean,
    decode,
    parse_date,
    text_hash,
)
from dualuse.screening.lists.tabular import csv_rows

COLUMNS = [
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
]


def parse_dpl(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, data),) = files.items()
    ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    rows = csv_rows(decode(data, name), name, delimiter="\t")
    try:
        _line, header = next(rows)
    except StopIteration:
        raise ctx.error("empty file", "line 1") from None
    if [h.strip() for h in header] != COLUMNS:
        raise ctx.error("not a Denied Persons List header (Name, Street_Address, ...)", "line 1")
    builders: dict[str, PartyBuilder] = {}
    for line, row in rows:
        if len(row) != len(COLUMNS):
            raise ctx.error(
                f"row has {len(row)} fields, expected {len(COLUMNS)}; the file may be truncated",
                f"line {line}",
            )
        cells = dict(zip(COLUMNS, row, strict=True))
        person = clean(cells["Name"])
        if not person:
            raise ctx.error("empty Name", f"line {line}")
        effective = parse_date(cells["Effective_Date"], order="mdy")
        entry = f"DPL-{text_hash(person, effective)}"
        builder = builders.get(entry)
        if builder is None:
            builder = builders[entry] = PartyBuilder(entry, PartyType.UNKNOWN)
            builder.name(person)
            builder.listed_on = effective
            builder.sublist = "Denied Persons List"
        parts = [cells[c] for c in ("Street_Address", "City", "State", "Postal_Code", "Country")]
        builder.address(", ".join(p for raw in parts if (p := clean(raw))), clean(cells["Country"]))
        builder.add_extra("expiration_date", parse_date(cells["Expiration_Date"], order="mdy"))
        builder.add_extra("standard_order", cells["Standard_Order"])
        builder.add_extra("last_update", cells["Last_Update"])
        builder.add_extra("action", cells["Action"])
        builder.add_extra("federal_register_notice", cells["FR_Citation"])
    parties = tuple(b.build(ctx, f"entry {entry}") for entry, b in builders.items())
    return Parsed(parties)
