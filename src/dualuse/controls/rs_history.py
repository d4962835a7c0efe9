"""The advanced-computing RS lines (3A090/4A090 .a and .b, the .z paragraphs) before the
January 2025 AI Diffusion rule.

Between the October 2023 rule (88 FR 73458, in force 2023-10-25) and the AI Diffusion
rule (2025-01-13) the RS requirement for the .a and .b paragraphs reached Country Groups
D:1, D:4 and D:5 (not also A:5/A:6) and Macau. We hold the Country Groups of the data's
date only (plus the changes recorded in ``ear_rules.yaml``), and the codified text names
the United Arab Emirates beside those groups, which the 2023 scope did not: for a
destination named that way the 2023 answer depends on group membership we cannot date,
so it is "unknown" (3A090.a and 3A090.b to the UAE on 2024-06-01 must agree, and
never by a silent "no").
"""

from __future__ import annotations

from datetime import date

from dualuse.controls.chart import DestinationRule, parse_destination_rule
from dualuse.controls.destinations import Destination, in_groups
from dualuse.controls.model import Citation, ControlEntry, Effect, Outcome, Reason
from dualuse.controls.rules import Conflict

RULE_2023 = date(2023, 10, 25)
"""88 FR 73458 (published 25 October 2023): 3A090.a/.b split, TPP and performance density."""
D_GROUPS = frozenset({"D:1", "D:4", "D:5"})


def rs_2023(dest: Destination) -> bool:
    """The October 2023 destination scope: D:1, D:4, D:5 not also A:5/A:6, plus Macau."""
    row = dest.row or dest.iso2
    return row == "mo" or (
        in_groups(dest, D_GROUPS) and not in_groups(dest, frozenset({"A:5", "A:6"}))
    )


def is_b_line(rule: DestinationRule) -> bool:
    """The .b-type line: listed countries plus D:1, D:4 and D:5 less A:5/A:6."""
    return rule.kind == "listed" and rule.groups >= D_GROUPS


def named_later(entry: ControlEntry) -> frozenset[str]:
    """Destinations the codified .b-type lines name beside the groups (Macau excepted,
    which the 2023 rule named too)."""
    out: set[str] = set()
    for c in entry.controls:
        rule = parse_destination_rule(c.reason, c.destination_text)
        if is_b_line(rule):
            out |= rule.countries
    return frozenset(out - {"mo"})


def verdict_2023(entry: ControlEntry, dest: Destination) -> Outcome:
    """Did the 2023 scope reach ``dest``? Unknown for a destination the codified text
    names separately (its group history is not in our sources)."""
    reach = rs_2023(dest)
    if not reach and (dest.row or dest.iso2) in named_later(entry):
        return Outcome.UNKNOWN
    return Outcome.YES if reach else Outcome.NO


def before_2025(
    entry: ControlEntry,
    dest: Destination,
    as_of: date,
    conflict: Conflict,
    scope: Outcome,
    codified_reach: bool | None,
    sources: dict[str, str],
) -> Reason:
    """The reason for one .a- or .b-type RS line on a date before the AI Diffusion rule.

    ``codified_reach`` is whether the codified .b-type line reaches ``dest`` (``None``
    for .a-type lines, whose codified text is the worldwide AI Diffusion one)."""
    if as_of < RULE_2023:
        return Reason(
            "rs_history",
            Effect.UNDETERMINED,
            f"As of {as_of}, the earlier 3A090 text (October 2022 rule, 87 FR 62186) applies, "
            "with different parameters and destinations; re-classify under that text.",
            conflict.citations[1],
        )
    cite = Citation("88 FR", "73458", "2023-10-25", sources.get("ref_controls", ""))
    verdict = verdict_2023(entry, dest)
    if verdict is Outcome.UNKNOWN or (
        codified_reach is not None and codified_reach != (verdict is Outcome.YES)
    ):
        return Reason(
            "rs_2023",
            Effect.UNDETERMINED,
            f"As of {as_of} (before the AI Diffusion rule): {conflict.before} By the Country "
            f"Groups of the data's date {dest.name} is not within that scope, but the codified "
            f"text names {dest.name} beside those groups; when that text and {dest.name}'s "
            "group membership changed is not in our sources, so the answer for this date "
            "rests on the groups of the data's date and cannot be told.",
            cite,
        )
    reach = verdict is Outcome.YES
    effect = (
        Effect.REQUIRES
        if reach and scope is Outcome.YES
        else (Effect.UNDETERMINED if reach else Effect.NO_REQUIREMENT)
    )
    return Reason(
        "rs_2023",
        effect,
        f"As of {as_of} (before the AI Diffusion rule): {conflict.before} Destination "
        f"{'is' if reach else 'is not'} within that scope (by the Country Groups of the "
        "data's date, with the recorded changes undone).",
        cite,
    )


def conflict_view(conflict: Conflict, entry: ControlEntry, dest: Destination) -> dict[str, object]:
    verdict = verdict_2023(entry, dest)
    under_2023 = {
        Outcome.YES: "license required for this destination",
        Outcome.NO: "no RS license required for this destination (by the Country Groups of "
        "the data's date)",
        Outcome.UNKNOWN: f"cannot tell for {dest.name}: the codified text names it beside "
        "the Country Groups, and its group membership under the 2023 rule is not in our "
        "sources",
    }[verdict]
    return {
        "id": conflict.id,
        "title": conflict.title,
        "codified": conflict.codified,
        "later_official_action": conflict.later,
        "under_october_2023_rule": under_2023 + ". " + conflict.before,
        "shown_answer": "the codified text (license required), because a reported rescission is "
        "not in the CFR we hold",
        "citations": [str(c) for c in conflict.citations],
    }
