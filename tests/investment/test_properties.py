"""Invariants over random deals (hypothesis): outcomes are always among the allowed words;
an unknown answer always names a missing field; and removing any fact never turns an
answer into a definite one it was not (it stays, or becomes ``unknown``)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.investment import reference as ref
from dualuse.investment.logic import OUTCOMES
from dualuse.investment.model import RIGHTS, TXN_TYPES
from dualuse.services.investment import InvestmentService

COUNTRIES = ["US", "CN", "HK", "MO", "GB", "AU", "DE", "FR", "JP", "KY", "TW"]
ECCNS = ["3A090.a", "2B001.a", "5A002.a", "3A991.a", "EAR99", "1C010.a"]
tri = st.booleans()
pct = st.sampled_from([0, 9, 10, 20, 24, 25, 26, 30, 40, 49, 50, 51, 60, 74, 75, 80, 100])
country = st.sampled_from(COUNTRIES)


@st.composite
def _opt(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    full = draw(st.fixed_dictionaries(fields))
    return {k: v for k, v in full.items() if draw(st.integers(0, 5)) != 0}


def opt(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    """A dictionary in which every field may be absent (each one in six times): mostly
    complete deals, so that definite answers are common enough to test."""
    return _opt(fields)


def subset(values: Any) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(list(values)), unique=True, max_size=3)


item = st.one_of(
    st.builds(lambda e: {"eccn": e}, st.sampled_from(ECCNS)),
    st.builds(
        lambda e, x: {"eccn": e, "licence_exception": x},
        st.sampled_from(ECCNS),
        st.sampled_from(["ENC", "none", "TSU"]),
    ),
    st.builds(lambda a: {"usml": "XI", "itar_authorization_required": a}, tri),
)
semis = opt(
    designs=tri,
    fabricates=tri,
    ic_types=subset(ref.IC_TYPES),
    node_nm=st.sampled_from([7, 14, 16, 28]),
    planar=tri,
    nand_layers=st.sampled_from([64, 128, 232]),
    dram_half_pitch_nm=st.sampled_from([15, 18, 20]),
    special_categories=subset(ref.SEMI_SPECIAL),
    packages=tri,
    advanced_packaging=tri,
)
quantum = opt(
    develops_quantum_computer=tri,
    produces_critical_components=tri,
    sensing_end_use=st.sampled_from(ref.QUANTUM_SENSING_USES),
    communication=tri,
)
ai = opt(
    training_compute_ops=st.sampled_from([1e20, 1e23, 5e23, 1e24, 5e24, 1e25, 2e25]),
    trained_mainly_on_biological_sequence_data=tri,
    end_uses=subset(ref.AI_END_USES),
    designed_for=subset(ref.AI_END_USES),
    designed_exclusively_for=subset(ref.AI_END_USES),
)
business = dict(
    activities=subset(ref.ACTIVITIES),
    semiconductors=semis,
    quantum=quantum,
    ai=ai,
    restricted_lists=subset(ref.RESTRICTED_LISTS),
)
owner = opt(name=st.just("Example Owner"), country=country, percent=pct)
gov = st.lists(st.fixed_dictionaries({"country": country, "percent": pct}), max_size=2)
investor = opt(
    name=st.just("Example Investor"),
    country=country,
    principal_place_of_business=country,
    government_ownership=gov,
    owners=st.lists(owner, max_size=2),
    us_person=tri,
    is_fund=tri,
    controlled_by_foreign_person=tri,
    government_end_user=tri,
    knows_training_compute=tri,
    restricted_lists=subset(ref.RESTRICTED_LISTS),
    excepted_investor=opt(
        claimed=tri,
        meets_ownership_and_board_tests=tri,
        adverse_actions_last_5_years=st.lists(st.just("OFAC settlement"), max_size=1),
    ),
    fund=opt(
        managed_exclusively_by_general_partner=tri,
        general_partner_controlled_by=country,
        limited_partners_have_control=tri,
        lp_rights=subset(["advisory_board", "mnpti"]),
    ),
    eu=opt(prior_security_involvement=tri, serious_risk_illegal_activities=tri),
)
share = st.sampled_from([0.0, 0.3, 0.5, 0.6])
target = opt(
    name=st.just("Example Target"),
    country=country,
    principal_place_of_business=country,
    us_business=tri,
    items=st.lists(item, max_size=2),
    sensitive_personal_data=opt(
        genetic=tri,
        individuals=st.sampled_from([0, 1000, 2_000_000]),
        targets_us_national_security_agencies=tri,
    ),
    critical_infrastructure_functions=subset(["i", "xi", "xxvii"]),
    subsidiaries=st.lists(
        opt(name=st.just("Example Sub"), country=country, **business), max_size=1
    ),
    owners=st.lists(owner, max_size=1),
    government_ownership=gov,
    country_of_concern_revenue_share=share,
    country_of_concern_net_income_share=share,
    country_of_concern_capex_share=share,
    country_of_concern_opex_share=share,
    uk=opt(sectors=subset(ref.UK_SECTORS), activities_in_uk=tri, supplies_goods_to_uk=tri),
    eu=opt(
        member_states=st.lists(st.sampled_from(["DE", "FR"]), max_size=1, unique=True),
        critical_infrastructure=tri,
        critical_inputs=tri,
        media=tri,
    ),
    **business,
)


@st.composite
def transaction(draw: st.DrawFn) -> dict[str, Any]:
    out = draw(
        _opt(
            dict(
                type=st.sampled_from(TXN_TYPES),
                rights=subset(RIGHTS),
                resolutions_secured=subset(["ordinary", "special"]),
                publicly_traded=tri,
                lp_commitment_usd=st.sampled_from([1e6, 3e6]),
                aggregate_commitment_usd=st.sampled_from([1.5e6, 5e6]),
                completed=st.sampled_from(["2024-12-01", "2025-06-01", "2026-12-15"]),
                outbound_exceptions=subset(ref.OUTBOUND_EXCEPTIONS),
                fund=opt(us_person=tri, likely_invests_in_covered_sectors=tri),
                lasting_and_direct_links=tri,
            )
        )
    )
    for before, after in (("stake_before", "stake_after"), ("voting_before", "voting_after")):
        values = sorted(draw(st.lists(pct, min_size=2, max_size=2)))
        if draw(tri):
            out[before] = values[0]
        if draw(tri):
            out[after] = values[1]
    return out


def consistent(deal: dict[str, Any]) -> bool:
    """The model rejects a U.S.-organised investor or target said to be otherwise."""
    inv, tgt = deal["investor"], deal["target"]
    return not (
        (inv.get("country") == "US" and inv.get("us_person") is False)
        or (tgt.get("country") == "US" and tgt.get("us_business") is False)
        or sum(o.get("percent", 0) for o in inv.get("owners", [])) > 100
    )


deals = st.fixed_dictionaries(
    {"investor": investor, "target": target, "transaction": transaction()},
    optional={"as_of": st.sampled_from(["2024-06-01", "2026-12-01"])},
).filter(consistent)


def leaves(facts: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every removable fact: any key of an object, except inside the small
    records whose fields go together (a government stake, an item)."""
    out = []
    if isinstance(facts, dict):
        for key, value in facts.items():
            out.append((*path, key))
            if key not in {"government_ownership", "items"}:
                out += leaves(value, (*path, key))
    elif isinstance(facts, list):
        for i, value in enumerate(facts):
            out += leaves(value, (*path, i))
    return out


