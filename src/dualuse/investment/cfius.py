"""US inbound screening, 31 CFR part 800 (CFIUS): covered transaction and mandatory declaration.

The walk: foreign person (§ 800.224) -> U.S. business (§ 800.252) -> TID U.S. business
(§ 800.248) -> covered control transaction (§§ 800.208, 800.301) or covered investment
(§ 800.211) -> mandatory declaration (§ 800.401(b) government test, § 800.401(c)
critical-technology test with the project's own licence determinations) and the
exemptions of § 800.401(d)-(e) that the deal facts speak to.
"""

from __future__ import annotations

from datetime import timedelta

from dualuse.investment import reference as ref
from dualuse.investment.logic import (
    Findings,
    ItemFinding,
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
    unknowns,
    word,
)
from dualuse.investment.model import DealFacts, Investor

REGIME = "us_cfius"
C = ref.cfr800
RIGHTS_211 = frozenset({"board_seat", "observer", "mnpti", "involvement_in_decisions"})
EQUITY_TYPES = frozenset({"equity", "acquisition", "convertible", "joint_venture", "lp_interest"})


def _ne(value: str | None, other: str) -> Tri:
    return None if value is None else value != other


def _has(values: list[str] | None, wanted: str) -> Tri:
    return None if values is None else wanted in values


def chain_persons(facts: DealFacts) -> list[tuple[str, str | None, str | None]]:
    """Persons the § 800.401(c)(1) authorization is asked for: (path, place, name). The
    investor ((c)(1)(i)-(ii)) and every owner that may hold a 25% voting interest in it
    ((c)(1)(v), § 800.256); an owner whose percentage is not given is asked too."""
    inv = facts.investor
    out = [("investor", inv.place, inv.name)]
    for i, owner in enumerate(inv.owners or []):
        if owner.percent is None or owner.percent >= 25:
            out.append((f"investor.owners[{i}]", owner.place, owner.name))
    return out


def _foreign_person(inv: Investor, t: Trace) -> Tri:
    entity = k_and(_ne(inv.country, "us"), _ne(inv.principal_place_of_business, "us"))
    majority = inv.majority(lambda c: c != "us")
    control = k_or(majority, inv.controlled_by_foreign_person)
    answer = k_or(entity, control)
    missing = []
    if entity is None:
        missing += ["investor.country", "investor.principal_place_of_business"]
    if control is None:
        missing.append("investor.controlled_by_foreign_person")
    return t.ask(
        "foreign_person",
        "Is the investor a foreign person?",
        answer,
        f"Organised in {(inv.country or '?').upper()}, principal place of business "
        f"{(inv.principal_place_of_business or '?').upper()}; control by a foreign national, "
        "government or entity: "
        f"{word(control)} (foreign majority holder: {word(majority)}; stated: "
        f"{word(inv.controlled_by_foreign_person)}).",
        C("800.224(a); § 800.220(a)"),
        missing=missing,
    )


def _tid(facts: DealFacts, find: Findings, t: Trace) -> tuple[Tri, Tri]:
    tgt = facts.target
    crit: Tri = None if find.items is None else k_any(i.critical for i in find.items)
    labels = ", ".join(f"{i.label} (critical: {word(i.critical)})" for i in find.items or ())
    infra: Tri = None
    if tgt.critical_infrastructure_functions is not None:
        infra = bool(tgt.critical_infrastructure_functions)
    spd_facts = tgt.sensitive_personal_data
    spd: Tri = None
    if spd_facts is not None:
        people = spd_facts.individuals
        spd = k_or(
            spd_facts.genetic,
            k_and(
                gt(people, 0),
                k_or(gt(people, 1_000_000), spd_facts.targets_us_national_security_agencies),
            ),
        )
    tid = k_or(crit, infra, spd)
    open_ = tid is None
    t.ask(
        "tid",
        "Is the target a TID U.S. business?",
        tid,
        "Critical technologies, Appendix A functions or sensitive personal data.",
        C("800.248"),
    )
    t.ask(
        "critical_technology",
        "Does it produce, design, test, manufacture, fabricate or develop critical technologies?",
        crit,
        labels or "No items given.",
        C("800.248(a); § 800.215"),
        missing=["target.items"] if open_ else (),
        level=1,
    )
    for item in find.items or ():
        t.note("item_" + item.label, f"{item.label}: {item.basis}", item.citation, level=2)
    t.ask(
        "critical_infrastructure",
        "Does it perform an Appendix A function for covered investment critical infrastructure?",
        infra,
        "Appendix A items: " + (", ".join(tgt.critical_infrastructure_functions or []) or "none"),
        C("800.248(b); Appendix A"),
        missing=["target.critical_infrastructure_functions"] if open_ else (),
        level=1,
    )
    t.ask(
        "sensitive_personal_data",
        "Does it maintain or collect sensitive personal data of U.S. citizens?",
        spd,
        "Genetic test results, data on more than one million individuals in the § "
        "800.241(a)(1)(ii) categories, or products tailored to U.S. national-security agencies.",
        C("800.248(c); § 800.241"),
        missing=["target.sensitive_personal_data"] if open_ else (),
        level=1,
    )
    return tid, crit


