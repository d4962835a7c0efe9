"""The list store: atomic swaps, sanity checks, first/last seen, injected failures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dualuse.errors import InputError, IntegrityError
from dualuse.model.party import ListVersion
from dualuse.screening.lists import load_path
from dualuse.storage import lists as store_module
from dualuse.storage.lists import ListStore

SDN = Path("sanctions/ofac")


@pytest.fixture(scope="module")
def sdn_april(shared_data: Path) -> ListVersion:
    return load_path(shared_data / SDN / "sdn_2024-04-02")


@pytest.fixture(scope="module")
def sdn_may(shared_data: Path) -> ListVersion:
    return load_path(shared_data / SDN / "sdn_2024-05-03")


def leftovers(store: ListStore, list_id: str) -> list[str]:
    return sorted(p.name for p in (store.root / list_id).iterdir() if ".staging" in p.name)


def test_commit_and_read_back(tmp_path: Path, sdn_april: ListVersion) -> None:
    store = ListStore(tmp_path)
    result = store.commit(sdn_april, source_files={"sdn.csv": b"raw bytes"})
    assert result.status == "committed"
    assert store.current_version("us_ofac_sdn") == "2024-04-02"
    back = store.load("us_ofac_sdn")
    assert back.sha256 == sdn_april.sha256
    strip = [
        replace(p, provenance=replace(p.provenance, first_seen=None, last_seen=None))
        for p in back.parties
    ]
    assert strip == list(sdn_april.parties)
    assert store.source_files("us_ofac_sdn") == {"sdn.csv": b"raw bytes"}
    assert store.commit(sdn_april).status == "unchanged"


def test_first_and_last_seen_across_versions(
    tmp_path: Path, sdn_april: ListVersion, sdn_may: ListVersion
) -> None:
    store = ListStore(tmp_path)
    store.commit(sdn_april)
    store.commit(sdn_may)
    april_ids = {p.provenance.entry_id for p in sdn_april.parties}
    may = store.parties("us_ofac_sdn")
    for party in may:
        expected_first = "2024-04-02" if party.provenance.entry_id in april_ids else "2024-05-03"
        assert party.provenance.first_seen == expected_first
        assert party.provenance.last_seen == "2024-05-03"
    april = store.parties("us_ofac_sdn", "2024-04-02")
    assert {p.provenance.last_seen for p in april} == {"2024-04-02"}


def test_older_version_needs_force(
    tmp_path: Path, sdn_april: ListVersion, sdn_may: ListVersion
) -> None:
    store = ListStore(tmp_path)
    store.commit(sdn_may)
    with pytest.raises(InputError, match="older than the live 2024-05-03"):
        store.commit(sdn_april)
    assert store.current_version("us_ofac_sdn") == "2024-05-03"
    store.commit(sdn_april, force=True)
    assert store.current_version("us_ofac_sdn") == "2024-04-02"


def test_a_version_losing_most_entries_needs_force(
    tmp_path: Path, sdn_april: ListVersion, sdn_may: ListVersion
) -> None:
    store = ListStore(tmp_path)
    store.commit(sdn_april)
    short = replace(sdn_may, parties=sdn_may.parties[:1000], sha256="short")
    with pytest.raises(InputError, match="fewer than the live"):
        store.commit(short, max_shrink=0.5)
    assert store.current_version("us_ofac_sdn") == "2024-04-02"
    assert leftovers(store, "us_ofac_sdn") == []
    assert store.commit(short, force=True).status == "committed"


def test_validation_rejects_duplicates_and_foreign_parties(
    tmp_path: Path, sdn_april: ListVersion
) -> None:
    store = ListStore(tmp_path)
    dup = replace(sdn_april, parties=sdn_april.parties[:2] + sdn_april.parties[:1])
    with pytest.raises(InputError, match="appears twice"):
        store.commit(dup)
    empty = replace(sdn_april, parties=())
    with pytest.raises(InputError, match="no parties"):
        store.commit(empty)
    assert store.list_ids() == []


@pytest.mark.parametrize("step", ["encode_parties", "_fsync_tree", "swap_pointer"])
def test_injected_failure_keeps_the_previous_version(
    step: str,
    tmp_path: Path,
    sdn_april: ListVersion,
    sdn_may: ListVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ListStore(tmp_path)
    store.commit(sdn_april)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(f"injected failure in {step}")

    with monkeypatch.context() as patch:
        patch.setattr(store_module, step, boom)
        with pytest.raises(OSError, match="injected"):
            store.commit(sdn_may)
    assert store.current_version("us_ofac_sdn") == "2024-04-02"
    assert len(store.parties("us_ofac_sdn")) == len(sdn_april.parties)
    assert leftovers(store, "us_ofac_sdn") == []
    if step == "swap_pointer":
        # the folder was renamed into place but never made live: the retry completes it
        assert store.commit(sdn_may).status == "unchanged"
    else:
        assert "2024-05-03" not in store.versions("us_ofac_sdn")
        assert store.commit(sdn_may).status == "committed"
    assert store.current_version("us_ofac_sdn") == "2024-05-03"


def test_stale_staging_folder_of_a_killed_process_is_removed(
    tmp_path: Path, sdn_april: ListVersion
) -> None:
    store = ListStore(tmp_path)
    stale = store.root / "us_ofac_sdn" / ".2024-04-02.abc.staging"
    stale.mkdir(parents=True)
    (stale / "parties.zst").write_bytes(b"half")
    store.commit(sdn_april)
    assert leftovers(store, "us_ofac_sdn") == []


def test_old_versions_are_pruned(tmp_path: Path, sdn_april: ListVersion) -> None:
    store = ListStore(tmp_path)
    for day in range(1, 5):
        version = f"2024-06-0{day}"
        parties = tuple(
            replace(p, provenance=replace(p.provenance, list_version=version))
            for p in sdn_april.parties[:50]
        )
        store.commit(replace(sdn_april, version=version, parties=parties, sha256=version), keep=2)
    assert store.versions("us_ofac_sdn") == ["2024-06-03", "2024-06-04"]


def test_damaged_parties_file_is_an_integrity_error(tmp_path: Path, sdn_april: ListVersion) -> None:
    store = ListStore(tmp_path)
    store.commit(sdn_april)
    (store.root / "us_ofac_sdn" / "2024-04-02" / "parties.zst").write_bytes(b"not zstd")
    with pytest.raises(IntegrityError, match="damaged"):
        store.parties("us_ofac_sdn")
