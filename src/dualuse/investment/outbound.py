"""US outbound investment, 31 CFR part 850: prohibited, notifiable or not covered.

The walk: U.S. person or its controlled foreign entity (§§ 850.229, 850.206) -> person of a
country of concern (§ 850.221) -> covered activity (§ 850.224 prohibited, § 850.217
notifiable) -> covered foreign person directly or through the 50% revenue, net income,
capex and opex tests (§ 850.209) -> covered transaction (§ 850.210) -> excepted
transaction (§ 850.501) -> prohibited (§ 850.224(l), (m) too) or notifiable within 30 days
of completion (§ 850.404(c)).
"""

from __future__ import annotations

from datetime import timedelta

from dualuse.investment import reference as ref
from dualuse.investment.logic import (
    Findings,
    RegimeResult,
    Trace,
    Tri,
    finish,
    ge,
    gt,
    k_and,
    k_any,
    k_not,
    k_or,
)
from dualuse.investment.model import Business, DealFacts, Investor

REGIME = "us_outbound"
C = ref.cfr850
BEYOND_MINORITY = frozenset(
    {"board_seat", "observer", "control", "mnpti", "involvement_in_decisions", "material_influence"}
)


def _coc(country: str | None) -> Tri:
    return None if country is None else country in ref.COUNTRIES_OF_CONCERN


def _le(value: float | None, limit: float) -> Tri:
    return None if value is None else value <= limit


def _in(values: list[str] | None, wanted: str) -> Tri:
    return None if values is None else wanted in values


def _any_of(values: list[str] | None, wanted: frozenset[str]) -> Tri:
    return None if values is None else bool(wanted & set(values))


