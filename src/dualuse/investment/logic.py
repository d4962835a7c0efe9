"""Three-valued facts, the steps of an answer, and what the service finds for the rules.

A fact is ``True``, ``False`` or ``None`` (not given). Conditions combine with Kleene's
connectives, which never turn an unknown input into a definite output unless the other
inputs settle it; an outcome is definite only when the conditions defining it are. So
removing a fact can turn an answer into ``unknown`` but never into another answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dualuse.controls.model import Citation

Tri = bool | None


def k_and(*values: Tri) -> Tri:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def k_or(*values: Tri) -> Tri:
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def k_not(value: Tri) -> Tri:
    return None if value is None else not value


def k_any(values: Iterable[Tri]) -> Tri:
    return k_or(*values)


def gt(value: float | None, limit: float) -> Tri:
    return None if value is None else value > limit


def ge(value: float | None, limit: float) -> Tri:
    return None if value is None else value >= limit


def unknowns(*pairs: tuple[str, object]) -> list[str]:
    """The field paths whose value is not known, to name in an unknown step."""
    return [path for path, value in pairs if value is None]


def word(value: Tri) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


@dataclass(frozen=True, slots=True)
class Step:
    """One question of a regime's decision tree, the answer, and the rule it rests on."""

    code: str
    question: str
    answer: str
    """``yes``, ``no``, ``unknown`` or ``info`` (a note that decides nothing)."""
    text: str
    citation: Citation
    missing: tuple[str, ...] = ()
    level: int = 0


@dataclass
class Trace:
    """The steps taken so far, in order; ``level`` nests sub-questions under a question."""

    steps: list[Step] = field(default_factory=list)

    def ask(
        self,
        code: str,
        question: str,
        answer: Tri,
        text: str,
        cite: Citation,
        *,
        missing: Iterable[str] = (),
        level: int = 0,
    ) -> Tri:
        gone = tuple(missing) if answer is None else ()
        self.steps.append(Step(code, question, word(answer), text, cite, gone, level))
        return answer

    def note(self, code: str, text: str, cite: Citation, *, level: int = 0) -> None:
        self.steps.append(Step(code, "", "info", text, cite, (), level))

    def missing(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for step in self.steps:
            for name in step.missing:
                seen.setdefault(name, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class RegimeResult:
    regime: str
    outcome: str
    summary: str
    steps: tuple[Step, ...]
    missing: tuple[str, ...] = ()
    deadline: str | None = None
    gaps: tuple[str, ...] = ()


OUTCOMES: dict[str, tuple[str, ...]] = {
    "us_cfius": ("mandatory_declaration", "not_mandatory", "not_covered", "unknown"),
    "us_outbound": ("prohibited", "notifiable", "not_covered", "unknown"),
    "uk_nsi": ("mandatory", "not_mandatory", "unknown"),
    "eu_fdi": ("factors_present", "no_factors_identified", "not_covered", "unknown"),
}


def finish(
    regime: str,
    outcome: str,
    summary: str,
    trace: Trace,
    *,
    deadline: str | None = None,
    gaps: Iterable[str] = (),
) -> RegimeResult:
    assert outcome in OUTCOMES[regime], outcome
    missing = trace.missing() if outcome == "unknown" else ()
    if missing:
        summary += " Give " + ", ".join(missing) + "."
    return RegimeResult(
        regime, outcome, summary, tuple(trace.steps), missing, deadline, tuple(gaps)
    )


# --- what the service finds with the project's own data, for the pure rules ------------


@dataclass(frozen=True, slots=True)
class Authorization:
    """The project's licence determination for one critical technology to one person."""

    person: str
    """Field path of the person (``investor``, ``investor.owners[0]``)."""
    country: str
    required: Tri
    summary: str
    citations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemFinding:
    """One item of ``target.items``: is it a critical technology, and the determinations."""

    path: str
    label: str
    critical: Tri
    basis: str
    citation: Citation
    within_3a090a: bool = False
    eu_listed: Tri = None
    licence_exception: str | None = None
    authorizations: tuple[Authorization, ...] = ()


@dataclass(frozen=True, slots=True)
class PartyHit:
    """A screening hit on one party (investor, owner, target, subsidiary)."""

    party: str
    name: str
    list_key: str | None
    list_label: str
    entry: str
    score: float
    match: bool


@dataclass(frozen=True, slots=True)
class Findings:
    items: tuple[ItemFinding, ...] | None = None
    """``None`` when ``target.items`` was not given."""
    hits: tuple[PartyHit, ...] = ()
    screened: frozenset[str] = frozenset()
    """Field paths of the parties screened (a party with no hits was screened clean)."""
    eu_member_states: frozenset[str] = frozenset()

    def listed(self, party: str, given: list[str] | None, keys: Iterable[str]) -> Tri:
        """Is ``party`` on any of ``keys``? The deal's own statement decides; without it a
        clean screen says no and a hit leaves it unknown (a person must confirm it)."""
        wanted = set(keys)
        if given is not None:
            return bool(wanted & set(given))
        hits = [h for h in self.hits if h.party == party and h.match and h.list_key in wanted]
        if hits:
            return None
        return False if party in self.screened else None
