"""The ownership tests of OFAC, the EU and the UK, each with its source and dates.

A rule is data (threshold, whether it is inclusive, whether holdings of different listed
persons add up, whether control is reviewed); :mod:`.engine` applies it. The EU threshold
changed on 3 Jul 2024, so the rule depends on the date asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dualuse.errors import InputError

OFAC_GUIDANCE = (
    "OFAC, Revised Guidance on Entities Owned by Persons Whose Property and Interests in "
    "Property Are Blocked, 13 Aug 2014 (the 50 Percent Rule; OFAC FAQs 398-402): an entity "
    "owned in the aggregate, directly or indirectly, 50 percent or more by one or more "
    "blocked persons is itself blocked"
)
OFAC_FROM = date(2014, 8, 13)

EU_2024 = (
    "Council of the EU, Update of the EU Best Practices for the effective implementation of "
    "restrictive measures, 3 Jul 2024 (ownership: 50% or more of the proprietary rights, "
    "holdings of designated persons aggregated; anticipated by recital 28 of Council "
    "Regulation (EU) 2024/1745)"
)
EU_BEFORE_2024 = (
    "EU Best Practices for the effective implementation of restrictive measures, versions "
    "before the update of 3 Jul 2024 (ownership: more than 50% of the proprietary rights; "
    "aggregation of designated persons' holdings as in the Commission's Russia FAQ)"
)
EU_CHANGE = date(2024, 7, 3)
EU_CONTROL = (
    "EU Best Practices, 3 Jul 2024, control criteria (right to appoint or remove a majority "
    "of the board, majority of voting rights, dominant influence, consolidated accounts, "
    "...): a case-by-case test, reported for review and never as a percentage"
)

UK_TEST = (
    "Sanctions and Anti-Money Laundering Act 2018 regimes, e.g. The Russia (Sanctions) "
    "(EU Exit) Regulations 2019 (SI 2019/855) reg. 7 and Schedule 1 (owned or controlled: "
    "more than 50% of the shares or voting rights, held directly or through majority-held "
    "entities); OFSI, UK Financial Sanctions General Guidance, para. 4.14 added March 2022: "
    "OFSI would not simply aggregate different designated persons' holdings unless the "
    "shares are held jointly or under a joint arrangement"
)
UK_FROM = date(2020, 12, 31)
UK_CONTROL = (
    "SI 2019/855 reg. 7(2)(a)(iii) (right to appoint or remove a majority of the board) and "
    "reg. 7(2)(b) (reasonable to expect the affairs are conducted per the person's wishes): "
    "reported for review"
)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    threshold: Decimal
    inclusive: bool
    """``True``: 50% or more; ``False``: more than 50%."""
    aggregate: bool
    """Holdings of different listed persons add up (OFAC, EU); not so in the UK."""
    citation: str
    control_citation: str | None = None
    """Set when control is a separate test whose evidence is reported for review."""

    @property
    def test_text(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.threshold}%"


RULES = ("ofac", "eu", "uk")


def rule_for(name: str, as_of: date) -> Rule:
    """The rule ``name`` as it stood on ``as_of``; an error before it existed here."""
    key = name.strip().lower()
    if key == "ofac":
        if as_of < OFAC_FROM:
            raise InputError(
                "the OFAC rule is modelled from its guidance of 13 Aug 2014 only "
                "(the 2008 guidance did not aggregate)",
                source="--as-of",
            )
        return Rule("ofac", Decimal(50), True, True, OFAC_GUIDANCE)
    if key == "eu":
        if as_of >= EU_CHANGE:
            return Rule("eu", Decimal(50), True, True, EU_2024, EU_CONTROL)
        return Rule("eu", Decimal(50), False, True, EU_BEFORE_2024, EU_CONTROL)
    if key == "uk":
        if as_of < UK_FROM:
            raise InputError(
                "the UK test is modelled from the SAMLA regimes (31 Dec 2020) only",
                source="--as-of",
            )
        return Rule("uk", Decimal(50), False, False, UK_TEST, UK_CONTROL)
    raise InputError(f"unknown rule {name!r}", source="--rule", suggestions=RULES)