def activity(b: Business, inv: Investor, meets_3a090a: Tri, t: Trace, path: str) -> tuple[Tri, Tri]:
    """(prohibited activity, any covered activity) of one entity, each paragraph a step."""
    acts = b.stated_activities
    semi, q, ai = b.semiconductors, b.quantum, b.ai
    special = semi.special_categories if semi else None
    types = semi.ic_types if semi else None
    designs = k_or(_in(acts, "designs integrated circuits"), semi.designs if semi else None)
    fab = k_or(_in(acts, "fabricates integrated circuits"), semi.fabricates if semi else None)
    packs = k_or(
        _in(acts, "packages integrated circuits"),
        semi.packages if semi else None,
        semi.advanced_packaging if semi else None,
    )
    logic_adv = k_and(
        _in(types, "logic"),
        k_or(
            k_not(semi.planar) if semi else None,
            _le(semi.node_nm if semi else None, 16),
            _in(special, "fdsoi"),
        ),
    )
    advanced_fab = k_or(
        logic_adv,
        k_and(_in(types, "nand"), ge(semi.nand_layers if semi else None, 128)),
        k_and(_in(types, "dram"), _le(semi.dram_half_pitch_nm if semi else None, 18)),
        _any_of(
            special,
            frozenset(
                {"gallium_compound", "graphene_or_carbon_nanotube", "at_or_below_4_5_kelvin"}
            ),
        ),
    )
    develops_ai: Tri = True if ai is not None else _in(acts, "develops AI systems")
    knows = inv.knows_training_compute
    compute = ai.training_compute_ops if ai else None
    bio = ai.trained_mainly_on_biological_sequence_data if ai else None
    sensing = q.sensing_end_use if q else None
    designed = _any_of(ai.designed_for if ai else None, ref.AI_ACUTE)
    exclusive = _any_of(ai.designed_exclusively_for if ai else None, ref.AI_ACUTE)
    if exclusive is None and designed is False:
        exclusive = False  # designed exclusively for an end use implies designed for it
    para: list[tuple[str, str, Tri]] = [
        (
            "850.224(a)",
            "develops EDA software",
            _in(acts, "develops electronic design automation software"),
        ),
        (
            "850.224(b)",
            "develops front-end fabrication, advanced packaging or EUV equipment",
            k_or(
                *(
                    _in(acts, a)
                    for a in (
                        "develops front-end semiconductor fabrication equipment",
                        "develops advanced packaging equipment",
                        "develops extreme ultraviolet lithography items",
                    )
                )
            ),
        ),
        (
            "850.224(c)",
            "designs ICs meeting 3A090.a or for operation at or below 4.5 K",
            k_and(designs, k_or(meets_3a090a, _in(special, "at_or_below_4_5_kelvin"))),
        ),
        (
            "850.224(d)",
            "fabricates advanced ICs (non-planar or 16/14 nm logic, FDSOI, NAND >= 128 layers, "
            "DRAM <= 18 nm, gallium, graphene/CNT, <= 4.5 K)",
            k_and(fab, advanced_fab),
        ),
        (
            "850.224(e)",
            "packages ICs with advanced packaging",
            semi.advanced_packaging if semi else None,
        ),
        (
            "850.224(f)",
            "supercomputers of 100 DP / 200 SP petaflops",
            _in(acts, "develops supercomputers meeting 850.224(f)"),
        ),
        (
            "850.224(g)",
            "develops a quantum computer or its critical components",
            k_or(q.develops_quantum_computer, q.produces_critical_components) if q else None,
        ),
        (
            "850.224(h)",
            "quantum sensing for military, intelligence or mass-surveillance end use",
            None if sensing is None else sensing in ref.AI_ACUTE,
        ),
        (
            "850.224(i)",
            "quantum network or communication system (§ 850.224(i) purposes)",
            q.communication if q else None,
        ),
        (
            "850.224(j)",
            "AI system designed exclusively or intended for military, intelligence or "
            "mass-surveillance end use",
            k_and(develops_ai, k_or(_any_of(ai.end_uses if ai else None, ref.AI_ACUTE), exclusive)),
        ),
        (
            "850.224(k)",
            "AI system trained with > 10^25 operations, or > 10^24 mainly on biological sequence "
            "data",
            k_and(develops_ai, knows, k_or(gt(compute, 1e25), k_and(gt(compute, 1e24), bio))),
        ),
    ]
    notifiable: list[tuple[str, str, Tri]] = [
        ("850.217(a)", "designs any integrated circuit", designs),
        ("850.217(b)", "fabricates any integrated circuit", fab),
        ("850.217(c)", "packages any integrated circuit", packs),
        (
            "850.217(d)",
            "AI system designed for military, intelligence or surveillance use, intended for "
            "cybersecurity, forensics, penetration testing or robot control, or trained with > "
            "10^23 operations",
            k_and(
                develops_ai,
                k_or(
                    k_or(designed, exclusive),
                    _any_of(ai.end_uses if ai else None, ref.AI_NOTIFIABLE_INTENDED),
                    k_and(knows, gt(compute, 1e23)),
                ),
            ),
        ),
    ]
    missing_for = {
        "850.224(a)": [f"{path}.activities"],
        "850.224(b)": [f"{path}.activities"],
        "850.224(c)": [f"{path}.semiconductors.special_categories", "target.items"],
        "850.224(d)": [f"{path}.semiconductors"],
        "850.224(e)": [f"{path}.semiconductors.advanced_packaging"],
        "850.224(f)": [f"{path}.activities"],
        "850.224(g)": [f"{path}.quantum"],
        "850.224(h)": [f"{path}.quantum.sensing_end_use"],
        "850.224(i)": [f"{path}.quantum.communication"],
        "850.224(j)": [f"{path}.ai.end_uses", f"{path}.ai.designed_exclusively_for"],
        "850.224(k)": [f"{path}.ai.training_compute_ops", "investor.knows_training_compute"],
    }
    for section, what, value in para + notifiable:
        if value is not False:
            t.ask(
                "activity",
                f"{path}: {what}?",
                value,
                "",
                C(section),
                missing=missing_for.get(section, [f"{path}.activities"]),
                level=2,
            )
    if compute is not None and knows is False:
        t.note(
            "knowledge",
            "The U.S. person does not know the training compute: the compute thresholds are not "
            "applied at the time of the transaction; learning it later triggers a notification "
            "within 30 days (§ 850.403).",
            C("850.104; § 850.403"),
            level=2,
        )
    prohibited = k_any(v for _s, _w, v in para)
    covered = k_or(prohibited, *(v for _s, _w, v in notifiable))
    t.ask(
        "covered_activity",
        f"Does {path} engage in a covered activity?",
        covered,
        f"Prohibited-tier activity: {prohibited}.",
        C("850.208; § 850.217; § 850.224"),
        level=1,
    )
    return prohibited, covered


