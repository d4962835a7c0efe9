"""A score per company: the sum of the weights of the red flags raised by the rules in
force on the date asked about, with every reason, its sources, and the rules that could
not run for lack of data.

The sum is monotone by construction: a further red flag never lowers a score. Weights and
levels are the project's judgement (the guidance ranks nothing) and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dualuse.diversion.shell.codes import Codes
from dualuse.diversion.shell.flags import RULES, Listed, Outcome, with_file
from dualuse.diversion.shell.records import Company, Records
from dualuse.diversion.shell.rulebook import RuleBook, RuleSpec
from dualuse.errors import InputError


@dataclass(frozen=True, slots=True)
class CompanyScore:
    company: Company
    score: int
    level: str
    flags: tuple[tuple[RuleSpec, Outcome], ...]
    not_evaluated: tuple[tuple[RuleSpec, Outcome], ...]

    def to_json(self, book: RuleBook) -> dict[str, Any]:
        c = self.company
        return {
            "id": c.id,
            "name": c.name,
            "countries": list(c.countries),
            "incorporated": str(c.incorporated) if c.incorporated else None,
            "listed": c.listed,
            "score": self.score,
            "level": self.level,
            "flags": [
                {
                    "rule": spec.id,
                    "title": spec.title,
                    "weight": spec.weight,
                    "reason": out.reason,
                    "evidence": dict(out.evidence),
                    "sources": book.citation(spec),
                    "verified": spec.verified,
                }
                for spec, out in self.flags
            ],
            "not_evaluated": [
                {"rule": spec.id, "reason": out.reason} for spec, out in self.not_evaluated
            ],
        }


def check_rules(book: RuleBook) -> None:
    """Every rule of the book has a function and every function a rule."""
    ids = {r.id for r in book.rules}
    if ids != set(RULES):
        raise InputError(
            f"rules without a function {sorted(ids - set(RULES))}, functions without a "
            f"rule {sorted(set(RULES) - ids)}",
            source="shell_rules.yaml",
        )


def level_of(score: int, book: RuleBook) -> str:
    if score >= book.high:
        return "high"
    if score >= book.elevated:
        return "elevated"
    return "low" if score > 0 else "none"


def score_company(
    company: Company, records: Records, listed: Listed, book: RuleBook, codes: Codes, day: date
) -> CompanyScore:
    raised, unknown = [], []
    for spec in book.rules:
        if not spec.in_force(day):
            continue
        outcome = RULES[spec.id](company, records, listed, book, codes)
        if outcome.status == "flag":
            raised.append((spec, outcome))
        elif outcome.status == "not_evaluated":
            unknown.append((spec, outcome))
    total = sum(spec.weight for spec, _ in raised)
    return CompanyScore(company, total, level_of(total, book), tuple(raised), tuple(unknown))


def score_all(
    records: Records, listed: Listed, book: RuleBook, codes: Codes, day: date
) -> list[CompanyScore]:
    """Every company (not people), highest score first."""
    check_rules(book)
    context = with_file(listed, records)
    scores = [
        score_company(c, records, context, book, codes, day) for c in records.companies.values()
    ]
    scores.sort(key=lambda s: (-s.score, s.company.id))
    return scores


def report(
    scores: list[CompanyScore], records: Records, book: RuleBook, day: date
) -> dict[str, Any]:
    in_force = [r for r in book.rules if r.in_force(day)]
    counts = {
        lvl: sum(1 for s in scores if s.level == lvl) for lvl in ("high", "elevated", "low", "none")
    }
    return {
        "as_of": str(day),
        "companies": [s.to_json(book) for s in scores],
        "findings": [f.to_json() for f in records.findings],
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "weight": r.weight,
                "sources": list(r.sources),
                "effective_from": str(r.effective_from) if r.effective_from else None,
                "verified": r.verified,
            }
            for r in in_force
        ],
        "weights_note": book.levels_text,
        "counts": {"companies": len(scores), **counts, "findings": len(records.findings)},
    }
