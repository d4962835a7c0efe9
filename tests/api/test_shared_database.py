"""Two ``dualuse serve`` processes on one PostgreSQL behave like one server.

Each server is a real process on loopback with a home of its own (as on two machines),
sharing only the database URL and the lease-signing key file. The races: one nonce
submitted to both at once, one accepted evidence asked to back a lease on both,
screening calls that append to the audit chain from both, and a key revoked through one
and used on the other.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dualuse.storage import apikeys, audit
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from dualuse.tracking.claims import b64
from dualuse.tracking.keys import Signer
from dualuse.tracking.simulator import HttpTransport, SimDevice, SimLandmark
from tests.conftest import free_port, postgres_schema
from tests.helpers import SRC

pytestmark = pytest.mark.postgres

ROUNDS = 4
DUALUSE = [sys.executable, "-m", "dualuse"]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema(f"twoservers{os.getpid()}") as url:
        yield url


class Server:
    def __init__(self, home: Path, url: str, lease_key: Path) -> None:
        self.port = free_port()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
        env["DUALUSE_TRACKING_LEASE_KEY_FILE"] = str(lease_key)
        self.log = (home.parent / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [*DUALUSE, "--home", str(home), "--database-url", url, "serve", *self.bind()],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def bind(self) -> list[str]:
        return ["--host", "127.0.0.1", "--port", str(self.port)]

    def wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def two_servers(
    postgres_url: str, tmp_path: Path
) -> Iterator[tuple[Server, Server, dict[str, str]]]:
    engine = make_engine(postgres_url)  # creates the schema's tables once
    keys = {
        role.value: apikeys.create_key(engine, role.value, frozenset({role}))[1]
        for role in (Role.OPERATOR, Role.SCREENER, Role.REVIEWER)
    }
    lease_key = tmp_path / "lease-key.pem"
    lease_key.write_bytes(Signer.generate().pem())
    lease_key.chmod(0o600)
    servers = [Server(tmp_path / name, postgres_url, lease_key) for name in ("a", "b")]
    try:
        for server in servers:
            server.wait()
        yield servers[0], servers[1], keys
    finally:
        for server in servers:
            server.stop()
        engine.dispose()


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return results


def enrol(server: Server, keys: dict[str, str]) -> tuple[str, str, Signer, list[SimLandmark]]:
    op = httpx.Client(base_url=server.url, headers={"X-API-Key": keys["operator"]}, timeout=180)
    sims = []
    for name, lat, lon in (("Munich", 48.1374, 11.5755), ("Vienna", 48.2088, 16.3726)):
        signer = Signer.generate()
        body = {"landmark_id": name, "lat": lat, "lon": lon, "public_key": signer.public.pem()}
        assert op.post("/v1/tracking/landmarks", json=body).status_code == 201
        sims.append(SimLandmark(name, lat, lon, signer))
    device_key = Signer.generate()
    r = op.post(
        "/v1/tracking/devices",
        json={
            "serial": "SN-2",
            "model": "DMU 65",
            "eccn": "2B001",
            "licence": "BAFA-2",
            "end_user": "Werkzeugbau GmbH",
            "prohibited": ["CN", "RU"],
            "permitted": ["DE", "AT"],
            "public_key": device_key.public.pem(),
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["device_id"], r.json()["api_key"], device_key, sims


def test_nonces_and_leases_are_single_use_across_servers(
    two_servers: tuple[Server, Server, dict[str, str]],
) -> None:
    a, b, keys = two_servers
    device_id, device_api_key, device_key, sims = enrol(a, keys)
    via = [HttpTransport(s.url, device_api_key, timeout=180) for s in (a, b)]
    device = SimDevice(
        device_id, via[0].ueid(device_id), device_key, via[1].verifier_key(), 48.2, 16.0
    )
    for round_no in range(ROUNDS):
        session = via[round_no % 2].nonce(device_id)
        token = device.evidence(session)
        measurements = [lm.measure(device, session) for lm in sims]
        answers = at_once(
            *(lambda t=t, m=measurements, e=token: t.evidence(device_id, e, m) for t in via)
        )
        accepted = [x for x in answers if x["accepted"]]
        assert len(accepted) == 1, answers  # the nonce was spent once, on one server
        (refused,) = [x for x in answers if not x["accepted"]]
        assert refused["reason"] == "replayed_nonce", refused
        evidence_id = int(accepted[0]["evidence_id"])
        lease_nonce = b64(device.lease_nonce())

        def ask(t: HttpTransport, evidence_id: int = evidence_id, nonce: str = lease_nonce) -> int:
            body = {"evidence_id": evidence_id, "lease_nonce": nonce}
            return t.client.post(f"/v1/tracking/devices/{device_id}/lease", json=body).status_code

        codes = sorted(at_once(*(lambda t=t: ask(t) for t in via)))
        assert codes[0] == 200 and codes[1] in (400, 409), codes  # one lease per evidence

    # a device key revoked on one server is refused by the other at once
    op = httpx.Client(base_url=a.url, headers={"X-API-Key": keys["operator"]}, timeout=180)
    kid = device_key.public.kid.hex()
    r = op.post(f"/v1/tracking/keys/{kid}/revoke", json={"reason": "stolen"})
    assert r.status_code == 200, r.text
    session = via[1].nonce(device_id)
    measurements = [lm.measure(device, session) for lm in sims]
    late = via[1].evidence(device_id, device.evidence(session), measurements)
    assert not late["accepted"], late


def test_audit_chain_has_no_fork_and_keys_revoke_everywhere(
    two_servers: tuple[Server, Server, dict[str, str]], postgres_url: str
) -> None:
    a, b, keys = two_servers
    engine = make_engine(postgres_url)
    before = audit.head(engine)[0]
    clients = [
        httpx.Client(base_url=s.url, headers={"X-API-Key": keys["screener"]}, timeout=180)
        for s in (a, b)
    ]
    names = ["Rosneft", "Jane Smith", "Gazprom Neft", "Hans Meier"]

    def burst(client: httpx.Client) -> list[int]:
        return [client.post("/v1/screen", json={"name": n}).status_code for n in names * 3]

    codes = at_once(*(lambda c=c: burst(c) for c in clients * 2))
    assert all(code == 200 for batch in codes for code in batch), codes
    chain = audit.records(engine)
    assert [r.seq for r in chain] == list(range(1, len(chain) + 1))
    screened = [r for r in chain if r.seq > before and r.action.startswith("screen")]
    assert len(screened) == 4 * len(names) * 3
    for earlier, later in itertools.pairwise(chain):
        assert later.prev_hash == earlier.hash  # one chain, no fork
    reviewer = httpx.Client(base_url=b.url, headers={"X-API-Key": keys["reviewer"]}, timeout=180)
    assert reviewer.get("/v1/audit/verify").json()["intact"]

    # a key revoked through one server's database is refused by the other at once
    key_id = next(k["key_id"] for k in apikeys.list_keys(engine) if k["name"] == "screener")
    assert key_id is not None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    subprocess.run(
        [*DUALUSE, "--database-url", postgres_url, "keys", "revoke", key_id],
        check=True,
        env=env,
        capture_output=True,
        timeout=120,
    )
    for client in clients:
        assert client.post("/v1/screen", json={"name": "Rosneft"}).status_code == 401
    engine.dispose()
