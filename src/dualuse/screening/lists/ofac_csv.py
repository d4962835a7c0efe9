"""OFAC's legacy CSV sets: the SDN list (``sdn.csv`` + ``add.csv``, ``alt.csv``,
``sdn_comments.csv``) and the non-SDN consolidated list (``cons_prim.csv`` +
``cons_add.csv``, ``cons_alt.csv``, ``cons_comments.csv``).

Layout per OFAC's data specification: no header row, ``-0-`` for null, a Ctrl-Z byte
at the end. The main file carries ``ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks``; the others join
on ``ent_num``. ``*_comments.csv`` continues Remarks that were cut at the field limit,
so its text is appended to the Remarks exactly as written (it often resumes mid-word).
Rows in the auxiliary files whose ``ent_num`` is missing from the main file mean the
files come from different captures; beyond a handful that is an error, not a join.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dualuse.model.party import NameKind, PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    clean,
    decode,
)
from dualuse.screening.lists.ofac_remarks import apply_remarks
from dualuse.screening.lists.tabular import csv_rows

TYPES = {
    "individual": PartyType.PERSON,
    "vessel": PartyType.VESSEL,
    "aircraft": PartyType.AIRCRAFT,
}
ALT_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.PREVIOUS_NAME, "nka": NameKind.ALIAS}
ORPHAN_TOLERANCE = 0.005
"""Share of auxiliary rows that may refer to entries missing from the main file."""


@dataclass(frozen=True, slots=True)
class FileSet:
    """File names (lower case) of one OFAC CSV set."""

    main: str
    add: str
    alt: str
    comments: str


SDN = FileSet("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
CONS = FileSet("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")


def file_set(names: list[str]) -> FileSet | None:
    """Which set a group of file names forms (by its main file), if any."""
    lower = {n.lower() for n in names}
    for candidate in (SDN, CONS):
        if candidate.main in lower:
            return candidate
    return None


def _text(data: bytes, source: str) -> str:
    """Decoded text without the trailing Ctrl-Z (0x1A) OFAC appends."""
    return decode(data.rstrip(b"\x1a\r\n\t ").rstrip(b"\x1a"), source)


def _ent_num(value: str, ctx: ParseContext, line: int) -> str:
    text = value.strip()
    if not text.isdigit():
        raise ctx.error(f"ent_num {value!r} is not a number", f"line {line}")
    return str(int(text))


def _programs(value: str) -> list[str]:
    text = clean(value) or ""
    return [p for raw in re.split(r"\]\s*\[", text) if (p := raw.strip(" []"))]


def _main_row(row: list[str], entry: str) -> PartyBuilder:
    _, name, kind, program, title, call_sign, vess_type, tonnage, grt, flag, owner, _r = row
    builder = PartyBuilder(entry, TYPES.get((clean(kind) or "").lower(), PartyType.ORGANIZATION))
    builder.name(name)
    builder.programs.extend(_programs(program))
    builder.title = clean(title)
    builder.add_extra("call_sign", call_sign)
    builder.add_extra("vessel_type", vess_type)
    builder.add_extra("tonnage", tonnage)
    builder.add_extra("gross_registered_tonnage", grt)
    builder.add_extra("vessel_flag", flag)
    builder.add_extra("vessel_owner", owner)
    builder.country(clean(flag))
    return builder


def parse_ofac_csv(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    """Parse one OFAC CSV set given as ``{file name: content}`` (names case-insensitive)."""
    by_name = {name.lower().rsplit("/", 1)[-1]: (name, data) for name, data in files.items()}
    fset = file_set(list(by_name))
    if fset is None:
        raise ctx.error("no sdn.csv or cons_prim.csv among the files")
    main_name, main_data = by_name[fset.main]
    main_ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, main_name)
    builders: dict[str, PartyBuilder] = {}
    remarks: dict[str, str] = {}
    for line, row in csv_rows(_text(main_data, main_name), main_name, width=12):
        entry = _ent_num(row[0], main_ctx, line)
        if entry in builders:
            raise main_ctx.error(f"ent_num {entry} appears twice", f"line {line}")
        builders[entry] = _main_row(row, entry)
        remarks[entry] = "" if clean(row[11]) is None else row[11]
    warnings: list[str] = []
    if fset.comments in by_name:
        name, data = by_name[fset.comments]
        for entry, row, _line in _aux(name, data, 2, builders, ctx, warnings):
            remarks[entry] += row[1]
    for entry, text in remarks.items():
        apply_remarks(builders[entry], text)
    if fset.alt in by_name:
        name, data = by_name[fset.alt]
        for entry, row, _line in _aux(name, data, 5, builders, ctx, warnings):
            kind_text = (clean(row[2]) or "aka").lower().replace(".", "").replace(" ", "")
            kind = NameKind.WEAK_ALIAS if "weak" in kind_text else ALT_KINDS.get(kind_text)
            builders[entry].name(row[3], kind or NameKind.ALIAS)
            builders[entry].add_extra("alt_remarks", row[4])
    if fset.add in by_name:
        name, data = by_name[fset.add]
        for entry, row, _line in _aux(name, data, 6, builders, ctx, warnings):
            parts = [clean(row[2]), clean(row[3]), clean(row[4])]
            builders[entry].address(", ".join(p for p in parts if p), clean(row[4]))
            builders[entry].add_extra("address_remarks", row[5])
    parties = tuple(b.build(main_ctx, f"ent_num {entry}") for entry, b in builders.items())
    return Parsed(parties, None, tuple(warnings))


def _aux(
    name: str,
    data: bytes,
    width: int,
    builders: dict[str, PartyBuilder],
    ctx: ParseContext,
    warnings: list[str],
) -> list[tuple[str, list[str], int]]:
    """Rows of an auxiliary file that join to the main file; orphans beyond the
    tolerance mean mixed captures and are an error naming the first one."""
    aux_ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    rows: list[tuple[str, list[str], int]] = []
    orphans: list[tuple[str, int]] = []
    for line, row in csv_rows(_text(data, name), name, width=width):
        entry = _ent_num(row[0], aux_ctx, line)
        if entry in builders:
            rows.append((entry, row, line))
        else:
            orphans.append((entry, line))
    total = len(rows) + len(orphans)
    if orphans and len(orphans) > max(2, ORPHAN_TOLERANCE * total):
        entry, line = orphans[0]
        raise aux_ctx.error(
            f"{len(orphans)} of {total} rows refer to entries missing from the main file "
            f"(first: ent_num {entry}); the files come from different captures",
            f"line {line}",
        )
    if orphans:
        warnings.append(f"{name}: {len(orphans)} rows refer to missing entries; skipped")
    return rows
