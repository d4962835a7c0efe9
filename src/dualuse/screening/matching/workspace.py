"""The working state of screening: every cache a query fills, in one object that
one query at a time owns, so the :class:`~.retrieval.index.Index` stays immutable and one
index and one screener serve many threads at once.

A :class:`Workspace` belongs to one index and one set of name-score constants (the
similarities it keeps depend on them). The screener lends each query a workspace
nobody else is using (see :class:`~.screener.Screener`); batches keep theirs for a
whole chunk. Caches only ever save work: the results are the same with empty ones
(tested), so their sizes are tuning, all set in :class:`CacheSizes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from dualuse.reference.names import NameForm
    from dualuse.screening.matching.names.compare import SimilarityCache
    from dualuse.screening.matching.retrieval.record import PartyRecord
    from dualuse.screening.matching.retrieval.token_hits import Hits, HitsKey

__all__ = ["DEFAULT_SIZES", "BoundedCache", "CacheSizes", "Workspace"]

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CacheSizes:
    """How much each cache of a :class:`Workspace` holds before it empties itself.
    Batches reuse words, names and parties across thousands of queries: these sizes
    keep a batch's working set (measured: the matching benchmarks' batch speed) at a
    few hundred MiB per workspace at most."""

    forms: int = 50_000
    """Listed names' analysed forms."""
    records: int = 20_000
    """Parties' records, decoded from the index's JSON blob."""
    symbols: int = 100_000
    """Index words' name-symbol sets."""
    word_keys: int = 4_096
    """Query names' word lookups (kept between a batch chunk's prefetch and its queries)."""
    hit_keys: int = 50_000
    """Query words' hit lists (what a word reaches)."""
    hit_names: int = 8_000_000
    """Name ids held by those hit lists together (8 bytes each with their weights)."""
    similarities: int = 200_000
    """Token similarities of query words against listed words."""


DEFAULT_SIZES = CacheSizes()


class BoundedCache(dict[K, V], Generic[K, V]):
    """A dict that empties itself, rather than grow, when it holds ``size`` entries
    or ``weight`` units (emptying costs nothing per hit, unlike an LRU's bookkeeping;
    a batch refills what it still uses). Read it as a dict; store with :meth:`put`.
    Not for sharing between threads: a :class:`Workspace` has one user at a time."""

    __slots__ = ("max_weight", "size", "weight")

    def __init__(self, size: int, max_weight: int | None = None) -> None:
        super().__init__()
        self.size = size
        self.max_weight = max_weight
        self.weight = 0

    def put(self, key: K, value: V, weight: int = 0) -> None:
        """Store ``value`` (counting ``weight`` units), emptying the cache first if full."""
        self.weight += weight
        if len(self) >= self.size or (
            self.max_weight is not None and self.weight > self.max_weight
        ):
            self.clear()
            self.weight = weight
        self[key] = value


class Workspace:
    """The caches of one user of an index at a time (see the module docstring)."""

    __slots__ = ("forms", "hits", "records", "similarities", "symbols", "word_keys")

    def __init__(self, sizes: CacheSizes = DEFAULT_SIZES) -> None:
        self.forms: BoundedCache[int, NameForm] = BoundedCache(sizes.forms)
        self.records: BoundedCache[int, PartyRecord] = BoundedCache(sizes.records)
        self.symbols: BoundedCache[int, frozenset[str]] = BoundedCache(sizes.symbols)
        self.word_keys: BoundedCache[NameForm, tuple[list[int], list[HitsKey], list[int]]] = (
            BoundedCache(sizes.word_keys)
        )
        self.hits: BoundedCache[HitsKey, Hits] = BoundedCache(sizes.hit_keys, sizes.hit_names)
        self.similarities: SimilarityCache = BoundedCache(sizes.similarities)
