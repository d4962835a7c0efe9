"""The stages of retrieval that work on arrays alone (:meth:`.index.Index.retrieve`
runs them): what the query reached, summed by name, the best names first, the
names chosen, and each chosen name's score bound; and the :class:`Candidate` they
make."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dualuse.screening.matching.names.name_params import NameParams, leftover_costs
from dualuse.screening.matching.retrieval.index_format import I32

__all__ = ["Candidate", "Chosen", "Reached", "best_first", "bound", "sum_by_name"]


class Candidate(NamedTuple):
    """A party found by retrieval, with the names worth scoring (a named tuple:
    up to twenty per query)."""

    party: int
    names: tuple[int, ...]
    retrieval_score: float
    bound: float = 1.0
    """An upper bound of the party's name score, from which query tokens reached
    its names (see :func:`bound`); the screener skips parties whose bound
    cannot beat the results it already has."""


@dataclass(slots=True)
class Reached:
    """What a query's words reached (the postings stage of :meth:`Index.retrieve`):
    chunks of names, each sorted, with their weights and how many query words each
    chunk stands for (1 a word, 2 a split word, 0 an identifier)."""

    names: list[I32] = field(default_factory=list)
    weights: list[npt.NDArray[np.float32]] = field(default_factory=list)
    reach: list[float] = field(default_factory=list)
    tokens: list[npt.NDArray[np.int64]] = field(default_factory=list)
    """Index words the query's words reached."""
    joined: list[I32] = field(default_factory=list)
    """Names reached as two listed words written together in one query word."""
    ceiling: float = 0.0
    """The query's own retrieval score (every word found exactly)."""
    n_query: int = 0
    """Retrievable words of the query name that has most."""
    n_numbers: int = 0
    """Number words among them."""
    n_splits: int = 0
    """Pairs of its words that an index word writes together."""

    def add(self, names: I32, weights: npt.NDArray[np.float32], reach: float) -> None:
        self.names.append(names)
        self.weights.append(weights)
        self.reach.append(reach)


@dataclass(slots=True)
class Chosen:
    """The names the choose stage keeps, in rank order, grouped by party."""

    names: list[int] = field(default_factory=list)
    reach: list[int] = field(default_factory=list)
    by_party: dict[int, list[int]] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    """Each party's best retrieval score."""

    def add(self, party: int, name: int, reach: int) -> None:
        self.by_party[party].append(name)
        self.names.append(name)
        self.reach.append(reach)


def sum_by_name(reached: Reached) -> tuple[I32, npt.NDArray[np.float32], I32] | None:
    """Stage 2: each reached name once, with the sum of its weights and of its
    chunks' query words; None when no name was reached."""
    if not reached.names:
        return None
    every = np.concatenate(reached.names)
    if not len(every):  # words known to the vocabulary, held by no name here
        return None
    # each chunk is sorted by name: a stable sort (timsort) merges sorted runs
    # faster than np.unique's quicksort
    perm = every.argsort(kind="stable")
    ordered = every[perm]
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    group = first.cumsum() - 1
    total = np.bincount(group, weights=np.concatenate(reached.weights)[perm]).astype(np.float32)
    reach_each = np.repeat(np.asarray(reached.reach), [len(c) for c in reached.names])
    reach = np.bincount(group, weights=reach_each[perm]).astype(np.int32)
    return ordered[first], total, reach


def best_first(
    hits: I32, total: npt.NDArray[np.float32], reach: I32, keep: int, strong: npt.NDArray[np.int8]
) -> tuple[I32, npt.NDArray[np.float32], I32]:
    """The ``keep`` best-scored names (a partition first: most queries reach far
    more names than are kept), best first. Names of one score (a common word
    reaches hundreds: "Gazprom" is a word of 469 listed names) go shorter first, by
    ``strong``, each name's count of strong words: a listed name with fewer words
    the query lacks can score higher (see :func:`bound`), and the exact listed
    "Gazprom" must not lose its place to "GAZPROM KAPITAL"; then in name order."""
    if len(hits) > keep:
        negated = -total
        top = negated.argpartition(keep - 1)[:keep]
        last = negated[top].max()
        tied = np.flatnonzero(negated == last)
        if len(tied) > 1:
            above = top[negated[top] < last]
            tied = tied[np.lexsort((hits[tied], strong[hits[tied]]))][: keep - len(above)]
            top = np.concatenate([above, tied])
        hits, total, reach = hits[top], total[top], reach[top]
    order = np.lexsort((hits, strong[hits], -total))
    return hits[order], total[order], reach[order]


def bound(
    strong: int,
    initials: int,
    organization: bool,
    reached: int,
    n_query: int,
    n_numbers: int,
    params: NameParams,
) -> float:
    """An upper bound of the name score of a listed name (with ``strong`` name and
    number words and ``initials`` initials) that ``reached`` of the query's
    ``n_query`` retrievable tokens reached: the best case aligns every reached token
    exactly, a query token retrieval did not reach stays unmatched, meets an initial
    of the listed name or (one of the query's ``n_numbers`` numbers) another number
    as a series, and each listed name word left over costs what it costs in the
    score (see :mod:`..names.compare`)."""
    got = min(reached, n_query)
    unreached = n_query - got
    via_initial = min(unreached, initials)
    unreached -= via_initial
    left = max(0, strong - got)
    series = min(unreached, left, n_numbers)
    unreached -= series
    left -= series
    cost_q, cost_c = leftover_costs(params, organization=organization)
    matched = got + params.initial_score * via_initial + params.series_score * series
    denominator = got + via_initial + series + cost_q * unreached + cost_c * left
    return 1.0 if denominator <= 0 else min(1.0, matched / denominator)