def _excepted(facts: DealFacts, find: Findings, t: Trace) -> Tri:
    inv, claim = facts.investor, facts.investor.excepted_investor
    day = facts.transaction.completed  # § 800.219(a): "as of the completion date"
    if claim is not None and claim.claimed is False:
        return t.ask(
            "excepted_investor",
            "Is the investor an excepted investor?",
            False,
            "The investor does not claim the status (§ 800.219(e) waiver).",
            C("800.219"),
        )
    state = ref.excepted_foreign_state(inv.country, day)
    ppb = inv.principal_place_of_business
    place = k_or(None if ppb is None else ppb == "us", ref.excepted_foreign_state(ppb, day))
    tests = claim.meets_ownership_and_board_tests if claim else None
    adverse: Tri = None
    if claim is not None and claim.adverse_actions_last_5_years is not None:
        adverse = bool(claim.adverse_actions_last_5_years)
    listed = find.listed("investor", inv.restricted_lists, ("entity_list", "unverified_list"))
    answer = k_and(state, place, tests, k_not(adverse), k_not(listed))
    missing = [
        m
        for m, v in (
            ("investor.country", state),
            ("investor.principal_place_of_business", place),
            ("investor.excepted_investor.meets_ownership_and_board_tests", tests),
            ("investor.excepted_investor.adverse_actions_last_5_years", adverse),
            ("investor.restricted_lists", listed),
        )
        if v is None
    ]
    if state is None and inv.country in ref.EXCEPTED_FOREIGN_STATES:
        missing.append("transaction.completed")
    text = (
        f"Excepted foreign state: {'yes' if state else 'no' if state is False else 'unknown'} "
        f"({', '.join(s.upper() for s in ref.EXCEPTED_FOREIGN_STATES)} are listed); "
        f"ownership and board tests: {tests}; adverse actions in 5 years: "
        f"{', '.join(claim.adverse_actions_last_5_years or []) if claim else 'not given'}; "
        f"Entity or Unverified List: {listed}."
    )
    t.ask(
        "excepted_investor",
        "Is the investor an excepted investor?",
        answer,
        text,
        C("800.219(a), (c)"),
        missing=missing,
    )
    t.note(
        "excepted_states",
        "Excepted foreign states are those Treasury lists (§ 800.218).",
        ref.EXCEPTED_STATES_CITE,
        level=1,
    )
    return answer


def _fund_exempt(facts: DealFacts) -> Tri:
    """§ 800.401(d)(1)/(e)(3): a fund managed by a general partner that is not foreign."""
    inv = facts.investor
    if facts.transaction.type == "lp_interest":
        return False
    is_fund = inv.is_fund if inv.is_fund is not None else (True if inv.fund else None)
    if is_fund is False:
        return False
    fund = inv.fund
    if fund is None:
        return None
    gp = fund.general_partner_controlled_by
    return k_and(
        is_fund,
        fund.managed_exclusively_by_general_partner,
        None if gp is None else gp == "us",
        k_not(fund.limited_partners_have_control),
    )


def _item_trigger(item: ItemFinding, relevant: dict[str, Tri]) -> Tri:
    needs = k_any(k_and(relevant.get(a.person), a.required) for a in item.authorizations)
    eligible: Tri = None
    if item.licence_exception is not None:
        eligible = item.licence_exception != "none"
    return k_and(item.critical, needs, k_not(eligible))


