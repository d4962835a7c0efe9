"""Two ``dualuse serve`` processes on one PostgreSQL take the same orders at once: each
order is stored once, the other server answers with the stored decision, and the audit
chain has no fork."""

from __future__ import annotations

import itertools

import httpx
import pytest
from sqlalchemy import func, select

from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.cases import decisions
from dualuse.storage.db import make_engine
from tests.api.test_cases import order
from tests.api.test_shared_database import Server, at_once, postgres_url, two_servers

pytestmark = pytest.mark.postgres
__all__ = ["postgres_url", "two_servers"]  # fixtures used by name

BUYERS = ["Minsk Wheel Tractor Plant", "Jane Smith", "Rosneft", "Hans Meier", "Gazprom Neft"]


def test_one_order_sent_to_both_servers_is_stored_once(
    two_servers: tuple[Server, Server, dict[str, str]], postgres_url: str
) -> None:
    a, b, _keys = two_servers
    engine = make_engine(postgres_url)
    _, key = apikeys.create_key(engine, "desk", frozenset({Role.SUBMITTER}))
    clients = [
        httpx.Client(base_url=s.url, headers={"X-API-Key": key}, timeout=180) for s in (a, b)
    ]
    orders = [order(f"PO-S-{n}", buyer=BUYERS[n % len(BUYERS)]) for n in range(12)]

    def send(client: httpx.Client) -> list[dict[str, object]]:
        answers = [client.post("/v1/decisions", json=o) for o in orders]
        assert all(r.status_code == 200 for r in answers), [r.text for r in answers]
        return [r.json() for r in answers]

    first, second = at_once(*(lambda c=c: send(c) for c in clients))
    for x, y in zip(first, second, strict=True):
        assert x["decision_id"] == y["decision_id"]
        assert sorted([x["created"], y["created"]]) == [False, True]
        assert x["case_id"] == y["case_id"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(decisions)).scalar() == len(orders)
    chain = audit.records(engine)
    for earlier, later in itertools.pairwise(chain):
        assert later.prev_hash == earlier.hash
    assert [r.action for r in chain].count("decision") == len(orders)
    engine.dispose()
