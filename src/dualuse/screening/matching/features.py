"""Features: small functions of (query, listed party), each documented by its
docstring; what they change is only the caches they share (the
:class:`Comparison`'s best names, its workspace's token similarities). An
algorithm (see :mod:`.algorithms`) is a table of these with weights.

Each feature returns a :class:`FeatureValue`: a number (usually in [0, 1]) and the
two values it compared, which become the result's explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from dualuse.model.party import NameKind, PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.names import NameForm
from dualuse.screening.matching.names.compare import (
    NameScore,
    SimilarityCache,
    compare_names,
    name_evidence,
)
from dualuse.screening.matching.names.name_params import NameParams
from dualuse.screening.matching.names.ofac import ofac_similarity
from dualuse.screening.matching.names.org_evidence import (
    company_names,
    near_misses,
    short_agreement,
)
from dualuse.screening.matching.retrieval.record import (
    STRONG_ID_SCHEMES,
    PartyRecord,
    normalize_identifier,
)


class FeatureValue(NamedTuple):
    """What a feature found: a number and the two values it compared (a named
    tuple: several are made per scored party)."""

    value: float
    query_value: str | None = None
    candidate_value: str | None = None
    detail: str | None = None


NONE = FeatureValue(0.0)


@dataclass
class Comparison:
    """One query against one listed party; caches the work features share."""

    query: ScreeningQuery
    query_names: tuple[NameForm, ...]
    party: PartyRecord
    candidate_names: tuple[tuple[NameForm, NameKind], ...]
    """The party's names (analysed) that retrieval found worth scoring."""
    params: NameParams = field(default_factory=NameParams)
    similarities: SimilarityCache | None = None
    """Token similarities kept for the query's other candidates (a workspace's)."""
    explain: bool = True
    """Build explanation strings (off while ranking, on for the returned results)."""
    _best: dict[bool, NameScore | None] = field(default_factory=dict)

    def best_name(self, *, weak: bool) -> NameScore | None:
        """The best name score over strong names (``weak=False``) or weak aliases;
        ties prefer a candidate written in the query's script (a Latin query aligns
        to the Latin name, not to an Arabic alias with the same score)."""
        if weak in self._best:
            return self._best[weak]
        best: NameScore | None = None
        best_key = (-1.0, False)
        for query_form in self.query_names:
            for form, kind in self.candidate_names:
                if (kind is NameKind.WEAK_ALIAS) != weak:
                    continue
                scored = compare_names(query_form, form, self.params, self.similarities)
                if scored.score < best_key[0]:
                    continue
                key = (scored.score, form.latin == query_form.latin)
                if key > best_key:
                    best, best_key = scored, key
        self._best[weak] = best
        return best


def _name_feature(ctx: Comparison, *, weak: bool) -> FeatureValue:
    best = ctx.best_name(weak=weak)
    if best is None:
        return NONE
    return FeatureValue(
        best.score,
        best.query.original,
        best.candidate.original,
        best.describe() if ctx.explain else None,
    )


def name_match(ctx: Comparison) -> FeatureValue:
    """How alike the query name is to the party's best-matching listed name or
    strong alias (order-free token alignment with typo, phonetic, transliteration,
    abbreviation and initial tolerance; substitutions and weak-token-only matches
    score low). The main evidence."""
    return _name_feature(ctx, weak=False)


def weak_alias_match(ctx: Comparison) -> FeatureValue:
    """The same name comparison against the party's weak aliases (OFAC's "weak
    a.k.a."), which are too broad to screen on alone: its weight keeps a weak-alias
    hit below any sensible threshold, so it is shown but never decides."""
    return _name_feature(ctx, weak=True)


def _query_identifiers(ctx: Comparison) -> list[tuple[str, str, str]]:
    return [
        (i.scheme.lower(), normalize_identifier(i.value), i.value)
        for i in ctx.query.identifiers
        if normalize_identifier(i.value)
    ]


def identifier_match(ctx: Comparison) -> FeatureValue:
    """An identifier of the query (passport, registration, tax, IMO, LEI...) equals
    one of the party's, compared without separators or case; the schemes must agree
    unless one side's scheme is unknown (``other``)."""
    for scheme, value, raw in _query_identifiers(ctx):
        for p_scheme, p_value, p_raw in ctx.party.identifiers:
            if value == p_value and (scheme == p_scheme or "other" in {scheme, p_scheme}):
                return FeatureValue(1.0, f"{scheme}:{raw}", f"{p_scheme}:{p_raw}")
    return NONE