def assess(facts: DealFacts, find: Findings) -> RegimeResult:
    t = Trace()
    inv, tgt, txn = facts.investor, facts.target, facts.transaction
    foreign = _foreign_person(inv, t)
    usb = True if tgt.country == "us" else tgt.us_business
    t.ask(
        "us_business",
        "Is the target a U.S. business (engaged in interstate commerce in the United States)?",
        usb,
        f"Target organised in {(tgt.country or '?').upper()}; stated U.S. business: "
        f"{tgt.us_business}.",
        C("800.252"),
        missing=["target.us_business"],
    )
    kind: Tri = None if txn.type is None else txn.type != "greenfield"
    t.ask(
        "transaction",
        "Is it a transaction (acquisition of an interest, investment, joint venture, conversion)?",
        kind,
        f"Type: {txn.type}. A greenfield build is not the acquisition of an interest in an "
        "existing entity; real estate (part 802) is not assessed.",
        C("800.249"),
        missing=["transaction.type"],
    )
    tid, _crit = _tid(facts, find, t)
    rights = txn.rights
    majority, stated = gt(txn.voting_after, 50), _has(rights, "control")
    control = t.ask(
        "control",
        "Could the foreign person control the U.S. business?",
        k_or(majority, stated),
        f"Voting interest after: {txn.voting_after}; rights: {rights}. A majority or the stated "
        "power to decide important matters is control; minority protections are not.",
        C("800.208; § 800.301; § 800.302(b)"),
        missing=unknowns(("transaction.voting_after", majority), ("transaction.rights", stated)),
    )
    excepted = _excepted(facts, find, t)
    unaffiliated = k_or(
        None if txn.voting_before is None else txn.voting_before <= 50,
        None if txn.voting_after is None else txn.voting_after <= 50,
    )
    equity: Tri = None if txn.type is None else txn.type in EQUITY_TYPES
    afforded: Tri = None if rights is None else bool(RIGHTS_211 & set(rights))
    fund = inv.fund
    lp_307: Tri = False
    if txn.type == "lp_interest":
        lp_307 = (
            None
            if fund is None
            else k_and(
                fund.managed_exclusively_by_general_partner,
                None
                if fund.general_partner_controlled_by is None
                else fund.general_partner_controlled_by == "us",
                k_not(fund.limited_partners_have_control),
                None if fund.lp_rights is None else set(fund.lp_rights) <= {"advisory_board"},
            )
        )
    covered_inv = t.ask(
        "covered_investment",
        "Is it a covered investment (non-controlling, with access, board or decision rights)?",
        k_and(k_not(control), tid, unaffiliated, k_not(excepted), equity, afforded, k_not(lp_307)),
        f"Rights afforded under § 800.211(b): {sorted(RIGHTS_211 & set(rights or [])) or 'none'}; "
        f"unaffiliated: {unaffiliated}; excepted investor: {excepted}; LP advisory-board "
        f"clarification (§ 800.307): {lp_307}.",
        C("800.211; § 800.303; § 800.304; § 800.307"),
        missing=unknowns(
            ("transaction.rights", afforded),
            ("transaction.type", equity),
            ("transaction.voting_after", unaffiliated),
            ("investor.fund", lp_307),
        ),
    )
    covered = t.ask(
        "covered_transaction",
        "Is it a covered transaction?",
        k_and(foreign, usb, kind, k_or(control, covered_inv)),
        "A covered control transaction or a covered investment by a foreign person in a U.S. "
        "business.",
        C("800.213"),
    )
    if covered is False:
        return finish(
            REGIME, "not_covered", "Not a covered transaction under part 800.", t, gaps=_gaps()
        )

    gov = _government_test(facts, tid, t)
    fund_exempt = _fund_exempt(facts)
    fund = inv.fund
    t.ask(
        "fund_exemption",
        "Is it a transaction by an investment fund managed exclusively by a general partner "
        "that is not a foreign person?",
        fund_exempt,
        f"Investor is a fund: {inv.is_fund if inv.is_fund is not None else bool(fund) or None}; "
        f"general partner controlled by {fund.general_partner_controlled_by if fund else None}.",
        C("800.401(d)(1), (e)(3)"),
        missing=_fund_missing(facts),
    )
    relevant: dict[str, Tri] = {"investor": k_or(control, covered_inv)}
    for i, owner in enumerate(inv.owners or []):
        relevant[f"investor.owners[{i}]"] = ge(owner.percent, 25)
    items_trigger: Tri = (
        None if find.items is None else k_any(_item_trigger(i, relevant) for i in find.items)
    )
    e1 = k_and(control, excepted)
    crit_test = k_and(items_trigger, k_not(e1), k_not(fund_exempt))
    open_ = items_trigger is None
    for item in find.items or ():
        for a in item.authorizations:
            need = (
                f"{item.path}.itar_authorization_required"
                if item.label.startswith("USML")
                else f"{a.person}.principal_place_of_business"
                if a.country == "??"
                else f"{item.path}.eccn"
            )
            t.ask(
                "authorization",
                f"U.S. regulatory authorization for {item.label} to {a.person} "
                f"({a.country.upper()})?",
                a.required,
                "Project licence determination (no licence exceptions, § 800.401(c)(2)(i); by "
                "principal place of business, § 800.401(c)(2)(ii); as end user, (c)(2)(iii)): "
                f"{a.summary}",
                C("800.401(c)(1)-(2); § 800.254"),
                missing=[need] if open_ else (),
                level=1,
            )
        if item.authorizations:
            t.ask(
                "licence_exception",
                f"Is {item.label} eligible for TSU, ENC (740.17(b)) or STA (740.20(c)(1))?",
                None if item.licence_exception is None else item.licence_exception != "none",
                f"Stated or found: {item.licence_exception or 'not given'}.",
                C("800.401(e)(6)"),
                missing=[f"{item.path}.licence_exception"] if open_ else (),
                level=1,
            )
    t.ask(
        "critical_technology_test",
        "Critical-technology test: is an authorization required to a person in the chain, with "
        "no § 800.401(e) exemption?",
        crit_test,
        f"Excepted investor acquiring control (§ 800.401(e)(1)): {e1}; fund exemption (§ "
        f"800.401(e)(3)): {fund_exempt}.",
        C("800.401(c), (e)"),
        missing=["target.items"] if find.items is None else (),
    )
    gov_final = k_and(gov, k_not(fund_exempt))
    mandatory = k_and(covered, k_or(gov_final, crit_test))
    t.note(
        "not_assessed",
        "Not assessed: changes of rights and evasion (§ 800.213(c)-(d)), air carriers (§ "
        "800.401(d)(2), (e)(5)), FOCI-mitigated holdings (§ 800.401(e)(2)), § 800.219(d) (e)(4), "
        "section 1758 technologies unless stated, and the timing rules of § 800.401(b)(2), (c)(3).",
        C("800.401"),
    )
    if covered is True and mandatory is True:
        deadline = None
        if txn.completed is not None:
            deadline = (txn.completed - timedelta(days=30)).isoformat()
        summary = "Mandatory declaration (or notice) no later than 30 days before completion" + (
            f": by {deadline}." if deadline else "."
        )
        t.note("deadline", summary, C("800.401(a), (f), (g)(2)"))
        return finish(REGIME, "mandatory_declaration", summary, t, deadline=deadline, gaps=_gaps())
    if covered is True and mandatory is False:
        return finish(
            REGIME,
            "not_mandatory",
            "A covered transaction with no mandatory declaration: a voluntary declaration or "
            "notice is available (§§ 800.402, 800.501).",
            t,
            gaps=_gaps(),
        )
    return finish(
        REGIME,
        "unknown",
        "The facts given do not settle coverage or the mandatory tests.",
        t,
        gaps=_gaps(),
    )


