"""The US Consolidated Screening List (trade.gov), official CSV download.

29 columns since 2019+ (``_id`` first); the older 28-column header without ``_id`` is
accepted too. Multi-valued cells are ``; ``-separated; ``ids`` holds ``type, number,
country`` triples; each address ends with its ISO-2 country code. ``source`` names the
constituent list (e.g. ``Entity List (EL) - Bureau of Industry and Security``) and goes
to :attr:`Party.sublist`; the Entity List's ``license_requirement`` and
``license_policy`` go to the party's fields of the same names. A name written
"Short (Long form)" also gives both parts as aliases (:mod:`.name_parts`; the extra
``name_parts`` says which listed name they came from), and so does an acronym the row's
names define for the party ("... China Academy of Engineering Physics (CAEP)'s 902
Institute" on the academy's row; the extra ``defined_acronyms``).

Entry ids: ``<code>-<entity_number>`` where the row has an entity number (the OFAC lists
and, in recent files, the Entity List); otherwise ``<code>-<hash of the name>``, which
stays the same across versions while the name does (``_id`` is a content hash in the
official file and a row number in some copies, so it is kept only as ``csl_id``).

A header line repeated verbatim (as in ``csl_sample_2023-11-30.csv``) is skipped with a
warning: it carries no data and cannot be mistaken for a party. A row with the wrong
number of fields (a truncated file) rejects the whole file, naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dualuse.model.party import NameKind, PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    clean,
    decode,
    parse_date,
    parse_dates,
    single_file,
    split_values,
    text_hash,
    unique_ids,
)
from dualuse.screening.lists.name_parts import defined_acronyms, name_parts
from dualuse.screening.lists.ofac_remarks import add_labelled
from dualuse.screening.lists.tabular import csv_rows

COLUMNS = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]
REQUIRED = ("source", "name")
TYPES = {
    "individual": PartyType.PERSON,
    "entity": PartyType.ORGANIZATION,
    "vessel": PartyType.VESSEL,
    "aircraft": PartyType.AIRCRAFT,
}
_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")
_EXTRA_COLUMNS = (
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "source_list_url",
    "source_information_url",
)


def is_csl_header(first_line: str) -> bool:
    cells = [c.strip().strip('"').lstrip("\ufeff") for c in first_line.split(",")]
    return cells in (COLUMNS, COLUMNS[1:])


def source_code(source: str) -> str:
    """``EL`` from ``Entity List (EL) - Bureau of Industry and Security``."""
    match = _CODE.search(source)
    if match:
        return match.group(1)
    return re.sub(r"[^A-Z0-9]", "", source.upper())[:12] or "CSL"


def parse_csl(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    """Parse one CSL CSV file (the mapping holds exactly one file)."""
    data, ctx = single_file(files, ctx)
    name = ctx.source
    rows = csv_rows(decode(data, name), name)
    try:
        _line, header = next(rows)
    except StopIteration:
        raise ctx.error("empty file", "line 1") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if header not in (COLUMNS, COLUMNS[1:]):
        missing = [c for c in COLUMNS[1:] if c not in header]
        raise ctx.error(
            "not a Consolidated Screening List CSV header"
            + (f" (missing columns: {', '.join(missing[:5])})" if missing else ""),
            "line 1",
        )
    width = len(header)
    builders: list[PartyBuilder] = []
    tiebreak: list[str] = []
    warnings: list[str] = []
    for line, row in rows:
        if [c.strip() for c in row] == header:
            warnings.append(f"{name}: header repeated at line {line}; skipped")
            continue
        if len(row) != width:
            raise ctx.error(
                f"row has {len(row)} fields, expected {width}; the file may be truncated",
                f"line {line}",
            )
        cells = dict(zip(header, row, strict=True))
        builders.append(_row(cells, ctx, line))
        tiebreak.append(cells.get("addresses", "") + "|" + cells.get("federal_register_notice", ""))
    warnings.extend(unique_ids(builders, tiebreak))
    parties = tuple(b.build(ctx, f"entry {b.entry_id}") for b in builders)
    return Parsed(parties, None, tuple(warnings))


def _row(cells: dict[str, str], ctx: ParseContext, line: int) -> PartyBuilder:
    for column in REQUIRED:
        if not clean(cells.get(column)):
            raise ctx.error(f"empty {column!r}", f"line {line}")
    source = clean(cells["source"]) or ""
    code = source_code(source)
    number = clean(cells.get("entity_number"))
    entry = f"{code}-{number}" if number else f"{code}-{text_hash(cells['name'])}"
    kind = TYPES.get((clean(cells.get("type")) or "").lower(), PartyType.UNKNOWN)
    builder = PartyBuilder(entry, kind)
    builder.sublist = source
    listed = [cells["name"], *split_values(cells.get("alt_names"))]
    builder.name(cells["name"])
    given = [*listed, *_name_parts(builder, cells["name"])]
    for alias in listed[1:]:
        builder.name(alias, NameKind.ALIAS)
        given.extend(_name_parts(builder, alias))
    acronyms = defined_acronyms(given)
    for acronym in acronyms:
        builder.name(acronym, NameKind.ALIAS)
    if acronyms:
        builder.add_extra("defined_acronyms", " | ".join(acronyms))
    builder.programs.extend(split_values(cells.get("programs")))
    builder.title = clean(cells.get("title"))
    builder.remarks.append(clean(cells.get("remarks")) or "")
    builder.license_requirement = clean(cells.get("license_requirement"))
    builder.license_policy = clean(cells.get("license_policy"))
    builder.listed_on = parse_date(cells.get("start_date"), order="ymd")
    for address in split_values(cells.get("addresses")):
        tail = address.rsplit(",", 1)[-1].strip()
        builder.address(address, tail if len(tail) == 2 else None)
    for value in split_values(cells.get("dates_of_birth")):
        builder.birth_dates.extend(parse_dates(value))
    builder.birth_places.extend(split_values(cells.get("places_of_birth")))
    for value in split_values(cells.get("nationalities")) + split_values(cells.get("citizenships")):
        builder.nationality(value)
    builder.country(clean(cells.get("vessel_flag")))
    for triple in split_values(cells.get("ids")):
        _identifier(builder, triple)
    for column in _EXTRA_COLUMNS:
        builder.add_extra(column, cells.get(column))
    builder.add_extra("csl_id", cells.get("_id"))
    return builder


def _name_parts(builder: PartyBuilder, name: str) -> tuple[str, ...]:
    """The names inside "Short (Long form)" as aliases beside the name as listed;
    the extra ``name_parts`` records where they came from."""
    parts = name_parts(name)
    for part in parts:
        builder.name(part, NameKind.ALIAS)
    if parts:
        builder.add_extra("name_parts", f"{name.strip()} -> {' | '.join(parts)}")
    return parts


def _identifier(builder: PartyBuilder, triple: str) -> None:
    """``Passport, 1084010, EG``: type, number and (optionally) the issuing country."""
    parts = [p.strip() for p in triple.split(",")]
    label, rest = parts[0], parts[1:]
    country = rest[-1] if len(rest) >= 2 and len(rest[-1]) == 2 else None
    value = ", ".join(rest[:-1] if country else rest)
    if value:
        add_labelled(builder, label, value, country)
