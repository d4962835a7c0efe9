"""Evidence beyond the name: dates of birth, weak name evidence, listings linked
across lists, score bounds, and a query process that never loads rigour's tagger."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.names import NameType, analyze_name
from dualuse.screening.lists import load_path
from dualuse.screening.matching import DEFAULT_ALGORITHM, Index, Screener, compare_names
from dualuse.screening.matching.linking import link_records
from dualuse.screening.matching.names.compare import name_evidence
from dualuse.screening.matching.retrieval.record import PartyRecord

T = DEFAULT_ALGORITHM.THRESHOLD
REPO = Path(__file__).resolve().parents[3]


def _un_people(index: Index) -> list[PartyRecord]:
    return [
        r
        for r in (index.record(p) for p in range(index.n_parties))
        if r.type is PartyType.PERSON and any(len(d) == 10 for d in r.birth_dates)
    ]


def test_a_contradicting_date_of_birth_drops_below_the_threshold(un_index: Index) -> None:
    screener = Screener(un_index)
    checked = 0
    for record in _un_people(un_index)[:40]:
        dob = next(d for d in record.birth_dates if len(d) == 10)
        right = screener.screen(
            ScreeningQuery(name=record.caption, type=PartyType.PERSON, birth_date=dob)
        )
        top = next(m for m in right.matches if m.party_id == record.party_id)
        assert top.match
        assert "dob_match" in {f.feature for f in top.explanation}
        assert "weak_name_evidence" not in {f.feature for f in top.explanation}
        wrong = screener.screen(
            ScreeningQuery(
                name=record.caption,
                type=PartyType.PERSON,
                # 33 years earlier: two digits differ, so not a typing slip (those
                # lower the score less: test_features.py)
                birth_date=f"{int(dob[:4]) - 33}{dob[4:]}",
            ),
            limit=50,
        )
        same = next(m for m in wrong.matches if m.party_id == record.party_id)
        assert same.score <= top.score - 0.3
        assert not same.match
        checked += 1
    assert checked == 40


def test_name_evidence_counts_rarity_capped_by_length(un_index: Index) -> None:
    record = next(r for r in _un_people(un_index) if len(r.caption.split()) >= 3)
    # the listed name as screening reads it: through retrieval's candidates
    forms = un_index.query_forms(record.caption, record.type)
    candidates = un_index.retrieve(forms)
    names = [
        n
        for c in candidates
        if un_index.record(c.party).party_id == record.party_id
        for n in c.names
    ]
    assert names
    index_form = un_index.name_form(names[0])
    assert len(index_form.rarity) == len(index_form.tokens)
    query = analyze_name(record.caption, NameType.PERSON)
    full = compare_names(query, index_form)
    bits = name_evidence(full)
    assert bits > 0
    assert bits <= sum(2.0 * len(t) for t in index_form.tokens)
    # fewer query words, less evidence
    fewer = compare_names(analyze_name(index_form.tokens[0], NameType.PERSON), index_form)
    assert name_evidence(fewer) < bits
    # without rarities (a name outside an index) the letter cap alone counts
    plain = replace(index_form, rarity=())
    assert name_evidence(compare_names(query, plain)) >= bits


def test_weak_evidence_shows_in_the_explanation_and_a_dob_lifts_it(un_index: Index) -> None:
    screener = Screener(un_index)
    seen = 0
    for record in _un_people(un_index):
        response = screener.screen(ScreeningQuery(name=record.caption, type=PartyType.PERSON))
        top = next((m for m in response.matches if m.party_id == record.party_id), None)
        if top is None:
            continue
        weak = [f for f in top.explanation if f.feature == "weak_name_evidence"]
        if not weak:
            continue
        assert 0 < weak[0].value <= 1 and weak[0].weight < 0
        assert "bits" in (weak[0].candidate_value or "")
        dob = next(d for d in record.birth_dates if len(d) == 10)
        confirmed = screener.screen(
            ScreeningQuery(name=record.caption, type=PartyType.PERSON, birth_date=dob)
        )
        again = next(m for m in confirmed.matches if m.party_id == record.party_id)
        assert "weak_name_evidence" not in {f.feature for f in again.explanation}
        assert again.score > top.score
        seen += 1
        if seen == 5:
            break
    assert seen == 5


def test_pruning_never_loses_a_match(un_index: Index) -> None:
    screener = Screener(un_index)
    names = [r.caption for r in _un_people(un_index)[:60]]
    names += [" ".join(n.split()[:2]) for n in names] + ["Mohammad Hassan", "Ali Ahmad"]
    for name in names:
        query = ScreeningQuery(name=name)
        best = screener.screen(query, limit=1).matches
        full = screener.screen(query, limit=100).matches
        if full and full[0].match:
            assert best and best[0].score == full[0].score


@pytest.fixture(scope="module")
def ofac_and_csl(shared_data: Path) -> list[PartyRecord]:
    sanctions = shared_data / "sanctions"
    sdn = load_path(sanctions / "ofac" / "sdn_2024-05-03").parties
    csl = load_path(sanctions / "csl" / "csl_2026-07-31_converted.csv").parties
    people = {p.provenance.entry_id for p in sdn if p.type is PartyType.PERSON and p.birth_dates}
    wanted = set(sorted(people)[:300])
    chosen = [p for p in sdn if p.provenance.entry_id in wanted]
    chosen += [p for p in csl if p.provenance.entry_id.removeprefix("SDN-") in wanted]
    return [PartyRecord.from_party(p) for p in chosen]


def test_csl_copies_borrow_facts_from_the_ofac_entry(ofac_and_csl: list[PartyRecord]) -> None:
    linked = link_records(ofac_and_csl)
    by_id = {r.party_id: r for r in linked}
    csl = [r for r in linked if r.list_id == "us_csl"]
    assert csl
    borrowed = [r for r in csl if r.facts_from]
    assert len(borrowed) >= 0.9 * len(csl)
    for record in borrowed:
        original = by_id[record.facts_from or ""]
        assert original.list_id == "us_ofac_sdn"
        assert record.entry_id == f"SDN-{original.entry_id}"
        assert record.birth_dates == original.birth_dates
        assert set(original.countries) <= set(record.countries)
        assert record.names == next(r for r in ofac_and_csl if r.party_id == record.party_id).names
    # the originals themselves are untouched
    assert all(r.facts_from is None for r in linked if r.list_id == "us_ofac_sdn")


def test_a_query_process_stays_small(un_index: Index, tmp_path: Path) -> None:
    """Screening loads the index and its lexicon table, not rigour's 500 MiB tagger."""
    path = tmp_path / "index.npz"
    un_index.save(path)
    script = (
        "from pathlib import Path\n"
        "from dualuse.model.screening import ScreeningQuery\n"
        "from dualuse.screening.matching import Index, Screener\n"
        f"s = Screener(Index.load(Path({str(path)!r})))\n"
        "for n in ('Vladimir Putin', 'حسين موسوي', '习近平', '김정은', 'Владимир'):\n"
        "    s.screen(ScreeningQuery(name=n))\n"
        "status = Path('/proc/self/status').read_text().splitlines()\n"
        "print(int(next(x for x in status if x.startswith('VmHWM')).split()[1]) // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(result.stdout.split()[-1]) < 300


def test_an_older_index_format_asks_for_a_rebuild(un_index: Index, tmp_path: Path) -> None:
    import json

    import numpy as np

    from dualuse.screening.matching import IndexFormatError

    path = tmp_path / "index.npz"
    un_index.save(path)
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(arrays["_meta"].tobytes())
    arrays["_meta"] = np.frombuffer(json.dumps({**meta, "format": 1}).encode(), dtype=np.uint8)
    old = tmp_path / "old.npz"
    np.savez(old, **arrays)  # type: ignore[arg-type]
    with pytest.raises(IndexFormatError, match="rebuild"):
        Index.load(old)
