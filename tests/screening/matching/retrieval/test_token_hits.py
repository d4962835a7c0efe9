"""Word lookups: what a query word reaches does not depend on which other words
it is looked up with (a batch looks up many at once), and its typo neighbourhood
holds every index word within the name score's typo budget."""

from __future__ import annotations

import csv
import gc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener
from dualuse.screening.matching.names.token_similarity import typo_budget
from dualuse.screening.matching.retrieval import keys as k
from dualuse.screening.matching.retrieval.token_hits import Hits, HitsKey, TokenHits
from dualuse.screening.matching.workspace import BoundedCache, Workspace
from dualuse.services.bundle import PACKAGE_DATA


@pytest.fixture(scope="module")
def bundled() -> Index:
    return Index.load(PACKAGE_DATA / "bundled_index.npz")


def _fresh(index: Index) -> TokenHits:
    return TokenHits(index._a, index.vocab, {t: i for i, t in enumerate(index.vocab)})


def _same(a: Hits, b: Hits) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _keys(index: Index, names: list[str]) -> list[HitsKey]:
    forms = [index.query_forms(n, None)[0] for n in names]
    work = Workspace()
    return [key for form in forms for key in index._word_keys(form, work)[1]]


_word = st.one_of(
    st.text(alphabet="abdehiklmnorsuvyz", min_size=1, max_size=13),
    st.text(alphabet="абвгдеиклмнорстухш", min_size=2, max_size=9),
    st.text(alphabet="ابتدرسعلمنهوي", min_size=2, max_size=7),
    st.text(alphabet="习近平金正恩李王张", min_size=1, max_size=3),
)
_names = st.lists(st.lists(_word, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(names=_names, vocab_words=st.lists(st.integers(0, 10**6), max_size=6))
def test_words_looked_up_together_reach_what_each_reaches_alone(
    bundled: Index, names: list[str], vocab_words: list[int]
) -> None:
    # real index words (and pairs of them, written apart or together) as well
    vocab = bundled.vocab
    picked = [vocab[i % len(vocab)] for i in vocab_words]
    names = names + picked + [" ".join(picked[:2]), "".join(picked[:2])]
    keys = _keys(bundled, names)
    together = _fresh(bundled).get(keys)
    for key, hits in zip(keys, together, strict=True):
        alone = _fresh(bundled).get([key])[0]
        assert _same(hits, alone), key
        names_reached = hits[0]
        assert np.all(names_reached[1:] > names_reached[:-1])  # ascending, each once


def test_a_split_word_leaves_out_the_index_word_it_reaches(bundled: Index) -> None:
    # "al adnani" reaches "aladnani" as a split word; "adnani" (two edits away)
    # does not reach it again as a typo
    form = bundled.query_forms("Abu Mohammed al Adnani", None)[0]
    _positions, keys, splits = bundled._word_keys(form, Workspace())
    target = bundled._vocab_index["aladnani"]
    assert splits == [target]
    assert all(key[3] == frozenset({target}) for key in keys)
    hits = _fresh(bundled).get(keys)
    assert all(target not in h[2].tolist() for h in hits)
    unexcluded = _fresh(bundled).get([(key[0], key[1], key[2], frozenset()) for key in keys])
    assert any(target in h[2].tolist() for h in unexcluded)


@pytest.mark.parametrize("word", ["merkel", "ahmadi", "bashar", "kovalenko", "hezbolah", "sadr"])
def test_the_typo_neighbourhood_holds_every_word_within_the_budget(
    bundled: Index, word: str
) -> None:
    reached = set(_fresh(bundled).get(_keys(bundled, [word]))[0][2].tolist())
    for vid, other in enumerate(bundled.vocab):
        if not other.isalpha() or other == word:
            continue
        distance = OSA.distance(word, other, score_cutoff=3)
        budget = typo_budget(
            max(len(word), len(other)),
            same_start=word[:1] == other[:1],
            shorter=min(len(word), len(other)),
        )
        # retrieval reaches two edits; words of three letters go by phonetic keys
        if distance <= min(budget, 2) and max(len(word), len(other)) >= 4:
            assert vid in reached, (word, other)


def test_deletion_hashes_of_many_words_are_each_words_hashes() -> None:
    words = ["merkel", "", "a", "путин", "حسين", "习近平", "abcdefghijklmnopqrstu", "merkel"]
    hashes, owners = k.deletion_hashes_many(words)
    for position, word in enumerate(words):
        assert sorted(hashes[owners == position].tolist()) == sorted(
            k.deletion_hashes(word).tolist()
        )


def test_screen_many_gives_what_screen_gives_one_by_one(bundled: Index, shared_data: Path) -> None:
    path = shared_data / "sanctions/eval/opensanctions/yente_negatives_global.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [row for _, row in zip(range(400), csv.DictReader(handle), strict=False)]
    queries = [ScreeningQuery(name=r["full_name"]) for r in rows]
    queries += [ScreeningQuery(name="Vladimir Putin"), ScreeningQuery(name="Hizballah")]
    many = Screener(bundled).screen_many(queries, limit=3, explain=False)
    single = Screener(Index.load(PACKAGE_DATA / "bundled_index.npz"))
    for query, response in zip(queries, many, strict=True):
        alone = single.screen(query, limit=3, explain=False)
        assert [(m.entry_id, m.score) for m in response.matches] == [
            (m.entry_id, m.score) for m in alone.matches
        ]
    assert any(m.match for r in many for m in r.matches)


def test_screen_many_leaves_the_cycle_collector_as_it_found_it(bundled: Index) -> None:
    screener = Screener(bundled)
    queries = [ScreeningQuery(name="Vladimir Putin")] * 3
    assert gc.isenabled()
    screener.screen_many(queries, limit=1)
    assert gc.isenabled()
    gc.disable()
    try:
        screener.screen_many(queries, limit=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_full_cache_is_cleared_without_losing_the_words_asked_for(bundled: Index) -> None:
    words = _fresh(bundled)
    cache: BoundedCache[HitsKey, Hits] = BoundedCache(3)
    first = _keys(bundled, ["Vladimir Putin", "Hassan"])
    words.get(first, cache)
    # cached words and new ones together, with the cache full: no KeyError, and the
    # same hits as a fresh lookup
    both = first + _keys(bundled, ["Kim Jong Un", "Ali Khamenei"])
    got = words.get(both, cache)
    assert len(cache) <= 3
    for key, hits in zip(both, got, strict=True):
        assert _same(hits, _fresh(bundled).get([key])[0])


def test_a_rare_misspelling_does_not_outweigh_the_exact_word() -> None:
    from dualuse.model.party import NameKind, Party, PartyName, PartyType, Provenance
    from dualuse.screening.matching import build_index

    def party(entry: str, name: str) -> Party:
        return Party(
            id=f"t:{entry}",
            type=PartyType.ORGANIZATION,
            names=(PartyName(name, NameKind.NAME),),
            provenance=Provenance("t", "2026-01-01", "https://example.org", entry),
        )

    # "AVIC" (an alias on the lists) is commoner than the one-letter variant "AVI";
    # before the cap, the rare variant's weight outranked every exact holder
    parties = [party(f"avic{i}", f"Avic Unit{i}") for i in range(12)]
    parties += [party("avi", "AVI"), party("avio", "AVIO")]
    parties += [party(f"f{i}", f"Filler{i} Trading") for i in range(3000)]
    index = build_index(parties, version="t")
    form = index.query_forms("AVIC", None)[0]
    candidates = index.retrieve([form], max_parties=5)
    top = index.record(candidates[0].party).entry_id
    assert top.startswith("avic"), [index.record(c.party).entry_id for c in candidates]
    hits = index.retrieve([form])
    weights = {index.record(c.party).entry_id: c.retrieval_score for c in hits}
    assert weights["avi"] <= weights["avic0"]
