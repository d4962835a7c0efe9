"""The delta index of a real list update (OFAC SDN 2024-04-02 -> 2024-05-03: 417 added,
11 changed) scores a stored party against a changed entry exactly as a full screen of
the new lists does, and holds nothing else."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.party import ListVersion
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener, build_index
from dualuse.services import lists as list_service
from dualuse.services.delta_screening import DeltaIndex, build_delta_index, compare
from dualuse.settings import Settings

OFAC = Path("sanctions/ofac")


@pytest.fixture(scope="module")
def versions(shared_data: Path) -> tuple[ListVersion, ListVersion]:
    settings = Settings(home=Path("/nonexistent"))
    return (
        list_service.open_version(settings, str(shared_data / OFAC / "sdn_2024-04-02")),
        list_service.open_version(settings, str(shared_data / OFAC / "sdn_2024-05-03")),
    )


@pytest.fixture(scope="module")
def full_and_delta(versions: tuple[ListVersion, ListVersion]) -> tuple[Index, DeltaIndex]:
    old, new = versions
    full = build_index(new.parties, version="full")
    return full, build_delta_index([compare(old, new)], full)


def _queries(new: ListVersion, changed: set[str], shared_data: Path) -> list[ScreeningQuery]:
    rng = random.Random(16)
    listed = [p for p in new.parties if p.provenance.entry_id in changed]
    others = [p for p in new.parties if p.provenance.entry_id not in changed]
    names = [p.caption for p in rng.sample(listed, 80)]
    names += [p.caption.lower().replace(",", "") for p in rng.sample(listed, 40)]
    names += [" ".join(p.caption.split()[:2]) for p in rng.sample(listed, 40)]
    names += [p.caption for p in rng.sample(others, 60)]
    negatives = shared_data / "sanctions/eval/opensanctions/yente_negatives_global.csv"
    with negatives.open(newline="", encoding="utf-8") as f:
        names += [row["full_name"] for row in itertools.islice(csv.DictReader(f), 80)]
    return [ScreeningQuery(name=n) for n in names if n.strip()]


def test_delta_scores_changed_entries_as_the_full_screen(
    versions: tuple[ListVersion, ListVersion],
    full_and_delta: tuple[Index, DeltaIndex],
    shared_data: Path,
) -> None:
    _, new = versions
    full, delta = full_and_delta
    changed = {p.provenance.entry_id for p in compare(*versions).changed_parties}
    assert len(changed) == 417 + 11
    assert len(delta.index) == len(changed)
    assert delta.summary()["lists"][0]["added"] == 417
    full_screen = Screener(full)
    delta_screen = Screener(delta.index)
    compared = matched = 0
    for query in _queries(new, changed, shared_data):
        expected = {
            m.entry_id: m.score
            for m in full_screen.screen(query, limit=50, explain=False).matches
            if m.entry_id in changed and m.score >= 0.5
        }
        got = {m.entry_id: m.score for m in delta_screen.screen(query, limit=50).matches}
        assert set(got) <= changed
        for entry_id, score in expected.items():
            assert got.get(entry_id) == pytest.approx(score, abs=1e-6), (query.name, entry_id)
        compared += len(expected)
        matched += sum(1 for s in expected.values() if s >= full_screen.threshold)
    assert compared >= 140 and matched >= 100, (compared, matched)  # real hits compared


def test_versions_of_two_lists_are_refused(
    versions: tuple[ListVersion, ListVersion], shared_data: Path
) -> None:
    un = list_service.open_version(
        Settings(home=Path("/nonexistent")),
        str(shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml"),
    )
    with pytest.raises(InputError, match="versions of one list"):
        compare(versions[0], un)
    with pytest.raises(InputError, match="no list change"):
        build_delta_index([], build_index([], version="empty"))
