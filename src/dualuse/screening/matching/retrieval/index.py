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
from dualuse.screening.matching.names.name_params import DEFAULT_PARAMS, NameParams
from dualuse.screening.matching.retrieval import keys as k
from dualuse.screening.matching.retrieval.candidates import (
    Candidate,
    Chosen,
    Reached,
    best_first,
    bound,
    sum_by_name,
)
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
retrieval ranks low (a Latin query and the party's Arabic alias). With those, one
name ranks the same UN positives and perturbations first as three do and matches
the same negatives, and a clear negative costs one scored party
(docs/benchmarks/matching.md, round 6, "The retrieval floor")."""
MIN_SHARE_OF_BEST = 0.7
"""Names whose retrieval score is below this share of the best name's are not
scored beyond the first :data:`MIN_SCORED_NAMES`: the best-scoring name of a query
sits above 0.8 of the best retrieval score in 99 % of the UN benchmark's queries
and their perturbations (measured; see docs/benchmarks/matching.md)."""


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
        ``params`` are the name score's constants, for the candidates' bounds.

        Stages: postings (what each query word and identifier reaches), sum by name,
        filter (party type, lists), choose (the best names of the best parties),
        bounds (the most each chosen name can score)."""
        if work is None:
            work = Workspace()
        reached = self._postings_of(list(forms), work)
        self._identifier_postings(identifiers, reached)
        summed = sum_by_name(reached)
        if summed is None:
            return []
        hits, total, reach = self._filter(*summed, party_type, lists)
        if not len(hits):
            return []
        hits, total, reach = best_first(hits, total, reach, max_names * 4, self._a["name_strong"])
        floor = max(MIN_RETRIEVAL_SHARE * reached.ceiling, MIN_SHARE_OF_BEST * float(total[0]))
        chosen = self._choose(hits, total, reach, floor, max_names, max_parties)
        bounds = self._bounds(chosen, reached, params)
        return [
            Candidate(p, tuple(names), chosen.scores[p], max([bounds[n] for n in names]))
            for p, names in chosen.by_party.items()
        ]

    def _postings_of(self, forms: list[NameForm], work: Workspace) -> Reached:
        """Stage 1: the names each word of the query names reaches (through its keys,
        see :mod:`.token_hits`) and each split word ("patr ushev") reaches, with
        their weights; and what the query could score at best."""
        idf = self._a["idf"]
        reached = Reached()
        lookups = [self._word_keys(form, work) for form in forms]
        wanted = [key for _, keys, _ in lookups for key in keys]
        every_hit = iter(self._words.get(wanted, work.hits))
        for form, (positions, keys, splits) in zip(forms, lookups, strict=True):
            reached.ceiling = max(reached.ceiling, self._own_score(form))
            reached.n_query = max(reached.n_query, len(positions))
            numbers = sum(1 for i in positions if form.kinds[i] is TokenKind.NUMBER)
            reached.n_numbers = max(reached.n_numbers, numbers)
            reached.n_splits = max(reached.n_splits, len(splits))
            reached.tokens.append(np.asarray(splits, dtype=np.int64))
            for _ in keys:
                names, weights, via, joined = next(every_hit)
                reached.tokens.append(via)
                reached.joined.append(joined)
                if len(names):
                    reached.add(names, weights, 1.0)
            for split_id in splits:
                names = self._postings(split_id)
                reached.add(names, np.full(len(names), idf[split_id], dtype=np.float32), 2.0)
        return reached

    def _own_score(self, form: NameForm) -> float:
        """The retrieval score of a listed name holding every retrievable word of
        ``form`` exactly (a word the index lacks weighs 8)."""
        idf = self._a["idf"]
        return sum(
            float(idf[v]) if (v := self._vocab_index.get(t)) is not None else 8.0
            for t, kind in zip(form.tokens, form.kinds, strict=True)
            if kind in RETRIEVABLE
        )

    def _identifier_postings(self, identifiers: Sequence[str], reached: Reached) -> None:
        """Stage 1 for identifiers: every name of a party listed with one of them,
        at a weight no name match reaches."""
        names_off = self._a["party_names_off"]
        for value in identifiers:
            for p in self._lookup("ident", [k.key_hash(k.IDENTIFIER, normalize_identifier(value))]):
                names = np.arange(names_off[p], names_off[p + 1], dtype=np.int32)
                reached.add(names, np.full(len(names), 50.0, dtype=np.float32), 0.0)

    def _filter(
        self,
        hits: I32,
        total: npt.NDArray[np.float32],
        reach: I32,
        party_type: PartyType | None,
        lists: Sequence[str],
    ) -> tuple[I32, npt.NDArray[np.float32], I32]:
        """Stage 3: the names of parties of the query's type and lists."""
        party = self._a["name_party"][hits]
        keep = np.ones(len(hits), dtype=bool)
        if party_type is not None:
            keep &= np.isin(self._a["party_type"][party], self._allowed_types(party_type))
        if lists:
            codes = [self._list_index[x] for x in lists if x in self._list_index]
            keep &= np.isin(self._a["party_list"][party], codes)
        return hits[keep], total[keep], reach[keep]

    def _choose(
        self,
        hits: I32,
        total: npt.NDArray[np.float32],
        reach: I32,
        floor: float,
        max_names: int,
        max_parties: int,
    ) -> Chosen:
        """Stage 4: names best first, at most ``max_names`` of at most
        ``max_parties`` parties, down to the ``floor`` (but for the first
        :data:`MIN_SCORED_NAMES`); below it, the best party's other names still."""
        chosen = Chosen()
        # Python ints from .tolist(): indexing with numpy scalars is several times slower
        reach_list: list[int] = reach.tolist()
        hit_list: list[int] = hits.tolist()
        hit_parties = self._a["name_party"][hits]
        party_list: list[int] = hit_parties.tolist()
        below = len(hits)
        for position, (name, score) in enumerate(zip(hit_list, total.tolist(), strict=True)):
            if len(chosen.names) >= MIN_SCORED_NAMES and score < floor:
                below = position
                break
            party = party_list[position]
            if party not in chosen.by_party:
                if len(chosen.by_party) >= max_parties:
                    continue
                chosen.by_party[party] = []
                chosen.scores[party] = score
            chosen.add(party, name, reach_list[position])
            if len(chosen.names) >= max_names:
                return chosen
        # below the floor, the best-ranked party's other names are still scored: its
        # best name may be one retrieval ranks low (a Latin query's best match can be
        # the party's Arabic alias, linked by name symbols)
        if below < len(hits):
            same = np.flatnonzero(hit_parties[below:] == party_list[0]) + below
            for position in same.tolist()[: max_names - len(chosen.names)]:
                chosen.add(party_list[position], hit_list[position], reach_list[position])
        return chosen

    def _bounds(self, chosen: Chosen, reached: Reached, params: NameParams) -> dict[int, float]:
        """Stage 5: an upper bound of each chosen name's score (see :func:`.candidates.bound`).
        One listed word takes one query word (two, written apart: a split word), so
        no more query words align than the listed name has words retrieval reached;
        names reached by one query word, or as two words written together, are left
        uncapped."""
        several = [i for i, r in enumerate(chosen.reach) if r >= 2]
        counted = self._reached_words([chosen.names[i] for i in several], reached.tokens)
        words = dict(zip(several, counted, strict=True))
        written_together: set[int] = set()
        for hit in reached.joined:
            if len(hit):
                written_together.update(hit.tolist())
        rows = np.asarray(chosen.names, dtype=np.int64)
        shapes = zip(
            self._a["name_strong"][rows].tolist(),
            self._a["name_initials"][rows].tolist(),
            self._a["name_org"][rows].tolist(),
            strict=True,
        )
        bounds: dict[int, float] = {}
        for position, (name, (strong, initials, org)) in enumerate(
            zip(chosen.names, shapes, strict=True)
        ):
            got = chosen.reach[position]
            if position in words and name not in written_together:
                got = min(got, words[position] + reached.n_splits)
            bounds[name] = bound(
                strong, initials, bool(org), got, reached.n_query, reached.n_numbers, params
            )
        return bounds

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


def query_forms(
    name: str, party_type: PartyType | None, lexicon: HashedLexicon | None = None
) -> tuple[NameForm, ...]:
    """The analysed forms of a query name (one form; kept a tuple for aliases). An
    untyped query that does not read as an organisation's may still name one by a
    single word ("Hezbollah" for the listed HIZBALLAH): its words carry the
    organisation symbols too. One that reads as an organisation's gets the person
    symbols only: with the organisation symbols of its generic words, "Huawei
    Technologies" misses the listed Huawei Technologies Co., Ltd. entries
    (tests/screening/matching/test_entities.py), a retrieval limit not yet
    understood."""
    kind = name_type_of(party_type) if party_type else NameType.UNKNOWN
    form = analyze_name(name, kind, lexicon)
    if kind is NameType.UNKNOWN and not form.organization:
        form = analyze_name(name, kind, lexicon, symbol_groups=PERSON | ORGANIZATION)
    return (form,)
