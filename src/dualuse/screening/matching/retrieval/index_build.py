"""Building the screening index: every name of every party analysed once into flat
arrays (postings, typo/phonetic/skeleton/symbol keys, idf and rarity), deterministically:
the same parties give a byte-identical index file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import orjson

from dualuse.model.party import NameKind, Party
from dualuse.reference.names import NameForm, TokenKind, analyze_name
from dualuse.reference.names.lexicon import default_lexicon
from dualuse.screening.matching.entities import group_records
from dualuse.screening.matching.linking import link_records
from dualuse.screening.matching.names.name_shape import STRONG_KINDS
from dualuse.screening.matching.retrieval import keys as k
from dualuse.screening.matching.retrieval.index import Index
from dualuse.screening.matching.retrieval.index_format import (
    I32,
    I64,
    KINDS,
    LEXICON_PREFIX,
    NAME_KINDS,
    RETRIEVABLE,
    SCRIPTS,
    TYPES,
)
from dualuse.screening.matching.retrieval.record import PartyRecord, name_type_of


def _csr(pairs: list[tuple[int, int]], n_rows: int) -> tuple[I32, I32]:
    """Rows -> values as (offsets, values) from (row, value) pairs."""
    if not pairs:
        return np.zeros(n_rows + 1, dtype=np.int32), np.zeros(0, dtype=np.int32)
    arr = np.array(pairs, dtype=np.int64)
    arr = np.unique(arr, axis=0)
    counts = np.bincount(arr[:, 0], minlength=n_rows)
    offsets = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return offsets, arr[:, 1].astype(np.int32)


def _hash_table(pairs: list[tuple[int, int]]) -> tuple[I64, I32, I32]:
    """Hash -> values as (sorted unique hashes, offsets, values)."""
    if not pairs:
        return (
            np.zeros(0, dtype=np.int64),
            np.zeros(1, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
        )
    arr = np.unique(np.array(pairs, dtype=np.int64), axis=0)
    hashes, starts = np.unique(arr[:, 0], return_index=True)
    offsets = np.append(starts, len(arr)).astype(np.int32)
    return hashes.astype(np.int64), offsets, arr[:, 1].astype(np.int32)


def build_index(
    parties: Iterable[Party], *, version: str = "", statistics: Index | None = None
) -> Index:
    """Analyse every name of every party and build the index. ``version`` is the
    caller's fingerprint of what went in (list versions), kept as
    :attr:`Index.version`.

    ``statistics``: a *delta index* of a few parties (those a list update added or
    changed) that scores exactly as the full index does. Word weights (idf, rarity) are
    corpus statistics; here they are taken from the full index ``statistics``, whose
    whole vocabulary is carried, so a query word that no changed party holds still
    weighs what it weighs in a full screen.
    """
    records = link_records([PartyRecord.from_party(party) for party in parties])
    columns = _Columns()
    if statistics is not None:
        columns.vocab.update((token, i) for i, token in enumerate(statistics.vocab))
    for record in records:
        columns.add_party(record)
    key_pairs = _word_keys(columns)
    columns.post_original_words()
    post_off, post_val = _csr(columns.postings, len(columns.vocab))
    idf, rarity = _word_weights(post_off, len(columns.name_party), statistics)
    symbol_names = list(columns.symbols)
    arrays: dict[str, np.ndarray] = {
        **columns.party_arrays(records),
        **columns.name_arrays(),
        "post_off": post_off,
        "post_val": post_val,
        "idf": idf,
        "rarity": rarity,
        **_lookup_tables(columns, key_pairs),
        **default_lexicon().subset(symbol_names).arrays(LEXICON_PREFIX),
    }
    rows = b"".join(columns.party_rows)
    return Index(arrays, list(columns.vocab), symbol_names, list(columns.lists), rows, version)


@dataclass
class _Columns:
    """The index's columns as they are collected, party by party and name by name:
    parties, their names, the names' tokens (each a vocabulary id), and the pairs
    that become the postings and hash tables."""

    vocab: dict[str, int] = field(default_factory=dict)
    symbols: dict[str, int] = field(default_factory=dict)
    lists: dict[str, int] = field(default_factory=dict)
    party_rows: list[bytes] = field(default_factory=list)
    party_type: list[int] = field(default_factory=list)
    party_list: list[int] = field(default_factory=list)
    party_names_off: list[int] = field(default_factory=lambda: [0])
    name_party: list[int] = field(default_factory=list)
    name_pos: list[int] = field(default_factory=list)
    name_kind: list[int] = field(default_factory=list)
    name_org: list[bool] = field(default_factory=list)
    name_strong: list[int] = field(default_factory=list)
    name_initials: list[int] = field(default_factory=list)
    tok_off: list[int] = field(default_factory=lambda: [0])
    tok_vocab: list[int] = field(default_factory=list)
    tok_orig: list[int] = field(default_factory=list)
    tok_kind: list[int] = field(default_factory=list)
    tok_script: list[int] = field(default_factory=list)
    postings: list[tuple[int, int]] = field(default_factory=list)
    """(vocabulary id, name) for the retrievable words of every name."""
    sym_pairs: list[tuple[int, int]] = field(default_factory=list)
    """(original-script vocabulary id, symbol id), once per word."""
    with_symbols: set[int] = field(default_factory=set)
    """Original-script vocabulary ids that carry symbols."""
    joined_pairs: list[tuple[int, int]] = field(default_factory=list)
    ident_pairs: list[tuple[int, int]] = field(default_factory=list)

    def vid(self, value: str) -> int:
        """The vocabulary id of a word, added if new."""
        found = self.vocab.get(value)
        if found is None:
            found = self.vocab[value] = len(self.vocab)
        return found

    def add_party(self, record: PartyRecord) -> None:
        p = len(self.party_rows)
        self.party_rows.append(orjson.dumps(record.to_row()))
        self.party_type.append(TYPES.index(record.type))
        self.party_list.append(self.lists.setdefault(record.list_id, len(self.lists)))
        name_type = name_type_of(record.type)
        for pos, (value, kind) in enumerate(record.names):
            form = analyze_name(value, name_type)
            if form.tokens:
                self.add_name(p, pos, kind, form)
        self.party_names_off.append(len(self.name_party))
        for _scheme, value, _raw in record.identifiers:
            self.ident_pairs.append((k.key_hash(k.IDENTIFIER, value), p))

    def add_name(self, party: int, pos: int, kind: NameKind, form: NameForm) -> None:
        n = len(self.name_party)
        self.name_party.append(party)
        self.name_pos.append(pos)
        self.name_kind.append(NAME_KINDS.index(kind))
        self.name_org.append(form.organization)
        self.name_strong.append(min(127, sum(1 for x in form.kinds if x in STRONG_KINDS)))
        self.name_initials.append(min(127, form.kinds.count(TokenKind.INITIAL)))
        for token, kind_t, script, original, syms in zip(
            form.tokens, form.kinds, form.scripts, form.originals, form.symbols, strict=True
        ):
            t, o = self.vid(token), self.vid(original)
            self.tok_vocab.append(t)
            self.tok_orig.append(o)
            self.tok_kind.append(KINDS.index(kind_t))
            self.tok_script.append(SCRIPTS.index(script))
            if kind_t in RETRIEVABLE or len(form.tokens) == 1:
                self.postings.append((t, n))
            if syms and o not in self.with_symbols:
                self.with_symbols.add(o)
                for s in sorted(syms):  # sorted: builds are byte-identical
                    self.sym_pairs.append((o, self.symbols.setdefault(s, len(self.symbols))))
        self.tok_off.append(len(self.tok_vocab))
        for a_tok, b_tok in zip(form.tokens, form.tokens[1:], strict=False):
            self.joined_pairs.append((k.key_hash(k.JOINED, a_tok + b_tok), n))

    def post_original_words(self) -> None:
        """Post names under their original-script words that carry symbols too: symbol
        keys point at those vocabulary entries."""
        tok_orig, tok_vocab, tok_off = self.tok_orig, self.tok_vocab, self.tok_off
        self.postings.extend(
            (tok_orig[i], n)
            for n in range(len(self.name_party))
            for i in range(tok_off[n], tok_off[n + 1])
            if tok_orig[i] != tok_vocab[i] and tok_orig[i] in self.with_symbols
        )

    def party_arrays(self, records: list[PartyRecord]) -> dict[str, np.ndarray]:
        offsets = np.zeros(len(self.party_rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in self.party_rows], out=offsets[1:])
        return {
            "party_off": offsets,
            "party_type": np.array(self.party_type, dtype=np.int8),
            "party_list": np.array(self.party_list, dtype=np.int16),
            "party_names_off": np.array(self.party_names_off, dtype=np.int32),
            "party_entity": np.array(group_records(records), dtype=np.int32),
        }

    def name_arrays(self) -> dict[str, np.ndarray]:
        return {
            "name_party": np.array(self.name_party, dtype=np.int32),
            "name_pos": np.array(self.name_pos, dtype=np.int32),
            "name_kind": np.array(self.name_kind, dtype=np.int8),
            "name_org": np.array(self.name_org, dtype=bool),
            "name_strong": np.array(self.name_strong, dtype=np.int8),
            "name_initials": np.array(self.name_initials, dtype=np.int8),
            "name_tok_off": np.array(self.tok_off, dtype=np.int32),
            "tok_vocab": np.array(self.tok_vocab, dtype=np.int32),
            "tok_orig": np.array(self.tok_orig, dtype=np.int32),
            "tok_kind": np.array(self.tok_kind, dtype=np.int8),
            "tok_script": np.array(self.tok_script, dtype=np.int8),
        }


def _word_keys(columns: _Columns) -> list[tuple[int, int]]:
    """(key hash, vocabulary id) for every posted word's typo neighbourhood,
    phonetic and skeleton keys, and every symbol-carrying word's symbols."""
    words = list(columns.vocab)
    posted = sorted({t for t, _ in columns.postings})
    hashes, owners = k.deletion_hashes_many([words[t] for t in posted])
    pairs = list(zip(hashes.tolist(), np.asarray(posted)[owners].tolist(), strict=True))
    for t in posted:
        for key_kind, key_value in k.token_keys(words[t]):
            pairs.append((k.key_hash(key_kind, key_value), t))
    symbol_names = list(columns.symbols)
    for o, sym in columns.sym_pairs:
        pairs.append((k.key_hash(k.SYMBOL, symbol_names[sym]), o))
    return pairs


