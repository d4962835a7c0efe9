"""Read a CSV of parties to screen, row by row, without letting one bad row stop the rest.

The file needs a ``name`` column; ``id``, ``dob``, ``country`` and ``type`` are optional.
Each record becomes an :class:`InputRow` that either carries a query or says exactly what
is wrong with it (line, column, problem). Broken quoting is resynchronised at the next
line; bytes that are not UTF-8 are read as Windows-1252 and flagged, so nothing is lost.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dualuse.errors import InputError
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.countries import normalize_country

MAX_NAME_CHARS = 1000
"""Longer names are refused: no real party name is this long, and it bounds work per row."""
MAX_RECORD_LINES = 50
"""A quoted field spanning more lines than this is taken as broken quoting."""
KNOWN_COLUMNS = ("id", "name", "dob", "country", "type")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TYPES = {
    "person": PartyType.PERSON,
    "individual": PartyType.PERSON,
    "organization": PartyType.ORGANIZATION,
    "organisation": PartyType.ORGANIZATION,
    "company": PartyType.ORGANIZATION,
    "entity": PartyType.ORGANIZATION,
    "vessel": PartyType.VESSEL,
    "aircraft": PartyType.AIRCRAFT,
    "any": None,
    "": None,
}


@dataclass(frozen=True, slots=True)
class InputRow:
    row: int
    """Data row number, 1-based (the header is not counted)."""
    line: int
    """Physical line in the file where the record starts, 1-based."""
    id: str
    name: str
    query: ScreeningQuery | None
    """``None`` when the row cannot be screened; ``problems`` says why."""
    problems: tuple[str, ...] = ()


def parse_type(text: str, *, source: str = "type") -> PartyType | None:
    key = text.strip().lower()
    if key not in _TYPES:
        raise InputError(
            f"unknown type {text!r}",
            source=source,
            suggestions=["person", "organization", "vessel", "aircraft", "any"],
        )
    return _TYPES[key]


def parse_dob(text: str, *, source: str = "dob") -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with a plausible month and day."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise InputError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD", source=source)
    year, month, day = match.groups()
    if not 1800 <= int(year) <= 2100:
        raise InputError(f"year {year} is out of range", source=source)
    if month is not None and not 1 <= int(month) <= 12:
        raise InputError(f"month {month} is out of range", source=source)
    if day is not None and not 1 <= int(day) <= 31:
        raise InputError(f"day {day} is out of range", source=source)
    return text


def clean_name(raw: str) -> tuple[str, list[str]]:
    """Strip control characters and surrounding space; say what was removed."""
    notes: list[str] = []
    cleaned = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in raw
    )
    if cleaned != raw:
        notes.append("control characters removed from name")
    return " ".join(cleaned.split()), notes


def make_query(
    name: str,
    *,
    id: str | None = None,
    dob: str = "",
    country: str = "",
    type: str = "",
    source: str = "",
) -> tuple[ScreeningQuery, list[str]]:
    """Validate one party's fields and build its query; raise :class:`InputError` if unusable."""
    prefix = f"{source}: " if source else ""
    cleaned, notes = clean_name(name)
    if not cleaned:
        raise InputError(f"{prefix}name is empty", source="name")
    if len(cleaned) > MAX_NAME_CHARS:
        raise InputError(
            f"{prefix}name has {len(cleaned)} characters (at most {MAX_NAME_CHARS})", source="name"
        )
    if not any(ch.isalnum() for ch in cleaned):
        raise InputError(f"{prefix}name has no letters or digits", source="name")
    code: str | None = None
    if country.strip():
        code = normalize_country(country)
        if code is None:
            raise InputError(f"{prefix}unknown country {country!r}", source="country")
    query = ScreeningQuery(
        name=cleaned, type=parse_type(type), birth_date=parse_dob(dob), country=code, id=id
    )
    return query, notes


