"""End-user rules applied to screening hits (15 CFR part 744, § 736.2(b)(4), OFAC).

Screening (fuzzy name matching) happens elsewhere; this module takes its hits
(:class:`~dualuse.model.screening.MatchResult`) and turns each list a hit comes from into
the rule that list carries: the Entity List entry's own license requirement and review
policy, the MEU rule, the Unverified List's statement and exception bar, a denial order,
an OFAC blocking programme and the EAR sections that mirror it. A hit within the review
band under the match threshold makes the answer "unknown", naming the hit and the rule
that applies if it is the same party; hits further below are shown for information.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dualuse.controls.model import Citation, Effect, Reason
from dualuse.controls.rules import RuleBook
from dualuse.model.screening import MatchResult

_ALL_ITEMS = re.compile(r"^\s*(for\s+)?all\s+items\s+subject\s+to\s+the\s+ear\b", re.I)
_PROJECTS = re.compile(r"when used in projects", re.I)
_SUPP7 = re.compile(r"supplement no\. 7 to part 746", re.I)


@dataclass(frozen=True, slots=True)
class EndUserFinding:
    """One hit with the rule applied to it."""

    list_name: str
    entry_name: str
    matched_name: str
    score: float
    license_requirement: str | None
    license_policy: str | None
    programs: tuple[str, ...]
    reasons: tuple[Reason, ...]
    blocks_exceptions: bool


def _list_key(rules: RuleBook, hit: MatchResult) -> str | None:
    label = f"{hit.sublist or ''} {hit.list_id}"
    for key, rule in rules.end_user_lists.items():
        if rule.match.lower() in label.lower() or (
            not hit.sublist and hit.list_id in rule.list_ids
        ):
            return key
    return None


def _entity_list(rules: RuleBook, hit: MatchResult, is_ear99: bool) -> tuple[list[Reason], bool]:
    rule = rules.end_user_lists["entity_list"]
    requirement = (hit.license_requirement or "").strip()
    policy = (hit.license_policy or "").strip() or "not stated in the list entry"
    detail = {"license_requirement": requirement, "license_policy": policy, "entry": hit.name}
    cite = rule.citation
    if _ALL_ITEMS.match(requirement) and not _PROJECTS.search(requirement):
        text = (
            f"Entity List party {hit.name!r}: license required for all items subject to the EAR; "
            f"review policy: {policy}. {rule.text}"
        )
        return [Reason("entity_list", Effect.REQUIRES, text, cite, detail=detail)], True
    if _SUPP7.search(requirement):
        if is_ear99 and "EAR99" not in requirement:
            # A sibling entry reads "items on the CCL and EAR99 items listed in supplement
            # no. 7"; no source says this wording excludes EAR99 items.
            text = (
                f"Entity List party {hit.name!r}: requirement reads {requirement!r}; whether it "
                "reaches an EAR99 item is not settled by a source we hold (other entries name "
                "'EAR99 items listed in supplement no. 7' expressly). The deciding fact is the "
                "item's HTS-6 code: if it is listed in supplement no. 7 to part 746 (not in our "
                f"data), a license may be required; review policy: {policy}."
            )
            return [Reason("entity_list", Effect.UNDETERMINED, text, cite, detail=detail)], True
        text = (
            f"Entity List party {hit.name!r}: license required if the item is listed in "
            "supplement no. 7 to part 746 (not in our data, so the HTS-6 code decides); review "
            f"policy: {policy}."
        )
        return [Reason("entity_list", Effect.UNDETERMINED, text, cite, detail=detail)], True
    text = (
        f"Entity List party {hit.name!r}: license requirement reads {requirement or '(empty)'!r}; "
        f"it depends on facts we do not have; review policy: {policy}."
    )
    return [Reason("entity_list", Effect.UNDETERMINED, text, cite, detail=detail)], True


def _sdn(rules: RuleBook, hit: MatchResult) -> list[Reason]:
    rule = rules.end_user_lists["sdn"]
    programs = tuple(hit.programs)
    out = [
        Reason(
            "ofac_sdn",
            Effect.REQUIRES,
            f"OFAC SDN {hit.name!r} (programmes: {', '.join(programs) or 'none given'}): "
            f"{rule.text}",
            rule.citation,
            jurisdiction="US-OFAC",
            detail={"programs": ", ".join(programs)},
        )
    ]
    for tag, cite in rules.sdn_programmes.items():
        if any(tag == p.strip("[] ").upper() for p in programs):
            out.append(
                Reason(
                    f"sdn_{tag.lower()}",
                    Effect.REQUIRES,
                    f"[{tag}] party: a license is required for the export or reexport of any "
                    "item subject to the EAR.",
                    cite,
                )
            )
    return out


def _meu(
    rules: RuleBook, hit: MatchResult, is_ear99: bool, destination_row: str | None
) -> list[Reason]:
    rule = rules.end_user_lists["meu"]
    if destination_row in {"ru", "by"} and not is_ear99:
        text = (
            f"MEU {hit.name!r} in Russia/Belarus: military end user controls cover all items "
            "subject to the EAR except EAR99 food and medicine (§ 744.21)."
        )
        return [Reason("meu", Effect.REQUIRES, text, rule.citation)]
    text = (
        f"MEU {hit.name!r}: {rule.text} Supplement no. 2 to part 744 is not in our data, so "
        "the item's listing there decides."
    )
    return [Reason("meu", Effect.UNDETERMINED, text, rule.citation)]


# Lists whose rule is the same for every party: (reason code, effect, wording).
FIXED_RULES = {
    "uvl": ("uvl", Effect.CONDITION, "Unverified List party {name!r}: {text}"),
    "dpl": (
        "denied_person",
        Effect.REQUIRES,
        "Denied person {name!r}: {text} Only BIS can authorise dealings with the person.",
    ),
}


def _hit_reasons(
    rules: RuleBook, hit: MatchResult, is_ear99: bool, destination_row: str | None
) -> tuple[list[Reason], bool]:
    """The reasons one matching hit adds, and whether it bars licence exceptions."""
    key = _list_key(rules, hit)
    if key == "entity_list":
        return _entity_list(rules, hit, is_ear99)
    if key == "meu":
        return _meu(rules, hit, is_ear99, destination_row), True
    if key in FIXED_RULES:
        code, effect, wording = FIXED_RULES[key]
        rule = rules.end_user_lists[key]
        return [
            Reason(code, effect, wording.format(name=hit.name, text=rule.text), rule.citation)
        ], True
    if key == "sdn":
        return _sdn(rules, hit), True
    text = (
        f"Listed on {hit.sublist or hit.list_id} as {hit.name!r} (programmes: "
        f"{', '.join(hit.programs) or 'none'}); this list carries no EAR license rule we can "
        "apply, so a person must review the restriction it imposes."
    )
    cite = Citation("CSL", hit.sublist or hit.list_id, hit.list_version, hit.source_url or "")
    return [Reason("other_list", Effect.UNDETERMINED, text, cite)], False


def in_review_band(hit: MatchResult, review_floor: float | None) -> bool:
    """A hit under the match threshold but close enough that it may be the same party.

    ``review_floor`` ``None`` means the threshold is not known, so every near miss is
    treated as in the band (a gap is never a "no")."""
    return not hit.match and (review_floor is None or hit.score >= review_floor)


def _near_miss(
    rules: RuleBook, hit: MatchResult, is_ear99: bool, destination_row: str | None
) -> list[Reason]:
    """A hit in the review band: the answer is unknown until a person rules the hit out,
    and the text says which rule applies if it is the same party."""
    applied = _hit_reasons(rules, hit, is_ear99, destination_row)[0]
    if_same = "; ".join(r.text for r in applied)
    text = (
        f"Possible match {hit.name!r} on {hit.sublist or hit.list_id} (score {hit.score:.2f}, "
        "within the review band under the match threshold): a person must rule it out before "
        f"the answer can be 'no'. If it is the same party: {if_same}"
    )
    cite = applied[0].citation
    detail = {"list": hit.sublist or hit.list_id, "entry": hit.name, "score": f"{hit.score:.3f}"}
    return [Reason("screening_review_band", Effect.UNDETERMINED, text, cite, detail=detail)]


def apply_hits(
    rules: RuleBook,
    hits: Sequence[MatchResult],
    *,
    is_ear99: bool,
    destination_row: str | None,
    review_floor: float | None = None,
) -> list[EndUserFinding]:
    """The rule of every matching hit; a near miss within the review band (score at or
    above ``review_floor``) makes the answer unknown; other hits are information."""
    findings = []
    for hit in hits:
        if hit.match:
            reasons, blocks = _hit_reasons(rules, hit, is_ear99, destination_row)
        elif in_review_band(hit, review_floor):
            reasons, blocks = _near_miss(rules, hit, is_ear99, destination_row), True
        else:
            text = (
                f"Possible match {hit.name!r} (score {hit.score:.2f}) below the review band; "
                "shown for information."
            )
            cite = Citation("dualuse", "screening result", "", hit.list_id)
            reasons, blocks = [Reason("screening_below_threshold", Effect.INFO, text, cite)], False
        findings.append(
            EndUserFinding(
                list_name=hit.sublist or hit.list_id,
                entry_name=hit.name,
                matched_name=hit.matched_name,
                score=hit.score,
                license_requirement=hit.license_requirement,
                license_policy=hit.license_policy,
                programs=tuple(hit.programs),
                reasons=tuple(reasons),
                blocks_exceptions=blocks,
            )
        )
    return findings
