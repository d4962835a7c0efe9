"""One decision service for the decision tests (real bundled lists and control data)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dualuse.services.decisions import DecisionService
from dualuse.settings import Settings
from tests.conftest import shared_data_dir

FIXED_NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def decision_service(tmp_path_factory: pytest.TempPathFactory) -> DecisionService:
    home = tmp_path_factory.mktemp("decisions") / "home"
    settings = Settings(home=home, shared_data=shared_data_dir())
    return DecisionService(settings, clock=lambda: FIXED_NOW)


ORDERS = Path(__file__).parent / "orders"
