"""The screening index: parties' names analysed once, stored in flat arrays,
persisted in one file and loaded in well under a second.

Retrieval never scans the list: a query token reaches index tokens through keys
(exact, typo neighbourhood, phonetic, skeleton, name symbols; see :mod:`.keys`),
each index token lists the names that contain it, and names are ranked by the sum
over query tokens of the best ``idf x match quality``. Only the best few names
(:data:`MAX_CANDIDATE_NAMES`, from at most :data:`MAX_CANDIDATE_PARTIES` parties) go
on to the scoring algorithm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson
from rapidfuzz.distance import OSA

from dualuse.model.party import NameKind, PartyType
from dualuse.reference.names import NameForm, Script, analyze_name, metaphone, skeleton
from dualuse.reference.names.lexicon import HashedLexicon
from dualuse.reference.names.tokens import NameType
from dualuse.screening.matching import keys as k
from dualuse.screening.matching.index_format import (
    FORMAT_VERSION,
    I32,
    KINDS,
    LEXICON_PREFIX,
    NAME_KINDS,
    RETRIEVABLE,
    SCRIPTS,
    TYPES,
    IndexFormatError,
    read_index_file,
    write_index_file,
)
from dualuse.screening.matching.record import PartyRecord, name_type_of, normalize_identifier
from dualuse.screening.matching.token_similarity import typo_budget

__all__ = [
    "FORMAT_VERSION",
    "MAX_CANDIDATE_NAMES",
    "MAX_CANDIDATE_PARTIES",
    "MIN_RETRIEVAL_SHARE",
    "MIN_SCORED_NAMES",
    "MIN_SHARE_OF_BEST",
    "Candidate",
    "Index",
    "IndexFormatError",
    "query_forms",
]

MAX_CANDIDATE_NAMES = 40
MAX_CANDIDATE_PARTIES = 20
MIN_RETRIEVAL_SHARE = 0.45
"""Names whose retrieval score is below this share of the query's own (every token
found exactly) are not scored, beyond the first few: they cannot score high."""
MIN_SCORED_NAMES = 3
MIN_SHARE_OF_BEST = 0.7
"""Names whose retrieval score is below this share of the best name's are not
scored beyond the first :data:`MIN_SCORED_NAMES`: the best-scoring name of a query
sits above 0.8 of the best retrieval score in 99 % of the UN benchmark's queries
and their perturbations (measured; see docs/benchmarks/matching.md)."""

_Q_EXACT, _Q_TYPO, _Q_TYPO2, _Q_SYMBOL, _Q_PHONETIC, _Q_SKELETON = 1.0, 0.8, 0.65, 0.8, 0.6, 0.6

_HITS_CACHE_SIZE = 50_000
_HITS_CACHE_NAMES = 8_000_000
"""At most this many cached name ids (8 bytes with their weights: ~64 MiB)."""

_Hits = tuple[I32, npt.NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A party found by retrieval, with the names worth scoring."""

    party: int
    names: tuple[int, ...]
    retrieval_score: float
    bound: float = 1.0
    """An upper bound of the party's name score, from which query tokens reached
    its names (see :meth:`Index._bound`); the screener skips parties whose bound
    cannot beat the results it already has."""


