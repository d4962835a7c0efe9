"""EU: the factors of Art. 4 of Regulation (EU) 2019/452 as a cited checklist.

The Regulation sets no filing duty of its own: Member States decide whether to screen
(Art. 1(3), 3(1)). The answer says whether the deal is a foreign direct investment
(Art. 2(1)-(2)) and which Art. 4 factors the facts show: ``factors_present``,
``no_factors_identified`` (every factor answered no), ``not_covered`` or ``unknown``.
Regulation (EU) 2026/1386 replaces it from about January 2028; its text is not held.
"""

from __future__ import annotations

from dualuse.investment import reference as ref
from dualuse.investment.logic import (
    Findings,
    RegimeResult,
    Trace,
    Tri,
    finish,
    gt,
    k_and,
    k_any,
    k_or,
)
from dualuse.investment.model import DealFacts

REGIME = "eu_fdi"
TECH_ACTIVITIES = frozenset(ref.ACTIVITIES)
MANAGEMENT_RIGHTS = frozenset(
    {"control", "board_seat", "involvement_in_decisions", "material_influence"}
)


def assess(facts: DealFacts, find: Findings) -> RegimeResult:
    t = Trace()
    inv, tgt, txn = facts.investor, facts.target, facts.transaction
    members = find.eu_member_states
    third = t.ask(
        "foreign_investor",
        "Is the investor a natural person or undertaking of a third country?",
        None if inv.country is None else inv.country not in members,
        f"Investor organised in {(inv.country or '?').upper()}.",
        ref.eu("2(2), (7)"),
        missing=["investor.country"],
    )
    states = tgt.eu.member_states if tgt.eu else None
    in_union = k_or(
        None if tgt.country is None else tgt.country in members,
        None if states is None else any(m in members for m in states),
    )
    t.ask(
        "in_union",
        "Does the target carry on an economic activity in a Member State?",
        in_union,
        f"Target organised in {(tgt.country or '?').upper()}; Member States of activity: {states}.",
        ref.eu("2(1)"),
        missing=["target.eu.member_states"],
    )
    rights = txn.rights
    management: Tri = None if rights is None else bool(MANAGEMENT_RIGHTS & set(rights))
    links = k_or(txn.lasting_and_direct_links, management)
    fdi = t.ask(
        "fdi",
        "Is it a foreign direct investment (lasting and direct links, or effective "
        "participation in management or control)?",
        k_and(third, in_union, links),
        f"Lasting and direct links stated: {txn.lasting_and_direct_links}; rights: {rights}.",
        ref.eu("2(1)"),
        missing=["transaction.lasting_and_direct_links"] if links is None else [],
    )
    if fdi is False:
        return finish(
            REGIME,
            "not_covered",
            "Not a foreign direct investment into the Union under Art. 2.",
            t,
            gaps=_gaps(),
        )
    eu_facts = tgt.eu
    spd = tgt.sensitive_personal_data
    tech_items: Tri = None if find.items is None else k_any(i.eu_listed for i in find.items)
    acts = tgt.stated_activities
    tech_acts: Tri = None if acts is None else bool(TECH_ACTIVITIES & set(acts))
    ai: Tri = True if tgt.ai is not None else (None if acts is None else False)
    quantum: Tri = None
    if tgt.quantum is not None:
        q = tgt.quantum
        quantum = k_or(
            q.develops_quantum_computer,
            q.produces_critical_components,
            q.communication,
            None if q.sensing_end_use is None else q.sensing_end_use != "none",
        )
    gov: Tri = None
    if inv.government_ownership is not None:
        gov = any(g.percent > 50 and g.country not in members for g in inv.government_ownership)
    gov = k_or(gov, inv.government_end_user)
    listed = find.listed("investor", inv.restricted_lists, ref.RESTRICTED_LISTS)
    checklist: list[tuple[str, str, str, Tri, list[str]]] = [
        (
            "4(1)(a)",
            "critical_infrastructure",
            "Effects on critical infrastructure (energy, transport, water, health, communications, "
            "media, data, aerospace, defence, electoral or financial infrastructure)?",
            eu_facts.critical_infrastructure if eu_facts else None,
            ["target.eu.critical_infrastructure"],
        ),
        (
            "4(1)(b)",
            "critical_technologies",
            "Critical technologies or dual-use items (EU Annex I items; AI, robotics, "
            "semiconductors, cybersecurity, aerospace, defence, quantum, nuclear...)?",
            k_or(tech_items, tech_acts, quantum, ai),
            ["target.items", "target.activities"],
        ),
        (
            "4(1)(c)",
            "critical_inputs",
            "Supply of critical inputs (energy, raw materials, food security)?",
            eu_facts.critical_inputs if eu_facts else None,
            ["target.eu.critical_inputs"],
        ),
        (
            "4(1)(d)",
            "sensitive_information",
            "Access to sensitive information, including personal data?",
            None if spd is None else k_or(spd.genetic, gt(spd.individuals, 0)),
            ["target.sensitive_personal_data"],
        ),
        (
            "4(1)(e)",
            "media",
            "Freedom and pluralism of the media?",
            eu_facts.media if eu_facts else None,
            ["target.eu.media"],
        ),
        (
            "4(2)(a)",
            "government_control",
            "Is the investor controlled by a third-country government (ownership or significant "
            "funding)?",
            gov,
            ["investor.government_ownership"],
        ),
        (
            "4(2)(b)",
            "prior_involvement",
            "Has the investor been involved in activities affecting security or public order in a "
            "Member State?",
            inv.eu.prior_security_involvement if inv.eu else None,
            ["investor.eu.prior_security_involvement"],
        ),
        (
            "4(2)(c)",
            "illegal_activities",
            "Is there a serious risk that the investor engages in illegal or criminal activities "
            "(restricted-party listings are an indication)?",
            k_or(inv.eu.serious_risk_illegal_activities if inv.eu else None, listed),
            ["investor.eu.serious_risk_illegal_activities"],
        ),
    ]
    present = k_any(value for _a, _c, _q, value, _m in checklist)
    for article, code, question, value, missing in checklist:
        needed = missing if present is None else []  # one factor present settles the list
        t.ask(code, question, value, "", ref.eu(article), missing=needed, level=1)
    if fdi is True and present is True:
        return finish(
            REGIME,
            "factors_present",
            "A foreign direct investment with Art. 4 factors present: a Member State screening it "
            "may weigh them; whether it must be notified depends on the Member State's own "
            "mechanism (not held).",
            t,
            gaps=_gaps(),
        )
    if fdi is True and present is False:
        return finish(
            REGIME,
            "no_factors_identified",
            "A foreign direct investment with none of the Art. 4 factors shown by the facts.",
            t,
            gaps=_gaps(),
        )
    return finish(
        REGIME,
        "unknown",
        "The facts given do not settle whether it is a foreign direct investment or which factors "
        "apply.",
        t,
        gaps=_gaps(),
    )


def _gaps() -> tuple[str, ...]:
    return (
        "Member-State screening mechanisms (e.g. Germany's AWV, France's Code monétaire et "
        "financier) are not held: whether a filing is mandatory is not answered.",
        "Regulation (EU) 2026/1386 (mandatory screening in all Member States, minimum sectoral "
        "scope) replaces 2019/452 from about 16 Jan 2028; its text is not held.",
    )
