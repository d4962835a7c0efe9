"""Readers for the Eurostat and national statistics files in ``diversion/``.

Every value that is not a number, every missing column and every short (truncated) row
is an :class:`InputError` naming the file, the line and the column: a statistics file
that half-parses would give a silently wrong series.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dualuse.errors import InputError
from dualuse.reference.countries import normalize_country

TOTALS_DIR = Path("diversion") / "eurostat_total_eu_to_neighbours"
CN8_DIR = Path("diversion") / "eurostat_cn8_sanctioned"
TOTAL_FILES = {
    "am": "armenia_export_eurostat.csv",
    "ge": "georgia_export_eurostat.csv",
    "kz": "kazakhstan_export_eurostat.csv",
    "kg": "kyrgyz_export_eurostat.csv",
    "ru": "russia_export_eurostat.csv",
    "uz": "uzbek_export_eurostat.csv",
}
SANCTIONED_TOTAL = CN8_DIR / "eu_export_sanctioned_total_by_reporter_partner_month.csv"
CN8_EU27 = CN8_DIR / "eu_cn8_sanctioned_exports_eu27_by_partner_month.csv"
CN8_MEMBERS = CN8_DIR / "eu_cn8_sanctioned_exports_by_reporter_partner_month.csv.gz"
CHPL = Path("diversion") / "chpl" / "chpl_hs6_50.csv"
LABELS = CN8_DIR / "eu_cn8_product_labels_from_extracts.csv"
AGGREGATE_PREFIXES = ("European Union", "Euro area", "Union européenne", "Zone euro")
NOT_EU27 = ("United Kingdom",)
"""The UK reports in the early months of the extracts; it left the EU-27 aggregate."""
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
_PERIOD = re.compile(r"^([A-Z][a-z]{2})\.? (\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True, slots=True)
class Cell:
    """One observation: partner (ISO-2), reporter (member label or ``EU27``), month."""

    partner: str
    reporter: str
    month: str
    value: float


def rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; gzip by suffix. Missing columns, short rows, stray
    extra fields and a file cut off mid-line are errors naming the file and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    try:
        data = gzip.decompress(raw) if path.suffix == ".gz" else raw
        text = data.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(f"not a UTF-8 CSV file ({exc})", source=str(path)) from exc
    if text and not text.endswith("\n"):
        raise InputError(
            "file does not end with a line break (truncated?): its last value may be cut",
            source=str(path),
            location=f"line {text.count(chr(10)) + 1}",
        )
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(f"bad CSV header ({exc})", source=str(path), location="line 1") from exc
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            f"missing columns {missing} (found {list(header)[:10]})",
            source=str(path),
            location="line 1",
        )
    try:
        for row in reader:
            if any(value is None for value in row.values()):
                raise InputError(
                    "row is short (truncated file?)",
                    source=str(path),
                    location=f"line {reader.line_num}",
                )
            if None in row:
                extra = row[None]
                raise InputError(
                    f"row has {len(header) + len(extra)} fields, the header {len(header)}",
                    source=str(path),
                    location=f"line {reader.line_num}",
                )
            yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(
            f"bad CSV ({exc})", source=str(path), location=f"line {reader.line_num}"
        ) from exc


def number(row: dict[str, str], column: str, path: Path, line: int) -> float:
    """A non-negative finite EUR value, or an error naming file, line and column."""
    text = row[column].strip()
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputError(
            f"column {column}: {text!r} is not a non-negative number of euros",
            source=str(path),
            location=f"line {line}",
        )
    return value


def month_of_period(text: str, path: Path, line: int) -> str:
    """``Aug. 2024`` (Comext relational view) to ``2024-08``."""
    match = _PERIOD.match(text.strip())
    if match is None or match.group(1) not in MONTHS:
        raise InputError(
            f"column PERIOD: {text!r} is not a month like 'Aug. 2024'",
            source=str(path),
            location=f"line {line}",
        )
    return f"{match.group(2)}-{MONTHS[match.group(1)]:02d}"


def digits(row: dict[str, str], column: str, length: int, path: Path, line: int) -> str:
    """A product code of exactly ``length`` digits (leading zeros kept)."""
    code = row[column].strip()
    if not (len(code) == length and _DIGITS.match(code)):
        raise InputError(
            f"column {column}: {code!r} is not a {length}-digit code",
            source=str(path),
            location=f"line {line}",
        )
    return code


def check_month(text: str, column: str, path: Path, line: int) -> str:
    value = text.strip()
    if not _MONTH.match(value):
        raise InputError(
            f"column {column}: {value!r} is not a month like '2022-03'",
            source=str(path),
            location=f"line {line}",
        )
    return value


def member(label: str) -> str:
    """A member state's short label: ``Germany (incl. German ...)`` -> ``Germany``."""
    return re.sub(r"\s*\(.*$", "", label.strip())


