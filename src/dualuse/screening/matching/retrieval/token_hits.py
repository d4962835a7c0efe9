"""What query words reach in a screening index, many words at a time.

A query word stands for the index words it reaches through keys (itself, typo
neighbours within the name score's budget, Metaphone, consonant skeleton, name
symbols; see :mod:`.keys`), each with a match quality; it reaches the names that
hold those words, weighted ``idf x quality`` (a name keeps its best weight; a
variant's idf is capped at the exact word's, where the index has the word). The
words of a query, or of a whole chunk of a batch, are looked up together in a few
array operations: per word, the numpy calls would cost more than the work. What a
word reaches does not depend on which other words it was looked up with (tested).
Results are cached in the caller's :class:`~..workspace.Workspace`: the same words
come back again and again in a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from dualuse.reference.names import Script, metaphone, skeleton
from dualuse.reference.names.scripts import ABJADS
from dualuse.screening.matching.names.token_similarity import typo_budgets
from dualuse.screening.matching.retrieval import keys as k
from dualuse.screening.matching.retrieval.index_format import I32
from dualuse.screening.matching.workspace import BoundedCache

__all__ = ["Hits", "HitsKey", "TokenHits", "csr_positions", "gather"]

Q_EXACT, Q_TYPO, Q_TYPO2, Q_SYMBOL, Q_PHONETIC, Q_SKELETON = 1.0, 0.8, 0.65, 0.8, 0.6, 0.6
JOINED_WEIGHT = 6.0
"""Weight of a name reached as two listed words written together in the query."""

Hits = tuple[I32, npt.NDArray[np.float32], npt.NDArray[np.int64], I32]
"""Names a query word reaches (ascending), their weights, the index words it
reached them through, and the names it reached as two listed words written
together."""

HitsKey = tuple[str, Script, frozenset[str], frozenset[int]]
"""A query word, its script, its name symbols, and index words to leave out
(reached by a split word of the query already: "al adnani" -> "aladnani")."""


def csr_positions(
    offsets: npt.NDArray[np.integer], rows: npt.NDArray[np.integer]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The positions of several CSR rows' values, in row order, and each row's
    length (no Python loop over the rows)."""
    starts = offsets[rows].astype(np.int64)
    lengths = offsets[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), lengths
    positions = (starts - (lengths.cumsum() - lengths)).repeat(lengths)
    positions += np.arange(total)
    return positions, lengths


def gather(
    offsets: npt.NDArray[np.integer], values: I32, rows: npt.NDArray[np.integer]
) -> tuple[I32, npt.NDArray[np.intp]]:
    """The values of several CSR rows at once, and the position in ``rows`` each
    value came from (no Python loop over the rows)."""
    positions, lengths = csr_positions(offsets, rows)
    if not len(positions):
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.intp)
    picked: I32 = values[positions]
    return picked, np.arange(len(rows)).repeat(lengths)


_TRUE = np.ones(1, dtype=bool)


def _first_of_runs(*columns: npt.NDArray[np.integer]) -> npt.NDArray[np.bool_]:
    """Marks the first row of each run of equal rows in sorted ``columns``."""
    if len(columns[0]) <= 1:
        return np.ones(len(columns[0]), dtype=bool)
    change = columns[0][1:] != columns[0][:-1]
    for column in columns[1:]:
        change |= column[1:] != column[:-1]
    return np.concatenate((_TRUE, change))


