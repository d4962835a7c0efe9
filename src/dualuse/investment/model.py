"""The deal facts: one description of a deal that all four regimes read.

Every field is optional: an absent field is an unknown fact, never a default. ``None``
and an empty list differ: ``"rights": []`` says the investor gets no rights, a missing
``rights`` says nothing. Bad input (unknown fields, percentages outside 0-100, stakes
that go down, unknown countries, sectors or rights) raises
:class:`~dualuse.errors.InputError` naming the field path and the closest valid values.
ECCNs are checked against the CCL by the service, which holds the control data.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from dualuse.errors import InputError
from dualuse.investment import reference as ref
from dualuse.reference.countries import require_country

TXN_TYPES = (
    "equity",
    "acquisition",
    "lp_interest",
    "convertible",
    "debt",
    "joint_venture",
    "greenfield",
    "asset_purchase",
)
RIGHTS = (
    "board_seat",
    "observer",
    "mnpti",
    "involvement_in_decisions",
    "control",
    "material_influence",
    "profit_interest",
)


def _choice(allowed: Iterable[str], what: str) -> AfterValidator:
    values = tuple(allowed)

    def check(value: str) -> str:
        if value not in values:
            raise InputError(
                f"unknown {what} {value!r}",
                suggestions=difflib.get_close_matches(value, values, n=3, cutoff=0.3),
            )
        return value

    return AfterValidator(check)


def _country(value: str) -> str:
    return require_country(value, source="country")


def _list_of(allowed: Iterable[str], what: str) -> AfterValidator:
    values = tuple(allowed)

    def check(items: list[str]) -> list[str]:
        for i, value in enumerate(items):
            if value not in values:
                raise InputError(
                    f"unknown {what} {value!r} (entry {i})",
                    suggestions=difflib.get_close_matches(value, values, n=3, cutoff=0.3),
                )
        if len(set(items)) != len(items):
            raise InputError(f"a {what} repeats")
        return items

    return AfterValidator(check)


Country = Annotated[str, Field(max_length=80), AfterValidator(_country)]
Percent = Annotated[float, Field(ge=0, le=100, description="percent, 0-100")]
Fraction = Annotated[float, Field(ge=0, le=1, description="fraction, 0-1 (0.8 = 80%)")]
Text = Annotated[str, Field(max_length=300)]
Lists = Annotated[list[str], Field(max_length=20), _list_of(ref.RESTRICTED_LISTS, "list")]
LPRights = Annotated[
    list[str], Field(max_length=10), _list_of(("advisory_board", "mnpti", "board_rights"), "right")
]
ICTypes = Annotated[list[str], Field(max_length=4), _list_of(ref.IC_TYPES, "IC type")]
SemiSpecial = Annotated[
    list[str], Field(max_length=10), _list_of(ref.SEMI_SPECIAL, "semiconductor category")
]
AIUses = Annotated[list[str], Field(max_length=10), _list_of(ref.AI_END_USES, "AI end use")]
UKSectors = Annotated[list[str], Field(max_length=17), _list_of(ref.UK_SECTORS, "UK sector")]
Activities = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=20)]
AppendixA = Annotated[
    list[str], Field(max_length=28), _list_of(ref.APPENDIX_A_ITEMS, "Appendix A item")
]
Rights = Annotated[list[str], Field(max_length=10), _list_of(RIGHTS, "right")]
Resolutions = Annotated[
    list[str], Field(max_length=3), _list_of(("ordinary", "special", "other"), "resolution class")
]
OutboundExceptions = Annotated[
    list[str], Field(max_length=10), _list_of(ref.OUTBOUND_EXCEPTIONS, "part 850 exception")
]


class Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GovernmentStake(Facts):
    country: Country
    percent: Percent


class Owner(Facts):
    """A person up the investor's (or target's) ownership chain with its voting interest."""

    name: Text | None = None
    country: Country | None = None
    principal_place_of_business: Country | None = None
    percent: Percent | None = None
    restricted_lists: Lists | None = None

    @property
    def place(self) -> str | None:
        """Where an export to this person is deemed to go (§ 800.401(c)(2)(ii))."""
        return self.principal_place_of_business or self.country


def _check_owners(owners: list[Owner] | None) -> None:
    total = sum(o.percent or 0 for o in owners or [])
    if total > 100.001:
        raise ValueError(f"the owners' percentages add up to {total:g}, more than 100")


class ExceptedInvestorClaim(Facts):
    claimed: bool | None = None
    meets_ownership_and_board_tests: bool | None = None
    adverse_actions_last_5_years: list[Text] | None = None


class Fund(Facts):
    managed_exclusively_by_general_partner: bool | None = None
    general_partner_controlled_by: Country | None = None
    limited_partners_have_control: bool | None = None
    lp_rights: LPRights | None = None


class EUInvestor(Facts):
    prior_security_involvement: bool | None = None
    serious_risk_illegal_activities: bool | None = None


class Investor(Facts):
    name: Text | None = None
    country: Country | None = None
    principal_place_of_business: Country | None = None
    government_ownership: list[GovernmentStake] | None = None
    owners: list[Owner] | None = None
    us_person: bool | None = None
    is_fund: bool | None = None
    controlled_by_foreign_person: bool | None = None
    government_end_user: bool | None = None
    excepted_investor: ExceptedInvestorClaim | None = None
    fund: Fund | None = None
    knows_training_compute: bool | None = None
    restricted_lists: Lists | None = None
    eu: EUInvestor | None = None

    @property
    def place(self) -> str | None:
        """Where an export to the investor is deemed to go: its principal place of
        business (§ 800.401(c)(2)(ii), § 800.239), which the country it is organised in
        does not tell; ``None`` (unknown) when not given."""
        return self.principal_place_of_business

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_owners(self.owners)
        if self.country == "us" and self.us_person is False:
            raise ValueError(
                "us_person is false but the investor is organised in the United States "
                "(§ 850.229: such an entity is a U.S. person)"
            )
        return self

    def majority(self, wanted: Callable[[str], bool]) -> bool | None:
        """Does a holder from a ``wanted`` country hold more than 50%? No when the direct
        owners outside it hold 50% or more, or every holder is known and none does."""
        held: list[tuple[str | None, float | None]] = [
            (g.country, g.percent) for g in self.government_ownership or []
        ]
        held += [(o.country, o.percent) for o in self.owners or []]
        if any(c is not None and p is not None and wanted(c) and p > 50 for c, p in held):
            return True
        direct = self.owners or []
        others = sum(o.percent for o in direct if o.country and o.percent and not wanted(o.country))
        if others >= 50:
            return False
        complete = self.government_ownership is not None and self.owners is not None
        if complete and all(c is not None and p is not None for c, p in held):
            return False
        return None


class Item(Facts):
    eccn: Annotated[str, Field(max_length=40)] | None = None
    usml: Annotated[str, _choice(ref.USML_CATEGORIES, "USML category")] | None = None
    licence_exception: (
        Annotated[str, _choice(("TSU", "ENC", "STA", "none"), "licence exception")] | None
    ) = None
    section_1758: bool | None = None
    itar_authorization_required: bool | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.eccn is None) == (self.usml is None):
            raise ValueError("give exactly one of eccn or usml")
        return self


class Semiconductors(Facts):
    designs: bool | None = None
    fabricates: bool | None = None
    ic_types: ICTypes | None = None
    node_nm: Annotated[float, Field(gt=0, le=10000)] | None = None
    planar: bool | None = None
    nand_layers: Annotated[int, Field(ge=0, le=10000)] | None = None
    dram_half_pitch_nm: Annotated[float, Field(gt=0, le=10000)] | None = None
    special_categories: SemiSpecial | None = None
    packages: bool | None = None
    advanced_packaging: bool | None = None


class Quantum(Facts):
    develops_quantum_computer: bool | None = None
    produces_critical_components: bool | None = None
    sensing_end_use: Annotated[str, _choice(ref.QUANTUM_SENSING_USES, "sensing end use")] | None = (
        None
    )
    communication: bool | None = None


class AI(Facts):
    training_compute_ops: Annotated[float, Field(ge=0, le=1e40)] | None = None
    trained_mainly_on_biological_sequence_data: bool | None = None
    end_uses: AIUses | None = None
    designed_for: AIUses | None = None
    designed_exclusively_for: AIUses | None = None
    internal_non_commercial_use_only: bool | None = None


class SensitivePersonalData(Facts):
    genetic: bool | None = None
    individuals: Annotated[int, Field(ge=0, le=10**10)] | None = None
    targets_us_national_security_agencies: bool | None = None


class UKFacts(Facts):
    sectors: UKSectors | None = None
    activities_in_uk: bool | None = None
    supplies_goods_to_uk: bool | None = None


class EUFacts(Facts):
    member_states: list[Country] | None = None
    critical_infrastructure: bool | None = None
    critical_inputs: bool | None = None
    media: bool | None = None


class Business(Facts):
    """What an entity does: the facts part 850's covered activities turn on."""

    name: Text | None = None
    country: Country | None = None
    activities: Activities | None = None
    """Phrases of :data:`reference.ACTIVITIES`; a list with any other phrase is read as not
    given (see :func:`warnings`), since a misread statement must not decide an answer."""
    semiconductors: Semiconductors | None = None
    quantum: Quantum | None = None
    ai: AI | None = None
    restricted_lists: Lists | None = None

    @property
    def stated_activities(self) -> list[str] | None:
        acts = self.activities
        if acts is None or all(a in ref.ACTIVITIES for a in acts):
            return acts
        return None