def is_aggregate(label: str) -> bool:
    return label.strip().startswith(AGGREGATE_PREFIXES)


def partner_code(label: str, path: Path, line: int, column: str = "partner") -> str:
    code = normalize_country(label) or normalize_country(member(label))
    if code is None:
        raise InputError(
            f"column {column}: unknown partner country {label!r}",
            source=str(path),
            location=f"line {line}",
        )
    return code


def read_totals(path: Path, partner: str) -> tuple[list[Cell], dict[str, float]]:
    """Member-state monthly export cells and, separately, the EU-27 aggregate row by
    month (kept only to check the sum of members against it, never added to it)."""
    cells: list[Cell] = []
    aggregate: dict[str, float] = {}
    columns = ("REPORTER", "PARTNER", "FLOW", "PERIOD", "VALUE_IN_EUR")
    for line, row in rows(path, columns):
        if "EXPORT" not in row["FLOW"].upper():
            raise InputError(
                f"column FLOW: {row['FLOW']!r} in an export file", source=str(path),
                location=f"line {line}",
            )  # fmt: skip
        found = partner_code(row["PARTNER"], path, line, "PARTNER")
        if found != partner:
            raise InputError(
                f"column PARTNER: {row['PARTNER']!r} in the file for {partner.upper()}",
                source=str(path),
                location=f"line {line}",
            )
        month = month_of_period(row["PERIOD"], path, line)
        value = number(row, "VALUE_IN_EUR", path, line)
        reporter = row["REPORTER"]
        if reporter.startswith("European Union - 27"):
            aggregate[month] = value
        elif not is_aggregate(reporter) and not reporter.startswith(NOT_EU27):
            cells.append(Cell(partner, member(reporter), month, value))
    return cells, aggregate


def read_sanctioned_totals(path: Path) -> list[Cell]:
    """Exports of all EU-sanctioned CN8 codes, summed by the source, per member."""
    out = []
    for line, row in rows(path, ("partner", "reporter", "month", "sanctioned_export")):
        reporter = row["reporter"]
        if is_aggregate(reporter):
            continue
        out.append(
            Cell(
                partner_code(row["partner"], path, line),
                member(reporter),
                check_month(row["month"], "month", path, line),
                number(row, "sanctioned_export", path, line),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CodeCell:
    cn8: str
    partner: str
    reporter: str
    month: str
    value: float


def read_cn8(path: Path, *, members: bool) -> Iterator[CodeCell]:
    """CN8 cells: EU-27 sums (``members=False``) or member-state rows."""
    columns = ("cn8", "reporter", "partner", "month", "value_eur") if members else (
        "cn8", "partner", "month", "value_eur")  # fmt: skip
    for line, row in rows(path, columns):
        code = digits(row, "cn8", 8, path, line)
        reporter = member(row["reporter"]) if members else "EU27"
        if members and is_aggregate(row["reporter"]):
            continue
        yield CodeCell(
            code,
            partner_code(row["partner"], path, line),
            reporter,
            check_month(row["month"], "month", path, line),
            number(row, "value_eur", path, line),
        )


def read_heading_labels(path: Path) -> dict[str, str]:
    """HS4 heading -> label: the extract's 4-digit label, else "e.g. " and the label of
    the heading's first CN8 code (only 114 headings have their own label)."""
    own: dict[str, str] = {}
    first: dict[str, str] = {}
    for _line, row in rows(path, ("cn8", "product")):
        code, label = row["cn8"].strip(), row["product"].strip()
        if len(code) == 4:
            own[code] = label
        elif len(code) == 8 and code[:4] not in first:
            first[code[:4]] = f"e.g. {label}"
    return first | own


def read_chpl(path: Path) -> dict[str, str]:
    """CHPL HS6 code -> tier (the file marks some tiers as uncertain; SOURCES.md §5)."""
    out = {}
    for line, row in rows(path, ("hs6", "tier")):
        code = digits(row, "hs6", 6, path, line)
        out[code] = row["tier"].strip()
    return out