def identifier_mismatch(ctx: Comparison) -> FeatureValue:
    """Both sides give a globally unique identifier of the same scheme (IMO, LEI,
    MMSI, SWIFT/BIC) and the values differ: evidence of two different parties."""
    mine = {(s, v) for s, v, _ in _query_identifiers(ctx) if s in STRONG_ID_SCHEMES}
    if not mine:
        return NONE
    theirs = {(s, v) for s, v, _ in ctx.party.identifiers if s in STRONG_ID_SCHEMES}
    for scheme, value in mine:
        others = {v for s, v in theirs if s == scheme}
        if others and value not in others:
            return FeatureValue(1.0, f"{scheme}:{value}", f"{scheme}:{sorted(others)[0]}")
    return NONE


def _dates(ctx: Comparison) -> tuple[str, list[str]] | None:
    if not ctx.query.birth_date or not ctx.party.birth_dates:
        return None
    listed = [d.strip() for d in ctx.party.birth_dates if d[:4].isdigit()]
    if not listed or not ctx.query.birth_date[:4].isdigit():
        return None
    return ctx.query.birth_date.strip(), listed


def dob_match(ctx: Comparison) -> FeatureValue:
    """The query's date of birth agrees with a listed one to the precision both
    give (same day, or same year where either gives only a year)."""
    dates = _dates(ctx)
    if dates is None:
        return NONE
    query, listed = dates
    for value in listed:
        common = min(len(query), len(value))
        if query[:common] == value[:common]:
            return FeatureValue(1.0, query, value)
    return NONE


def _typo_grade(query: str, listed: str) -> bool:
    """Two full dates that differ as a typing slip makes them differ: one digit, the
    year by one with the same month and day, or day and month swapped."""
    if len(query) < 10 or len(listed) < 10 or query[:10] == listed[:10]:
        return False
    q, d = query[:10], listed[:10]
    if sum(a != b for a, b in zip(q, d, strict=True)) == 1:
        return True
    if q[4:] == d[4:] and q[:4].isdigit() and d[:4].isdigit():
        return abs(int(q[:4]) - int(d[:4])) == 1
    return q[:5] == d[:5] and q[5:7] == d[8:10] and q[8:10] == d[5:7]


def dob_typo(ctx: Comparison) -> FeatureValue:
    """No listed date of birth agrees with the query's, but a full one is a typing
    slip away from it (one digit, the year by one, day and month swapped)."""
    dates = _dates(ctx)
    if dates is None or dob_match(ctx).value:
        return NONE
    query, listed = dates
    for value in listed:
        if _typo_grade(query, value):
            return FeatureValue(
                1.0, query, value, f"date of birth {query} is a typing slip from {value}"
            )
    return NONE


def dob_year_mismatch(ctx: Comparison) -> FeatureValue:
    """Every listed birth year is more than one year away from the query's (one year
    of slack for approximate dates on the lists), and no listed date is a typing slip
    away from the query's (those lower the score less: see dob_day_mismatch)."""
    dates = _dates(ctx)
    if dates is None:
        return NONE
    query, listed = dates
    year = int(query[:4])
    if all(abs(int(value[:4]) - year) > 1 for value in listed) and not dob_typo(ctx).value:
        return FeatureValue(1.0, query, ", ".join(listed[:3]))
    return NONE


def dob_day_mismatch(ctx: Comparison) -> FeatureValue:
    """Both sides give full dates and none agrees, but a listed year agrees (within
    one) or a listed date is a typing slip away (one digit, the year by one, day and
    month swapped): lowered, still reviewable after an exact name."""
    dates = _dates(ctx)
    if dates is None:
        return NONE
    query, listed = dates
    full = [v for v in listed if len(v) >= 10]
    if len(query) < 10 or not full:
        return NONE
    if any(v[:10] == query[:10] for v in full):
        return NONE
    typo = dob_typo(ctx)
    if typo.value:
        return typo
    if any(abs(int(v[:4]) - int(query[:4])) <= 1 for v in listed):
        return FeatureValue(1.0, query, ", ".join(full[:3]))
    return NONE


def country_match(ctx: Comparison) -> FeatureValue:
    """The query's country is among the party's nationalities, citizenships,
    address countries or jurisdictions."""
    country = (ctx.query.country or "").lower()
    if country and country in ctx.party.countries:
        return FeatureValue(1.0, country, country)
    return NONE


def country_mismatch(ctx: Comparison) -> FeatureValue:
    """The party has countries and the query's country is none of them."""
    country = (ctx.query.country or "").lower()
    if country and ctx.party.countries and country not in ctx.party.countries:
        return FeatureValue(1.0, country, ", ".join(ctx.party.countries[:4]))
    return NONE


EVIDENCE_FULL_BITS = 24.0
"""A name match carrying this many bits needs no corroboration."""
EVIDENCE_LOW_BITS = 12.0
"""At or below this many bits the feature counts in full."""


