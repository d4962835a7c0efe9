"""Mirror gaps as a series: for each year, EU-27-reported exports against the partner's
reported imports from the EU-27, and whether the unrecorded share rose after 2021 beyond
its own 2019-2021 range (the structural rise method of the reference notes §2.1, 1).

``flows mirror`` answers one year; this compares every year with the partner's pre-2022
years. Caveats are those of ``flows mirror`` (CIF/FOB, the repository author's FX rates);
years the source marks incomplete are listed and left out of the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dualuse.diversion import flows

PRE_YEARS = (2019, 2020, 2021)


@dataclass(frozen=True, slots=True)
class GapYear:
    year: int
    exported: int
    imported: int
    incomplete: str | None

    @property
    def share(self) -> float | None:
        return round((self.exported - self.imported) / self.exported, 3) if self.exported else None

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "eu27_exports_eur": self.exported,
            "partner_imports_from_eu27_eur": self.imported,
            "unrecorded_share": self.share,
            "incomplete": self.incomplete,
        }


def mirror_series(shared: Path, partner: str) -> dict[str, object]:
    annual = shared / flows.ANNUAL_FILE
    exports = flows.read_annual(annual)
    imports_path = shared / flows.NATIONAL_DIR / flows.NATIONAL_FILES[partner]
    imports = flows.read_partner_imports(imports_path)
    years = [
        GapYear(
            year,
            flows._one(exports[(partner, year)], partner, annual).value_eur,
            imports[year].value_eur,
            flows.INCOMPLETE.get((partner, year)),
        )
        for year in sorted(imports)
        if exports.get((partner, year))
    ]
    usable = [(y.year, y.share) for y in years if not y.incomplete and y.share is not None]
    pre = [share for year, share in usable if year in PRE_YEARS]
    rises = [year for year, share in usable if year >= 2022 and pre and share > max(pre)]
    return {
        "partner": partner.upper(),
        "years": [y.to_json() for y in years],
        "pre_range": [min(pre), max(pre)] if pre else None,
        "years_above_pre_range": rises,
        "caveats": list(flows.MIRROR_CAVEATS),
        "sources": [str(annual), str(imports_path)],
    }
