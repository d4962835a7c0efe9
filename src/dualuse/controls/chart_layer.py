"""The Country Chart layer of a US EAR determination (15 CFR 736.2, step 4): the
License Requirements lines of a CCL entry against the destination's Country Chart row
(§ 738.4(a)(2)), or their special destination rules (e.g. § 742.6(a)(6) for 3A090),
with the dated history of the October 2023 rule and the AI Diffusion conflict.
Every line leaves a :class:`~dualuse.controls.model.Reason` with its citation."""

from __future__ import annotations

import re
from datetime import date

from dualuse.controls.chart import DestinationRule, parse_destination_rule
from dualuse.controls.data import ControlData
from dualuse.controls.destinations import Destination, in_groups
from dualuse.controls.items import Scope, scope_applies
from dualuse.controls.model import (
    ChartControl,
    ChartRow,
    Citation,
    ControlEntry,
    Effect,
    Outcome,
    Reason,
)
from dualuse.controls.readings import complementary_conditions, every_reading, missing_lines
from dualuse.controls.rs_history import before_2025, conflict_view, is_b_line
from dualuse.controls.rules import Conflict
from dualuse.reference.ids.eccn import ECCN

_POINTER = re.compile(r"see\s+§.*\blicense requirements", re.I)


def _rule_reaches(rule: DestinationRule, dest: Destination) -> bool:
    row = dest.row or dest.iso2
    if rule.kind == "worldwide":
        return row not in rule.excluded_countries and not in_groups(dest, rule.excluded_groups)
    if rule.kind == "listed":
        # A destination named in the text is included as named; the exclusion "any
        # destination also specified in Country Groups ..." qualifies the groups.
        if row in rule.countries:
            return row not in rule.excluded_countries
        hit = in_groups(dest, rule.groups)
        return (
            hit and row not in rule.excluded_countries and not in_groups(dest, rule.excluded_groups)
        )
    return False


def _conflict_for(data: ControlData, eccn: ECCN, control: ChartControl) -> Conflict | None:
    conflict = data.rules.conflicts.get("ai_diffusion")
    if conflict is None:
        return None
    names = [str(eccn), *(control.scope or ())]
    for target in conflict.applies_to:
        if any(
            n == target or n.startswith(target + ".") or (target.startswith(".") and target in n)
            for n in names
        ):
            return conflict
    return None


def chart_reasons(
    data: ControlData, eccn: ECCN, entry: ControlEntry, dest: Destination, as_of: date
) -> tuple[list[Reason], list[dict[str, object]]]:
    """The chart layer for ``eccn``; where only the paragraph (or a word condition that
    the lines split exhaustively) decides, every reading is tried and agreeing readings
    answer."""
    reasons, conflicts = _lines(data, eccn, entry, dest, as_of)
    if any(r.detail.get("paragraph_decides") for r in reasons):
        agreed = every_reading(eccn, entry, dest, lambda e: _lines(data, e, entry, dest, as_of)[0])
        if agreed is not None:
            reasons.append(agreed)
    row = data.chart.rows.get(dest.row) if dest.row else None
    if row is not None and not row.embargo_pointer:
        reasons += complementary_conditions(entry, row, cite_738(data))
    reasons += missing_lines(entry)
    return reasons, conflicts


def cite_738(data: ControlData) -> Citation:
    return Citation("15 CFR", "§ 738.4(a)(2); Supp. No. 1 to Part 738", data.chart.citation.date)


def _lines(
    data: ControlData, eccn: ECCN, entry: ControlEntry, dest: Destination, as_of: date
) -> tuple[list[Reason], list[dict[str, object]]]:
    """Each License Requirements line that reaches the item: chart columns against the
    row, or the line's own destination rule."""
    reasons: list[Reason] = []
    conflicts: list[dict[str, object]] = []
    row = data.chart.rows.get(dest.row) if dest.row else None
    if not entry.controls:
        reasons.append(_no_lines(entry))
    for control in entry.controls:
        scope = scope_applies(eccn, entry, control)
        if scope.applies is Outcome.NO:
            continue
        detail = {"reason_for_control": control.reason, "scope": scope.why}
        if scope.paragraph_decides:
            detail["paragraph_decides"] = "true"
        if control.columns:
            if row is not None and not row.embargo_pointer:
                reasons += _column_reasons(control, scope, detail, row, cite_738(data))
            continue
        line_r, line_c = _rule_line(data, eccn, entry, dest, as_of, control, scope, detail)
        reasons += line_r
        conflicts += line_c
    return reasons, conflicts


