"""Shared fixtures for the tracking tests: the packaged world, a locator, and the real
WonderNetwork matrix from the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.tracking.locate import LatencyLocator
from dualuse.tracking.wondernetwork import Matrix, read_matrix
from dualuse.tracking.world import World, load_world


@pytest.fixture(scope="session")
def world() -> World:
    return load_world()


@pytest.fixture(scope="session")
def locator(world: World) -> LatencyLocator:
    return LatencyLocator(world)


@pytest.fixture(scope="session")
def matrix(shared_data: Path) -> Matrix:
    folder = shared_data / "geo" / "wondernetwork"
    return read_matrix(
        (folder / "servers-2020-07-19.csv").read_text(encoding="utf-8"),
        (folder / "pings-2020-07-19-2020-07-20-grouped.csv").read_text(encoding="utf-8"),
    )


def server_id(matrix: Matrix, name: str) -> int:
    return next(s.id for s in matrix.servers.values() if s.name == name)
