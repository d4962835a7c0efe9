"""US EAR licence determination for one line item: ECCN x destination x end user x end use.

The layers of 15 CFR 736.2 are walked in order and every one leaves a
:class:`~dualuse.controls.model.Reason` with its citation:

1. the item (CCL entry in force on the date; EAR99),
2. Part 746 embargoes and sanctions of the destination,
3. § 738.3(a)(1) entries that need a licence everywhere,
4. the License Requirements lines against the Country Chart row (§ 738.4(a)(2)),
   or their special destination rules (e.g. § 742.6(a)(6) for 3A090),
5. chart footnotes that reach further,
6. declared end use (part 744) and the end user's screening hits.

The answer is "yes" if any layer requires a licence, "unknown" if any cannot tell,
and "no" only when every layer was checked and none applies: no X in the chart is
never read as clearance on its own (§ 738.4(a)(2)(ii)(B)). The Country Chart layer
(step 4) is in :mod:`.chart_layer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dualuse.controls.chart_layer import chart_reasons
from dualuse.controls.data import ControlData
from dualuse.controls.destinations import Destination, as_of_groups, resolve
from dualuse.controls.end_user import EndUserFinding, apply_hits, in_review_band
from dualuse.controls.exceptions import exceptions_to_examine
from dualuse.controls.items import parse_item
from dualuse.controls.layers import (
    all_destination_reasons,
    embargo_reasons,
    end_use_reasons,
    footnote_reasons,
)
from dualuse.controls.model import Citation, ControlEntry, Effect, Outcome, Reason
from dualuse.controls.rs_history import RULE_2023
from dualuse.controls.rules import Embargo
from dualuse.errors import InputError
from dualuse.model.screening import MatchResult
from dualuse.reference.ids.eccn import ECCN

__all__ = [
    "END_USES",
    "RULE_2023",
    "WMD",
    "DeterminationRequest",
    "Item",
    "JurisdictionResult",
    "chart_reasons",
    "determine_us",
]

END_USES = (
    "none",
    "military",
    "military-intelligence",
    "nuclear",
    "missile",
    "chemical-biological",
    "wmd",
)
WMD = ("nuclear", "missile", "chemical-biological")


@dataclass(frozen=True, slots=True)
class DeterminationRequest:
    eccn: str
    destination: str
    end_user: str | None = None
    end_use: str | None = None
    as_of: date | None = None
    end_user_hits: Sequence[MatchResult] | None = None
    """Screening hits for ``end_user``; ``None`` means the end user was not screened."""
    screening_unavailable: bool = False
    end_user_review_floor: float | None = None
    """Score at or above which a hit under the match threshold is a near miss that makes
    the answer unknown (threshold minus the review band); ``None``: every near miss."""
    ear99_food_or_medicine: bool | None = None


@dataclass(frozen=True, slots=True)
class JurisdictionResult:
    jurisdiction: str
    licence_required: Outcome
    summary: str
    reasons: tuple[Reason, ...]
    exceptions: tuple[dict[str, str], ...] = ()
    conflicts: tuple[dict[str, object], ...] = ()
    end_user_findings: tuple[EndUserFinding, ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    eccn: str
    heading: str
    reasons_for_control: tuple[str, ...]
    paragraph_checked: bool


def _combine(reasons: Sequence[Reason]) -> Outcome:
    outcomes = []
    for r in reasons:
        if r.effect is Effect.REQUIRES:
            outcomes.append(Outcome.YES)
        elif r.effect is Effect.UNDETERMINED:
            outcomes.append(Outcome.UNKNOWN)
    return Outcome.combine(outcomes)


def _dated_item_reasons(data: ControlData, eccn: ECCN, as_of: date) -> list[Reason]:
    out = []
    for rule in data.rules.dated_rules:
        if (
            any(eccn.within(ECCN.parse(e)) for e in rule.eccns)
            and rule.period.start
            and as_of < rule.period.start
        ):
            out.append(
                Reason(
                    f"not_in_force_{rule.id}",
                    Effect.UNDETERMINED,
                    f"As of {as_of}: {rule.text} It was not in force yet, so the item must be "
                    "classified under the text then in force.",
                    rule.citation,
                )
            )
    return out


SUMMARIES = {
    Outcome.YES: "License required (unless a License Exception listed below applies)",
    Outcome.NO: "No license requirement found (subject to the facts given)",
    Outcome.UNKNOWN: "Cannot tell from the facts and data we have: see the undetermined reasons",
}


def determine_us(
    data: ControlData, request: DeterminationRequest, *, as_of: date
) -> tuple[JurisdictionResult, Destination, Item]:
    """Walk the layers of § 736.2 in the order of the module docstring; each stage gives
    its reasons, appended in that order, and the answer combines them."""
    eccn, entry, checked = parse_item(data, request.eccn)
    dest, group_notes = as_of_groups(data, resolve(data, request.destination), as_of)
    if dest.iso2 == "us":
        raise InputError(
            "the destination is the United States: not an export or reexport", source="to"
        )
    is_ear99 = entry is None
    not_in_force = _dated_item_reasons(data, eccn, as_of)
    reasons: list[Reason] = [
        *group_notes,
        *_paragraph_note(data, eccn, entry, checked),
        *not_in_force,
        *_destination_notes(data, dest),
    ]
    embargo_r, embargo = embargo_reasons(
        data, dest, is_ear99=is_ear99, as_of=as_of, food_or_medicine=request.ear99_food_or_medicine
    )
    reasons += embargo_r
    reasons += _embargoed_row_note(data, dest)
    listing_r, conflicts = _listing_layer(data, eccn, entry, dest, as_of, bool(not_in_force))
    reasons += listing_r
    reasons += footnote_reasons(
        data, eccn, dest, embargo_in_force=_embargo_in_force(embargo, embargo_r)
    )
    reasons += end_use_reasons(
        data,
        request.end_use,
        dest,
        is_ear99=is_ear99,
        as_of=as_of,
        food_or_medicine=request.ear99_food_or_medicine,
    )
    end_user_r, findings = _end_user_layer(data, request, dest, is_ear99=is_ear99)
    reasons += end_user_r
    outcome = _combine(reasons)
    exceptions: tuple[dict[str, str], ...] = ()
    if outcome is Outcome.NO:
        reasons.append(_no_x_caveat(data))
    else:
        blocked = _end_user_blocks_exceptions(findings)
        exceptions = exceptions_to_examine(
            data, entry, dest, embargo, blocked_by_end_user=blocked, eccn=eccn
        )
    result = JurisdictionResult(
        "US-EAR",
        outcome,
        SUMMARIES[outcome],
        tuple(reasons),
        exceptions,
        tuple(conflicts),
        tuple(findings),
    )
    return result, dest, _item(eccn, entry, checked)


# ---------------------------------------------------------------- the stages, in order


def _paragraph_note(
    data: ControlData, eccn: ECCN, entry: ControlEntry | None, checked: bool
) -> list[Reason]:
    """Layer 1: a paragraph the CCL data cannot check is said so."""
    if checked:
        return []
    return [
        Reason(
            "paragraph_unchecked",
            Effect.INFO,
            f"Paragraph {eccn} could not be checked: the CCL data hold item text only for "
            "categories 1, 3, 4 and 5.",
            entry.citation if entry else data.chart.citation,
        )
    ]


def _destination_notes(data: ControlData, dest: Destination) -> list[Reason]:
    """No Country Chart row is undetermined (§ 738.3(b)); a territory names its row."""
    if dest.row is None:
        return [
            Reason(
                "no_chart_row",
                Effect.UNDETERMINED,
                f"{dest.name} has no Country Chart row and no territory rule in the EAR text we "
                "hold (§ 738.3(b)); indeterminate, not unrestricted.",
                data.chart.citation,
            )
        ]
    if dest.territory_basis:
        return [
            Reason(
                "territory",
                Effect.INFO,
                f"{dest.name} is governed by the row for {dest.row_name}: {dest.territory_basis}",
                data.chart.citation,
            )
        ]
    return []


def _embargoed_row_note(data: ControlData, dest: Destination) -> list[Reason]:
    """Layer 2: an embargoed row has no marks, which must not read as clearance."""
    if not dest.embargo_pointer:
        return []
    return [
        Reason(
            "embargoed_row",
            Effect.INFO,
            f"{dest.name}: {dest.embargo_pointer} The row has no marks; absence of an X "
            "carries no permissive meaning.",
            data.chart.citation,
        )
    ]


def _listing_layer(
    data: ControlData,
    eccn: ECCN,
    entry: ControlEntry | None,
    dest: Destination,
    as_of: date,
    not_in_force: bool,
) -> tuple[list[Reason], list[dict[str, object]]]:
    """Layers 3 and 4: licence-everywhere entries and the Country Chart, skipped for a
    date before the entry existed; EAR99 has no chart requirement."""
    if entry is not None and not_in_force:
        skipped = Reason(
            "chart_skipped",
            Effect.INFO,
            "The License Requirements lines of the current text are not applied to a date "
            "before the entry or paragraph existed.",
            entry.citation,
        )
        return [skipped], []
    if entry is not None:
        chart_r, conflicts = chart_reasons(data, eccn, entry, dest, as_of)
        return [*all_destination_reasons(data, eccn), *chart_r], conflicts
    ear99 = Reason(
        "ear99",
        Effect.INFO,
        "EAR99: subject to the EAR but not on the CCL; no Country Chart requirement. "
        "Embargoes, end-use and end-user rules still apply.",
        Citation("15 CFR", "§ 734.3(c); § 738.4(a)", data.chart.citation.date),
    )
    return [ear99], []


def _embargo_in_force(embargo: Embargo | None, embargo_r: Sequence[Reason]) -> bool:
    """Whether the destination's embargo applies to this item (layer 5 reads it)."""
    return embargo is not None and any(
        r.code == f"embargo_{embargo.id}" and r.effect is not Effect.INFO for r in embargo_r
    )


