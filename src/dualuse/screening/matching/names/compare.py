"""Comparing two analysed names: token similarity, alignment, and the name score.

A name score answers "are these two spellings the same name?" on [0, 1]. The
query's tokens are aligned one-to-one with the candidate's (order-free: "Putin,
Vladimir" = "Vladimir Putin"; runs of 2-3 tokens may align with one token, for
joined and split words and for initials); each aligned pair has a similarity and a
weight from the tokens' roles, and unaligned tokens cost in proportion to their
weight. Two things a plain string distance misses are scored explicitly:

* a *substitution* (each side keeps a distinctive token the other lacks:
  "George Bush" vs "George Habbash", "Daniel Tusk" vs "Donald Tusk") is a different
  name, not a near miss;
* a match on weak tokens only (a legal form, "CORP", "al", "group") is no match.

Functions of their arguments alone, but for the similarity cache a caller may pass
(filled, never read for anything but speed); :class:`NameParams` (:mod:`.name_params`)
holds every tunable constant, :mod:`.token_similarity` says how alike two tokens are.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz.distance import OSA

from dualuse.reference.names import NameForm, Script, TokenKind, romanization_key
from dualuse.reference.names.common_words import common_org_words
from dualuse.reference.names.org_types import ORG_TYPE_WORDS
from dualuse.reference.names.scripts import HAN_OR_HANGUL
from dualuse.screening.matching.names.name_params import (
    DEFAULT_PARAMS,
    NameParams,
    kind_weights,
    leftover_costs,
)
from dualuse.screening.matching.names.name_shape import STRONG_KINDS as _STRONG
from dualuse.screening.matching.names.name_shape import NameShape, name_shape
from dualuse.screening.matching.names.org_evidence import (
    WHOLE_NAME_SIMILARITY,
    agreement,
    concept_pair,
    one_common_word,
    only_weak,
    word_evidence,
)
from dualuse.screening.matching.names.token_similarity import (
    How,
    symbol_similarity,
    token_similarity,
)
from dualuse.screening.matching.workspace import BoundedCache

__all__ = ["AlignedPair", "NameScore", "SimilarityCache", "compare_names", "name_evidence"]

_SUBSTANTIVE = {TokenKind.NAME, TokenKind.NUMBER, TokenKind.INITIAL, TokenKind.GENERIC}
_NOT_JOINED = {TokenKind.LEGAL, TokenKind.NUMBER}
# enum members read once (reading one off its class costs a few hundred ns, and the
# name score runs for every pair of tokens of every candidate name)
_LEGAL, _PARTICLE, _GENERIC = TokenKind.LEGAL, TokenKind.PARTICLE, TokenKind.GENERIC
_NUMBER = TokenKind.NUMBER
_INITIAL, _LEGAL_FORM = How.INITIAL, How.LEGAL
_EXACT_HIT: tuple[float, How] = (1.0, How.EXACT)
_NO_WORDS: frozenset[str] = frozenset()
_BODY_WORDS = frozenset({"group", "holding", "holdings"})
"""Generic words used like a legal form, after any name ("Abu Sayyaf Group"):
a missing one costs what other generic words cost in person names."""
_LISTED_BODY_WORDS = ORG_TYPE_WORDS | {"group"}
"""Words of a listed name that say what kind of body it is, not which ("STATE
CORPORATION", "CONCERN", "GROUP": "SENSETIME GROUP LIMITED" is known as
SenseTime): one the query lacks costs what a weak word costs."""


class AlignedPair(NamedTuple):
    """Query tokens paired with candidate tokens: a way the names could align, and
    once taken, part of the alignment (a named tuple because dozens are made per
    pair of names, and a frozen dataclass's field-by-field construction costs three
    times as much)."""

    query: tuple[int, ...]
    candidate: tuple[int, ...]
    similarity: float
    how: How
    weight: float


class NameScore(NamedTuple):
    """The score of one query name against one candidate name, with its parts
    (a named tuple, as :class:`AlignedPair`)."""

    score: float
    query: NameForm
    candidate: NameForm
    pairs: tuple[AlignedPair, ...] = ()
    extra_query: tuple[int, ...] = ()
    extra_candidate: tuple[int, ...] = ()
    penalties: tuple[tuple[str, float], ...] = ()

    def describe(self) -> str:
        """One line: aligned tokens, then ``-x`` query-only and ``+y`` listed-only;
        organisation names begin with which of the listed words agreed, distinctive
        and generic (":func:`agreement`)."""
        parts: list[str] = []
        if self.query.organization or self.candidate.organization:
            parts.append(agreement(self) + " |")
        for pair in self.pairs:
            left = " ".join([self.query.tokens[i] for i in pair.query])
            right = " ".join([self.candidate.tokens[j] for j in pair.candidate])
            if left == right:
                parts.append(left)
            else:
                parts.append(f"{left}~{right}({pair.how.value} {pair.similarity:.2f})")
        parts.extend([f"-{self.query.tokens[i]}" for i in self.extra_query])
        parts.extend([f"+{self.candidate.tokens[j]}" for j in self.extra_candidate])
        parts.extend([f"[{name} -{value:.2f}]" for name, value in self.penalties])
        return " ".join(parts)


SimilarityCache = BoundedCache[tuple[object, ...], tuple[float, How]]
"""Token similarities keyed by both tokens and their properties, reusable across
candidates and queries made with the same :class:`NameParams` (a workspace's)."""


def compare_names(
    query: NameForm,
    candidate: NameForm,
    params: NameParams = DEFAULT_PARAMS,
    cache: SimilarityCache | None = None,
) -> NameScore:
    """Score a query name against a candidate name (see the module docstring).

    ``cache`` may be shared by all comparisons made with the same ``params``."""
    if not query.tokens or not candidate.tokens:
        return NameScore(0.0, query, candidate)
    organization = query.organization or candidate.organization
    table = kind_weights(params)
    q_tokens, c_tokens = query.tokens, candidate.tokens
    q_kinds, c_kinds = query.kinds, candidate.kinds
    q_orig, c_orig = query.originals, candidate.originals
    q_syms, c_syms = query.symbols, candidate.symbols
    q_shape, c_shape = name_shape(query, table), name_shape(candidate, table)
    qw, cw = q_shape.weights, c_shape.weights
    min_sim = params.min_similarity
    options: list[AlignedPair] = []
    """Every pair that could align; the best are taken greedily below."""
    exact_q: set[int] = set()
    exact_c: set[int] = set()
    for i, q in enumerate(q_tokens):
        qk = q_kinds[i]
        for j, c in enumerate(c_tokens):
            ck = c_kinds[j]
            if qk is _LEGAL or ck is _LEGAL:
                if qk is ck:
                    sim = 1.0 if q == c else 0.8
                    options.append(AlignedPair((i,), (j,), sim, _LEGAL_FORM, max(qw[i], cw[j])))
                continue
            if (qk is _PARTICLE) != (ck is _PARTICLE):
                continue  # "al" is never a typo of "ali"
            if q == c and q_orig[i] == c_orig[j]:
                hit = _EXACT_HIT
            else:
                key = (q, q_orig[i], c, c_orig[j], ck is _GENERIC, organization)
                found = cache.get(key) if cache is not None else None
                if found is None:
                    found = token_similarity(
                        q,
                        c,
                        query.scripts[i],
                        candidate.scripts[j],
                        q_original=q_orig[i],
                        c_original=c_orig[j],
                        organization=organization,
                        c_generic=ck is _GENERIC,
                        params=params,
                    )
                    if cache is not None:
                        cache.put(key, found)
                hit = found
                if q_syms[i] and c_syms[j] and hit[0] < params.symbol_score:
                    by_symbol = symbol_similarity(
                        query.scripts[i],
                        candidate.scripts[j],
                        q_syms[i],
                        c_syms[j],
                        q_orig[i],
                        c_orig[j],
                        params,
                    )
                    if by_symbol[0] > hit[0]:
                        hit = by_symbol
            sim = hit[0]
            if sim >= min_sim:
                options.append(AlignedPair((i,), (j,), sim, hit[1], max(qw[i], cw[j])))
                if sim == 1.0:
                    exact_q.add(i)
                    exact_c.add(j)
    open_q = len(q_tokens) - len(exact_q)
    open_c = len(c_tokens) - len(exact_c)
    # joined/split words and initials: one token against a run of 2+ on the other side
    if open_q >= 1 and open_c >= 2:
        _add_joined(options, query, candidate, q_shape, c_shape, params, reverse=False)
    if open_c >= 1 and open_q >= 2:
        _add_joined(options, candidate, query, c_shape, q_shape, params, reverse=True)

    # most similar first, then heaviest, then fewest tokens
    options.sort(
        key=lambda o: (o.similarity, o.weight, -len(o.query) - len(o.candidate)), reverse=True
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[AlignedPair] = []
    for option in options:
        if used_q.intersection(option.query) or used_c.intersection(option.candidate):
            continue
        used_q.update(option.query)
        used_c.update(option.candidate)
        pairs.append(option)
    if q_shape.numbers and c_shape.numbers:
        _pair_series(q_shape, c_shape, pairs, used_q, used_c, params)
    extra_q = tuple([i for i in range(len(q_tokens)) if i not in used_q])
    extra_c = tuple([j for j in range(len(c_tokens)) if j not in used_c])
    return _score(query, candidate, q_shape, c_shape, pairs, extra_q, extra_c, params)


def _pair_series(
    q_shape: NameShape,
    c_shape: NameShape,
    pairs: list[AlignedPair],
    used_q: set[int],
    used_c: set[int],
    params: NameParams,
) -> None:
    """Numbers left over on both sides, in order, become series pairs (a fund, trust
    or vessel series of one sponsor is one family to review), scored
    :attr:`NameParams.series_score` instead of a substitution."""
    left = [i for i in q_shape.numbers if i not in used_q]
    right = [j for j in c_shape.numbers if j not in used_c]
    qw, cw = q_shape.weights, c_shape.weights
    for i, j in zip(left, right, strict=False):
        used_q.add(i)
        used_c.add(j)
        pairs.append(AlignedPair((i,), (j,), params.series_score, How.SERIES, max(qw[i], cw[j])))


def _add_joined(
    options: list[AlignedPair],
    single: NameForm,
    multi: NameForm,
    s_shape: NameShape,
    m_shape: NameShape,
    params: NameParams,
    *,
    reverse: bool,
) -> None:
    """Options where one token of ``single`` is a run of 2-3 tokens of ``multi``
    (joined words, split words, or initials: "jc" for "jean claude"); the runs come
    from ``multi``'s shape, looked up by what they spell."""
    if len(multi.tokens) < 2:
        return
    organization = single.organization or multi.organization
    sw, mw = s_shape.weights, m_shape.weights
    kinds, scripts = single.kinds, single.scripts
    for i, token in enumerate(single.tokens):
        if len(token) < 2 or kinds[i] in _NOT_JOINED:
            continue
        # runs written together, with a typo, or initials begin with the token's letter
        first = token[0]
        dense = m_shape.latin and scripts[i] in HAN_OR_HANGUL
        if first not in m_shape.run_letters and not dense:
            continue
        found: list[tuple[float, tuple[int, ...], How]] = []
        runs = m_shape.runs()
        exact = runs.joined(token)
        if exact is not None:
            found.append((1.0, exact, How.JOINED))
        elif dense:
            # a Korean or Chinese given name written as one word in its script and
            # split in Latin, in another romanisation: 근혜 / Geun-hye, 泽东 / Tse-tung
            korean = scripts[i] is Script.HANGUL
            key = romanization_key(token, korean)
            for idx, joined in runs.joinable:
                if romanization_key(joined, korean) == key:
                    found.append((params.translit_score, idx, How.TRANSLIT))
        elif len(token) >= 5:
            for idx, joined in runs.joinable:
                if joined[0] != first or abs(len(joined) - len(token)) > 1:
                    continue
                if OSA.distance(token, joined, score_cutoff=1) <= 1:
                    found.append((1.0 - params.typo_scale / (len(token) + 1), idx, How.JOINED))
        if not found and len(token) <= 5 and token.isalpha():
            # initials: "jc" for "jean claude", "pla" for "peoples liberation army"
            idx_i = runs.initials(token)
            if idx_i is not None and (organization or len(idx_i) <= 3):
                found.append((params.initial_score, idx_i, How.INITIAL))
        for sim, idx, how in found:
            if sim < params.min_similarity:
                continue
            weight = max(sw[i], sum(mw[j] for j in idx))
            if reverse:
                options.append(AlignedPair(idx, (i,), sim, how, weight))
            else:
                options.append(AlignedPair((i,), idx, sim, how, weight))


def _is_place(form: NameForm, index: int) -> bool:
    """The token names a country (a branch or subsidiary: "Banco Santander Chile")."""
    return form.kinds[index] in _STRONG and any(
        s.startswith("LOC:") and s != "LOC:zz"
        for s in form.symbols[index]  # zz: "global"
    )


def _leftovers(
    form: NameForm,
    extra: tuple[int, ...],
    weights: tuple[float, ...],
    cost_strong: float,
    cost_weak: float,
    *,
    org: bool,
    generic_cost: float | None = None,
    exempt: frozenset[str] = _NO_WORDS,
) -> tuple[float, bool, bool, bool]:
    """What a side's unaligned tokens cost (a generic one ``generic_cost`` when
    given, unless ``exempt``), and whether they hold a substantive token, a number, or
    (organisations) a place."""
    kinds = form.kinds
    cost = 0.0
    substantive = number = place = False
    for i in extra:
        kind = kinds[i]
        if generic_cost is not None and kind is _GENERIC and form.tokens[i] not in exempt:
            cost += generic_cost
        else:
            cost += weights[i] * (cost_strong if kind in _STRONG else cost_weak)
        substantive = substantive or kind in _SUBSTANTIVE
        number = number or kind is _NUMBER
        place = place or (org and _is_place(form, i))
    return cost, substantive, number, place


def _score(
    query: NameForm,
    candidate: NameForm,
    q_shape: NameShape,
    c_shape: NameShape,
    pairs: list[AlignedPair],
    extra_q: tuple[int, ...],
    extra_c: tuple[int, ...],
    params: NameParams,
) -> NameScore:
    # one pass over the pairs and one over each side's leftovers (this runs for
    # every candidate name: plain loops, not a generator per quantity)
    q_strong, c_strong = q_shape.strong, c_shape.strong
    org = query.organization or candidate.organization
    common = common_org_words() if org else _NO_WORDS
    q_tokens, c_tokens = query.tokens, candidate.tokens
    matched = total = 0.0
    initial_only = strong = words = False
    lowest = 1.0
    distinct = 0  # pairs of distinctive words (organisations only)
    for p in pairs:
        matched += p.weight * p.similarity
        total += p.weight
        lowest = min(lowest, p.similarity)
        words = words or p.how is not _LEGAL_FORM
        if p.how is _INITIAL:
            # a full query word that only met an initial is no evidence of the same
            # name: "Christopher Mueller" vs "Christopher M. Gray" keeps a substitution
            if len(p.query) == 1 and len(p.candidate) == 1 and len(q_tokens[p.query[0]]) > 1:
                initial_only = True
        elif org and concept_pair(query, candidate, p):
            lowest = 0.0  # a kind of body named twice, no evidence of one body
        elif org or not strong:
            # in a firm's name a common word ("energy", "bank") is no evidence alone
            evidence = False
            for i in p.query:
                evidence = evidence or (q_strong[i] and q_tokens[i] not in common)
            for j in p.candidate:
                evidence = evidence or (c_strong[j] and c_tokens[j] not in common)
            strong = strong or evidence
            if evidence:
                distinct += word_evidence(candidate, p) if org else 1
    cost_q, cost_c = leftover_costs(params, organization=org)
    unmatched_q, sub_q, q_numbers, q_place = _leftovers(
        query,
        extra_q,
        q_shape.weights,
        cost_q,
        params.extra_query,
        org=org,
        generic_cost=params.org_query_generic_cost if org else None,
        exempt=_BODY_WORDS,
    )
    unmatched_c, sub_c, c_numbers, c_place = _leftovers(
        candidate,
        extra_c,
        c_shape.weights,
        cost_c,
        params.extra_candidate,
        org=org,
        generic_cost=params.org_listed_generic_cost / max(1, distinct) if org else None,
        exempt=_LISTED_BODY_WORDS,
    )
    if org and not strong and words and not initial_only:
        # the whole name agrees, word for word up to its legal form and typos:
        # "General Technology Ltd" is the listed GENERAL TECHNOLOGY LIMITED; one
        # generic or common word alone ("BANCORP") names many bodies
        strong = (
            lowest >= WHOLE_NAME_SIMILARITY
            and not one_common_word(candidate, pairs)
            and only_weak(query, extra_q)
            and only_weak(candidate, extra_c)
        )
    sub_q = sub_q or initial_only
    denominator = total + unmatched_q + unmatched_c
    score = matched / denominator if denominator > 0 else 0.0
    penalties: list[tuple[str, float]] = []
    if sub_q and sub_c:
        penalties.append(("substitution", params.substitution_penalty))
    if q_numbers and c_numbers:
        penalties.append(("number mismatch", params.number_mismatch_penalty))
    elif (q_numbers or c_numbers) and org:
        penalties.append(("series number", params.lone_number_penalty))
    if q_place or c_place:
        penalties.append(("place", params.place_penalty))
    if q_shape.patronymic and c_shape.patronymic:
        q_roles, c_roles, q_kinds = q_shape.roles, c_shape.roles, query.kinds
        flips = sum(
            1
            for p in pairs
            if len(p.query) == 1
            and len(p.candidate) == 1
            and q_roles[p.query[0]] != c_roles[p.candidate[0]]
            and q_kinds[p.query[0]] is TokenKind.NAME
        )
        if flips:
            penalties.append(("patronymic order", params.role_flip_penalty * flips))
    if penalties:
        score -= sum([value for _, value in penalties])
    if not strong and score > params.weak_only_cap:
        penalties.append(("weak tokens only", score - params.weak_only_cap))
        score = params.weak_only_cap
    score = min(1.0, max(0.0, score))
    return NameScore(
        score=score,
        query=query,
        candidate=candidate,
        pairs=tuple(pairs),
        extra_query=extra_q,
        extra_candidate=extra_c,
        penalties=tuple(penalties),
    )


def name_evidence(scored: NameScore, params: NameParams = DEFAULT_PARAMS) -> float:
    """Bits of evidence the aligned name and number words carry: per word of the
    listed name, its rarity on the index (:attr:`NameForm.rarity`), at most
    :attr:`NameParams.bits_per_letter` per letter, times the pair's similarity.
    Initials and weak words carry none. Without rarities (a name outside an index),
    the letter cap alone counts."""
    candidate = scored.candidate
    total = 0.0
    for pair in scored.pairs:
        if pair.how is How.INITIAL:
            continue
        for j in pair.candidate:
            if candidate.kinds[j] not in _STRONG:
                continue
            token = candidate.tokens[j]
            cap = params.bits_per_letter * len(token)
            rarity = candidate.rarity[j] if j < len(candidate.rarity) else cap
            total += min(rarity, cap) * pair.similarity
    return total