def _no_lines(entry: ControlEntry) -> Reason:
    return Reason(
        "no_chart_lines",
        Effect.UNDETERMINED,
        f"{entry.eccn} names no Country Chart column; its License Requirements refer "
        "elsewhere in the EAR (§ 738.4(a)(1)).",
        entry.citation,
    )


def _column_reasons(
    control: ChartControl, scope: Scope, detail: dict[str, str], row: ChartRow, cite: Citation
) -> list[Reason]:
    """One reason per chart column of the line: X requires (or leaves open, when the
    scope is unknown); no X clears, unless the line points to a section we do not hold."""
    reasons = []
    for column in control.columns:
        marked = column in row.marks
        cell = f"{column} × {row.name}: {'X' if marked else 'no X'}"
        where = {**detail, "column": column, "cell": "X" if marked else "no X"}
        head = f"{control.reason} ({scope.why}): {cell}"
        if marked:
            effect = Effect.REQUIRES if scope.applies is Outcome.YES else Effect.UNDETERMINED
            text = f"{head}; a license is required unless a License Exception applies."
            reasons.append(Reason("chart_x", effect, text, cite, detail=where))
        elif _POINTER.search(control.destination_text):
            text = (
                f"{head}, but the line also says {control.destination_text!r}; that section is "
                "not in our data."
            )
            reasons.append(Reason("chart_pointer", Effect.UNDETERMINED, text, cite, detail=where))
        else:
            text = f"{head}."
            reasons.append(Reason("chart_no_x", Effect.NO_REQUIREMENT, text, cite, detail=where))
    return reasons


def _rule_line(
    data: ControlData,
    eccn: ECCN,
    entry: ControlEntry,
    dest: Destination,
    as_of: date,
    control: ChartControl,
    scope: Scope,
    detail: dict[str, str],
) -> tuple[list[Reason], list[dict[str, object]]]:
    """A line with its own destination rule instead of chart columns; before the AI
    Diffusion rule's start, its dated history answers instead."""
    rule = parse_destination_rule(control.reason, control.destination_text)
    cite = Citation(
        "15 CFR",
        f"Supp. No. 1 to Part 774, ECCN {entry.eccn}, License Requirements ({control.reason})",
        entry.citation.date,
    )
    text = f"{control.reason} ({scope.why}): {control.destination_text}"
    conflict = _conflict_for(data, eccn, control) if rule.kind == "worldwide" else None
    ai = data.rules.conflicts.get("ai_diffusion")
    b_line = is_b_line(rule)
    start = ai.period.start if ai is not None else None
    if ai is not None and (conflict is not None or b_line) and start and as_of < start:
        reach = _rule_reaches(rule, dest) if b_line else None
        sources = dict(data.rules.sources)
        return [before_2025(entry, dest, as_of, ai, scope.applies, reach, sources)], []
    if rule.kind in {"worldwide", "listed"}:
        if not _rule_reaches(rule, dest):
            outside = f"{text} — {dest.name} is outside this rule."
            code, effect = "special_rule_not_reached", Effect.NO_REQUIREMENT
            return [Reason(code, effect, outside, cite, detail=detail)], []
        effect = Effect.REQUIRES if scope.applies is Outcome.YES else Effect.UNDETERMINED
        views = [conflict_view(conflict, entry, dest)] if conflict is not None else []
        return [Reason("special_rule", effect, text, cite, detail=detail)], views
    if rule.kind == "un" and 1 in dest.footnotes:
        un = (
            f"{text} {dest.name} carries Country Chart footnote 1 (UN Security Council "
            "sanctions, § 746.1(b)), whose text is not in our data."
        )
        return [Reason("un_sanctions", Effect.UNDETERMINED, un, cite, detail=detail)], []
    if rule.kind == "unread":
        unread = f"{text} (the referenced text is not in our data)."
        return [Reason("special_rule_unread", Effect.UNDETERMINED, unread, cite, detail=detail)], []
    return [], []
