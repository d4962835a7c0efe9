"""The layers of a US determination other than the chart: Part 746 embargoes, the
§ 738.3(a)(1) all-destination entries, chart footnotes and declared end uses.

Each function returns reasons; none returns a bare boolean, so the caller can always
show which rule said what and on what text.
"""

from __future__ import annotations

import re
from datetime import date

from dualuse.controls.data import ControlData
from dualuse.controls.destinations import Destination, in_groups
from dualuse.controls.model import Citation, Effect, Reason
from dualuse.controls.rules import Embargo, EndUseRule
from dualuse.reference.ids.eccn import ECCN


def _scope_effect(
    scope: str, *, is_ear99: bool, food_or_medicine: bool | None
) -> tuple[Effect, str]:
    if scope == "all_items":
        return Effect.REQUIRES, ""
    if scope == "ccl_items":
        return (Effect.REQUIRES, "") if not is_ear99 else (Effect.UNDETERMINED, "EAR99 item: ")
    if scope == "all_items_except_ear99_food_medicine":
        if not is_ear99:
            return Effect.REQUIRES, ""
        if food_or_medicine is None:
            return (
                Effect.UNDETERMINED,
                "EAR99 item: whether it is food or medicine decides (give "
                "ear99_food_or_medicine). ",
            )
        return (
            (Effect.NO_REQUIREMENT, "EAR99 food or medicine: ")
            if food_or_medicine
            else (Effect.REQUIRES, "")
        )
    if scope == "supp2_part744":
        return (
            Effect.UNDETERMINED,
            "Whether the item is listed in supplement no. 2 to part 744 (not in our data) "
            "decides. ",
        )
    return Effect.UNDETERMINED, f"Scope {scope!r} cannot be evaluated with our data. "


def embargo_reasons(
    data: ControlData,
    dest: Destination,
    *,
    is_ear99: bool,
    as_of: date,
    food_or_medicine: bool | None,
) -> tuple[list[Reason], Embargo | None]:
    embargo = data.rules.embargo_for(dest.row or dest.iso2)
    if embargo is None:
        return [], None
    start = embargo.period.start
    if start is not None and as_of < start:
        if embargo.earlier and not (embargo.earlier_from and as_of < embargo.earlier_from):
            return [
                Reason(
                    f"embargo_{embargo.id}",
                    Effect.UNDETERMINED,
                    f"{embargo.programme}: as of {as_of} the rule recorded from {start} was not "
                    f"yet in force. {embargo.earlier}",
                    embargo.citation,
                    jurisdiction="US-EAR",
                )
            ], embargo
        return [
            Reason(
                f"embargo_{embargo.id}",
                Effect.INFO,
                f"{embargo.programme}: the rule recorded from {start} was not in force on "
                f"{as_of}; earlier rules are not recorded.",
                embargo.citation,
            )
        ], embargo
    effect, prefix = _scope_effect(
        embargo.scope, is_ear99=is_ear99, food_or_medicine=food_or_medicine
    )
    text = f"{prefix}{embargo.programme}: {embargo.text}"
    if is_ear99 and embargo.ear99 == "hts_supplements":
        text += " The supplements are not in our data, so the item's HTS-6 code decides."
    reasons = [
        Reason(
            f"embargo_{embargo.id}",
            effect,
            text,
            embargo.citation,
            detail={"programme": embargo.programme},
        )
    ]
    if is_ear99 and embargo.ear99_basis is not None:
        basis_text, basis_cite = embargo.ear99_basis
        reasons.append(
            Reason(
                f"embargo_{embargo.id}_ear99_basis",
                effect,
                basis_text,
                basis_cite,
                jurisdiction="US-OFAC",
            )
        )
    reasons += [
        Reason(
            f"embargo_{embargo.id}_source", Effect.INFO, f"{embargo.programme}: further source.", c
        )
        for c in embargo.also
    ]
    return reasons, embargo


def all_destination_reasons(data: ControlData, eccn: ECCN) -> list[Reason]:
    """§ 738.3(a)(1): entries that need a licence to every destination."""
    spec = data.chart.all_destinations
    cite = Citation("15 CFR", "§ 738.3(a)(1)", data.chart.citation.date)
    listed = [*spec.get("noLicenceExceptions", []), *(spec.get("govOnly") or {}).get("entries", [])]
    out = []
    for text in listed:
        head = text.split(" (", 1)[0].strip()
        target = ECCN.normalize(head)
        if target is None or (
            not eccn.within(ECCN.parse(target)) and not ECCN.parse(target).within(eccn)
        ):
            continue
        conditional = "(" in text
        exact = eccn.within(ECCN.parse(target)) and not conditional
        out.append(
            Reason(
                "all_destinations",
                Effect.REQUIRES if exact else Effect.UNDETERMINED,
                f"{text}: a license is required for all destinations; the Country Chart does not "
                f"apply ({spec.get('licensingPolicy', '')})",
                cite,
            )
        )
    return out


_ECCN_REF = re.compile(r"\b(\d[A-E]\d{3}(?:\.[a-z0-9]{1,2})*)")