def _decode(raw: bytes, line_no: int, notes: dict[int, str]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        notes[line_no] = (
            f"line {line_no} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at "
            f"column {exc.start + 1}); read as Windows-1252"
        )
        return raw.decode("cp1252", errors="replace")


def _lines(path: Path, notes: dict[int, str]) -> Iterator[tuple[int, str]]:
    """Physical lines as text, numbered from 1, decoding each line on its own."""
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = handle.read().decode("utf-16")
            yield from enumerate(io.StringIO(text, newline=""), start=1)
            return
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield number, _decode(raw, number, notes)


def _records(
    path: Path, notes: dict[int, str]
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Records as (start line, fields or None, problem). Resyncs after broken quoting."""
    pending: list[tuple[int, str]] = []
    lines = _lines(path, notes)
    buffer: list[tuple[int, str]] = []

    def parse(chunk: list[tuple[int, str]]) -> list[str]:
        rows = list(csv.reader([text for _n, text in chunk], strict=True))
        if len(rows) != 1:
            raise csv.Error("more than one record")
        return rows[0]

    while True:
        item = pending.pop(0) if pending else next(lines, None)
        if item is None:
            if not buffer:
                break
            # End of file inside a quoted field: report its first line, re-read the rest.
            start = buffer[0][0]
            yield start, None, f"unterminated quoted field starting at line {start}"
            pending, buffer = buffer[1:], []
            continue
        buffer.append(item)
        start = buffer[0][0]
        try:
            fields = parse(buffer)
        except csv.Error as exc:
            unterminated = "unexpected end of data" in str(exc)
            if unterminated and len(buffer) < MAX_RECORD_LINES:
                continue
            if unterminated:
                problem = f"unterminated quoted field starting at line {start}"
            else:
                problem = f"broken quoting at line {start}: {exc}"
            yield start, None, problem
            pending, buffer = buffer[1:] + pending, []
            continue
        buffer = []
        yield start, fields, None


def read_screening_csv(path: Path) -> Iterator[InputRow]:
    """Yield one :class:`InputRow` per record; raise only if the header itself is unusable."""
    notes: dict[int, str] = {}
    records = _records(path, notes)
    first = next(records, None)
    if first is None:
        raise InputError(
            "file is empty; expected a header with a 'name' column",
            source=str(path),
            location="line 1",
        )
    _line, header, problem = first
    if header is None:
        raise InputError(f"cannot read the header: {problem}", source=str(path), location="line 1")
    columns = [h.strip().lower() for h in header]
    if "name" not in columns:
        raise InputError(
            f"no 'name' column (found: {', '.join(columns) or 'nothing'})",
            source=str(path),
            location="line 1",
        )
    index = {col: columns.index(col) for col in KNOWN_COLUMNS if col in columns}
    row_no = 0
    for line, fields, problem in records:
        if fields is not None and not any(f.strip() for f in fields):
            continue
        row_no += 1
        note = notes.get(line)
        extra = (note,) if note else ()
        if fields is None:
            yield InputRow(row_no, line, "", "", None, (problem or "unreadable record", *extra))
            continue

        def get(col: str, fields: list[str] = fields) -> str:
            pos = index.get(col)
            return fields[pos] if pos is not None and pos < len(fields) else ""

        row_id = get("id").strip() or str(row_no)
        name = get("name")
        problems: list[str] = list(extra)
        if len(fields) != len(columns):
            problems.append(f"line {line} has {len(fields)} fields, header has {len(columns)}")
        try:
            query, cleaned = make_query(
                name, id=row_id, dob=get("dob"), country=get("country"), type=get("type")
            )
        except InputError as exc:
            problems.insert(0, f"line {line}: {exc.message}")
            yield InputRow(row_no, line, row_id, name[:MAX_NAME_CHARS], None, tuple(problems))
            continue
        yield InputRow(row_no, line, row_id, query.name, query, (*problems, *cleaned))
