"""Browser sessions for reviewers: an API key is exchanged once for a signed session cookie.

The API authenticates every call by API key; a browser cannot send one without a script.
So the login form takes the key once, checks it, and sets a cookie holding the key's id
(never its secret), the issue time and a random session id, signed with HMAC-SHA256 under
a secret kept in the home folder. Each page then checks, server side: the signature, the
age, that the key is still active (revoking a key ends its sessions at once) and that the
session was not logged out (a logout is a record in the hash-chained audit log, whose
``subject`` column is indexed, so no new table is needed and every login and logout is
on the record). The cookie is ``Secure; HttpOnly; SameSite=Strict`` with the ``__Host-``
prefix (no ``Domain``, path ``/``).

Every POST form carries a CSRF token derived from the session id (HMAC), checked in
constant time; the login form, before any session, carries one derived from a short-lived
pre-login cookie. The Origin header, when the browser sends one, must be this server.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from dualuse.errors import AuthError
from dualuse.storage import audit
from dualuse.storage.apikeys import Principal, Role, api_keys, authenticate

COOKIE = "__Host-dualuse_session"
PRE_COOKIE = "__Host-dualuse_login"
MAX_AGE_S = 8 * 3600
"""A working day: after this the reviewer logs in again."""
PRE_MAX_AGE_S = 1800
LOGIN_ACTION = "web.login"
LOGOUT_ACTION = "web.logout"


def secret_key(home: Path) -> bytes:
    """The signing secret, made once (0600) and shared by every server process on ``home``."""
    path = home / "web" / "session-key"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".session-key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # the first process to link wins; the others read its key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        data = path.read_bytes()
    if len(data) < 32:
        raise AuthError(f"web session key {path} is shorter than 32 bytes")
    return data


def same(presented: str, expected: str) -> bool:
    """Constant-time equality of a presented token; any text (``compare_digest`` raises on
    non-ASCII strings, which would turn a forged cookie into a 500)."""
    return hmac.compare_digest(
        presented.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _mac(key: bytes, purpose: str, text: str) -> str:
    return hmac.new(key, f"{purpose}\n{text}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """A checked session: who, since when, and the token its forms must carry."""

    principal: Principal
    session_id: str
    issued_at: int
    csrf: str

    @property
    def subject(self) -> str:
        return session_subject(self.session_id)


def session_subject(session_id: str) -> str:
    """The audit subject of a session: a digest, so the log never holds a live cookie."""
    return "web-session:" + hashlib.sha256(session_id.encode()).hexdigest()[:32]


def _principal_by_id(engine: Engine, key_id: str) -> Principal | None:
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
    if row is None or row.revoked_at is not None:
        return None
    roles = frozenset(Role(r) for r in row.roles.split(",") if r in Role.__members__.values())
    return Principal(key_id=row.key_id, name=row.name, roles=roles, scope=row.scope)


class Sessions:
    """Issue, check and end sessions for one server (``key`` from :func:`secret_key`)."""

    def __init__(self, engine: Engine, key: bytes, *, max_age_s: int = MAX_AGE_S) -> None:
        self.engine = engine
        self.key = key
        self.max_age_s = max_age_s

    def login(self, presented_key: str) -> tuple[str, Session]:
        """Check an API key; return ``(cookie value, session)``. Audited as ``web.login``."""
        principal = authenticate(self.engine, presented_key)
        if principal.scope is not None:
            raise AuthError("a key bound to one subject cannot open a browser session")
        session_id = secrets.token_urlsafe(24)
        issued = int(time.time())
        body = f"v1.{principal.key_id}.{issued}.{session_id}"
        cookie = f"{body}.{_mac(self.key, 'session', body)}"
        session = Session(principal, session_id, issued, self.csrf_for(session_id))
        audit.append(
            self.engine,
            actor=f"key:{principal.key_id}",
            action=LOGIN_ACTION,
            subject=session.subject,
            payload={"name": principal.name, "roles": sorted(principal.roles)},
        )
        return cookie, session

    def check(self, cookie: str | None, *, now: float | None = None) -> Session | None:
        """The session a cookie stands for, or ``None`` (bad, old, logged out, key revoked)."""
        if not cookie or len(cookie) > 300:
            return None
        body, _, mac = cookie.rpartition(".")
        if not same(mac, _mac(self.key, "session", body)):
            return None
        parts = body.split(".")
        if len(parts) != 4 or parts[0] != "v1" or not parts[2].isdigit():
            return None
        _v, key_id, issued_text, session_id = parts
        issued = int(issued_text)
        age = (time.time() if now is None else now) - issued
        if age < -60 or age > self.max_age_s:
            return None
        principal = _principal_by_id(self.engine, key_id)
        if principal is None:
            return None
        subject = session_subject(session_id)
        if audit.records(self.engine, subject=subject, action=LOGOUT_ACTION, limit=1):
            return None
        return Session(principal, session_id, issued, self.csrf_for(session_id))

    def logout(self, session: Session) -> None:
        """End a session for good: later requests with the same cookie are refused."""
        audit.append(
            self.engine,
            actor=f"key:{session.principal.key_id}",
            action=LOGOUT_ACTION,
            subject=session.subject,
            payload={},
        )

    def csrf_for(self, session_id: str) -> str:
        return _mac(self.key, "csrf", session_id)

    def pre_login(self) -> tuple[str, str]:
        """A pre-login cookie value and the CSRF token the login form must echo."""
        nonce = f"{int(time.time())}.{secrets.token_urlsafe(18)}"
        return f"{nonce}.{_mac(self.key, 'pre', nonce)}", _mac(self.key, "login", nonce)

    def check_pre_login(self, cookie: str | None, token: str) -> bool:
        if not cookie or len(cookie) > 200:
            return False
        nonce, _, mac = cookie.rpartition(".")
        if not same(mac, _mac(self.key, "pre", nonce)):
            return False
        stamp = nonce.partition(".")[0]
        if not stamp.isdigit() or time.time() - int(stamp) > PRE_MAX_AGE_S:
            return False
        return same(token, _mac(self.key, "login", nonce))


def same_origin(headers: Mapping[str, str]) -> bool:
    """Whether a POST comes from this server's own pages.

    ``Sec-Fetch-Site`` (sent by current browsers) must say ``same-origin``. Without it the
    ``Origin``, when sent, must name this host; ``null`` is accepted there only because a
    page served with ``Referrer-Policy: no-referrer`` makes browsers send it for their own
    forms (the CSRF token still has to match).
    """
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return True
    host = headers.get("host")
    scheme, _, rest = origin.partition("://")
    return bool(host) and scheme in {"http", "https"} and rest == host
