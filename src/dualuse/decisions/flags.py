"""Evaluate decision rules on an order: prohibitions become reasons, red flags become
flags (each with a reason). Pure: the facts about the lines (ECCN, CHPL tier) are
computed by the service and passed in.

One evaluator per rule ``kind``; every hit names the field it is about (``subject``)
and what was seen, so a reviewer can check it against the order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dualuse.decisions.model import (
    DecisionReason,
    Order,
    RedFlagHit,
    Role,
    Verdict,
)
from dualuse.decisions.rules import Rule, RuleSet
from dualuse.reference.names import normalize_name


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What the rules need to know about one order line."""

    index: int
    """Position in ``order.items`` (for field paths)."""
    line: int
    eccn: str | None
    """The ECCN used (given or classified); ``None`` when unknown."""
    hs6: str | None
    chpl_tier: str | None

    @property
    def listed(self) -> bool:
        """On the Commerce Control List (not EAR99, not unknown)."""
        return self.eccn is not None and self.eccn != "EAR99"


@dataclass(frozen=True, slots=True)
class Facts:
    order: Order
    lines: tuple[LineFacts, ...]
    as_of: dt.date


@dataclass(frozen=True, slots=True)
class Hit:
    subject: str
    detail: str


Evaluator = Callable[[Rule, Facts], Iterator[Hit]]
PROHIBITION_KINDS = ("embargo",)
"""Kinds whose hits are reasons only (``embargo.<where>``), never red flags."""


def evaluate(rules: RuleSet, facts: Facts) -> tuple[list[DecisionReason], list[RedFlagHit]]:
    """Every rule in force on ``facts.as_of``: (reasons, flags). A red flag gives one
    flag and one reason ``flag.<rule id>``; a prohibition one reason per place."""
    reasons: list[DecisionReason] = []
    flags: list[RedFlagHit] = []
    for rule in rules.rules:
        if not rule.in_force(facts.as_of):
            continue
        for hit in EVALUATORS[rule.kind](rule, facts):
            text = f"{rule.title}: {hit.detail}. {rule.text}"
            if rule.kind in PROHIBITION_KINDS:
                where = hit.subject.split(".")[-1].split("[")[0]
                code = f"embargo.{'party' if hit.subject.startswith('parties') else where}"
            elif rule.kind == "end_use" and rule.severity is Verdict.PROHIBITED:
                code = rule.id
            else:
                code = f"flag.{rule.id}"
                flags.append(RedFlagHit(rule.id, rule.severity, text, rule.source, hit.subject))
            reasons.append(DecisionReason(code, rule.severity, text, hit.subject, rule.source))
    return reasons, flags


# --- evaluators -----------------------------------------------------------------------


def _embargo(rule: Rule, facts: Facts) -> Iterator[Hit]:
    codes = rule.codes("countries")
    order = facts.order
    if order.route.destination in codes:
        yield Hit("route.destination", f"destination {order.route.destination}")
    for i, hop in enumerate(order.route.transit):
        if hop in codes:
            yield Hit(f"route.transit[{i}]", f"transit through {hop}")
    for i, party in enumerate(order.parties):
        if party.country in codes:
            yield Hit(
                f"parties[{i}].country", f"{party.role.value} {party.name!r} in {party.country}"
            )
    if order.payment and order.payment.payer_country in codes:
        yield Hit("payment.payer_country", f"payment from {order.payment.payer_country}")


def _end_use(rule: Rule, facts: Facts) -> Iterator[Hit]:
    if facts.order.end_use.value in rule.words("end_uses"):
        yield Hit("end_use", f"declared end use {facts.order.end_use.value!r}")


def _chpl_lines(rule: Rule, facts: Facts) -> list[LineFacts]:
    tiers = rule.codes("tiers")
    return [x for x in facts.lines if x.chpl_tier in tiers]


def _describe(lines: list[LineFacts]) -> str:
    shown = ", ".join(f"line {x.line} HS {x.hs6} ({x.chpl_tier})" for x in lines[:5])
    return shown + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")


def _chpl_route(rule: Rule, facts: Facts) -> Iterator[Hit]:
    lines = _chpl_lines(rule, facts)
    if not lines:
        return
    codes = rule.codes("countries")
    route = facts.order.route
    for i, hop in enumerate(route.transit):
        if hop in codes:
            yield Hit(f"route.transit[{i}]", f"{_describe(lines)} through {hop}")
    if route.destination in codes:
        yield Hit("route.destination", f"{_describe(lines)} to {route.destination}")


def _new_company(rule: Rule, facts: Facts) -> Iterator[Hit]:
    lines = _chpl_lines(rule, facts)
    if not lines:
        return
    after = dt.date.fromisoformat(str(rule.parameters["incorporated_after"]))
    roles, codes = set(rule.words("roles")), rule.codes("countries")
    for i, party in enumerate(facts.order.parties):
        inc = party.incorporated
        if party.role.value in roles and party.country in codes and inc and inc > after:
            yield Hit(
                f"parties[{i}].incorporated",
                f"{party.role.value} {party.name!r} ({party.country}) incorporated {inc}, "
                f"after {after}, trades {_describe(lines)}",
            )


