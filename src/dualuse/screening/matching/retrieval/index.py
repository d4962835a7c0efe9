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
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import orjson

from dualuse.model.party import NameKind, PartyType
from dualuse.reference.names import (
    NameForm,
    TokenKind,
    analyze_name,
)
from dualuse.reference.names.lexicon import ORGANIZATION, PERSON, HashedLexicon
from dualuse.reference.names.tokens import NameType
from dualuse.screening.matching.names.name_params import DEFAULT_PARAMS, NameParams, leftover_costs
from dualuse.screening.matching.retrieval import keys as k
from dualuse.screening.matching.retrieval.index_format import (
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
from dualuse.screening.matching.retrieval.record import (
    PartyRecord,
    name_type_of,
    normalize_identifier,
)
from dualuse.screening.matching.retrieval.token_hits import HitsKey, TokenHits, csr_positions
from dualuse.screening.matching.workspace import Workspace

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
found exactly) are not scored, beyond the first: they cannot score high."""
MIN_SCORED_NAMES = 1
"""Names scored whatever their retrieval score (the best-ranked). Below the floor
(:data:`MIN_RETRIEVAL_SHARE`, :data:`MIN_SHARE_OF_BEST`) only the best-ranked
party's other names are scored too: its best-scoring name may be an alias that
retrieval ranks low (a Latin query and the party's Arabic alias). Three names were
scored before 2026-11-29: the same UN positives and perturbations ranked first, the
same negatives matched, and a clear negative costs one scored party, not three
(docs/benchmarks/matching.md, round 6)."""
MIN_SHARE_OF_BEST = 0.7
"""Names whose retrieval score is below this share of the best name's are not
scored beyond the first :data:`MIN_SCORED_NAMES`: the best-scoring name of a query
sits above 0.8 of the best retrieval score in 99 % of the UN benchmark's queries
and their perturbations (measured; see docs/benchmarks/matching.md)."""


class Candidate(NamedTuple):
    """A party found by retrieval, with the names worth scoring (a named tuple:
    up to twenty per query)."""

    party: int
    names: tuple[int, ...]
    retrieval_score: float
    bound: float = 1.0
    """An upper bound of the party's name score, from which query tokens reached
    its names (see :meth:`Index._bound`); the screener skips parties whose bound
    cannot beat the results it already has."""


class Index:
    """An immutable, persisted screening index (see the module docstring), safe to
    share between threads: what a query caches lives in the :class:`Workspace` its
    caller passes (``work``; without one, nothing is kept between calls)."""

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
        self._words = TokenHits(arrays, vocab, self._vocab_index)
        # Python lists: a query reads a few entries, where numpy scalars cost more
        entity = arrays["party_entity"]
        members = entity.argsort(kind="stable")
        self._entity: list[int] = entity.tolist()
        self._entity_members: list[int] = members.tolist()
        self._entity_off: list[int] = np.searchsorted(
            entity[members], np.arange(len(entity) + 1)
        ).tolist()
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

    def word_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Each vocabulary word's idf and rarity (corpus statistics), by vocabulary id."""
        return self._a["idf"], self._a["rarity"]

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
    def record(self, party: int, work: Workspace | None = None) -> PartyRecord:
        cache = work.records if work is not None else None
        cached = cache.get(party) if cache is not None else None
        if cached is None:
            off = self._a["party_off"]
            row = orjson.loads(self._party_blob[int(off[party]) : int(off[party + 1])])
            cached = PartyRecord.from_row(row)
            if cache is not None:
                cache.put(party, cached)
        return cached

    def _symbols_of(self, vocab_id: int, work: Workspace) -> frozenset[str]:
        found = work.symbols.get(vocab_id)
        if found is None:
            off, ids = self._a["sym_off"], self._a["sym_ids"]
            found = frozenset(
                [self.symbols[s] for s in ids[off[vocab_id] : off[vocab_id + 1]].tolist()]
            )
            work.symbols.put(vocab_id, found)
        return found

    def name_form(self, name: int, work: Workspace | None = None) -> NameForm:
        cached = work.forms.get(name) if work is not None else None
        return cached if cached is not None else self.name_forms([name], work)[0]

    def name_forms(self, names: Sequence[int], work: Workspace | None = None) -> list[NameForm]:
        """The analysed forms of listed names; those not cached are read from the
        arrays together (a query's candidates are several names: a few array
        operations for all of them, not per name)."""
        if work is None:
            work = Workspace()
        cache = work.forms
        found = {n: form for n in names if (form := cache.get(n)) is not None}
        missing = [n for n in dict.fromkeys(names) if n not in found]
        if missing:
            a, vocab = self._a, self.vocab
            rows = np.asarray(missing, dtype=np.int64)
            at, lengths = csr_positions(a["name_tok_off"], rows)
            toks = a["tok_vocab"][at]
            # Python ints from .tolist(): indexing with numpy scalars is several times slower
            tok_ids: list[int] = toks.tolist()
            orig_ids: list[int] = a["tok_orig"][at].tolist()
            kinds: list[int] = a["tok_kind"][at].tolist()
            scripts: list[int] = a["tok_script"][at].tolist()
            rarity: list[float] = a["rarity"][toks].tolist()
            start = 0
            for name, length, party, pos, org in zip(
                missing,
                lengths.tolist(),
                a["name_party"][rows].tolist(),
                a["name_pos"][rows].tolist(),
                a["name_org"][rows].tolist(),
                strict=True,
            ):
                end = start + length
                origs = orig_ids[start:end]
                form = NameForm(
                    original=self.record(party, work).names[pos][0],
                    tokens=tuple([vocab[t] for t in tok_ids[start:end]]),
                    kinds=tuple([KINDS[x] for x in kinds[start:end]]),
                    scripts=tuple([SCRIPTS[x] for x in scripts[start:end]]),
                    originals=tuple([vocab[o] for o in origs]),
                    symbols=tuple([self._symbols_of(o, work) for o in origs]),
                    organization=bool(org),
                    rarity=tuple(rarity[start:end]),
                )
                start = end
                found[name] = form
                cache.put(name, form)
        return [found[n] for n in names]

    def entity_of(self, party: int) -> int:
        """The representative listing of the party's real-world entity (see
        :mod:`..entities`): itself when no other list publishes it."""
        return self._entity[party]

    def entity_listings(self, party: int) -> list[int]:
        """Every listing of the real-world entity ``party`` belongs to, in index order."""
        entity = self._entity[party]
        return self._entity_members[self._entity_off[entity] : self._entity_off[entity + 1]]

    def name_kind(self, name: int) -> NameKind:
        return NAME_KINDS[int(self._a["name_kind"][name])]

    # -- retrieval -------------------------------------------------------------
    def _lookup(self, table: str, hashes: Sequence[int]) -> I32:
        return self._words.lookup(table, hashes)

    def _postings(self, vocab_id: int) -> I32:
        off = self._a["post_off"]
        values: I32 = self._a["post_val"][off[vocab_id] : off[vocab_id + 1]]
        return values

    def _word_keys(
        self, form: NameForm, work: Workspace
    ) -> tuple[list[int], list[HitsKey], list[int]]:
        """:meth:`_lookups_of` a form, remembered between a batch's prefetch and its
        queries (forms compare by identity; the query analysis caches them)."""
        found = work.word_keys.get(form)
        if found is None:
            found = self._lookups_of(form)
            work.word_keys.put(form, found)
        return found

    def _lookups_of(self, form: NameForm) -> tuple[list[int], list[HitsKey], list[int]]:
        """The lookups a query name makes: the positions of its retrievable words,
        their keys (leaving out the index words its split words reach already), and
        the index words two of its words written together are (split words: "patr
        ushev" -> "patrushev")."""
        splits = [
            split_id
            for a_tok, b_tok in zip(form.tokens, form.tokens[1:], strict=False)
            if (split_id := self._vocab_index.get(a_tok + b_tok)) is not None
        ]
        exclude = frozenset(splits)
        words = [i for i, kind in enumerate(form.kinds) if kind in RETRIEVABLE] or list(
            range(len(form.tokens))
        )
        keys = [(form.tokens[i], form.scripts[i], form.symbols[i], exclude) for i in words]
        return words, keys, splits

    def prefetch(self, forms: Iterable[NameForm], work: Workspace) -> None:
        """Look up the words of many query names at once (a chunk of a batch) into
        ``work``: the same results as one by one, in far fewer array operations."""
        keys = [key for form in forms for key in self._word_keys(form, work)[1]]
        self._words.get(keys, work.hits)

    def retrieve(
        self,
        forms: Iterable[NameForm],
        *,
        party_type: PartyType | None = None,
        lists: Sequence[str] = (),
        identifiers: Sequence[str] = (),
        max_names: int = MAX_CANDIDATE_NAMES,
        max_parties: int = MAX_CANDIDATE_PARTIES,
        params: NameParams = DEFAULT_PARAMS,
        work: Workspace | None = None,
    ) -> list[Candidate]:
        """The best candidate parties for the query names (bounded; no list scan:
        the work is proportional to the postings the query's tokens reach).
        ``params`` are the name score's constants, for the candidates' bounds."""
        if work is None:
            work = Workspace()
        idf = self._a["idf"]
        ceiling = 0.0
        all_names: list[I32] = []
        all_weights: list[npt.NDArray[np.float32]] = []
        chunk_reach: list[float] = []
        n_query = n_numbers = n_splits = 0
        reached_tokens: list[npt.NDArray[np.int64]] = []
        joined_names: list[I32] = []
        forms = list(forms)
        lookups = [self._word_keys(form, work) for form in forms]
        wanted = [key for _, keys, _ in lookups for key in keys]
        every_hit = iter(self._words.get(wanted, work.hits))
        for form, (positions, keys, splits) in zip(forms, lookups, strict=True):
            ceiling = max(
                ceiling,
                sum(
                    float(idf[v]) if (v := self._vocab_index.get(t)) is not None else 8.0
                    for t, kind in zip(form.tokens, form.kinds, strict=True)
                    if kind in RETRIEVABLE
                ),
            )
            n_query = max(n_query, len(positions))
            n_numbers = max(
                n_numbers, sum(1 for i in positions if form.kinds[i] is TokenKind.NUMBER)
            )
            n_splits = max(n_splits, len(splits))
            reached_tokens.append(np.asarray(splits, dtype=np.int64))
            for _ in keys:
                names, weights, via, joined = next(every_hit)
                reached_tokens.append(via)
                joined_names.append(joined)
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
        # sum per name: each chunk is sorted by name, and a stable sort (timsort)
        # merges sorted runs faster than np.unique's quicksort
        every = np.concatenate(all_names)
        if not len(every):  # words known to the vocabulary, held by no name here
            return []
        perm = every.argsort(kind="stable")
        ordered = every[perm]
        first = np.empty(len(ordered), dtype=bool)
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        group = first.cumsum() - 1
        hits = ordered[first]
        total = np.bincount(group, weights=np.concatenate(all_weights)[perm]).astype(np.float32)
        reach_each = np.repeat(np.asarray(chunk_reach), [len(c) for c in all_names])
        reach = np.bincount(group, weights=reach_each[perm]).astype(np.int32)
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
            top = (-total).argpartition(max_names * 4)[: max_names * 4]
            hits, total, reach = hits[top], total[top], reach[top]
        order = (-total).argsort(kind="stable")
        hits, total, reach = hits[order], total[order], reach[order]
        floor = max(MIN_RETRIEVAL_SHARE * ceiling, MIN_SHARE_OF_BEST * float(total[0]))
        chosen: list[int] = []
        chosen_reach: list[int] = []
        by_party: dict[int, list[int]] = {}
        scores: dict[int, float] = {}
        reach_list = reach.tolist()
        hit_list: list[int] = hits.tolist()
        hit_parties = name_party[hits]
        party_list: list[int] = hit_parties.tolist()
        below = len(hits)
        for position, (name, score) in enumerate(zip(hit_list, total.tolist(), strict=True)):
            if len(chosen) >= MIN_SCORED_NAMES and score < floor:
                below = position
                break
            party = party_list[position]
            if party not in by_party:
                if len(by_party) >= max_parties:
                    continue
                by_party[party] = []
                scores[party] = score
            by_party[party].append(name)
            chosen.append(name)
            chosen_reach.append(reach_list[position])
            if len(chosen) >= max_names:
                below = len(hits)
                break
        # below the floor, the best-ranked party's other names are still scored: its
        # best name may be one retrieval ranks low (a Latin query's best match can be
        # the party's Arabic alias, linked by name symbols)
        if below < len(hits):
            same = np.flatnonzero(hit_parties[below:] == party_list[0]) + below
            for position in same.tolist()[: max_names - len(chosen)]:
                name = hit_list[position]
                by_party[party_list[position]].append(name)
                chosen.append(name)
                chosen_reach.append(reach_list[position])
        # one listed word takes one query word (two, written apart: a split word), so
        # no more query words align than the listed name has words retrieval reached
        # (names reached as two words written together are left uncapped)
        # (a name reached by one query word has at least one reached word: no cap)
        several = [i for i, r in enumerate(chosen_reach) if r >= 2]
        counted = self._reached_words([chosen[i] for i in several], reached_tokens)
        words = dict(zip(several, counted, strict=True))
        written_together: set[int] = set()
        for hit in joined_names:
            if len(hit):
                written_together.update(hit.tolist())
        bounds: dict[int, float] = {}
        rows = np.asarray(chosen, dtype=np.int64)
        shapes = zip(
            self._a["name_strong"][rows].tolist(),
            self._a["name_initials"][rows].tolist(),
            self._a["name_org"][rows].tolist(),
            strict=True,
        )
        for position, (name, (strong, initials, org)) in enumerate(
            zip(chosen, shapes, strict=True)
        ):
            got = chosen_reach[position]
            if position in words and name not in written_together:
                got = min(got, words[position] + n_splits)
            bounds[name] = _bound(strong, initials, bool(org), got, n_query, n_numbers, params)
        return [
            Candidate(p, tuple(names), scores[p], max([bounds[n] for n in names]))
            for p, names in by_party.items()
        ]

    def _reached_words(
        self, names: list[int], reached_tokens: list[npt.NDArray[np.int64]]
    ) -> list[int]:
        """How many words of each name are index tokens the query reached (by their
        Latin form or, for symbols, their original-script form)."""
        if not names:
            return []
        reached: set[int] = set()
        for tokens in reached_tokens:
            reached.update(tokens.tolist())
        rows = np.asarray(names, dtype=np.int64)
        at, lengths = csr_positions(self._a["name_tok_off"], rows)
        row = np.arange(len(rows)).repeat(lengths)
        latin, original = self._a["tok_vocab"][at], self._a["tok_orig"][at]
        counts = [0] * len(names)
        for r, t, o in zip(row.tolist(), latin.tolist(), original.tolist(), strict=True):
            if t in reached or o in reached:
                counts[r] += 1
        return counts

    @staticmethod
    @lru_cache(maxsize=8)
    def _allowed_types(party_type: PartyType) -> list[int]:
        allowed = {party_type, PartyType.UNKNOWN}
        if party_type in {PartyType.VESSEL, PartyType.AIRCRAFT}:
            allowed = {PartyType.VESSEL, PartyType.AIRCRAFT, PartyType.UNKNOWN}
        if party_type is PartyType.UNKNOWN:
            allowed = set(PartyType)
        return [TYPES.index(t) for t in allowed]


def _bound(
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


def query_forms(
    name: str, party_type: PartyType | None, lexicon: HashedLexicon | None = None
) -> tuple[NameForm, ...]:
    """The analysed forms of a query name (one form; kept a tuple for aliases). An
    untyped query that does not read as an organisation's may still name one by a
    single word ("Hezbollah" for the listed HIZBALLAH): its words carry the
    organisation symbols too. One that reads as an organisation's keeps the
    person symbols it always had: given the organisation symbols of its generic
    words, "Huawei Technologies" no longer returned the listed Huawei Technologies
    Co., Ltd. entries (tests/screening/matching/test_entities.py), a retrieval
    limit not yet understood."""
    kind = name_type_of(party_type) if party_type else NameType.UNKNOWN
    form = analyze_name(name, kind, lexicon)
    if kind is NameType.UNKNOWN and not form.organization:
        form = analyze_name(name, kind, lexicon, symbol_groups=PERSON | ORGANIZATION)
    return (form,)
