import pytest

from dualuse.errors import AuthError, InputError
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine


def test_create_authenticate_revoke(db_url: str) -> None:
    engine = make_engine(db_url)
    key_id, key = apikeys.create_key(engine, "ops", frozenset({Role.SCREENER}))
    principal = apikeys.authenticate(engine, key)
    assert principal.key_id == key_id and principal.has(Role.SCREENER)
    assert not principal.has(Role.ADMIN)
    stored = apikeys.list_keys(engine)
    assert key.split("_", 2)[2] not in repr(stored)
    with pytest.raises(AuthError):
        apikeys.authenticate(engine, key[:-1] + ("A" if key[-1] != "A" else "B"))
    apikeys.revoke_key(engine, key_id)
    with pytest.raises(AuthError):
        apikeys.authenticate(engine, key)


def test_admin_has_every_role(db_url: str) -> None:
    engine = make_engine(db_url)
    _, key = apikeys.create_key(engine, "root", frozenset({Role.ADMIN}))
    assert apikeys.authenticate(engine, key).has(Role.DEVICE)


def test_parse_roles_rejects_unknown() -> None:
    with pytest.raises(InputError, match="unknown role"):
        apikeys.parse_roles("screener,god")


@pytest.mark.parametrize("bad", ["", "du_", "du__x", "nope", "du_abc"])
def test_malformed_keys(db_url: str, bad: str) -> None:
    with pytest.raises(AuthError):
        apikeys.authenticate(make_engine(db_url), bad)


def test_device_keys_are_bound(db_url: str) -> None:
    engine = make_engine(db_url)
    with pytest.raises(InputError, match="bound to one device"):
        apikeys.create_key(engine, "d", frozenset({Role.DEVICE}))
    _, key = apikeys.create_key(engine, "d", frozenset({Role.DEVICE}), scope="device:a")
    principal = apikeys.authenticate(engine, key)
    assert principal.may_act_for("device:a")
    assert not principal.may_act_for("device:b")
    _, root = apikeys.create_key(engine, "root", frozenset({Role.ADMIN}))
    assert apikeys.authenticate(engine, root).may_act_for("device:b")
