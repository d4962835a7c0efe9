"""EU exports to a partner from Eurostat Comext extracts: the value in two years and growth.

The annual file (``eu_year_export.csv``, DS-045409, PRODUCT total, FLOW export) holds the
aggregate reporter row "European Union - 27 countries (AT, BE, ...)" — in the 2016 extract
in French, "Union européenne - 27 pays". That row is used as is: adding the member-state
rows as well would count the same exports twice (SOURCES.md: drop aggregate rows before
summing, and never sum them with the members). Only the EU-27 reporter is modelled.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from dualuse.errors import InputError
from dualuse.reference.countries import country_name, normalize_country, require_country

ANNUAL_FILE = Path("diversion") / "eurostat_total_eu_to_neighbours" / "eu_year_export.csv"
SOURCE = "Eurostat Comext DS-045409 (EU trade since 1988 by HS2-4-6 and CN8), PRODUCT total"
REPORTERS = {"EU27": ("European Union - 27 countries", "Union européenne - 27 pays")}
EXPORT_FLOWS = {"EXPORT", "2-EXPORT", "EXPORTATION"}
COLUMNS = {"REPORTER", "PARTNER", "PRODUCT", "FLOW", "PERIOD", "VALUE_IN_EUR"}
_YEAR = re.compile(r"Jan\.-Dec\. (\d{4})$")


@dataclass(frozen=True, slots=True)
class YearValue:
    year: int
    value_eur: int
    partner_label: str
    line: int


@dataclass(frozen=True, slots=True)
class Growth:
    reporter: str
    partner: str
    partner_name: str
    start: YearValue
    end: YearValue
    change_percent: float | None
    source: str

    def to_json(self) -> dict[str, object]:
        return {
            "reporter": self.reporter,
            "partner": self.partner.upper(),
            "partner_name": self.partner_name,
            "from": {"year": self.start.year, "value_eur": self.start.value_eur},
            "to": {"year": self.end.year, "value_eur": self.end.value_eur},
            "change_percent": self.change_percent,
            "source": self.source,
            "method": "EU-27 aggregate reporter row of the annual extract; member-state rows "
            "are not added (that would count the exports twice)",
        }


def _partner(label: str) -> str | None:
    return normalize_country(label) or normalize_country(re.sub(r"\s*\(.*$", "", label))


def read_annual(path: Path, reporter: str = "EU27") -> dict[tuple[str, int], list[YearValue]]:
    """Aggregate-reporter export rows keyed by (ISO-2, year)."""
    prefixes = REPORTERS.get(reporter.upper())
    if prefixes is None:
        raise InputError(
            f"unknown reporter {reporter!r}; only the EU-27 aggregate is available",
            source="--reporter",
            suggestions=tuple(REPORTERS),
        )
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    out: dict[tuple[str, int], list[YearValue]] = {}
    with handle:
        reader = csv.DictReader(handle)
        missing = COLUMNS - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                f"missing columns {sorted(missing)}", source=str(path), location="line 1"
            )
        for row in reader:
            line = reader.line_num
            if any(row.get(c) is None for c in COLUMNS):
                raise InputError(
                    "row is short (truncated file?)", source=str(path), location=f"line {line}"
                )
            if not row["REPORTER"].startswith(prefixes) or row["FLOW"] not in EXPORT_FLOWS:
                continue
            match = _YEAR.search(row["PERIOD"].strip())
            code = _partner(row["PARTNER"])
            if match is None or code is None:
                continue  # months, or partners that are no country (stores, high seas)
            try:
                value = Decimal(row["VALUE_IN_EUR"].strip())
            except InvalidOperation as exc:
                raise InputError(
                    f"VALUE_IN_EUR {row['VALUE_IN_EUR']!r} is not a number",
                    source=str(path),
                    location=f"line {line}",
                ) from exc
            if value < 0 or value != value.to_integral_value():
                raise InputError(
                    f"VALUE_IN_EUR {value} is not a whole number of euros",
                    source=str(path),
                    location=f"line {line}",
                )
            year = int(match.group(1))
            out.setdefault((code, year), []).append(
                YearValue(year, int(value), row["PARTNER"], line)
            )
    return out


def _one(values: list[YearValue], code: str, path: Path) -> YearValue:
    """The row for a partner and year; rows that disagree are an error, not a guess."""
    first = values[0]
    for other in values[1:]:
        if other.value_eur != first.value_eur:
            raise InputError(
                f"two different values for {code.upper()} in {first.year}: {first.value_eur} "
                f"({first.partner_label!r}, line {first.line}) and {other.value_eur} "
                f"({other.partner_label!r})",
                source=str(path),
                location=f"line {other.line}",
            )
    return first


def growth(
    path: Path, partner: str, year_from: int, year_to: int, reporter: str = "EU27"
) -> Growth:
    code = require_country(partner, source="--partner")
    rows = read_annual(path, reporter)
    found = []
    for year, flag in ((year_from, "--from"), (year_to, "--to")):
        values = rows.get((code, year))
        if not values:
            years = sorted(y for c, y in rows if c == code)
            raise InputError(
                f"no {reporter.upper()} export row for {code.upper()} in {year}"
                + (f" (years available: {years[0]}-{years[-1]})" if years else ""),
                source=flag,
            )
        found.append(_one(values, code, path))
    start, end = found
    change = None
    if start.value_eur:
        change = round((end.value_eur - start.value_eur) / start.value_eur * 100, 1)
    return Growth(
        reporter.upper(), code, country_name(code), start, end, change, f"{SOURCE}; {path}"
    )