def _third_party_payment(rule: Rule, facts: Facts) -> Iterator[Hit]:
    order = facts.order
    payment = order.payment
    if payment is None:
        return
    involved = {p.country for p in order.parties if p.country} | {order.route.destination}
    if payment.payer_country and payment.payer_country not in involved:
        yield Hit(
            "payment.payer_country",
            f"payment from {payment.payer_country}, where no party of the order is "
            f"(parties in {', '.join(sorted(c for c in involved if c))})",
        )
    if payment.payer:
        names = {_name(p.name) for p in order.parties}
        if _name(payment.payer) not in names:
            yield Hit("payment.payer", f"payer {payment.payer!r} is not a party of the order")


def _late_change(rule: Rule, facts: Facts) -> Iterator[Hit]:
    paths = rule.words("paths")
    for i, change in enumerate(facts.order.changes):
        head = change.path.split(".")[0].split("[")[0].casefold()
        if head in paths:
            when = f" on {change.changed_on}" if change.changed_on else ""
            yield Hit(f"changes[{i}]", f"{change.path} changed{when}")


def _has_word(text: str | None, words: tuple[str, ...]) -> str | None:
    if not text:
        return None
    folded = text.casefold()
    return next((w for w in words if re.search(rf"\b{re.escape(w)}", folded)), None)


def _forwarder_end_user(rule: Rule, facts: Facts) -> Iterator[Hit]:
    parties = facts.order.parties
    roles = set(rule.words("roles"))
    chosen = [(i, p) for i, p in enumerate(parties) if p.role.value in roles]
    forwarders = [p for p in parties if p.role is Role.FORWARDER]
    keys = {p.key for p in forwarders} if forwarders else set()
    words = rule.words("business_words")
    for i, party in chosen:
        word = _has_word(party.business, words)
        if word:
            yield Hit(
                f"parties[{i}].business",
                f"{party.role.value} {party.name!r} declares business {party.business!r} "
                f"({word!r})",
            )
        elif keys and party.key in keys:
            yield Hit(f"parties[{i}]", f"{party.role.value} {party.name!r} is also the forwarder")


def _business_mismatch(rule: Rule, facts: Facts) -> Iterator[Hit]:
    sensitive = [x for x in facts.lines if x.listed or x.chpl_tier]
    if not sensitive:
        return
    roles, words = set(rule.words("roles")), rule.words("business_words")
    shown = ", ".join(f"line {x.line} ({x.eccn or x.chpl_tier})" for x in sensitive[:5])
    for i, party in enumerate(facts.order.parties):
        word = _has_word(party.business, words) if party.role.value in roles else None
        if word:
            yield Hit(
                f"parties[{i}].business",
                f"{party.role.value} {party.name!r} declares business {party.business!r} "
                f"and buys {shown}",
            )


def _route_length(rule: Rule, facts: Facts) -> Iterator[Hit]:
    limit = int(rule.parameters.get("max_transit", 2))
    transit = facts.order.route.transit
    if len(transit) > limit:
        yield Hit(
            "route.transit",
            f"{len(transit)} transit countries ({', '.join(transit)}); more than {limit}",
        )


def _payment_method(rule: Rule, facts: Facts) -> Iterator[Hit]:
    payment = facts.order.payment
    if payment and payment.method and payment.method.casefold() in rule.words("methods"):
        yield Hit("payment.method", f"payment method {payment.method!r}")


def _eu_origin_chpl(rule: Rule, facts: Facts) -> list[LineFacts]:
    origin = facts.order.route.origin
    if origin is None or origin not in rule.codes("origins"):
        return []
    return _chpl_lines(rule, facts)


def _no_russia_clause(rule: Rule, facts: Facts) -> Iterator[Hit]:
    lines = _eu_origin_chpl(rule, facts)
    dest = facts.order.route.destination
    if lines and dest not in rule.codes("exempt_destinations") and not facts.order.no_russia_clause:
        yield Hit(
            "no_russia_clause",
            f"{_describe(lines)} from {facts.order.route.origin} to {dest}; the order "
            + (
                "says the clause is missing"
                if facts.order.no_russia_clause is False
                else "does not confirm the clause"
            ),
        )


def _eu_hub(rule: Rule, facts: Facts) -> Iterator[Hit]:
    lines = _eu_origin_chpl(rule, facts)
    if not lines:
        return
    codes, roles = rule.codes("countries"), set(rule.words("roles"))
    for i, hop in enumerate(facts.order.route.transit):
        if hop in codes:
            yield Hit(f"route.transit[{i}]", f"{_describe(lines)} through {hop}")
    for i, party in enumerate(facts.order.parties):
        if party.role.value in roles and party.country in codes:
            yield Hit(
                f"parties[{i}].country",
                f"{party.role.value} {party.name!r} in {party.country} for {_describe(lines)}",
            )


def _name(text: str) -> str:
    return normalize_name(text) or " ".join(text.casefold().split())


EVALUATORS: dict[str, Evaluator] = {
    "embargo": _embargo,
    "end_use": _end_use,
    "chpl_route": _chpl_route,
    "new_company": _new_company,
    "third_party_payment": _third_party_payment,
    "late_change": _late_change,
    "forwarder_end_user": _forwarder_end_user,
    "business_mismatch": _business_mismatch,
    "route_length": _route_length,
    "payment_method": _payment_method,
    "no_russia_clause": _no_russia_clause,
    "eu_hub": _eu_hub,
}