def _person_names(ctx: Comparison, best: NameScore) -> bool:
    """The comparison is between person names: the query is typed a person, or is
    untyped and neither name reads as an organisation's, nor does another of the
    party's names (an untyped Entity List entry listed as "Rostec (Russian
    Technologies State Corporation)" is an organisation under its short name too)."""
    if ctx.query.type is PartyType.PERSON:
        return True
    if ctx.query.type is not None and ctx.query.type is not PartyType.UNKNOWN:
        return False
    if best.query.organization or best.candidate.organization:
        return False
    return not any(form.organization for form, _kind in ctx.candidate_names)


def weak_name_evidence(ctx: Comparison) -> FeatureValue:
    """A person's name match rests on little evidence and nothing corroborates it:
    the listed words it matched are few, short or frequent on the lists (each word
    counts the bits of its rarity among the index's names, at most two bits per
    letter: "Chen Bo" carries 12 bits, "Kim Jong Sik" 20), and no date of birth
    or identifier confirms the party. Grows from 0 at 24 bits to 1 at 12.
    Organisation names are chosen to be told apart (their generic words are weak
    tokens already), so this applies to person names only."""
    best = ctx.best_name(weak=False)
    if best is None or best.score <= 0.0 or not _person_names(ctx, best):
        return NONE
    if dob_match(ctx).value or dob_typo(ctx).value or identifier_match(ctx).value:
        return NONE
    bits = name_evidence(best, ctx.params)
    if bits >= EVIDENCE_FULL_BITS:
        return NONE
    value = min(1.0, (EVIDENCE_FULL_BITS - bits) / (EVIDENCE_FULL_BITS - EVIDENCE_LOW_BITS))
    return FeatureValue(value, best.query.original, f"{bits:.1f} bits: {best.candidate.original}")


def weak_organization_evidence(ctx: Comparison) -> FeatureValue:
    """An organisation's name match rests only on near misses: every distinctive
    word that agreed is a short word (under eight letters' worth, see
    ``NameParams.org_typo_evidence``) that agreed by a typo or by sound, not
    exactly ("Safran" against "SAIRAN", "Inditex" against "INDUITEX"), and no
    identifier confirms the party. One letter makes another firm's short name;
    a long distinctive word with a typo is still evidence. Person names are left
    to ``weak_name_evidence``."""
    best = _organization_name(ctx)
    if best is None:
        return NONE
    missed = near_misses(best, ctx.params)
    if not missed or identifier_match(ctx).value:
        return NONE
    return _flag(ctx, best, f"only near misses agreed: {', '.join(missed)}")


def _organization_name(ctx: Comparison) -> NameScore | None:
    """The best strong name score when it compares organisation names."""
    best = ctx.best_name(weak=False)
    if best is None or best.score <= 0.0 or _person_names(ctx, best):
        return None
    if not (best.query.organization or best.candidate.organization):
        return None
    return best


def _flag(ctx: Comparison, best: NameScore, detail: str) -> FeatureValue:
    """A qualifier that fired on ``best``, with its detail when explaining."""
    return FeatureValue(
        1.0, best.query.original, best.candidate.original, detail if ctx.explain else None
    )


def short_company_name(ctx: Comparison) -> FeatureValue:
    """An organisation's name match rests on three letters or fewer written as a
    company's name (a legal form on either side: "NSK Ltd." against "OOO NSK",
    "NEC" against "JSC NEC") of a listed company (one of its names carries a
    legal form), or on two letters however written ("H&M" against "HM"), and no
    identifier or country confirms the party: firms the world over are
    registered under each three-letter name. A bare acronym the list gives for a
    body ("FSB", "DJI"), or a body that is no company ("ADF Ltd" against the
    armed group ADF), is left to the name score."""
    best = _organization_name(ctx)
    if best is None:
        return NONE
    words = short_agreement(best)
    if words is None or identifier_match(ctx).value or country_match(ctx).value:
        return NONE
    letters = len(words) - words.count(" ")
    if letters > 2 and not company_names(n for n, _kind in ctx.party.names):
        return NONE
    return _flag(ctx, best, f"only {words!r} agreed: a short company name")


def ofac_name_match(ctx: Comparison) -> FeatureValue:
    """OFAC Sanctions List Search style name score (FAQ 249: the higher of a
    whole-string and a per-name-part Jaro-Winkler), over all the party's names."""
    best = NONE
    for query_form in ctx.query_names:
        for form, _kind in ctx.candidate_names:
            value = ofac_similarity(query_form.original, form.original)
            if value > best.value:
                best = FeatureValue(value, query_form.original, form.original)
    return best
