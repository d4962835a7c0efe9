"""Sanctions dates marked on charts and used as break dates, each with where the date
comes from. Only dates that the team's reference notes state are listed; the other EU
packages of 2022 (2nd-9th) are not in the notes and are left out (reported as a gap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Package:
    day: date
    label: str
    citation: str

    def to_json(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "label": self.label, "citation": self.citation}


PACKAGES = (
    Package(
        date(2022, 2, 24),
        "Invasion of Ukraine; EU export bans",
        "FinCEN-BIS alerts use 24 Feb 2022 as the diversion reference date (reference "
        "notes diversion.md §3); EBRD 'Eurasian Roundabout' compares before and after the "
        "March 2022 sanctions (§1.1)",
    ),
    Package(
        date(2022, 3, 16),
        "Reg. 833/2014 consolidated 16 Mar 2022",
        "EUR-Lex consolidated version 02014R0833-20220316 (reference notes controls.md §5)",
    ),
    Package(
        date(2023, 6, 24),
        "11th package (Reg. 2023/1214)",
        "EUR-Lex consolidated version 02014R0833-20230624 after Reg. (EU) 2023/1214 "
        "(reference notes controls.md §5)",
    ),
    Package(
        date(2023, 12, 18),
        "12th package (Reg. 2023/2878), 'no Russia' clause",
        "Reg. (EU) 2023/2878 adopted 18 Dec 2023, Art. 12g (reference notes decisions.md, "
        "EU-833-12g)",
    ),
    Package(
        date(2024, 3, 20),
        "Art. 12g clause applies",
        "Art. 12g Reg. 833/2014 applies from 20 Mar 2024 (reference notes decisions.md)",
    ),
)
BREAK_MONTH = "2022-03"
"""First month after the invasion; February 2022 (invasion on the 24th) counts as before
in the break test and is left out of the difference-in-differences."""
PLACEBO_BREAK = "2021-03"
"""A date one year earlier, tested on data before February 2022 only."""
EBRD_QUOTE = "sanctioned-goods exports to CCA3 **rose by an extra ~30 %** relative to other goods"
EBRD_SOURCE = (
    "EBRD Working Paper 'The Eurasian Roundabout' (Chupilkin, Javorcik, Plekhanov, Feb 2023; "
    "CEPR DP20097), as recorded in the reference notes diversion.md §1.1; CCA3 = Armenia, "
    "Kazakhstan, Kyrgyz Republic"
)
EBRD_RU_QUOTE = "the drop in EU exports to Russia was **about 80 % steeper for sanctioned goods**"
EBRD_PERCENT = 30.0
