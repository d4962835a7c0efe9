"""Schemathesis against the OpenAPI spec, on a real server on loopback with a real admin
key: whatever the spec allows (and much that it does not), no route answers 500.

Examples per route are bounded so the whole run stays within a couple of minutes;
list updates go to a closed local port instead of the publishers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from dualuse.api.app import create_app
from dualuse.services.lists import SOURCES
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer, shared_data_dir

EXAMPLES = 25


@pytest.fixture(scope="module")
def live_api(
    screening_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    base = Settings(
        home=screening_home,
        database_url=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'db.sqlite'}",
        shared_data=shared_data_dir(),
    )
    closed = " ".join(f"{list_id}=http://127.0.0.1:9/{list_id}" for list_id in SOURCES)
    screening = replace(
        base.screening, list_urls=closed, download_retries=0, download_timeout_s=2.0
    )
    config = replace(base, screening=screening)
    engine = make_engine(config.db_url)
    _, key = apikeys.create_key(engine, "fuzz", frozenset({Role.ADMIN}))
    with LiveServer(create_app(config)) as server:
        yield server, {"X-API-Key": key}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_route_answers_500(
    live_api: tuple[LiveServer, dict[str, str]], mode: GenerationMode
) -> None:
    server, auth = live_api
    spec = schemathesis.openapi.from_url(f"{server.url}/openapi.json", headers=auth, timeout=60)
    failures: list[str] = []
    tried: list[str] = []

    for result in spec.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            response = case.call(base_url=server.url, headers=auth, timeout=60)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:300]}\n{case.as_curl_command()}"
            )

        try:
            call()
        except AssertionError as exc:
            failures.append(str(exc))
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing to break in a bare route
    assert len(tried) >= 20, tried
    assert not failures, "\n\n".join(failures)
