"""Decisions under load over HTTP: C clients on loopback against a real ``dualuse
serve``, each submitting orders one after another (``POST /v1/decisions``, keep-alive)
until N decisions are answered. Reports p50 / p99 latency, throughput, every answer by
status, and then counts the decisions in the database: none lost (every acknowledged
order id is stored), none duplicated (one row per order id).

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src \\
        python -m bench.decision_load --clients 200 --decisions 50000 --workers 2 \\
            [--batch 50] [--database-url postgresql+psycopg://...]

With ``--batch B`` each request carries B orders (``{"orders": [...]}``), which the
server decides together and stores in one transaction; latencies are then per request
and the throughput counts decisions.

The server runs on a fresh home (SQLite there unless ``--database-url``) with the
bundled lists' index; the clients run in this process (httpx, asyncio) on the same
machine. Orders are built from real data: party names are the UN positives and the
synthetic negatives of the screening evaluation set, HS codes those of the CHPL
(FinCEN-BIS Common High Priority List), destinations cycle through a fixed set.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.matching_data import REPO
from bench.screening_concurrency import _CLI, Server, _names
from dualuse.storage.cases import decisions
from dualuse.storage.db import make_engine


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of process ``root`` and its descendants (from /proc):
    what the server spent, whatever else the machine was running."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])))
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(stats[pid][1] for pid in tree if pid in stats) / os.sysconf("SC_CLK_TCK")


DESTINATIONS = ("KG", "AE", "DE", "TR", "IN", "BR", "KZ", "GB")
RETRIES = 3
"""Transport errors retried per order (the same order: submission is idempotent)."""


def _hs_codes() -> list[str]:
    data = Path(os.environ.get("DUALUSE_SHARED_DATA", REPO.parent / "shared" / "data"))
    path = data / "export_control" / "chpl_common_high_priority_list_2024-02-23.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["hs_code"] for row in csv.DictReader(handle)]


def make_order(run: str, n: int, names: list[str], hs: list[str]) -> dict[str, Any]:
    lines = 1 + n % 3
    return {
        "id": f"LOAD-{run}-{n}",
        "date": "2026-12-01",
        "route": {"origin": "US", "destination": DESTINATIONS[n % len(DESTINATIONS)]},
        "parties": [
            {"role": "buyer", "name": names[n % len(names)], "country": DESTINATIONS[n % 8]},
            {"role": "end_user", "name": names[(n * 7 + 3) % len(names)]},
        ],
        "items": [
            {"line": i + 1, "hs": hs[(n + i) % len(hs)], "eccn": "EAR99", "quantity": 10}
            for i in range(lines)
        ],
        "end_use": "civil",
    }


async def _load(
    url: str, key: str, orders: list[dict[str, Any]], clients: int, batch: int = 1
) -> tuple[dict[str, Any], list[str]]:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    acked: list[str] = []
    retried = 0
    queue = iter(
        [orders[k : k + batch] for k in range(0, len(orders), batch)] if batch > 1 else orders
    )
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, limits=limits, timeout=300, headers={"X-API-Key": key}
    ) as client:
        started = time.perf_counter()

        async def one_client() -> None:
            nonlocal retried
            for body in queue:
                sent = time.perf_counter()
                for attempt in range(RETRIES + 1):
                    try:
                        payload = {"orders": body} if isinstance(body, list) else body
                        response = await client.post("/v1/decisions", json=payload)
                        status = str(response.status_code)
                        if response.status_code == 200:
                            answer = response.json()
                            if isinstance(body, list):
                                acked.extend(d["id"] for d in answer["decisions"])
                            else:
                                acked.append(answer["id"])
                        break
                    except httpx.TransportError as exc:
                        # a keep-alive connection the server closed as the request went
                        # out: the submission is idempotent, so the client sends it again
                        status = type(exc).__name__
                        retried += attempt < RETRIES
                latencies.append(time.perf_counter() - sent)
                statuses[status] = statuses.get(status, 0) + 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    row = {
        "clients": clients,
        "batch": batch,
        "requests": len(ms),
        "decisions": len(orders),
        "seconds": round(elapsed, 1),
        "per_second": round(len(orders) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
        "statuses": statuses,
        "transport_retries": retried,
    }
    return row, acked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--batch", type=int, default=1, help="orders per request")
    parser.add_argument("--database-url", help="default: SQLite in the server's fresh home")
    args = parser.parse_args()
    names = _names(5000)
    hs = _hs_codes()
    run = time.strftime("%H%M%S")
    orders = [make_order(run, n, names, hs) for n in range(args.decisions)]
    with tempfile.TemporaryDirectory(prefix="dualuse-bench-") as home:
        if args.database_url:
            os.environ["DUALUSE_DATABASE_URL"] = args.database_url
        url = args.database_url or f"sqlite:///{Path(home) / 'dualuse.db'}"
        server = Server(REPO, args.workers, Path(home))
        created = subprocess.run(
            [*_CLI, "keys", "create", "load", "--roles", "submitter"],
            env=server.env,
            capture_output=True,
            text=True,
            check=True,
        )
        key = created.stdout.strip().splitlines()[-1]
        try:
            server.wait(120)
            warm = [make_order(f"warm{run}", n, names, hs) for n in range(20 * args.workers)]
            asyncio.run(_load(server.url, key, warm, 4))
            server_cpu, client_cpu = tree_cpu_seconds(server.process.pid), time.process_time()
            row, acked = asyncio.run(_load(server.url, key, orders, args.clients, args.batch))
            server_cpu = tree_cpu_seconds(server.process.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
        finally:
            server.stop()
            failures = server.log.read_text(errors="replace").split("Traceback")[1:]
            for failure in failures[-3:]:
                print("server error:", "\n".join(failure.strip().splitlines()[-6:]), flush=True)
        engine = make_engine(url)
        with engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(decisions.c.order_id))]
            total = conn.execute(select(func.count()).select_from(decisions)).scalar_one()
        wanted = {o["id"] for o in orders}
        stored = [i for i in ids if i in wanted]
        per = {"server": server_cpu * 1000 / len(orders), "client": client_cpu * 1000 / len(orders)}
        row |= {
            # CPU time per decision does not stretch with the other jobs on the machine as
            # wall time does: the rate two cores would give the server alone, and the
            # server with this load generator beside it (as here)
            "server_cpu_ms_per_decision": round(per["server"], 2),
            "client_cpu_ms_per_decision": round(per["client"], 2),
            "cpu_bound_rate_2_cores_server_alone": round(2000 / per["server"], 1),
            "cpu_bound_rate_2_cores_with_client": round(2000 / (per["server"] + per["client"]), 1),
            "workers": args.workers,
            "database": engine.dialect.name,
            "stored": len(stored),
            "duplicated": len(stored) - len(set(stored)),
            "lost": len(set(acked) - set(stored)),
            "rows_total": total,
            "load_average": os.getloadavg(),
            "cpus": os.cpu_count(),
        }
        print(json.dumps(row, indent=2), flush=True)


if __name__ == "__main__":
    main()
