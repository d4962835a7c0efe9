"""One determination across jurisdictions, and the coalition gap view.

``licence_required`` at the top answers the US EAR (the jurisdiction of the ECCN asked
about); ``jurisdictions`` holds the US and EU answers side by side. ``gap_view`` runs
both for every destination and marks the weak links: destinations where one
jurisdiction lets through what the other requires a licence for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from dualuse.controls.data import ControlData
from dualuse.controls.destinations import Destination
from dualuse.controls.determine import (
    DeterminationRequest,
    Item,
    JurisdictionResult,
    determine_us,
)
from dualuse.controls.eu import determine_eu, eu_counterpart
from dualuse.controls.items import parse_item
from dualuse.controls.model import Citation, Outcome, Reason

STALE_AFTER = timedelta(days=30)
"""The EAR changes by Federal Register notice; data older than this is flagged."""


@dataclass(frozen=True, slots=True)
class Determination:
    item: Item
    destination: Destination
    end_user: str | None
    end_use: str | None
    as_of: date
    licence_required: Outcome
    summary: str
    reasons: tuple[Reason, ...]
    jurisdictions: dict[str, JurisdictionResult]
    warnings: tuple[str, ...]
    data_versions: dict[str, str]

    @property
    def citations(self) -> tuple[Citation, ...]:
        seen: dict[str, Citation] = {}
        for result in self.jurisdictions.values():
            for r in result.reasons:
                seen.setdefault(str(r.citation), r.citation)
        return tuple(seen.values())


def determine(
    data: ControlData,
    request: DeterminationRequest,
    *,
    today: date,
    stale_after: timedelta = STALE_AFTER,
) -> Determination:
    as_of = request.as_of or today
    if request.end_use is not None:
        from dualuse.controls.determine import END_USES
        from dualuse.errors import InputError

        if request.end_use not in END_USES:
            from dualuse.controls.data import suggest

            raise InputError(
                f"unknown end use {request.end_use!r}",
                source="end-use",
                suggestions=suggest(request.end_use, END_USES),
            )
    us, dest, item = determine_us(data, request, as_of=as_of)
    eccn, _entry, _ = parse_item(data, request.eccn)
    eu = determine_eu(data, eccn, dest, end_use=request.end_use, as_of=as_of)
    warnings = []
    data_date = data.rules.data_date
    if as_of - data_date > stale_after:
        warnings.append(
            f"The control data reflect the codified text of {data_date}; {as_of} is more than "
            f"{stale_after.days} days later. Refresh the data before relying on this answer."
        )
    if as_of < data_date:
        warnings.append(
            f"As of {as_of}: the answer uses the text of {data_date}, applying only the dated "
            "rules we record; other changes in between are not modelled."
        )
    return Determination(
        item=item,
        destination=dest,
        end_user=request.end_user,
        end_use=request.end_use,
        as_of=as_of,
        licence_required=us.licence_required,
        summary=us.summary,
        reasons=us.reasons,
        jurisdictions={"US-EAR": us, "EU": eu},
        warnings=tuple(warnings),
        data_versions=dict(data.versions),
    )


@dataclass(frozen=True, slots=True)
class GapRow:
    iso2: str
    name: str
    us: Outcome
    eu: Outcome
    weak_link: str | None
    """``"US"`` when the US lets through what the EU requires a licence for, ``"EU"`` the
    other way round, ``None`` when they agree or one cannot tell."""


@dataclass(frozen=True, slots=True)
class GapView:
    eccn: str
    eu_entry: str | None
    as_of: date
    rows: tuple[GapRow, ...]
    counts: dict[str, int]
    note: str


def gap_view(
    data: ControlData, eccn_text: str, *, today: date, as_of: date | None = None
) -> GapView:
    """US and EU answers for one item to every destination in the Country Chart."""
    day = as_of or today
    eccn, _entry, _ = parse_item(data, eccn_text)
    rows = []
    for iso2 in sorted(data.chart.rows):
        det = determine(
            data, DeterminationRequest(eccn=str(eccn), destination=iso2, as_of=day), today=today
        )
        us, eu = (
            det.jurisdictions["US-EAR"].licence_required,
            det.jurisdictions["EU"].licence_required,
        )
        weak = None
        if us is Outcome.NO and eu is Outcome.YES:
            weak = "US"
        elif eu is Outcome.NO and us is Outcome.YES and iso2 not in data.rules.eu.member_states:
            weak = "EU"
        rows.append(GapRow(iso2, det.destination.name, us, eu, weak))
    counts = Counter(f"US {r.us} / EU {r.eu}" for r in rows)
    counts.update({"weak links (US allows, EU requires)": sum(r.weak_link == "US" for r in rows)})
    counts.update({"weak links (EU allows, US requires)": sum(r.weak_link == "EU" for r in rows)})
    counterpart = eu_counterpart(data, eccn)
    note = (
        "EU answers follow Art. 3(1) for exports leaving the Union; EU Member States are "
        "intra-Union (not weak links). Declared end uses and end users are not part of this "
        "view; EU sanctions regulations "
        "(e.g. Reg. 833/2014 for Russia) are not modelled, so the EU answer there is unknown."
    )
    return GapView(
        str(eccn), counterpart.code if counterpart else None, day, tuple(rows), dict(counts), note
    )