class Index:
    """An immutable, persisted screening index (see the module docstring)."""

    def __init__(
        self,
        arrays: dict[str, np.ndarray],
        vocab: list[str],
        symbols: list[str],
        lists: list[str],
        party_blob: bytes,
        version: str,
    ) -> None:
        self.version = version
        self._a = arrays
        self.vocab = vocab
        self.symbols = symbols
        self.lists = lists
        self._party_blob = party_blob
        self._vocab_index = {token: i for i, token in enumerate(vocab)}
        self._list_index = {name: i for i, name in enumerate(lists)}
        self._symbol_index = {name: i for i, name in enumerate(symbols)}
        self._form_cache: dict[int, NameForm] = {}
        self._record_cache: dict[int, PartyRecord] = {}
        self._symset_cache: dict[int, frozenset[str]] = {}
        self._hits_cache: dict[tuple[str, Script, frozenset[str], frozenset[int]], _Hits] = {}
        self._hits_cached = 0
        self.lexicon = HashedLexicon.from_arrays(arrays, LEXICON_PREFIX)
        """The part of the name lexicon that links words to this index's names."""

    def query_forms(self, name: str, party_type: PartyType | None) -> tuple[NameForm, ...]:
        """The analysed forms of a query name, with symbols from this index's lexicon."""
        return query_forms(name, party_type, self.lexicon)

    # -- sizes -----------------------------------------------------------------
    @property
    def n_parties(self) -> int:
        return len(self._a["party_type"])

    @property
    def n_names(self) -> int:
        return len(self._a["name_party"])

    def __len__(self) -> int:
        return self.n_parties

    # -- persistence -----------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the index to ``path`` atomically (readers see old or new, whole)."""
        write_index_file(
            path, self._a, self.vocab, self.symbols, self.lists, self._party_blob, self.version
        )

    @classmethod
    def load(cls, path: Path) -> Index:
        """Read an index written by :meth:`save`; a missing, truncated or foreign
        file is an :class:`InputError` naming it."""
        return cls(*read_index_file(path))

    # -- records and names -----------------------------------------------------
    def record(self, party: int) -> PartyRecord:
        cached = self._record_cache.get(party)
        if cached is None:
            off = self._a["party_off"]
            row = orjson.loads(self._party_blob[int(off[party]) : int(off[party + 1])])
            cached = PartyRecord.from_row(row)
            if len(self._record_cache) > 20_000:
                self._record_cache.clear()
            self._record_cache[party] = cached
        return cached

    def _symbols_of(self, vocab_id: int) -> frozenset[str]:
        found = self._symset_cache.get(vocab_id)
        if found is None:
            off, ids = self._a["sym_off"], self._a["sym_ids"]
            found = frozenset(self.symbols[s] for s in ids[off[vocab_id] : off[vocab_id + 1]])
            self._symset_cache[vocab_id] = found
        return found

    def name_form(self, name: int) -> NameForm:
        cached = self._form_cache.get(name)
        if cached is not None:
            return cached
        a = self._a
        start, end = int(a["name_tok_off"][name]), int(a["name_tok_off"][name + 1])
        toks = a["tok_vocab"][start:end]
        origs = a["tok_orig"][start:end]
        form = NameForm(
            original=self.record(int(a["name_party"][name])).names[int(a["name_pos"][name])][0],
            tokens=tuple(self.vocab[t] for t in toks),
            kinds=tuple(KINDS[x] for x in a["tok_kind"][start:end]),
            scripts=tuple(SCRIPTS[x] for x in a["tok_script"][start:end]),
            originals=tuple(self.vocab[o] for o in origs),
            symbols=tuple(self._symbols_of(int(o)) for o in origs),
            organization=bool(a["name_org"][name]),
            rarity=tuple(float(x) for x in a["rarity"][toks]),
        )
        if len(self._form_cache) > 50_000:
            self._form_cache.clear()
        self._form_cache[name] = form
        return form

    def name_kind(self, name: int) -> NameKind:
        return NAME_KINDS[int(self._a["name_kind"][name])]

    def party_of(self, name: int) -> int:
        return int(self._a["name_party"][name])

    # -- retrieval -------------------------------------------------------------
    def _lookup(self, table: str, hashes: Sequence[int]) -> I32:
        keys = self._a[f"{table}_hash"]
        if not len(keys) or not hashes:
            return np.zeros(0, dtype=np.int32)
        wanted = np.asarray(hashes, dtype=np.int64)
        pos = np.searchsorted(keys, wanted)
        pos = np.minimum(pos, len(keys) - 1)
        hit = pos[keys[pos] == wanted]
        off, vals = self._a[f"{table}_off"], self._a[f"{table}_val"]
        if not len(hit):
            return np.zeros(0, dtype=np.int32)
        return np.concatenate([vals[off[h] : off[h + 1]] for h in hit])

    def _expand(self, token: str, script: Script, symbols: frozenset[str]) -> dict[int, float]:
        """Index tokens a query token may stand for, with a match quality."""
        found: dict[int, float] = {}
        exact = self._vocab_index.get(token)
        if exact is not None:
            found[exact] = _Q_EXACT
        for t in self._lookup("key", [k.key_hash(k.DELETE, d) for d in k.deletions(token)]):
            t = int(t)
            if t in found:
                continue
            other = self.vocab[t]
            budget = typo_budget(
                max(len(token), len(other)),
                same_start=token[0] == other[0],
                shorter=min(len(token), len(other)),
            )
            distance = OSA.distance(token, other, score_cutoff=budget)
            if distance <= budget:
                found[t] = _Q_TYPO if distance <= 1 else _Q_TYPO2
        if token.isalpha() and len(token) >= 3:
            extra: list[tuple[str, str, float]] = []
            phone = metaphone(token)
            if len(phone) >= 2:
                extra.append((k.PHONETIC, phone, _Q_PHONETIC))
            if script in {Script.ARABIC, Script.HEBREW}:
                skel = skeleton(token)
                if len(skel) >= 2:
                    extra.append((k.SKELETON, skel, _Q_SKELETON))
            for kind, value, quality in extra:
                for t in self._lookup("key", [k.key_hash(kind, value)]):
                    found.setdefault(int(t), quality)
        if symbols:
            ids = [k.key_hash(k.SYMBOL, s) for s in symbols]
            for t in self._lookup("key", ids):
                t = int(t)
                if found.get(t, 0.0) < _Q_SYMBOL:
                    found[t] = _Q_SYMBOL
        return found

    def _postings(self, vocab_id: int) -> I32:
        off = self._a["post_off"]
        values: I32 = self._a["post_val"][off[vocab_id] : off[vocab_id + 1]]
        return values

    def _token_hits(
        self,
        token: str,
        script: Script,
        symbols: frozenset[str],
        exclude: frozenset[int] = frozenset(),
    ) -> _Hits:
        """The names one query token reaches, each with its best ``idf x quality``
        (cached: tokens repeat across a batch). Index tokens in ``exclude`` are
        reached by a split word of the query already ("al adnani" -> "aladnani")
        and are not counted again as a typo of one of its parts."""
        key = (token, script, symbols, exclude)
        cached = self._hits_cache.get(key)
        if cached is not None:
            return cached
        idf = self._a["idf"]
        chunks_n: list[I32] = []
        chunk_w: list[float] = []
        for vocab_id, quality in self._expand(token, script, symbols).items():
            if vocab_id in exclude:
                continue
            names = self._postings(vocab_id)
            if len(names):
                chunks_n.append(names)
                chunk_w.append(float(idf[vocab_id]) * quality)
        joined = self._lookup("joined", [k.key_hash(k.JOINED, token)])
        if len(joined):
            chunks_n.append(joined)
            chunk_w.append(6.0)
        if not chunks_n:
            found: _Hits = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        elif len(chunks_n) == 1:
            found = (chunks_n[0], np.full(len(chunks_n[0]), chunk_w[0], dtype=np.float32))
        else:
            names = np.concatenate(chunks_n)
            weights = np.repeat(np.asarray(chunk_w, dtype=np.float32), [len(c) for c in chunks_n])
            order = np.lexsort((-weights, names))
            names, weights = names[order], weights[order]
            first = np.ones(len(names), dtype=bool)
            first[1:] = names[1:] != names[:-1]
            found = (names[first], weights[first])
        self._hits_cached += len(found[0])
        if len(self._hits_cache) >= _HITS_CACHE_SIZE or self._hits_cached > _HITS_CACHE_NAMES:
            self._hits_cache.clear()
            self._hits_cached = len(found[0])
        self._hits_cache[key] = found
        return found

    def retrieve(
        self,
        forms: Iterable[NameForm],
        *,
        party_type: PartyType | None = None,
        lists: Sequence[str] = (),
        identifiers: Sequence[str] = (),
        max_names: int = MAX_CANDIDATE_NAMES,
        max_parties: int = MAX_CANDIDATE_PARTIES,
    ) -> list[Candidate]:
        """The best candidate parties for the query names (bounded; no list scan:
        the work is proportional to the postings the query's tokens reach)."""
        idf = self._a["idf"]
        ceiling = 0.0
        all_names: list[I32] = []
        all_weights: list[npt.NDArray[np.float32]] = []
        chunk_reach: list[float] = []
        n_query = 0
        for form in forms:
            ceiling = max(
                ceiling,
                sum(
                    float(idf[v]) if (v := self._vocab_index.get(t)) is not None else 8.0
                    for t, kind in zip(form.tokens, form.kinds, strict=True)
                    if kind in RETRIEVABLE
                ),
            )
            tokens = [
                (i, t) for i, t in enumerate(form.tokens) if form.kinds[i] in RETRIEVABLE
            ] or list(enumerate(form.tokens))
            n_query = max(n_query, len(tokens))
            # split words in the query: "patr ushev" -> "patrushev"
            splits = [
                split_id
                for a_tok, b_tok in zip(form.tokens, form.tokens[1:], strict=False)
                if (split_id := self._vocab_index.get(a_tok + b_tok)) is not None
            ]
            exclude = frozenset(splits)
            for i, token in tokens:
                names, weights = self._token_hits(token, form.scripts[i], form.symbols[i], exclude)
                if len(names):
                    all_names.append(names)
                    all_weights.append(weights)
                    chunk_reach.append(1.0)
            for split_id in splits:
                names = self._postings(split_id)
                all_names.append(names)
                all_weights.append(np.full(len(names), idf[split_id], dtype=np.float32))
                chunk_reach.append(2.0)
        for value in identifiers:
            for p in self._lookup("ident", [k.key_hash(k.IDENTIFIER, normalize_identifier(value))]):
                start, end = self._a["party_names_off"][p], self._a["party_names_off"][p + 1]
                names = np.arange(start, end, dtype=np.int32)
                all_names.append(names)
                all_weights.append(np.full(len(names), 50.0, dtype=np.float32))
                chunk_reach.append(0.0)
        if not all_names:
            return []
        hits, inverse = np.unique(np.concatenate(all_names), return_inverse=True)
        total = np.bincount(inverse, weights=np.concatenate(all_weights)).astype(np.float32)
        reach_each = np.repeat(np.asarray(chunk_reach), [len(c) for c in all_names])
        reach = np.bincount(inverse, weights=reach_each).astype(np.int32)
        name_party = self._a["name_party"]
        keep = np.ones(len(hits), dtype=bool)
        if party_type is not None:
            allowed = self._allowed_types(party_type)
            keep &= np.isin(self._a["party_type"][name_party[hits]], allowed)
        if lists:
            codes = [self._list_index[x] for x in lists if x in self._list_index]
            keep &= np.isin(self._a["party_list"][name_party[hits]], codes)
        hits, total, reach = hits[keep], total[keep], reach[keep]
        if not len(hits):
            return []
        if len(hits) > max_names * 4:
            top = np.argpartition(-total, max_names * 4)[: max_names * 4]
            hits, total, reach = hits[top], total[top], reach[top]
        order = np.argsort(-total, kind="stable")
        hits, total, reach = hits[order], total[order], reach[order]
        floor = max(MIN_RETRIEVAL_SHARE * ceiling, MIN_SHARE_OF_BEST * float(total[0]))
        chosen: list[int] = []
        bounds: dict[int, float] = {}
        by_party: dict[int, list[int]] = {}
        scores: dict[int, float] = {}
        reach_list = reach.tolist()
        for position, (name, score) in enumerate(zip(hits.tolist(), total.tolist(), strict=True)):
            if len(chosen) >= MIN_SCORED_NAMES and score < floor:
                break
            party = int(name_party[name])
            if party not in by_party:
                if len(by_party) >= max_parties:
                    continue
                by_party[party] = []
                scores[party] = score
            by_party[party].append(name)
            bounds[name] = self._bound(name, reach_list[position], n_query)
            chosen.append(name)
            if len(chosen) >= max_names:
                break
        return [
            Candidate(p, tuple(names), scores[p], max(bounds[n] for n in names))
            for p, names in by_party.items()
        ]

    def _bound(self, name: int, reached: int, n_query: int) -> float:
        """An upper bound of the name score of a listed name that ``reached`` of the
        query's ``n_query`` retrievable tokens reached: the best case aligns every
        reached token exactly, a query token retrieval did not reach stays
        unmatched (or meets an initial of the listed name), and each listed name
        word left over costs what it costs in the score (see :mod:`.compare`)."""
        a = self._a
        strong = int(a["name_strong"][name])
        initials = int(a["name_initials"][name])
        org = bool(a["name_org"][name])
        got = min(reached, n_query)
        unreached = n_query - got
        via_initial = min(unreached, initials)
        unreached -= via_initial
        matched = got + 0.7 * via_initial
        denominator = got + via_initial + (0.6 if org else 0.5) * unreached
        denominator += (0.6 if org else 0.25) * max(0, strong - got)
        return 1.0 if denominator <= 0 else min(1.0, matched / denominator)

    @staticmethod
    @lru_cache(maxsize=8)
    def _allowed_types(party_type: PartyType) -> list[int]:
        allowed = {party_type, PartyType.UNKNOWN}
        if party_type in {PartyType.VESSEL, PartyType.AIRCRAFT}:
            allowed = {PartyType.VESSEL, PartyType.AIRCRAFT, PartyType.UNKNOWN}
        if party_type is PartyType.UNKNOWN:
            allowed = set(PartyType)
        return [TYPES.index(t) for t in allowed]


def query_forms(
    name: str, party_type: PartyType | None, lexicon: HashedLexicon | None = None
) -> tuple[NameForm, ...]:
    """The analysed forms of a query name (one form; kept a tuple for aliases)."""
    kind = name_type_of(party_type) if party_type else NameType.UNKNOWN
    return (analyze_name(name, kind, lexicon),)
