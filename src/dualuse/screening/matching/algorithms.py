"""Scoring algorithms: each a class with a NAME and a table of weighted features.

The score of a party is, as in nomenklatura's rule-based matchers, the highest
weighted *main* feature (name, weak alias, identifier) plus the weighted
*qualifiers* (date of birth, country, identifier mismatch), clamped to [0, 1].
A result is a ``match`` when its score is at or above the threshold; the
threshold means one thing: **at or above it, a person reviews the hit before the
transaction goes ahead** (see docs/matching.md for how it was calibrated).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, NamedTuple

from dualuse.errors import InputError
from dualuse.model.screening import FeatureExplanation, ScreeningQuery
from dualuse.screening.matching import features as f
from dualuse.screening.matching.features import Comparison, FeatureValue


@dataclass(frozen=True, slots=True)
class Feature:
    func: Callable[[Comparison], FeatureValue]
    weight: float
    qualifier: bool = False
    needs: str | None = None
    """The query field the feature needs (``birth_date``, ``country``,
    ``identifiers``): without it the feature cannot fire, so it cannot raise that
    query's scores, and a qualifier is not evaluated at all."""

    def can_fire(self, query: ScreeningQuery) -> bool:
        return self.needs is None or bool(getattr(query, self.needs))

    @property
    def name(self) -> str:
        return self.func.__name__

    @property
    def description(self) -> str:
        return _one_line(self.func.__doc__ or "")


@lru_cache(maxsize=64)
def _one_line(doc: str) -> str:
    """A docstring on one line (explanations repeat it for every result)."""
    return " ".join(doc.split())


class Scored(NamedTuple):
    """An algorithm's score of one party, its explanation and the listed name that
    decided it (a named tuple: one per scored party)."""

    score: float
    explanation: tuple[FeatureExplanation, ...]
    matched_name: str | None


class Algorithm:
    """Base class: subclasses set NAME, DESCRIPTION, FEATURES and THRESHOLD."""

    NAME: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    THRESHOLD: ClassVar[float] = 0.75
    """The default threshold for this algorithm's scores."""
    FEATURES: ClassVar[tuple[Feature, ...]] = ()

    @classmethod
    def score(cls, ctx: Comparison, features: Sequence[Feature] | None = None) -> Scored:
        """Score one comparison; the explanation lists every main feature and every
        qualifier that fired (strings only when ``ctx.explain``). ``features``: the
        query's :meth:`active` features, when the caller scores many parties."""
        mains: list[float] = []
        qualifiers = 0.0
        explanation: list[FeatureExplanation] = []
        matched_name: str | None = None
        best_main = -1.0
        for feature in cls.active(ctx.query) if features is None else features:
            value = feature.func(ctx)
            if value.value == 0.0 and feature.qualifier:
                continue
            if feature.qualifier:
                qualifiers += value.value * feature.weight
            if not feature.qualifier:
                contribution = value.value * feature.weight
                mains.append(contribution)
                if contribution > best_main and value.candidate_value is not None:
                    best_main = contribution
                    matched_name = value.candidate_value
            if not ctx.explain:
                continue
            explanation.append(
                FeatureExplanation(
                    feature=feature.name,
                    description=value.detail or feature.description,
                    weight=feature.weight,
                    value=round(value.value, 4),
                    query_value=value.query_value,
                    candidate_value=value.candidate_value,
                )
            )
        score = max(mains, default=0.0)
        if score > 0.0:
            score += qualifiers
        return Scored(min(1.0, max(0.0, score)), tuple(explanation), matched_name)

    @classmethod
    def active(cls, query: ScreeningQuery) -> tuple[Feature, ...]:
        """The features that can fire for ``query``: a qualifier without the query
        field it needs stays at 0, and a qualifier at 0 is neither counted nor
        shown, so it is not evaluated."""
        return tuple(ft for ft in cls.FEATURES if not ft.qualifier or ft.can_fire(query))

    @classmethod
    def gain(cls, query: ScreeningQuery, features: Sequence[Feature] | None = None) -> float:
        """The most the qualifiers can add to this query's scores (for pruning);
        ``features``: the query's :meth:`active` features, if the caller has them."""
        active = cls.active(query) if features is None else features
        return sum(ft.weight for ft in active if ft.qualifier and ft.weight > 0)

    @classmethod
    def describe(cls) -> dict[str, object]:
        """Machine-readable documentation: features, weights, threshold."""
        return {
            "name": cls.NAME,
            "description": cls.DESCRIPTION,
            "threshold": cls.THRESHOLD,
            "features": [
                {
                    "name": ft.name,
                    "weight": ft.weight,
                    "qualifier": ft.qualifier,
                    "description": ft.description,
                }
                for ft in cls.FEATURES
            ],
        }


class LogicV1(Algorithm):
    """The default: names (with transliteration and cultural rules), identifiers,
    and date of birth / country / identifier qualifiers."""

    NAME = "dualuse-logic-v1"
    DESCRIPTION = (
        "Rule-based and explained: the best of name, identifier and weak-alias "
        "evidence, raised or lowered by date of birth, country and identifiers."
    )
    THRESHOLD = 0.75
    FEATURES = (
        Feature(f.name_match, 1.0),
        Feature(f.identifier_match, 0.95),
        Feature(f.weak_alias_match, 0.6),
        Feature(f.dob_match, 0.05, qualifier=True, needs="birth_date"),
        Feature(f.country_match, 0.03, qualifier=True, needs="country"),
        Feature(f.dob_year_mismatch, -0.3, qualifier=True, needs="birth_date"),
        Feature(f.dob_day_mismatch, -0.15, qualifier=True, needs="birth_date"),
        Feature(f.country_mismatch, -0.15, qualifier=True, needs="country"),
        Feature(f.identifier_mismatch, -0.25, qualifier=True, needs="identifiers"),
        Feature(f.weak_name_evidence, -0.25, qualifier=True),
        Feature(f.weak_organization_evidence, -0.25, qualifier=True),
        Feature(f.short_company_name, -0.3, qualifier=True),
    )


class NameOnly(Algorithm):
    """Names alone: for lists without dates or countries, and for comparison."""

    NAME = "dualuse-name-only"
    DESCRIPTION = "The name comparison of dualuse-logic-v1 without qualifiers."
    THRESHOLD = 0.75
    FEATURES = (
        Feature(f.name_match, 1.0),
        Feature(f.weak_alias_match, 0.6),
    )


class OfacLike(Algorithm):
    """What OFAC's own search tool would say (for parity checks, not for decisions)."""

    NAME = "ofac"
    DESCRIPTION = (
        "Emulates OFAC Sanctions List Search (FAQ 249): the higher of whole-string and "
        "per-part Jaro-Winkler. Order-sensitive and lenient; use for parity checks."
    )
    THRESHOLD = 0.85
    FEATURES = (Feature(f.ofac_name_match, 1.0),)


ALGORITHMS: dict[str, type[Algorithm]] = {
    algorithm.NAME: algorithm for algorithm in (LogicV1, NameOnly, OfacLike)
}
DEFAULT_ALGORITHM: type[Algorithm] = LogicV1


def get_algorithm(name: str | None = None) -> type[Algorithm]:
    """The algorithm with this NAME (``None``: the default); unknown names are an
    :class:`InputError` listing the valid ones."""
    if name is None:
        return DEFAULT_ALGORITHM
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise InputError(
            f"unknown screening algorithm {name!r}",
            source="algorithm",
            suggestions=sorted(ALGORITHMS),
        ) from None
