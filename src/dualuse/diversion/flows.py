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
from collections.abc import Iterator
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


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a Comext-style CSV with their line numbers; a missing column or a short
    (truncated) row is an error naming the file and line."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = COLUMNS - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                f"missing columns {sorted(missing)}", source=str(path), location="line 1"
            )
        for row in reader:
            if any(row.get(c) is None for c in COLUMNS):
                raise InputError(
                    "row is short (truncated file?)",
                    source=str(path),
                    location=f"line {reader.line_num}",
                )
            yield reader.line_num, row


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
    out: dict[tuple[str, int], list[YearValue]] = {}
    for line, row in csv_rows(path):
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
        out.setdefault((code, year), []).append(YearValue(year, int(value), row["PARTNER"], line))
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


# -- mirror trade: what the EU reports exporting against what the partner reports importing

NATIONAL_DIR = Path("diversion") / "national_import_stats"
NATIONAL_FILES = {
    "am": "armenia_import_yearly.csv",
    "kz": "kazakhstan_import_yearly.csv",
    "kg": "kyrgyz_import_yearly.csv",
    "uz": "uzbek_import_yearly.csv",
}
NATIONAL_EU27 = "European Union - 27 countries (from 2020)"
MIRROR_CAVEATS = (
    "partner imports are CIF and EU exports FOB; not adjusted",
    "partner figures were converted to EUR by the repository author at annual USD/EUR rates "
    "of about 1.12 (2019), 1.14 (2020), 1.18 (2021), 1.05 (2022), 1.07 (2023)",
)
INCOMPLETE = {("am", 2023): "Armenia's 2023 import file looks incomplete (EU-27 only €153 M)"}


def read_partner_imports(path: Path) -> dict[int, YearValue]:
    """The partner's imports from the EU-27 by year (the aggregate partner row)."""
    out: dict[int, YearValue] = {}
    for line, row in csv_rows(path):
        if row.get("PARTNER") != NATIONAL_EU27 or row.get("FLOW") != "IMPORT":
            continue
        period = (row.get("PERIOD") or "").strip()
        try:
            year, value = int(period.removeprefix("Y")), Decimal(row["VALUE_IN_EUR"])
        except (ValueError, InvalidOperation, TypeError) as exc:
            raise InputError(f"bad PERIOD or VALUE_IN_EUR ({exc})", source=str(path),
                             location=f"line {line}") from exc  # fmt: skip
        out[year] = YearValue(year, int(value), NATIONAL_EU27, line)
    return out


def mirror(
    shared_data: Path, partner: str, year: int, base: int | None = None
) -> dict[str, object]:
    """EU-27-reported exports to ``partner`` against its reported imports from the EU-27.

    With ``base``, also how much of the growth since ``base`` the partner did not record
    (the "missing trade" of CEPR DP20097).
    """
    code = require_country(partner, source="--partner")
    if code not in NATIONAL_FILES:
        raise InputError(
            f"no national import statistics for {code.upper()}",
            source="--partner",
            suggestions=[c.upper() for c in NATIONAL_FILES],
        )
    exports_all = read_annual(shared_data / ANNUAL_FILE)
    imports_path = shared_data / NATIONAL_DIR / NATIONAL_FILES[code]
    imports_all = read_partner_imports(imports_path)

    def pair(y: int, flag: str) -> tuple[int, int]:
        exported = exports_all.get((code, y))
        imported = imports_all.get(y)
        if not exported or imported is None:
            raise InputError(f"no EU-27 exports and {code.upper()} imports for {y}", source=flag)
        return _one(exported, code, shared_data / ANNUAL_FILE).value_eur, imported.value_eur

    exported, imported = pair(year, "--year")
    out: dict[str, object] = {
        "partner": code.upper(),
        "year": year,
        "eu27_exports_eur": exported,
        "partner_imports_from_eu27_eur": imported,
        "gap_eur": exported - imported,
        "unrecorded_share": round((exported - imported) / exported, 3) if exported else None,
        "caveats": [
            *MIRROR_CAVEATS,
            *(v for k, v in INCOMPLETE.items() if k[0] == code and k[1] in {year, base}),
        ],
        "sources": [f"{SOURCE}; {shared_data / ANNUAL_FILE}", str(imports_path)],
    }
    if base is not None:
        base_exported, base_imported = pair(base, "--base")
        more_exported, more_imported = exported - base_exported, imported - base_imported
        out["base"] = {
            "year": base,
            "eu27_exports_eur": base_exported,
            "partner_imports_from_eu27_eur": base_imported,
            "additional_exports_eur": more_exported,
            "additional_imports_eur": more_imported,
            "additional_unrecorded_share": (
                round(1 - more_imported / more_exported, 3) if more_exported > 0 else None
            ),
        }
    return out