def _word_weights(
    post_off: I32, n_names: int, statistics: Index | None
) -> tuple[np.ndarray, np.ndarray]:
    """Each word's idf and rarity from how many names hold it (a delta index takes
    the full index's, see :func:`build_index`)."""
    df = np.diff(post_off).astype(np.float64)
    n = max(1, n_names)
    idf = np.log((n + 1) / (df + 1)).astype(np.float32) + 1.0
    rarity = np.log2((n + 1) / (df + 1)).astype(np.float32)
    if statistics is not None:
        full_idf, full_rarity = statistics.word_weights()
        idf[: len(full_idf)] = full_idf
        rarity[: len(full_rarity)] = full_rarity
    return idf, rarity


def _lookup_tables(columns: _Columns, key_pairs: list[tuple[int, int]]) -> dict[str, np.ndarray]:
    """The word symbols (CSR by vocabulary id) and the hash tables: word keys, names
    written together, identifiers."""
    sym_off, sym_ids = _csr(columns.sym_pairs, len(columns.vocab))
    tables: dict[str, np.ndarray] = {"sym_off": sym_off, "sym_ids": sym_ids}
    for name, pairs in (
        ("key", key_pairs),
        ("joined", columns.joined_pairs),
        ("ident", columns.ident_pairs),
    ):
        hashes, offsets, values = _hash_table(pairs)
        tables.update({f"{name}_hash": hashes, f"{name}_off": offsets, f"{name}_val": values})
    return tables
