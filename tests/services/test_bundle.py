import json
import zipfile
from pathlib import Path

import pytest

from dualuse.services.bundle import PACKAGE_DATA, build_bundled_index
from dualuse.services.screening import BUNDLED_INDEX, BUNDLED_INDEX_META, ScreeningService
from dualuse.settings import Settings


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.slow
def test_shipped_index_is_what_the_snapshot_builds(tmp_path: Path) -> None:
    """A stale shipped index (older snapshot or index format) fails here: rebuild it with
    ``python -m dualuse.services.bundle``."""
    fresh, fingerprint = build_bundled_index(tmp_path)
    shipped = PACKAGE_DATA / BUNDLED_INDEX
    meta = json.loads((PACKAGE_DATA / BUNDLED_INDEX_META).read_text(encoding="utf-8"))
    assert meta["fingerprint"] == fingerprint
    assert members(shipped) == members(fresh)
    assert shipped.stat().st_mode & 0o044 == 0o044


def test_a_fresh_home_uses_the_shipped_index(tmp_path: Path) -> None:
    service = ScreeningService(Settings(home=tmp_path / "fresh"))
    assert service.info.origin == "bundled"
    assert not (tmp_path / "fresh" / "index").exists()