def without(facts: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    copied = copy.deepcopy(facts)
    node: Any = copied
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copied


def outcomes(
    service: InvestmentService, facts: dict[str, Any]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    results = service.assess(facts, screen=False).results
    return {r.regime: (r.outcome, r.missing) for r in results}


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(deal=deals)
def test_removing_a_fact_never_changes_a_definite_answer(
    service: InvestmentService, deal: dict[str, Any]
) -> None:
    before = outcomes(service, deal)
    for regime, (outcome, missing) in before.items():
        assert outcome in OUTCOMES[regime]
        if outcome == "unknown":
            assert missing, f"{regime}: unknown without naming a missing fact"
    for path in leaves(deal):
        after = outcomes(service, without(deal, path))
        for regime, (outcome, _missing) in after.items():
            assert outcome in (before[regime][0], "unknown"), (
                regime,
                path,
                before[regime][0],
                outcome,
            )


def test_a_missing_principal_place_of_business_is_not_the_country_of_organisation(
    service: InvestmentService,
) -> None:
    """Found by the invariant above: a U.S.-organised investor whose foreign control is
    not stated came out ``not_mandatory`` once its principal place of business (China)
    was removed, because the place fell back to the country of organisation. Under
    § 800.401(c)(2)(ii) the place of business decides (§ 800.239): unknown stays unknown."""
    deal: dict[str, Any] = {
        "investor": {"country": "US", "principal_place_of_business": "CN"},
        "target": {"items": [{"eccn": "3A090.a"}], "us_business": True},
        "transaction": {"type": "equity", "voting_after": 51},
    }
    assert outcomes(service, deal)["us_cfius"][0] == "unknown"
    bare = without(deal, ("investor", "principal_place_of_business"))
    outcome, missing = outcomes(service, bare)["us_cfius"]
    assert outcome == "unknown"
    assert "investor.principal_place_of_business" in missing