def footnote_reasons(
    data: ControlData, eccn: ECCN, dest: Destination, *, embargo_in_force: bool = False
) -> list[Reason]:
    """Footnotes of the destination's row. Footnote 1 (UN sanctions, § 746.1(b)) is
    left to the Part 746 section when one is recorded and in force for the destination,
    since that section states the destination's license requirements in full."""
    out = []
    cite_chart = Citation("15 CFR", "Supp. No. 1 to Part 738", data.chart.citation.date)
    for number in dest.footnotes:
        text = data.chart.footnotes.get(number, "")
        rule = data.rules.footnotes.get(number)
        if rule is not None and rule.effect == "review" and not embargo_in_force:
            out.append(
                Reason(
                    f"footnote_{number}",
                    Effect.UNDETERMINED,
                    f"Footnote {number} for {dest.name}: {rule.text}",
                    rule.citation,
                )
            )
        elif rule is not None and rule.effect == "warn":
            out.append(
                Reason(
                    f"footnote_{number}",
                    Effect.INFO,
                    f"Footnote {number}: {rule.text} If the destination is one of these regions, "
                    "a license is required.",
                    rule.citation,
                )
            )
        elif number in (7, 10):
            out += _listed_footnote(number, text, eccn, cite_chart)
        elif number in (2, 3, 4) and (
            (number == 3 and eccn.base == "0A919")
            or (number in (2, 4) and eccn.base.startswith("6A003"))
        ):
            out.append(
                Reason(
                    f"footnote_{number}",
                    Effect.UNDETERMINED,
                    f"Footnote {number}: {text}",
                    cite_chart,
                )
            )
    return out


def _listed_footnote(number: int, text: str, eccn: ECCN, cite: Citation) -> list[Reason]:
    """Footnotes 7 and 10 list ECCNs; a listing followed by words ("for shotguns with
    a barrel length less than 18 inches", "(except ...)") is a condition we cannot
    check, so it answers "unknown"; a bare listing requires a licence."""
    body = text.split(":", 1)[1] if number == 10 and ":" in text else text
    for chunk in re.split(r",\s*(?=\d[A-E]\d{3})", body):
        m = _ECCN_REF.search(chunk)
        if not m or not ECCN.is_valid(m.group(1)):
            continue
        listed = ECCN.parse(m.group(1))
        rest = chunk[m.end() :].strip(" .;")
        rest = re.sub(r"^(and|or)\b", "", rest).strip()
        siblings = re.findall(r"\.([a-z])\b", rest)
        targets = [listed, *(ECCN(listed.base, (*listed.paragraphs[:-1], p)) for p in siblings)]
        conditional = bool(re.sub(r"\band\b|\.[a-z]\b|[ ,.]", "", rest))
        if number == 7:
            conditional = "RS column 2" not in text or not eccn.within(listed)
        if any(eccn.within(t) for t in targets):
            effect = Effect.UNDETERMINED if conditional else Effect.REQUIRES
            return [Reason(f"footnote_{number}", effect, f"Footnote {number}: {text}", cite)]
        if any(t.within(eccn) for t in targets) or (
            listed.base == eccn.base and not eccn.paragraphs
        ):
            return [
                Reason(
                    f"footnote_{number}",
                    Effect.UNDETERMINED,
                    f"Footnote {number} names paragraphs of {eccn.base}; the paragraph decides: "
                    f"{text}",
                    cite,
                )
            ]
    return []


def _end_use_matches(rule: EndUseRule, dest: Destination) -> bool:
    return (
        rule.worldwide or (dest.row or dest.iso2) in rule.countries or in_groups(dest, rule.groups)
    )


def end_use_reasons(
    data: ControlData,
    end_use: str | None,
    dest: Destination,
    *,
    is_ear99: bool,
    as_of: date,
    food_or_medicine: bool | None,
) -> list[Reason]:
    cite_gp5 = Citation(
        "15 CFR", "§ 736.2(b)(5) (General Prohibition Five); part 744", data.chart.citation.date
    )
    if end_use is None:
        return [
            Reason(
                "end_use_not_declared",
                Effect.INFO,
                "No end use declared: treated as no declared part 744 end use. Declare one "
                "(military, military-intelligence, nuclear, missile, chemical-biological, wmd) "
                "if known.",
                cite_gp5,
            )
        ]
    if end_use == "none":
        return [
            Reason(
                "end_use_none",
                Effect.INFO,
                "Declared end use: none of the part 744 end uses.",
                cite_gp5,
            )
        ]
    uses = ("nuclear", "missile", "chemical-biological") if end_use == "wmd" else (end_use,)
    out = []
    for use in uses:
        rules = data.rules.end_uses.get(use, ())
        matched = False
        for rule in rules:
            if not _end_use_matches(rule, dest):
                continue
            if rule.period.start and as_of < rule.period.start:
                continue
            matched = True
            effect, prefix = _scope_effect(
                rule.scope, is_ear99=is_ear99, food_or_medicine=food_or_medicine
            )
            out.append(
                Reason(
                    f"end_use_{use}",
                    effect,
                    f"{prefix}Declared {use} end use: {rule.text}",
                    rule.citation,
                )
            )
        if not matched:
            elsewhere = next((r.elsewhere for r in rules if r.elsewhere), "")
            if elsewhere:
                out.append(
                    Reason(
                        f"end_use_{use}",
                        Effect.UNDETERMINED,
                        f"Declared {use} end use for {dest.name}: {elsewhere}",
                        rules[0].citation,
                    )
                )
            elif use == "military" and (dest.row or dest.iso2) in {"mm", "kh", "ni"}:
                out.append(
                    Reason(
                        f"end_use_{use}",
                        Effect.UNDETERMINED,
                        f"Declared military end use for {dest.name}: § 744.21 is reported to "
                        "cover it since 2024, but that text is not in our sources.",
                        cite_gp5,
                    )
                )
            else:
                cite = rules[0].citation if rules else cite_gp5
                out.append(
                    Reason(
                        f"end_use_{use}",
                        Effect.NO_REQUIREMENT,
                        f"Declared {use} end use: the part 744 rule we hold does not reach "
                        f"{dest.name}.",
                        cite,
                    )
                )
    return out