def _person_of_coc(facts: DealFacts, t: Trace) -> Tri:
    tgt = facts.target
    gov: Tri = None
    if tgt.government_ownership is not None:
        gov = (
            sum(
                g.percent for g in tgt.government_ownership if g.country in ref.COUNTRIES_OF_CONCERN
            )
            >= 50
        )
    owners: Tri = None
    if tgt.owners is not None and all(o.percent is not None for o in tgt.owners):
        owners = sum(o.percent or 0 for o in tgt.owners if _coc(o.country)) >= 50
    answer = k_or(_coc(tgt.country), _coc(tgt.principal_place_of_business), gov, owners)
    t.note(
        "countries_of_concern",
        "Countries of concern: the People's Republic of China with Hong Kong and Macau (Annex to "
        "E.O. 14105).",
        ref.COUNTRY_OF_CONCERN_CITE,
        level=1,
    )
    return t.ask(
        "person_of_country_of_concern",
        "Is the target a person of a country of concern?",
        answer,
        f"Organised in {(tgt.country or '?').upper()}; principal place of business "
        f"{(tgt.principal_place_of_business or '?').upper()}; country-of-concern government {gov}, "
        f"owners holding 50% or more {owners}.",
        C("850.221(b)-(e)"),
        missing=["target.country", "target.owners", "target.government_ownership"],
    )


def _actor(inv: Investor, t: Trace) -> tuple[Tri, Tri]:
    usp = True if inv.country == "us" else inv.us_person
    t.ask(
        "us_person",
        "Is the investor a U.S. person?",
        usp,
        f"Stated: {inv.us_person}; organised in {(inv.country or '?').upper()}.",
        C("850.229"),
        missing=["investor.us_person"],
    )
    cfe = inv.majority(lambda c: c == "us")
    if usp is not True:
        t.ask(
            "controlled_foreign_entity",
            "Is the investor a controlled foreign entity of a U.S. person (a U.S. parent holding "
            "more than 50%)?",
            cfe,
            "Its U.S. parent must prevent prohibited transactions and notify notifiable ones (§§ "
            "850.302, 850.402).",
            C("850.206; § 850.219"),
            missing=["investor.owners"],
            level=1,
        )
    return usp, cfe


def _kind(facts: DealFacts, t: Trace) -> Tri:
    txn = facts.transaction
    kind: Tri = None
    why = f"Type {txn.type}."
    if txn.type in {
        "equity",
        "acquisition",
        "convertible",
        "joint_venture",
        "greenfield",
        "asset_purchase",
    }:
        kind = True
        why += (
            " Equity, conversion, joint venture or establishing operations in a country of "
            "concern (§ 850.210(a)(1), (3)-(5))."
        )
    elif txn.type == "debt":
        kind = _any_of(txn.rights, frozenset({"board_seat", "profit_interest", "control"}))
        why += " Debt is covered only with equity-like rights (§ 850.210(a)(2))."
    elif txn.type == "lp_interest":
        fund = txn.fund
        kind = (
            None
            if fund is None
            else k_and(k_not(fund.us_person), fund.likely_invests_in_covered_sectors)
        )
        why += (
            " An LP interest in a non-U.S. fund likely to invest in covered foreign persons "
            "(§ 850.210(a)(6)); the target facts describe the fund's investee."
        )
    day = facts.transaction.completed
    in_force: Tri = None if day is None else day >= ref.PART_850_EFFECTIVE
    t.ask(
        "in_force",
        "Is the transaction completed on or after 2 January 2025?",
        in_force,
        f"Completion date: {day}.",
        C("850.101"),
        missing=["transaction.completed"],
    )
    return t.ask(
        "covered_kind",
        "Is it a kind of transaction part 850 covers?",
        k_and(kind, in_force),
        why,
        C("850.210(a)"),
        missing=["transaction.type", "transaction.rights", "transaction.fund"],
    )


