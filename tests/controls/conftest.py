from __future__ import annotations

import pytest

from dualuse.controls.data import ControlData, load


@pytest.fixture(scope="session")
def control_data() -> ControlData:
    return load()