class Target(Business):
    principal_place_of_business: Country | None = None
    us_business: bool | None = None
    items: Annotated[list[Item], Field(max_length=200)] | None = None
    sensitive_personal_data: SensitivePersonalData | None = None
    critical_infrastructure_functions: AppendixA | None = None
    subsidiaries: Annotated[list[Business], Field(max_length=200)] | None = None
    owners: list[Owner] | None = None
    government_ownership: list[GovernmentStake] | None = None
    country_of_concern_revenue_share: Fraction | None = None
    country_of_concern_net_income_share: Fraction | None = None
    country_of_concern_capex_share: Fraction | None = None
    country_of_concern_opex_share: Fraction | None = None
    uk: UKFacts | None = None
    eu: EUFacts | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_owners(self.owners)
        if self.country == "us" and self.us_business is False:
            raise ValueError(
                "us_business is false but the target is organised in the United States; "
                "a U.S. entity is taken as engaged in interstate commerce (§ 800.252)"
            )
        return self


class FundTarget(Facts):
    """For ``lp_interest``: the pooled fund the LP interest is in (§ 850.210(a)(6))."""

    us_person: bool | None = None
    likely_invests_in_covered_sectors: bool | None = None


class Transaction(Facts):
    type: Annotated[str, _choice(TXN_TYPES, "transaction type")] | None = None
    stake_before: Percent | None = None
    stake_after: Percent | None = None
    voting_before: Percent | None = None
    voting_after: Percent | None = None
    rights: Rights | None = None
    resolutions_secured: Resolutions | None = None
    publicly_traded: bool | None = None
    lp_commitment_usd: Annotated[float, Field(ge=0)] | None = None
    aggregate_commitment_usd: Annotated[float, Field(ge=0)] | None = None
    completed: date | None = None
    outbound_exceptions: OutboundExceptions | None = None
    fund: FundTarget | None = None
    lasting_and_direct_links: bool | None = None

    @model_validator(mode="after")
    def _no_decrease(self) -> Self:
        for before, after in (("stake_before", "stake_after"), ("voting_before", "voting_after")):
            b, a = getattr(self, before), getattr(self, after)
            if b is not None and a is not None and a < b:
                raise ValueError(
                    f"{after} ({a}) is below {before} ({b}): stakes that go down are "
                    "disposals, which these regimes do not screen"
                )
        return self


