"""Building the screening index: every name of every party analysed once into flat
arrays (postings, typo/phonetic/skeleton/symbol keys, idf and rarity), deterministically:
the same parties give a byte-identical index file."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import orjson

from dualuse.model.party import Party
from dualuse.reference.names import TokenKind, analyze_name
from dualuse.reference.names.lexicon import default_lexicon
from dualuse.screening.matching.entities import group_records
from dualuse.screening.matching.linking import link_records
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
    vocab: dict[str, int] = {}
    if statistics is not None:
        vocab.update((token, i) for i, token in enumerate(statistics.vocab))
    symbols: dict[str, int] = {}
    lists: dict[str, int] = {}

    def vid(value: str) -> int:
        found = vocab.get(value)
        if found is None:
            found = vocab[value] = len(vocab)
        return found

    party_rows: list[bytes] = []
    party_type: list[int] = []
    party_list: list[int] = []
    party_names_off = [0]
    name_party: list[int] = []
    name_pos: list[int] = []
    name_kind: list[int] = []
    name_org: list[bool] = []
    name_strong: list[int] = []
    name_initials: list[int] = []
    tok_off = [0]
    tok_vocab: list[int] = []
    tok_orig: list[int] = []
    tok_kind: list[int] = []
    tok_script: list[int] = []
    postings: list[tuple[int, int]] = []
    sym_pairs: list[tuple[int, int]] = []
    joined_pairs: list[tuple[int, int]] = []
    ident_pairs: list[tuple[int, int]] = []
    seen_sym_vocab: set[int] = set()

    records = link_records([PartyRecord.from_party(party) for party in parties])
    for record in records:
        p = len(party_rows)
        party_rows.append(orjson.dumps(record.to_row()))
        party_type.append(TYPES.index(record.type))
        party_list.append(lists.setdefault(record.list_id, len(lists)))
        name_type = name_type_of(record.type)
        for pos, (value, kind) in enumerate(record.names):
            form = analyze_name(value, name_type)
            if not form.tokens:
                continue
            n = len(name_party)
            name_party.append(p)
            name_pos.append(pos)
            name_kind.append(NAME_KINDS.index(kind))
            name_org.append(form.organization)
            name_strong.append(
                min(127, sum(1 for x in form.kinds if x in {TokenKind.NAME, TokenKind.NUMBER}))
            )
            name_initials.append(min(127, form.kinds.count(TokenKind.INITIAL)))
            for token, kind_t, script, original, syms in zip(
                form.tokens,
                form.kinds,
                form.scripts,
                form.originals,
                form.symbols,
                strict=True,
            ):
                t = vid(token)
                o = vid(original)
                tok_vocab.append(t)
                tok_orig.append(o)
                tok_kind.append(KINDS.index(kind_t))
                tok_script.append(SCRIPTS.index(script))
                if kind_t in RETRIEVABLE or len(form.tokens) == 1:
                    postings.append((t, n))
                if syms and o not in seen_sym_vocab:
                    seen_sym_vocab.add(o)
                    for s in sorted(syms):  # sorted: builds are byte-identical
                        sym_pairs.append((o, symbols.setdefault(s, len(symbols))))
            tok_off.append(len(tok_vocab))
            for a_tok, b_tok in zip(form.tokens, form.tokens[1:], strict=False):
                joined_pairs.append((k.key_hash(k.JOINED, a_tok + b_tok), n))
        party_names_off.append(len(name_party))
        for _scheme, value, _raw in record.identifiers:
            ident_pairs.append((k.key_hash(k.IDENTIFIER, value), p))

    # index-token keys (typo neighbourhood, phonetic, skeleton, symbols)
    key_pairs: list[tuple[int, int]] = []
    posted = {t for t, _ in postings}
    inverse = list(vocab)
    posted_ids = sorted(posted)
    hashes, owners = k.deletion_hashes_many([inverse[t] for t in posted_ids])
    key_pairs.extend(zip(hashes.tolist(), np.asarray(posted_ids)[owners].tolist(), strict=True))
    for t in posted:
        for key_kind, key_value in k.token_keys(inverse[t]):
            key_pairs.append((k.key_hash(key_kind, key_value), t))
    symbol_names = list(symbols)
    for o, sym in sym_pairs:
        key_pairs.append((k.key_hash(k.SYMBOL, symbol_names[sym]), o))
        posted.add(o)
    # symbol keys point at original-script vocab entries: post those names too
    orig_postings = [
        (tok_orig[i], n)
        for n in range(len(name_party))
        for i in range(tok_off[n], tok_off[n + 1])
        if tok_orig[i] != tok_vocab[i] and tok_orig[i] in seen_sym_vocab
    ]
    postings.extend(orig_postings)

    n_vocab = len(vocab)
    post_off, post_val = _csr(postings, n_vocab)
    df = np.diff(post_off).astype(np.float64)
    n_names = max(1, len(name_party))
    idf = np.log((n_names + 1) / (df + 1)).astype(np.float32) + 1.0
    rarity = np.log2((n_names + 1) / (df + 1)).astype(np.float32)
    if statistics is not None:
        full_idf, full_rarity = statistics.word_weights()
        idf[: len(full_idf)] = full_idf
        rarity[: len(full_rarity)] = full_rarity
    sym_off, sym_ids = _csr(sym_pairs, n_vocab)
    key_hash, key_off, key_val = _hash_table(key_pairs)
    joined_hash, joined_off, joined_val = _hash_table(joined_pairs)
    ident_hash, ident_off, ident_val = _hash_table(ident_pairs)
    offsets = np.zeros(len(party_rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in party_rows], out=offsets[1:])
    arrays: dict[str, np.ndarray] = {
        "party_off": offsets,
        "party_type": np.array(party_type, dtype=np.int8),
        "party_list": np.array(party_list, dtype=np.int16),
        "party_names_off": np.array(party_names_off, dtype=np.int32),
        "party_entity": np.array(group_records(records), dtype=np.int32),
        "name_party": np.array(name_party, dtype=np.int32),
        "name_pos": np.array(name_pos, dtype=np.int32),
        "name_kind": np.array(name_kind, dtype=np.int8),
        "name_org": np.array(name_org, dtype=bool),
        "name_strong": np.array(name_strong, dtype=np.int8),
        "name_initials": np.array(name_initials, dtype=np.int8),
        "name_tok_off": np.array(tok_off, dtype=np.int32),
        "tok_vocab": np.array(tok_vocab, dtype=np.int32),
        "tok_orig": np.array(tok_orig, dtype=np.int32),
        "tok_kind": np.array(tok_kind, dtype=np.int8),
        "tok_script": np.array(tok_script, dtype=np.int8),
        "post_off": post_off,
        "post_val": post_val,
        "idf": idf,
        "rarity": rarity,
        "sym_off": sym_off,
        "sym_ids": sym_ids,
        "key_hash": key_hash,
        "key_off": key_off,
        "key_val": key_val,
        "joined_hash": joined_hash,
        "joined_off": joined_off,
        "joined_val": joined_val,
        "ident_hash": ident_hash,
        "ident_off": ident_off,
        "ident_val": ident_val,
        **default_lexicon().subset(symbol_names).arrays(LEXICON_PREFIX),
    }
    return Index(arrays, inverse, symbol_names, list(lists), b"".join(party_rows), version)
