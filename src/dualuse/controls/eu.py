"""EU determination under Regulation (EU) 2021/821 for an item known by its ECCN.

The CCL and Annex I share the Wassenaar numbering for multilateral entries, so the
Annex I entry with the same five-character number is taken as the EU counterpart and
*marked as a correspondence by number*, to be confirmed on the item's parameters. US
unilateral entries (x9xx, 600-series, 3A090/4A090, .z paragraphs) have no counterpart.
Art. 3(1) requires an authorisation for exports (leaving the Union's customs territory)
of Annex I items; UGEA EU001 (Annex II) is listed where its destinations include the one
asked. Art. 4 catch-all is flagged when an end use is declared.
"""

from __future__ import annotations

from datetime import date

from dualuse.controls.data import ControlData
from dualuse.controls.destinations import Destination
from dualuse.controls.determine import JurisdictionResult
from dualuse.controls.model import Citation, Effect, EUEntry, Outcome, Reason
from dualuse.reference.ids.eccn import ECCN

EU_SANCTIONS_CHECK = frozenset({"ru", "by", "ir", "kp", "sy"})
"""Destinations for which EU sanctions regulations may add restrictions that this module
does not model; the EU answer there is "unknown", never "no"."""


def eu_counterpart(data: ControlData, eccn: ECCN) -> EUEntry | None:
    if eccn.is_ear99 or eccn.is_600_series or eccn.is_9x515 or eccn.base[2] == "9":
        return None
    if eccn.paragraphs and eccn.paragraphs[0] == "z":
        return None
    entry = data.eu.get(eccn.base)
    return entry if entry is not None and entry.depth == 0 else None


def determine_eu(
    data: ControlData, eccn: ECCN, dest: Destination, *, end_use: str | None, as_of: date
) -> JurisdictionResult:
    eu = data.rules.eu
    text31, cite31 = eu.article_3_1
    text32, cite32 = eu.article_3_2
    reasons: list[Reason] = []
    exceptions: list[dict[str, str]] = []
    if as_of < eu.in_force:
        reasons.append(
            Reason(
                "eu_not_in_force",
                Effect.UNDETERMINED,
                f"As of {as_of} Regulation (EU) 2021/821 was not in force (from {eu.in_force}); "
                "its predecessor (EC) 428/2009 is not modelled.",
                cite31,
                jurisdiction="EU",
            )
        )
        return JurisdictionResult(
            "EU", Outcome.UNKNOWN, "Not modelled for this date", tuple(reasons)
        )
    entry = eu_counterpart(data, eccn)
    intra = dest.iso2 in eu.member_states
    if entry is None:
        reasons.append(
            Reason(
                "eu_not_listed",
                Effect.NO_REQUIREMENT,
                f"No Annex I entry corresponds to {eccn} (US unilateral or unlisted item): Art. "
                "3(1) does not apply.",
                cite31,
                jurisdiction="EU",
            )
        )
    elif intra:
        reasons.append(
            Reason(
                "eu_intra_union",
                Effect.NO_REQUIREMENT,
                f"{dest.name} is an EU Member State: no export leaves the Union's customs "
                "territory, so Art. 3(1) does not apply.",
                eu.member_states_citation,
                jurisdiction="EU",
            )
        )
        reasons.append(
            Reason(
                "eu_annex_iv",
                Effect.CONDITION,
                "Intra-Union transfers of the items in Annex IV need an authorisation (Art. 11); "
                "Annex IV is not in our data, so check it.",
                Citation("Regulation (EU) 2021/821", "Art. 11, Annex IV", "2021-09-09"),
                jurisdiction="EU",
            )
        )
    else:
        reasons.append(
            Reason(
                "eu_annex_i",
                Effect.REQUIRES,
                f"Annex I {entry.code} ({entry.label[:160]}) corresponds by number to "
                f"{eccn.base}; confirm on the item's parameters. {text31}",
                cite31,
                jurisdiction="EU",
                detail={"annex_i_entry": entry.code, "annex_i_citation": str(entry.citation)},
            )
        )
        for ugea in eu.ugeas:
            since = ugea.dated.get(dest.iso2)
            if dest.iso2 in ugea.destinations and (since is None or as_of >= since):
                exceptions.append(
                    {
                        "symbol": ugea.id,
                        "section": str(ugea.citation),
                        "title": "Union General Export Authorisation",
                        "why": ugea.text,
                        "check": "Annex II conditions and excluded items",
                    }
                )
    if (dest.row or dest.iso2) in EU_SANCTIONS_CHECK:
        reasons.append(
            Reason(
                "eu_sanctions_unmodelled",
                Effect.UNDETERMINED,
                f"EU restrictive measures may restrict exports to {dest.name} beyond Annex I "
                "(for Russia, Council Regulation (EU) No 833/2014 and its annexes); they are not "
                "modelled here, so a person must check them.",
                Citation(
                    "Council Regulation (EU) No 833/2014 and other Art. 215 TFEU measures",
                    "not modelled",
                    "2014-07-31",
                ),
                jurisdiction="EU",
            )
        )
    if end_use not in (None, "none"):
        reasons.append(
            Reason(
                "eu_catch_all",
                Effect.UNDETERMINED,
                f"Declared {end_use} end use: {text32} The Art. 4 conditions are not in our data.",
                cite32,
                jurisdiction="EU",
            )
        )
    outcomes = [
        Outcome.YES if r.effect is Effect.REQUIRES else Outcome.UNKNOWN
        for r in reasons
        if r.effect in (Effect.REQUIRES, Effect.UNDETERMINED)
    ]
    outcome = Outcome.combine(outcomes)
    summary = {
        Outcome.YES: "Authorisation required (Art. 3(1)); a Union General Export Authorisation "
        "may cover it"
        if exceptions
        else "Authorisation required (Art. 3(1))",
        Outcome.NO: "No EU export authorisation requirement found (Art. 4 catch-all and national "
        "controls under Art. 9 not checked)",
        Outcome.UNKNOWN: "Cannot tell from the facts and data we have",
    }[outcome]
    return JurisdictionResult("EU", outcome, summary, tuple(reasons), tuple(exceptions))
