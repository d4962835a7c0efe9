"""API keys: random secrets shown once, stored only as SHA-256 digests, each with roles.

A key looks like ``du_<key id>_<secret>``. The id lets a log line or an audit record
say which key acted without ever revealing the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Column, Engine, String, Table, insert, select, update

from dualuse.errors import AuthError, InputError, NotFoundError
from dualuse.storage.db import metadata


class Role(StrEnum):
    """What a caller may do. ``admin`` may do everything."""

    SCREENER = "screener"
    """Screen parties, classify items, determine licences, locate from measurements."""
    SUBMITTER = "submitter"
    """Submit orders for a decision (an order desk or an ERP)."""
    REVIEWER = "reviewer"
    """Work the case queue (assign, comment, disposition alerts) and read the audit log."""
    APPROVER = "approver"
    """Release held orders; never the reviewer who cleared them (four eyes)."""
    AUDITOR = "auditor"
    """Read decisions, cases and the audit log; export the regulator bundle."""
    OPERATOR = "operator"
    """Manage tracked devices and leases (fleet, history, overrides)."""
    DEVICE = "device"
    """A tracked device: fetch nonces, post evidence, renew its lease."""
    ADMIN = "admin"
    """Load and update lists, manage keys."""


api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40), nullable=True),
    Column("scope", String(200), nullable=True),
)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key id (never the secret), its name and roles."""

    key_id: str
    name: str
    roles: frozenset[Role]
    scope: str | None = None
    """What the key is bound to, e.g. ``device:<id>``: a device key speaks for one device."""

    def has(self, *wanted: Role) -> bool:
        return Role.ADMIN in self.roles or any(role in self.roles for role in wanted)

    def may_act_for(self, subject: str) -> bool:
        """Admins act for anything; a bound key only for its own subject."""
        return Role.ADMIN in self.roles or self.scope == subject


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_roles(text: str) -> frozenset[Role]:
    roles: set[Role] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            roles.add(Role(part))
        except ValueError as exc:
            raise InputError(
                f"unknown role {part!r}", source="roles", suggestions=[r.value for r in Role]
            ) from exc
    if not roles:
        raise InputError("at least one role is required", source="roles")
    return frozenset(roles)


def create_key(
    engine: Engine, name: str, roles: frozenset[Role], scope: str | None = None
) -> tuple[str, str]:
    """Create a key; return ``(key_id, full_key)``. The full key is never stored.

    A key with the ``device`` role must be bound to one device (``scope="device:<id>"``),
    so a leaked device key cannot speak for the rest of the fleet.
    """
    if Role.DEVICE in roles and not (scope or "").startswith("device:"):
        raise InputError(
            "a device key must be bound to one device (scope device:<id>)", source="scope"
        )
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            insert(api_keys).values(
                key_id=key_id,
                name=name,
                digest=_digest(secret),
                roles=",".join(sorted(r.value for r in roles)),
                created_at=datetime.now(UTC).isoformat(),
                revoked_at=None,
                scope=scope,
            )
        )
    return key_id, f"du_{key_id}_{secret}"


def revoke_key(engine: Engine, key_id: str) -> None:
    with engine.begin() as conn:
        result = conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC).isoformat())
        )
    if result.rowcount == 0:
        raise NotFoundError(f"no active API key with id {key_id!r}")


def list_keys(engine: Engine) -> list[dict[str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                api_keys.c.key_id,
                api_keys.c.name,
                api_keys.c.roles,
                api_keys.c.scope,
                api_keys.c.created_at,
                api_keys.c.revoked_at,
            ).order_by(api_keys.c.created_at)
        )
        return [dict(row._mapping) for row in rows]


def authenticate(engine: Engine, presented: str) -> Principal:
    """Return the principal for a presented key or raise :class:`AuthError`.

    The error never repeats the presented value.
    """
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "du" or not parts[1] or not parts[2]:
        raise AuthError("malformed API key")
    key_id, secret = parts[1], parts[2]
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
    if row is None or row.revoked_at is not None:
        raise AuthError("unknown or revoked API key")
    if not hmac.compare_digest(row.digest, _digest(secret)):
        raise AuthError("unknown or revoked API key")
    return Principal(
        key_id=row.key_id,
        name=row.name,
        roles=frozenset(Role(r) for r in row.roles.split(",") if r),
        scope=row.scope,
    )
