"""The hand-derived case table and one investment service over the real control data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from dualuse.services.investment import InvestmentService
from dualuse.settings import Settings
from tests.conftest import shared_data_dir

TABLE: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text())
CASES: list[dict[str, Any]] = TABLE["cases"]


def _walk(facts: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    *parents, last = path.split(".")
    node = facts
    for key in parents:
        node = node.setdefault(key, {})
    return node, last


def build(case: dict[str, Any]) -> dict[str, Any]:
    """The case's facts: its base with ``set`` applied and ``unset`` fields removed."""
    facts = copy.deepcopy(TABLE["bases"][case["base"]])
    for path, value in (case.get("set") or {}).items():
        node, key = _walk(facts, path)
        node[key] = copy.deepcopy(value)
    for path in case.get("unset") or []:
        node, key = _walk(facts, path)
        del node[key]
    return facts


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> InvestmentService:
    home = tmp_path_factory.mktemp("invest-home")
    return InvestmentService(Settings(home=home, shared_data=shared_data_dir()))
