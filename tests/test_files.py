from pathlib import Path

import pytest

from dualuse.files import atomic_write_text, read_pointer, staging_dir, swap_pointer


def test_atomic_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "f.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


def test_staging_dir_failure_leaves_previous(tmp_path: Path) -> None:
    final = tmp_path / "v1"
    with staging_dir(final) as stage:
        (stage / "data").write_text("good")
    with pytest.raises(RuntimeError), staging_dir(final) as stage:
        (stage / "data").write_text("half")
        raise RuntimeError("boom")
    assert (final / "data").read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1"]


def test_staging_dir_swaps(tmp_path: Path) -> None:
    final = tmp_path / "v"
    with staging_dir(final) as stage:
        (stage / "x").write_text("1")
    with staging_dir(final) as stage:
        (stage / "y").write_text("2")
    assert sorted(p.name for p in final.iterdir()) == ["y"]


def test_pointer(tmp_path: Path) -> None:
    pointer = tmp_path / "CURRENT"
    assert read_pointer(pointer) is None
    swap_pointer(pointer, "2024-05-03")
    assert read_pointer(pointer) == "2024-05-03"
