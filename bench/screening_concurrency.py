"""Concurrent screening over HTTP: C clients on loopback against a real
``dualuse serve``, each sending ``POST /v1/screen`` requests one after another
(keep-alive), for a bounded number of requests and seconds. Reports p50 / p99
latency, throughput and every answer by status (a connection error by its name).

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src \\
        python -m bench.screening_concurrency --clients 1,50,200 --workers 1,2 \\
            [--against ../other-checkout]

Each server runs from its checkout (``--against`` runs the other checkout's server
with one worker, side by side in the same run) on a fresh home and SQLite database
with the bundled lists' index; the clients run in this process (httpx, asyncio), on
the same machine. The query names are real: the UN positives and the synthetic
negatives, in file order, each client starting at its own offset.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.matching_data import REPO, eval_dir, read_csv


def _names(count: int) -> list[str]:
    o = eval_dir() / "opensanctions"
    names = [r["full_name"] for r in read_csv(o / "yente_positives_un_untreated.csv")]
    for _, row in zip(range(count), read_csv(o / "yente_negatives_global.csv"), strict=False):
        names.append(row["full_name"])
    return [n for n in names if n.strip()]


_CLI = [sys.executable, "-c", "from dualuse.cli.main import main; main()"]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``dualuse serve`` of one checkout in a subprocess, with a screener key."""

    def __init__(self, checkout: Path, workers: int, home: Path) -> None:
        self.port = _free_port()
        self.env = dict(os.environ, PYTHONPATH=str(checkout / "src"), DUALUSE_HOME=str(home))
        key = subprocess.run(
            [*_CLI, "keys", "create", "bench"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.key = key.stdout.strip().splitlines()[-1]
        args = ["serve", "--port", str(self.port)]
        if workers > 1:
            args += ["--workers", str(workers)]
        self.log = home / "server.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*_CLI, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("the server exited")
            time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def _load(
    url: str, key: str, names: list[str], clients: int, requests: int, seconds: float
) -> dict[str, object]:
    """``clients`` closed-loop clients sharing ``requests`` requests, stopping early
    after ``seconds``."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    issued = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"X-API-Key": key}
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:
        started = time.perf_counter()
        stop_at = started + seconds

        async def one_client(number: int) -> None:
            nonlocal issued
            at = number * 37
            while issued < requests and time.perf_counter() < stop_at:
                issued += 1
                name = names[at % len(names)]
                at += 1
                sent = time.perf_counter()
                try:
                    response = await client.post("/v1/screen", json={"name": name}, headers=headers)
                    status = str(response.status_code)
                except httpx.TransportError as exc:  # counted, not retried
                    status = type(exc).__name__
                latencies.append(time.perf_counter() - sent)
                statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(one_client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    return {
        "clients": clients,
        "requests": len(ms),
        "seconds": round(elapsed, 2),
        "per_second": round(len(ms) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
        "statuses": statuses,
    }


def run(
    checkout: Path,
    label: str,
    workers: int,
    clients: list[int],
    requests: int,
    seconds: float,
    names: list[str],
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="dualuse-bench-") as home:
        server = Server(checkout, workers, Path(home))
        try:
            server.wait()
            # warm up: every worker loads its index and meets the first names
            asyncio.run(_load(server.url, server.key, names, 4, 40 * workers, 60))
            for count in clients:
                row = asyncio.run(_load(server.url, server.key, names, count, requests, seconds))
                rows.append({"server": label, "workers": workers, **row})
                print(json.dumps(rows[-1]), flush=True)
        finally:
            server.stop()
            # why any request failed: the last lines of each server traceback
            failures = server.log.read_text(errors="replace").split("Traceback")[1:]
            for failure in failures[-3:]:
                print(f"{label} server error:", failure.strip().splitlines()[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,50,200", help="comma-separated counts")
    parser.add_argument("--workers", default="1,2", help="comma-separated counts (this checkout)")
    parser.add_argument("--requests", type=int, default=1000, help="per measurement")
    parser.add_argument("--seconds", type=float, default=60.0, help="at most, per measurement")
    parser.add_argument("--against", type=Path, help="another checkout (one worker)")
    args = parser.parse_args()
    clients = [int(x) for x in args.clients.split(",")]
    names = _names(5000)
    rows: list[dict[str, object]] = []
    if args.against:
        rows += run(
            args.against.resolve(), "against", 1, clients, args.requests, args.seconds, names
        )
    for workers in (int(x) for x in args.workers.split(",")):
        rows += run(REPO, "this", workers, clients, args.requests, args.seconds, names)
    print(json.dumps({"load_average": os.getloadavg(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
