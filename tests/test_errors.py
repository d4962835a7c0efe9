"""Each error class carries its HTTP status; the API answers with it (one handler)."""

import importlib
import pkgutil

import httpx
import pytest

import dualuse
from dualuse.api.app import create_app
from dualuse.errors import (
    AuthError,
    DualuseError,
    InputError,
    IntegrityError,
    NotAuthenticatedError,
    NotFoundError,
)
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer


def _all_errors() -> set[type[DualuseError]]:
    for info in pkgutil.walk_packages(dualuse.__path__, "dualuse."):
        if not info.name.endswith(("__main__", "spark_main")) and ".migrations" not in info.name:
            importlib.import_module(info.name)
    found: set[type[DualuseError]] = set()
    todo: list[type[DualuseError]] = [DualuseError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_class_answers_a_client_error() -> None:
    errors = _all_errors()
    assert {InputError, NotFoundError, IntegrityError, AuthError} <= errors
    assert all(400 <= cls.status < 500 for cls in errors)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputError("bad field", source="x", suggestions=["y"]), 400),
        (NotFoundError("no such case"), 404),
        (IntegrityError("conflict"), 409),
        (AuthError("not yours"), 403),
        (NotAuthenticatedError("key expired"), 401),
    ],
)
def test_api_answers_the_status_the_error_carries(
    settings: Settings, error: DualuseError, status: int
) -> None:
    app = create_app(settings)

    @app.get("/v1/raise")
    def raise_it() -> None:
        raise error

    _, key = apikeys.create_key(make_engine(settings.db_url), "k", frozenset({Role.ADMIN}))
    with LiveServer(app) as server:
        answer = httpx.get(f"{server.url}/v1/raise", headers={"X-API-Key": key})
    assert answer.status_code == status
    assert answer.json()["detail"] == str(error)
    assert answer.headers.get("www-authenticate") == error.headers.get("WWW-Authenticate")
    if isinstance(error, InputError):
        assert answer.json()["suggestions"] == ["y"]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "du_nope_nope"}])
def test_the_edge_answers_401_with_a_challenge(settings: Settings, headers: dict[str, str]) -> None:
    with LiveServer(create_app(settings)) as server:
        answer = httpx.get(f"{server.url}/v1/lists", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["detail"] in {
        "API key required",
        "unknown or revoked API key",
        "malformed API key",
    }
