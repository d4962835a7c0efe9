"""One small pure function per red-flag rule of ``shell_rules.yaml``.

Each takes the company, the whole record set, what is known about listed parties and the
rule book, and answers ``flag`` (with its reason and evidence), ``clear`` or
``not_evaluated`` (with what is missing): absence of data is never read as absence of a
red flag, nor as its presence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dualuse.diversion.shell.codes import Codes
from dualuse.diversion.shell.records import Company, Records
from dualuse.diversion.shell.rulebook import RuleBook

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
TIERS_1_2 = ("Tier 1", "Tier 2")


def text_key(text: str) -> str:
    """Unicode-normalised, case-folded, punctuation removed: how addresses and names are
    compared exactly."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", folded).split())


def specific_address(key: str) -> bool:
    """Only addresses with a street number and three words or more are compared: a city
    or region alone ("Moscow", "Region: Northern Mali") would tie unrelated companies."""
    return any(ch.isdigit() for ch in key) and len(key.split()) >= 3


@dataclass(frozen=True, slots=True)
class NameHit:
    listed_name: str
    list_id: str
    entry_id: str
    score: float


@dataclass(frozen=True, slots=True)
class Listed:
    """What is known about listed parties beyond the file: the bundled lists' addresses
    and people's names (exact keys) and the screener's verdict on each company's name."""

    address_keys: Mapping[str, str] = field(default_factory=dict)
    """Address key -> listed party (``name (list entry)``)."""
    person_keys: Mapping[str, str] = field(default_factory=dict)
    """Name key of a listed person -> listed party."""
    name_hits: Mapping[str, NameHit | None] | None = None
    """Company id -> best screener match or ``None``; ``None`` overall: not screened."""
    directs_listed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Director id -> listed companies of the file it directs (see :func:`with_file`)."""


def with_file(listed: Listed, records: Records) -> Listed:
    """Add what the file itself says about listed parties (their addresses, who directs
    them), computed once for all companies."""
    addresses = dict(listed.address_keys)
    directs: dict[str, list[str]] = {}
    for o in records.companies.values():
        if not o.listed:
            continue
        for a in o.addresses:
            addresses.setdefault(text_key(a), f"{o.name} ({o.id}, listed in the file)")
        for d in o.directors:
            directs.setdefault(d, []).append(o.id)
    return Listed(
        addresses, listed.person_keys, listed.name_hits, {k: tuple(v) for k, v in directs.items()}
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    """``flag``, ``clear`` or ``not_evaluated``."""
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


def flag(reason: str, **evidence: Any) -> Outcome:
    return Outcome("flag", reason, evidence)


def clear(reason: str) -> Outcome:
    return Outcome("clear", reason)


def missing(what: str) -> Outcome:
    return Outcome("not_evaluated", f"missing: {what}")


Rule = Callable[[Company, Records, Listed, RuleBook, Codes], Outcome]


def new_company_in_diversion_country(
    c: Company, _r: Records, _l: Listed, book: RuleBook, _codes: Codes
) -> Outcome:
    if c.incorporated is None:
        return missing("incorporationDate")
    if not c.countries:
        return missing("country")
    if c.incorporated <= book.invasion_date:
        return clear(f"incorporated {c.incorporated}, not after {book.invasion_date}")
    risky = [x for x in c.countries if x in book.country_sets["diversion_risk"].countries]
    if not risky:
        return clear(
            f"incorporated {c.incorporated} in {', '.join(c.countries)}: not a "
            "diversion-risk country"
        )
    return flag(
        f"incorporated {c.incorporated} (after {book.invasion_date}) in "
        f"{', '.join(x.upper() for x in risky)}, a diversion-risk country",
        incorporated=str(c.incorporated),
        countries=risky,
    )


def new_company_chpl_tier_1_2(
    c: Company, _r: Records, _l: Listed, book: RuleBook, codes: Codes
) -> Outcome:
    if c.incorporated is None:
        return missing("incorporationDate")
    if not c.countries:
        return missing("country")
    if not c.hs6:
        return missing("trade.hs6")
    items = [x for x in c.hs6 if codes.chpl.get(x) in TIERS_1_2]
    outside = [x for x in c.countries if x not in book.country_sets["coalition"].countries]
    if c.incorporated <= book.invasion_date or not items or not outside:
        return clear("not a post-invasion company outside the coalition trading Tier 1/2 items")
    return flag(
        f"incorporated {c.incorporated} in {', '.join(x.upper() for x in outside)} (outside "
        f"the coalition), trades CHPL Tier 1/2 items {', '.join(items)}",
        hs6={x: codes.chpl[x] for x in items},
    )


def address_shared_with_listed(
    c: Company, records: Records, listed: Listed, _b: RuleBook, _codes: Codes
) -> Outcome:
    if not c.addresses:
        return missing("address")
    shared = []
    for address in c.addresses:
        key = text_key(address)
        if not specific_address(key):
            continue
        who = listed.address_keys.get(key)
        if who and f"({c.id}, listed in the file)" not in who:
            shared.append({"address": address, "listed_party": who})
    if not shared:
        return clear("no specific address shared with a listed party")
    return flag(
        f"address {shared[0]['address']!r} is also that of {shared[0]['listed_party']}",
        shared=shared,
    )


def director_shared_with_listed(
    c: Company, records: Records, listed: Listed, _b: RuleBook, _codes: Codes
) -> Outcome:
    if not c.directors:
        return missing("Directorship")
    hits = []
    for did in c.directors:
        director = records.party(did)
        if director is not None and director.listed:
            hits.append({"director": did, "why": f"{director.name} is listed (topic sanction)"})
            continue
        if director is not None and director.schema == "Person":
            who = listed.person_keys.get(text_key(director.name))
            if who:
                hits.append({"director": did, "why": f"{director.name} has the name of {who}"})
                continue
        others = [x for x in listed.directs_listed.get(did, ()) if x != c.id]
        if others:
            hits.append({"director": did, "why": f"also directs listed {', '.join(others)}"})
    if not hits:
        return clear("no director is listed or directs a listed company")
    return flag(f"director {hits[0]['director']}: {hits[0]['why']}", directors=hits)


def name_close_to_listed(
    c: Company, _r: Records, listed: Listed, _b: RuleBook, _codes: Codes
) -> Outcome:
    if listed.name_hits is None:
        return missing("name screening (screener not run)")
    hit = listed.name_hits.get(c.id)
    if hit is None:
        return clear("name matches no listed party at the screener's threshold")
    return flag(
        f"name {c.name!r} matches listed {hit.listed_name!r} ({hit.list_id} {hit.entry_id}, "
        f"score {hit.score:.2f})",
        listed_name=hit.listed_name,
        list=hit.list_id,
        entry=hit.entry_id,
        score=round(hit.score, 3),
    )


def goods_do_not_fit_business(
    c: Company, _r: Records, _l: Listed, _b: RuleBook, codes: Codes
) -> Outcome:
    if c.business_chapters is None:
        return missing("trade.business_hs_chapters")
    if not c.hs6:
        return missing("trade.hs6")
    off = [x for x in c.hs6 if x in codes.chpl and x[:2] not in c.business_chapters]
    if not off:
        return clear("every CHPL code is in a declared chapter")
    return flag(
        f"CHPL goods {', '.join(off)} outside the declared business chapters "
        f"{', '.join(c.business_chapters) or '(none)'}",
        hs6=off,
        business_hs_chapters=list(c.business_chapters),
    )


def payment_through_third_country(
    c: Company, _r: Records, _l: Listed, _b: RuleBook, _codes: Codes
) -> Outcome:
    if not c.payment_countries:
        return missing("trade.payment_countries")
    if not c.countries:
        return missing("country")
    third = [x for x in c.payment_countries if x not in c.countries]
    if not third:
        return clear("payments only through the company's own country")
    return flag(
        f"payments through {', '.join(x.upper() for x in third)}, not the company's country "
        f"({', '.join(x.upper() for x in c.countries)})",
        payment_countries=third,
    )


def personal_email_no_website(
    c: Company, _r: Records, _l: Listed, book: RuleBook, _codes: Codes
) -> Outcome:
    if not c.emails:
        return missing("email")
    if c.websites:
        return clear("has a website")
    personal = [e for e in c.emails if e.rsplit("@", 1)[-1] in book.webmail]
    if len(personal) < len(c.emails):
        return clear("has a domain e-mail address")
    return flag(f"only webmail addresses ({', '.join(personal)}) and no website", emails=personal)


RULES: dict[str, Rule] = {
    "new_company_in_diversion_country": new_company_in_diversion_country,
    "new_company_chpl_tier_1_2": new_company_chpl_tier_1_2,
    "address_shared_with_listed": address_shared_with_listed,
    "director_shared_with_listed": director_shared_with_listed,
    "name_close_to_listed": name_close_to_listed,
    "goods_do_not_fit_business": goods_do_not_fit_business,
    "payment_through_third_country": payment_through_third_country,
    "personal_email_no_website": personal_email_no_website,
}
