"""The panel over the real shared data, built once per test process (it is read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.diversion.trade.series import Panel
from dualuse.services.trade_flows import panel_for


@pytest.fixture(scope="session")
def panel(shared_data: Path) -> Panel:
    return panel_for(shared_data)


@pytest.fixture(scope="session")
def member_panel(shared_data: Path) -> Panel:
    return panel_for(shared_data, member_cn8=True)
