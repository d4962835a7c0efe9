"""An index of the real UN Security Council list, shared by the matching tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.screening.lists import load_path
from dualuse.screening.matching import Index, build_index


@pytest.fixture(scope="session")
def un_index(shared_data: Path) -> Index:
    version = load_path(shared_data / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml")
    return build_index(version.parties, version=f"un_sc@{version.version}")