def _government_test(facts: DealFacts, tid: Tri, t: Trace) -> Tri:
    inv, txn, day = facts.investor, facts.transaction, facts.transaction.completed
    substantial = ge(txn.voting_after, 25)
    gov: Tri = None
    shares = "not given"
    if inv.government_ownership is not None:
        gov = k_any(
            k_and(g.percent >= 49, k_not(ref.excepted_foreign_state(g.country, day)))
            for g in inv.government_ownership
        )
        shares = (
            ", ".join(f"{g.country.upper()} {g.percent:g}%" for g in inv.government_ownership)
            or "none"
        )
    answer = k_and(tid, substantial, gov)
    open_ = answer is None
    t.ask(
        "government_test",
        "Government test: substantial interest in a TID U.S. business by a foreign person in which "
        "a government has a substantial interest?",
        answer,
        "",
        C("800.401(b)(1)"),
    )
    t.ask(
        "government_interest",
        "Does a single foreign government (not of an excepted foreign state) hold 49% or more of "
        "the investor?",
        gov,
        f"Government voting interests, direct and indirect (a parent's counted as 100%): {shares}. "
        "For a fund, the interest in its general partner counts (§ 800.244(b)).",
        C("800.244(a)-(c)"),
        missing=["investor.government_ownership"] if open_ else (),
        level=1,
    )
    t.ask(
        "substantial_interest",
        "Does the investor acquire a voting interest of 25% or more?",
        substantial,
        f"Voting interest after: {txn.voting_after}.",
        C("800.244(a)"),
        missing=["transaction.voting_after"] if open_ else (),
        level=1,
    )
    return answer


def _fund_missing(facts: DealFacts) -> list[str]:
    inv = facts.investor
    if inv.fund is None:
        return ["investor.is_fund"]
    f = inv.fund
    return [
        f"investor.fund.{name}"
        for name, value in (
            ("managed_exclusively_by_general_partner", f.managed_exclusively_by_general_partner),
            ("general_partner_controlled_by", f.general_partner_controlled_by),
            ("limited_partners_have_control", f.limited_partners_have_control),
        )
        if value is None
    ]


def _gaps() -> tuple[str, ...]:
    return (
        "Part 802 (real estate) and the CFIUS filing fees are not assessed.",
        "ITAR licensing is not in the project's data: a USML item's authorization must be stated "
        "(itar_authorization_required).",
        "Emerging and foundational technologies (section 1758, § 800.215(f)) are not identified by "
        "the CCL data; state section_1758 on the item.",
    )