def _excepted(facts: DealFacts, t: Trace) -> Tri:
    txn = facts.transaction
    beyond = _any_of(txn.rights, BEYOND_MINORITY)
    public = k_and(txn.publicly_traded, k_not(beyond))
    lp: Tri = False
    if txn.type == "lp_interest":
        agg, own = txn.aggregate_commitment_usd, txn.lp_commitment_usd
        if agg is not None:
            lp = agg <= 2_000_000
        elif own is not None and own > 2_000_000:
            lp = False
        else:
            lp = None
        lp = k_and(lp, k_not(beyond))
    claimed = txn.outbound_exceptions
    stated: Tri = None if claimed is None else bool(claimed)
    answer = k_or(public, lp, stated)
    paragraphs = ", ".join(f"{c} (§ {ref.OUTBOUND_EXCEPTIONS[c]})" for c in claimed or []) or "none"
    return t.ask(
        "excepted_transaction",
        "Is it an excepted transaction?",
        answer,
        f"Publicly traded security without rights beyond minority protections: {public}; LP "
        f"commitment of $2,000,000 or less: {lp}; other exceptions stated: {paragraphs}.",
        C("850.501"),
        missing=[
            "transaction.publicly_traded",
            "transaction.outbound_exceptions",
            "transaction.aggregate_commitment_usd",
        ],
    )