def _end_user_layer(
    data: ControlData, request: DeterminationRequest, dest: Destination, *, is_ear99: bool
) -> tuple[list[Reason], list[EndUserFinding]]:
    """Layer 6, the end user: unscreened is undetermined; hits become findings."""
    cite_gp4 = Citation("15 CFR", "§ 736.2(a)(3); parts 744 and 764", data.chart.citation.date)
    if not request.end_user:
        note = Reason(
            "end_user_not_given",
            Effect.INFO,
            "No end user given: part 744 end-user rules were not checked.",
            cite_gp4,
        )
        return [note], []
    if request.end_user_hits is None:
        text = (
            f"End user {request.end_user!r} was not screened: end-user screening unavailable"
            if request.screening_unavailable
            else f"End user {request.end_user!r} was not screened"
        )
        unscreened = Reason(
            "end_user_unscreened",
            Effect.UNDETERMINED,
            text + "; Entity List, MEU, UVL, DPL and SDN rules could not be checked.",
            cite_gp4,
        )
        return [unscreened], []
    floor = request.end_user_review_floor
    findings = apply_hits(
        data.rules,
        request.end_user_hits,
        is_ear99=is_ear99,
        destination_row=dest.row,
        review_floor=floor,
    )
    reasons = [r for f in findings for r in f.reasons]
    if not any(h.match or in_review_band(h, floor) for h in request.end_user_hits):
        reasons.append(
            Reason(
                "end_user_clear",
                Effect.NO_REQUIREMENT,
                f"End user {request.end_user!r}: no screening match.",
                cite_gp4,
            )
        )
    return reasons, findings


def _no_x_caveat(data: ControlData) -> Reason:
    """A "no" always carries the chart's caveat (§ 738.4(a)(2)(ii)(B))."""
    return Reason(
        "no_x_caveat",
        Effect.INFO,
        "No license requirement found in the layers checked. " + data.chart.no_mark_caveat,
        Citation("15 CFR", "§ 738.4(a)(2)(ii)(B)", data.chart.citation.date),
    )


def _end_user_blocks_exceptions(findings: Sequence[EndUserFinding]) -> bool:
    """An end-user finding that requires, conditions or leaves open blocks the exceptions
    its list rules out."""
    open_effects = (Effect.REQUIRES, Effect.UNDETERMINED, Effect.CONDITION)
    return any(
        f.blocks_exceptions and any(r.effect in open_effects for r in f.reasons) for f in findings
    )


def _item(eccn: ECCN, entry: ControlEntry | None, checked: bool) -> Item:
    heading = entry.heading if entry else "EAR99 (subject to the EAR, not listed on the CCL)"
    return Item(str(eccn), heading, entry.reasons if entry else (), checked)
