"""SIGKILL a real ``dualuse serve`` process while clients submit orders and batches:
every decision it acknowledged is stored, nothing is half-written (each decision has
all its alerts, its case and its audit record, and the chain verifies), and after a
restart the clients' retries store each order once."""

from __future__ import annotations

import itertools
import json
import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.cases import alerts, cases, decisions
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import Signer
from tests.api.test_cases import order
from tests.api.test_shared_database import Server

BUYERS = [
    "Minsk Wheel Tractor Plant",
    "Jane Smith",
    "Rosneft",
    "Werkzeugbau Meier GmbH",
    "Gazprom Neft",
    "Hans Meier",
]
CLIENTS = 6
KILL_AFTER = 40
"""Acknowledged decisions before the kill."""


def orders_for(client: int, n: int) -> list[Any]:
    """Client ``client``'s ``n``-th request: every third one a batch of three orders."""
    size = 3 if n % 3 == 2 else 1
    return [
        order(f"PO-{client}-{n}-{k}", buyer=BUYERS[(client + n + k) % len(BUYERS)])
        for k in range(size)
    ]


def test_sigkill_mid_batch_loses_nothing_acknowledged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    _, key = apikeys.create_key(engine, "desk", frozenset({Role.SUBMITTER}))
    lease = tmp_path / "lease.pem"
    lease.write_bytes(Signer.generate().pem())
    lease.chmod(0o600)
    server = Server(tmp_path / "home", url, lease)
    acked: list[str] = []
    sent: dict[str, Any] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def run(client: int) -> None:
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=60) as http:
            for n in itertools.count():
                if stop.is_set():
                    return
                batch = orders_for(client, n)
                with lock:
                    sent.update({o["id"]: o for o in batch})
                body = {"orders": batch} if len(batch) > 1 else batch[0]
                try:
                    answer = http.post("/v1/decisions", json=body)
                except httpx.TransportError:
                    return  # the server died under us: this request was not acknowledged
                assert answer.status_code == 200, answer.text
                got = answer.json()
                with lock:
                    acked.extend(d["id"] for d in got.get("decisions", [got]))

    try:
        server.wait()
        threads = [threading.Thread(target=run, args=(c,)) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 300
        while len(acked) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(server.process.pid, signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        server.process.wait(timeout=30)
    finally:
        server.stop()
    assert len(acked) >= KILL_AFTER

    check = make_engine(url)
    with check.connect() as conn:
        rows = {r.order_id: r for r in conn.execute(select(decisions))}
        alert_counts = Counter(r.decision_id for r in conn.execute(select(alerts.c.decision_id)))
        case_counts = Counter(r.decision_id for r in conn.execute(select(cases.c.decision_id)))
    assert set(acked) <= set(rows), "an acknowledged decision was lost"
    for row in rows.values():  # nothing half-written
        body = json.loads(row.body)
        assert alert_counts[row.decision_id] == len(body["alerts"])
        assert case_counts[row.decision_id] == (1 if row.verdict in ("hold", "review") else 0)
    logged = Counter(r.subject for r in audit.records(check, action="decision"))
    assert logged == Counter(f"order:{o}" for o in rows)
    assert audit.verify_chain(check) >= len(rows)
    assert len(rows) < len(sent)  # the kill did land mid-stream

    # the clients retry everything they sent: each order is stored exactly once
    again = Server(tmp_path / "home", url, lease)
    try:
        again.wait()
        with httpx.Client(base_url=again.url, headers={"X-API-Key": key}, timeout=120) as http:
            ids = sorted(sent)
            for start in range(0, len(ids), 50):
                chunk = [sent[i] for i in ids[start : start + 50]]
                answer = http.post("/v1/decisions", json={"orders": chunk})
                assert answer.status_code == 200, answer.text
                for d in answer.json()["decisions"]:
                    assert d["created"] == (d["id"] not in rows)
    finally:
        again.stop()
    with check.connect() as conn:
        assert conn.execute(select(func.count()).select_from(decisions)).scalar() == len(sent)
    assert audit.verify_chain(check) >= len(sent)