def assess(facts: DealFacts, find: Findings) -> RegimeResult:
    t = Trace()
    inv, tgt, txn = facts.investor, facts.target, facts.transaction
    usp, cfe = _actor(inv, t)
    actor = k_or(usp, cfe)
    if actor is False:
        return finish(
            REGIME,
            "not_covered",
            "Part 850 binds U.S. persons (and, through them, their controlled foreign entities); "
            "the investor is neither.",
            t,
        )
    kind = _kind(facts, t)
    meets_3a090a: Tri = None if find.items is None else any(i.within_3a090a for i in find.items)
    if tgt.semiconductors is not None and tgt.semiconductors.designs is False:
        meets_3a090a = False
    poc = _person_of_coc(facts, t)
    prohibited, covered_act = activity(tgt, inv, meets_3a090a, t, "target")
    direct = k_and(poc, covered_act)
    subs = tgt.subsidiaries
    sub_cfp: Tri = None
    sub_prohibited: Tri = None
    if subs is not None:
        pairs = []
        for i, sub in enumerate(subs):
            p, c = activity(sub, inv, None, t, f"target.subsidiaries[{i}]")
            pairs.append((k_and(_coc(sub.country), c), k_and(_coc(sub.country), p)))
        sub_cfp = k_any(c for c, _p in pairs)
        sub_prohibited = k_any(p for _c, p in pairs)
    share = k_or(
        gt(tgt.country_of_concern_revenue_share, 0.5),
        gt(tgt.country_of_concern_net_income_share, 0.5),
        gt(tgt.country_of_concern_capex_share, 0.5),
        gt(tgt.country_of_concern_opex_share, 0.5),
    )
    indirect = t.ask(
        "fifty_percent_test",
        "Does the target derive more than 50% of revenue or net income, or incur more than 50% of "
        "capex or opex, through covered foreign persons it holds?",
        k_and(sub_cfp, share),
        f"Subsidiaries that are covered foreign persons: {sub_cfp}; shares (fractions): revenue "
        f"{tgt.country_of_concern_revenue_share}, net income "
        f"{tgt.country_of_concern_net_income_share}, capex {tgt.country_of_concern_capex_share}, "
        f"opex {tgt.country_of_concern_opex_share}.",
        C("850.209(a)(2), (b)"),
        missing=[
            "target.subsidiaries",
            "target.country_of_concern_revenue_share",
            "target.country_of_concern_net_income_share",
            "target.country_of_concern_capex_share",
            "target.country_of_concern_opex_share",
        ],
    )
    cfp = t.ask(
        "covered_foreign_person",
        "Is the target a covered foreign person?",
        k_or(direct, indirect),
        "A person of a country of concern in a covered activity (§ 850.209(a)(1)), or a holder "
        "meeting the 50% tests (§ 850.209(a)(2)); a joint venture partner is deemed one (§ "
        "850.209(a)(3)).",
        C("850.209"),
    )
    excepted = _excepted(facts, t)
    covered = t.ask(
        "covered_transaction",
        "Is it a covered transaction?",
        k_and(actor, kind, cfp, k_not(excepted)),
        "",
        C("850.210"),
    )
    if covered is False:
        return finish(
            REGIME, "not_covered", "Not a covered transaction under part 850.", t, gaps=_gaps()
        )
    listed = facts_listed = find.listed("target", tgt.restricted_lists, ref.LISTS_850)
    t.ask(
        "listed",
        "Is the target on a list § 850.224(m) names (Entity List, MEU List, SDN, NS-CMIC, FTO)?",
        facts_listed,
        f"Stated lists: {tgt.restricted_lists}; screening hits count until a person confirms or "
        "denies them.",
        C("850.224(m)"),
        missing=["target.restricted_lists"],
    )
    prohibited_txn = t.ask(
        "prohibited",
        "Is it a prohibited transaction?",
        k_or(k_and(direct, prohibited), k_and(sub_prohibited, share), k_and(cfp, listed)),
        "Prohibited-tier activity of the target (§ 850.224(a)-(k)), through its holdings (§ "
        "850.224(l)) or a listed covered foreign person (§ 850.224(m)).",
        C("850.224; § 850.301"),
    )
    via = ""
    if not usp:
        via = (
            " The obligation falls on the U.S. parent of the controlled foreign entity "
            "(§§ 850.302, 850.402)."
        )
    t.note(
        "national_interest",
        "The Secretary may exempt a covered transaction in the national interest (§ 850.502); not "
        "assessed.",
        C("850.502"),
    )
    if covered is True and prohibited_txn is True:
        return finish(
            REGIME, "prohibited", "A prohibited transaction (§ 850.301)." + via, t, gaps=_gaps()
        )
    if covered is True and prohibited_txn is False:
        deadline = None
        if txn.completed is not None:
            deadline = (txn.completed + timedelta(days=30)).isoformat()
        summary = (
            "Notifiable: file with Treasury no later than 30 calendar days after completion"
            + (f", by {deadline}." if deadline else ".")
            + via
        )
        return finish(REGIME, "notifiable", summary, t, deadline=deadline, gaps=_gaps())
    return finish(
        REGIME, "unknown", "The facts given do not settle coverage or the tier.", t, gaps=_gaps()
    )


def _gaps() -> tuple[str, ...]:
    return (
        "COINS Act (NDAA FY2026, 18 Dec 2025) widens the program once Treasury's rules issue; part "
        "850 as of 2 Jan 2025 is applied.",
        "No country or territory has been designated under § 850.501(g) in the texts here.",
        "The 50% SDN-ownership rule of § 850.224(m)(4) and the Military Intelligence End-User "
        "definition are not checked beyond stated lists and screening hits.",
    )