def _shapes(words: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Length and first character code of each word (what a typo budget depends on)."""
    return (
        np.fromiter((len(w) for w in words), np.int64, len(words)),
        np.fromiter((ord(w[0]) if w else 0 for w in words), np.int64, len(words)),
    )


class TokenHits:
    """The word lookups of one index (its arrays and vocabulary); immutable, what
    queries cache lives in their workspace."""

    def __init__(
        self, arrays: dict[str, np.ndarray], vocab: list[str], vocab_index: dict[str, int]
    ) -> None:
        self._a = arrays
        self._vocab = vocab
        self._vocab_index = vocab_index
        self._shapes = _shapes(vocab)
        """:func:`_shapes` of every index word."""
        self._vocab_objects = np.asarray(vocab, dtype=object)
        """The index words as an object array (picking many at once is one call)."""
        self._joined_hashes = frozenset(arrays["joined_hash"].tolist())
        """The hashes of the table of names written together, as a set (see
        :meth:`_joined`)."""

    def lookup(self, table: str, hashes: Sequence[int] | npt.NDArray[np.int64]) -> I32:
        """The values stored under the hashes in one of the index's hash tables."""
        return self.lookup_from(table, hashes)[0]

    def lookup_from(
        self, table: str, hashes: Sequence[int] | npt.NDArray[np.int64]
    ) -> tuple[I32, npt.NDArray[np.intp]]:
        """The values stored under the hashes, and which hash each came from
        (ascending)."""
        keys = self._a[f"{table}_hash"]
        if not len(keys) or not len(hashes):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.intp)
        wanted = np.asarray(hashes, dtype=np.int64)
        pos = keys.searchsorted(wanted)
        np.minimum(pos, len(keys) - 1, out=pos)
        present = keys[pos] == wanted
        values, row = gather(self._a[f"{table}_off"], self._a[f"{table}_val"], pos[present])
        return values, np.flatnonzero(present)[row]

    def _joined(self, hashes: list[int]) -> tuple[I32, npt.NDArray[np.intp]]:
        """:meth:`lookup_from` the table of names written together, asked of a set
        first: a query word is seldom two listed words written together, and the set
        answers that for a fraction of the array lookup's fixed cost."""
        if self._joined_hashes.isdisjoint(hashes):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.intp)
        return self.lookup_from("joined", hashes)

    def get(
        self, keys: Sequence[HitsKey], cache: BoundedCache[HitsKey, Hits] | None = None
    ) -> list[Hits]:
        """What each word reaches (looked up together where not in ``cache``, then
        kept there, weighed by the names they hold)."""
        if cache is None:
            cache = BoundedCache(len(keys) + 1)
        found = {key: hits for key in keys if (hits := cache.get(key)) is not None}
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            computed = self._compute(missing)
            found.update(zip(missing, computed, strict=True))
            # storing may clear a full cache: what was read from it is kept in `found`
            for key, hits in zip(missing, computed, strict=True):
                cache.put(key, hits, len(hits[0]))
        return [found[key] for key in keys]

    def _expand(
        self, keys: Sequence[HitsKey]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """(word number, index word, quality) for every index word each query word
        may stand for, with its best quality: exact, typo within the budget,
        phonetic, skeleton or symbol; index words in the key's exclusions left out.
        Sorted by word number, then index word."""
        tokens = [key[0] for key in keys]
        del_hashes, del_owner = k.deletion_hashes_many(tokens)
        extra: list[int] = []
        extra_owner: list[int] = []
        extra_q: list[float] = []
        exact_owner: list[int] = []
        exact_vid: list[int] = []
        for number, (token, script, symbols, _) in enumerate(keys):
            if token.isalpha() and len(token) >= 3:
                phone = metaphone(token)
                if len(phone) >= 2:
                    extra.append(k.key_hash(k.PHONETIC, phone))
                    extra_owner.append(number)
                    extra_q.append(Q_PHONETIC)
                if script in ABJADS:
                    skel = skeleton(token)
                    if len(skel) >= 2:
                        extra.append(k.key_hash(k.SKELETON, skel))
                        extra_owner.append(number)
                        extra_q.append(Q_SKELETON)
            for symbol in symbols:
                extra.append(k.key_hash(k.SYMBOL, symbol))
                extra_owner.append(number)
                extra_q.append(Q_SYMBOL)
            exact = self._vocab_index.get(token)
            if exact is not None:
                exact_owner.append(number)
                exact_vid.append(exact)
        n_del = len(del_hashes)
        reached, source = self.lookup_from(
            "key", np.concatenate([del_hashes, np.asarray(extra, dtype=np.int64)])
        )
        by_deletion = source < n_del
        # typo neighbours: each (word, index word) pair once, its distance in one C
        # call, each pair's budget in a few array steps
        pairs = del_owner[source[by_deletion]] * len(self._vocab) + reached[by_deletion]
        pairs.sort()
        pairs = pairs[_first_of_runs(pairs)]
        owner_t, vid_t = np.divmod(pairs, len(self._vocab))
        distance = process.cpdist(
            np.asarray(tokens, dtype=object)[owner_t],
            self._vocab_objects[vid_t],
            scorer=OSA.distance,
            score_cutoff=3,
        )
        lengths, firsts = self._shapes
        q_lengths, q_firsts = _shapes(tokens)
        q_length, q_first = q_lengths[owner_t], q_firsts[owner_t]
        other = lengths[vid_t]
        ok = distance <= typo_budgets(
            np.maximum(other, q_length), firsts[vid_t] == q_first, np.minimum(other, q_length)
        )
        not_deletion = ~by_deletion
        owner = np.concatenate(
            [
                owner_t[ok],
                np.asarray(extra_owner, dtype=np.int64)[source[not_deletion] - n_del],
                np.asarray(exact_owner, dtype=np.int64),
            ]
        )
        vid = np.concatenate(
            [vid_t[ok], reached[not_deletion], np.asarray(exact_vid, dtype=np.int64)]
        )
        quality = np.concatenate(
            [
                np.where(distance[ok] <= 1, Q_TYPO, Q_TYPO2),
                np.asarray(extra_q)[source[not_deletion] - n_del],
                np.full(len(exact_owner), Q_EXACT),
            ]
        )
        # each (word, index word) keeps its best quality: the last of its run
        order = np.lexsort((quality, vid, owner))
        owner, vid, quality = owner[order], vid[order], quality[order]
        last = np.ones(len(owner), dtype=bool)
        last[:-1] = _first_of_runs(owner, vid)[1:]
        owner, vid, quality = owner[last], vid[last], quality[last]
        excluded = [(o, key[3]) for o, key in enumerate(keys) if key[3]]
        if excluded:
            drop = np.zeros(len(owner), dtype=bool)
            for o, exclude in excluded:
                drop |= (owner == o) & np.isin(vid, list(exclude))
            owner, vid, quality = owner[~drop], vid[~drop], quality[~drop]
        return owner, vid, quality.astype(np.float32)

    def _compute(self, keys: Sequence[HitsKey]) -> list[Hits]:
        owner, vid, quality = self._expand(keys)
        names, row = gather(self._a["post_off"], self._a["post_val"], vid)
        name_owner = owner[row]
        # a variant weighs no more than the word itself, where the index has it: a
        # rare misspelling must not outrank the names that hold the exact word
        idf = self._a["idf"][vid].astype(np.float64)
        cap = np.full(len(keys), np.inf)
        exact = quality == Q_EXACT
        np.minimum.at(cap, owner[exact], idf[exact])
        weights = (np.minimum(idf, cap[owner]) * quality)[row].astype(np.float32)
        joined, joined_owner = self._joined([k.key_hash(k.JOINED, key[0]) for key in keys])
        names = np.concatenate([names, joined])
        name_owner = np.concatenate([name_owner, joined_owner])
        weights = np.concatenate([weights, np.full(len(joined), JOINED_WEIGHT, dtype=np.float32)])
        # each (word, name) once, with its best weight: sorted by pair, best first
        n_names = len(self._a["name_party"])
        pair = name_owner.astype(np.int64) * n_names + names
        order = np.lexsort((-weights, pair))
        pair, weights = pair[order], weights[order]
        first = _first_of_runs(pair)
        pair, weights = pair[first], weights[first]
        name_owner, wide_names = np.divmod(pair, n_names)
        names = wide_names.astype(np.int32)
        numbers = np.arange(len(keys) + 1)
        at_names = name_owner.searchsorted(numbers).tolist()
        at_words = owner.searchsorted(numbers).tolist()
        at_joined = joined_owner.searchsorted(numbers).tolist()
        return [
            (
                names[at_names[i] : at_names[i + 1]],
                weights[at_names[i] : at_names[i + 1]],
                vid[at_words[i] : at_words[i + 1]],
                joined[at_joined[i] : at_joined[i + 1]],
            )
            for i in range(len(keys))
        ]
