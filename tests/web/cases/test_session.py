"""Sessions: a signed cookie that names a key id; refused when tampered with, old, logged
out or when its key is revoked; CSRF tokens bound to the session; Origin checks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.errors import AuthError
from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from dualuse.web.cases.session import Sessions, same_origin, secret_key


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> tuple[Sessions, str, str]:
    engine = make_engine(db_url)
    key_id, key = apikeys.create_key(engine, "Rita", frozenset({Role.REVIEWER}))
    return Sessions(engine, secret_key(tmp_path / "home")), key_id, key


def test_login_check_logout(store: tuple[Sessions, str, str]) -> None:
    sessions, key_id, key = store
    cookie, session = sessions.login(key)
    assert key not in cookie and key.split("_", 2)[2] not in cookie  # the secret never
    checked = sessions.check(cookie)
    assert checked is not None and checked.principal.key_id == key_id
    assert checked.principal.roles == frozenset({Role.REVIEWER})
    assert checked.csrf == session.csrf and len(session.csrf) == 64
    actions = [r.action for r in audit.records(sessions.engine)]
    assert actions == ["web.login"]
    sessions.logout(checked)
    assert sessions.check(cookie) is None  # the same cookie is dead after logout
    assert [r.action for r in audit.records(sessions.engine)] == ["web.login", "web.logout"]


def test_revoked_key_ends_the_session(store: tuple[Sessions, str, str]) -> None:
    sessions, key_id, key = store
    cookie, _ = sessions.login(key)
    apikeys.revoke_key(sessions.engine, key_id)
    assert sessions.check(cookie) is None


def test_old_session_and_bad_keys(store: tuple[Sessions, str, str]) -> None:
    sessions, _key_id, key = store
    cookie, _ = sessions.login(key)
    assert sessions.check(cookie, now=time.time() + sessions.max_age_s + 1) is None
    with pytest.raises(AuthError):
        sessions.login(key + "x")
    with pytest.raises(AuthError):
        sessions.login("")
    device = apikeys.create_key(sessions.engine, "d", frozenset({Role.DEVICE}), scope="device:1")
    with pytest.raises(AuthError, match="bound to one subject"):
        sessions.login(device[1])


def test_a_cookie_from_another_secret_is_refused(
    store: tuple[Sessions, str, str], tmp_path: Path
) -> None:
    sessions, _key_id, key = store
    cookie, _ = sessions.login(key)
    other = Sessions(sessions.engine, secret_key(tmp_path / "other-home"))
    assert other.check(cookie) is None


def test_non_ascii_cookies_and_tokens_are_refused(store: tuple[Sessions, str, str]) -> None:
    sessions, _key_id, key = store
    cookie, _ = sessions.login(key)
    body = cookie.rpartition(".")[0]
    assert sessions.check(body + ".é" + "0" * 63) is None  # not a TypeError
    pre, _token = sessions.pre_login()
    assert not sessions.check_pre_login(pre, "é")
    assert not sessions.check_pre_login(pre.rpartition(".")[0] + ".\udcff", "x")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0), char=st.characters())
def test_any_changed_character_is_refused(
    store: tuple[Sessions, str, str], position: int, char: str
) -> None:
    sessions, _key_id, key = store
    cookie, _ = sessions.login(key)
    i = position % len(cookie)
    forged = cookie[:i] + char + cookie[i + 1 :]
    if forged != cookie:
        assert sessions.check(forged) is None


def test_pre_login_token(store: tuple[Sessions, str, str]) -> None:
    sessions, _key_id, _key = store
    cookie, token = sessions.pre_login()
    assert sessions.check_pre_login(cookie, token)
    _other_cookie, other_token = sessions.pre_login()
    assert not sessions.check_pre_login(cookie, other_token)
    assert not sessions.check_pre_login(None, token)
    assert not sessions.check_pre_login(cookie + "0", token)


def test_secret_is_private_and_stable(tmp_path: Path) -> None:
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first and len(first) == 32
    assert (tmp_path / "web" / "session-key").stat().st_mode & 0o077 == 0


def test_same_origin() -> None:
    assert same_origin({"sec-fetch-site": "same-origin", "origin": "null"})
    assert not same_origin({"sec-fetch-site": "cross-site", "host": "a:1", "origin": "http://a:1"})
    assert not same_origin({"sec-fetch-site": "same-site"})
    assert same_origin({"host": "a:1", "origin": "http://a:1"})
    assert not same_origin({"host": "a:1", "origin": "http://evil:1"})
    assert same_origin({"host": "a:1"})