class DealFacts(Facts):
    as_of: date | None = None
    investor: Investor = Investor()
    target: Target = Target()
    transaction: Transaction = Transaction()

    @property
    def day(self) -> date | None:
        """The date the rules are read for: completion, else ``as_of``."""
        return self.transaction.completed or self.as_of


MODELS: tuple[type[BaseModel], ...] = (
    DealFacts,
    Investor,
    Target,
    Transaction,
    Owner,
    GovernmentStake,
    ExceptedInvestorClaim,
    Fund,
    EUInvestor,
    Item,
    Semiconductors,
    Quantum,
    AI,
    SensitivePersonalData,
    UKFacts,
    EUFacts,
    Business,
    FundTarget,
)
FIELD_NAMES = sorted({name for m in MODELS for name in m.model_fields})


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith(("function-", "list[", "constrained")):
            out += ("." if out else "") + part
    return out or "facts"


def parse_facts(raw: Mapping[str, Any] | object) -> DealFacts:
    """Validate a decoded JSON object; every problem is named by its field path."""
    if not isinstance(raw, Mapping):
        raise InputError("the deal facts must be a JSON object", source="facts")
    try:
        return DealFacts.model_validate(dict(raw))
    except ValidationError as exc:
        problems: list[tuple[str, str]] = []
        suggestions: list[str] = []
        for err in exc.errors():
            path = _path(tuple(err["loc"]))
            cause = (err.get("ctx") or {}).get("error")
            if err["type"] == "extra_forbidden":
                key = str(err["loc"][-1])
                problems.append((path, "unknown field"))
                suggestions += difflib.get_close_matches(key, FIELD_NAMES, n=3, cutoff=0.5)
            elif isinstance(cause, InputError):
                problems.append((path, cause.message))
                suggestions += cause.suggestions
            else:
                problems.append((path, str(err["msg"]).removeprefix("Value error, ")))
        if len(problems) == 1:
            message = problems[0][1]
        else:
            message = "; ".join(f"{where}: {what}" for where, what in problems)
        raise InputError(message, source=problems[0][0], suggestions=suggestions[:5]) from None


def warnings(facts: DealFacts) -> list[str]:
    """Statements that could not be read and are taken as not given."""
    out = []
    entities: list[tuple[str, Business]] = [("target", facts.target)]
    entities += [
        (f"target.subsidiaries[{i}]", s) for i, s in enumerate(facts.target.subsidiaries or [])
    ]
    for path, entity in entities:
        for phrase in entity.activities or []:
            if phrase not in ref.ACTIVITIES:
                close = difflib.get_close_matches(phrase, list(ref.ACTIVITIES), n=2, cutoff=0.3)
                hint = f" (did you mean: {', '.join(close)}?)" if close else ""
                out.append(
                    f"{path}.activities: {phrase!r} is not a known activity{hint}; the "
                    "activities are taken as not given"
                )
    return out


def as_json(facts: DealFacts) -> dict[str, Any]:
    """The facts as given (absent fields left out), for echoing back."""
    return facts.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


RegimeName = Literal["us_cfius", "us_outbound", "uk_nsi", "eu_fdi"]
REGIMES: tuple[RegimeName, ...] = ("us_cfius", "us_outbound", "uk_nsi", "eu_fdi")
