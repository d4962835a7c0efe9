"""Read a CSV of parties to screen, row by row, without letting one bad row stop the rest.

The file needs a ``name`` column; ``id``, ``dob``, ``country`` and ``type`` are optional.
Each record becomes an :class:`InputRow` that either carries a query or says exactly what
is wrong with it (line, column, problem). Broken quoting is resynchronised at the next
line; bytes that are not UTF-8 are read as Windows-1252 and flagged, so nothing is lost.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from dualuse.errors import InputError
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.countries import normalize_country

MAX_NAME_CHARS = 1000
"""Longer names are refused: no real party name is this long, and it bounds work per row."""
MAX_RECORD_LINES = 50
"""A quoted field spanning more lines than this is taken as broken quoting."""
T = TypeVar("T")
KNOWN_COLUMNS = ("id", "name", "dob", "country", "type")
_DATE = re.compile(r"^(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?)?$", re.ASCII)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$", re.ASCII)
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
    """A date of birth in ISO form (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from the
    forms customer files use: unpadded months and days (``1969-7-16``), ``/`` or ``.``
    as separators, ``YYYYMMDD``, and ``DD/MM/YYYY`` or ``MM/DD/YYYY`` when one of the
    first two numbers is above 12 (``16/07/1969``). A date that is ambiguous
    (``03/05/1981``) or not on the calendar (``1952-02-30``) raises :class:`InputError`."""
    text = text.strip()
    if not text:
        return None
    if match := _DATE.match(text):
        year, _sep, month, day = match.groups()
    elif match := _COMPACT.match(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.match(text):
        first, _sep, second, year = match.groups()
        if int(first) > 12 >= int(second) or int(first) == int(second):
            day, month = first, second
        elif int(second) > 12 >= int(first):
            month, day = first, second
        else:
            raise InputError(
                f"date {text!r} is ambiguous (day/month or month/day?); write it YYYY-MM-DD",
                source=source,
            )
    else:
        raise InputError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD", source=source)
    if not 1800 <= int(year) <= 2100:
        raise InputError(f"year {year} is out of range", source=source)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise InputError(f"month {month} is out of range", source=source)
    if day is None:
        return f"{year}-{int(month):02d}"
    last = calendar.monthrange(int(year), int(month))[1]
    if not 1 <= int(day) <= last:
        raise InputError(
            f"day {day} is out of range ({calendar.month_name[int(month)]} {year} has {last} days)",
            source=source,
        )
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _optional(
    parse: Callable[[str], T], raw: str, field: str, prefix: str, problems: list[str]
) -> T | None:
    """An optional field's value, or ``None`` with the problem noted: a bad optional
    field never stops the name from being screened."""
    try:
        return parse(raw)
    except InputError as exc:
        hint = f" (valid: {', '.join(exc.suggestions)})" if exc.suggestions else ""
        problems.append(
            f"{prefix}{field} {raw.strip()!r}: {exc.message}{hint}; screened without it"
        )
        return None


def parse_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code (lower case) of a country code or name; ``None`` if empty."""
    if not text.strip():
        return None
    code = normalize_country(text)
    if code is None:
        raise InputError("not a known country code or name", source="country")
    return code


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
    """Validate one party's fields and build its query. Only the name can make it
    unusable (:class:`InputError`); a bad date of birth, country or type is left out
    of the query and named in the returned notes."""
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
    birth_date = _optional(parse_dob, dob, "dob", prefix, notes)
    code = _optional(parse_country, country, "country", prefix, notes)
    party_type = _optional(parse_type, type, "type", prefix, notes)
    query = ScreeningQuery(
        name=cleaned, type=party_type, birth_date=birth_date, country=code, id=id
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
    for col in KNOWN_COLUMNS:
        places = [str(n) for n, c in enumerate(columns, start=1) if c == col]
        if len(places) > 1:
            raise InputError(
                f"column {col!r} appears {len(places)} times (columns {', '.join(places)}); "
                "keep one",
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
