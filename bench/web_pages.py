"""How long the reviewers' pages take over HTTP, with a queue that has work in it.

A real ``dualuse serve`` (subprocess, one worker) on a fresh home; ORDERS orders are
submitted through ``POST /v1/decisions`` (every third one a held order: a buyer with an
SDN entry's name), then one reviewer, logged in through the login form, asks for each page
REPEAT times in turn: the queue (a full page of 100 cases), a held order's case (the party
beside the list entry), its decision, the dashboard (counts and two SVG charts), the list
status and the audit view. The figures are the times the client waited (p50, p99, ms), one
request at a time on loopback.

Run: ``python -m bench.web_pages [--orders 300] [--repeat 40]``
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.controls_speed import cpu_model
from bench.matching_data import REPO
from bench.screening_concurrency import _CLI, Server

HELD_NAME = "Arta Shipping Enterprises Ltd"
"""ARTA SHIPPING ENTERPRISES LIMITED is on the bundled OFAC SDN list."""
CLEAN_NAMES = ["Hamburg Marine Supply GmbH", "Bremen Office Interiors GmbH"]


def order(n: int) -> dict[str, Any]:
    held = n % 3 == 0
    return {
        "id": f"PO-WEB-{n:05d}",
        "date": "2026-12-01",
        "route": {"origin": "US", "destination": "DE"},
        "parties": [
            {
                "role": "buyer",
                "name": HELD_NAME if held else CLEAN_NAMES[n % 2],
                "country": "DE",
                "business": "ship chandler",
            }
        ],
        "items": [{"line": 1, "hs": "940131", "eccn": "EAR99", "quantity": 40 + n}],
        "end_use": "civil",
    }


def _key(server: Server, name: str, roles: str) -> str:
    out = subprocess.run(
        [*_CLI, "keys", "create", name, "--roles", roles],
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _login(client: httpx.Client, key: str) -> dict[str, str]:
    page = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    pre = page.headers["set-cookie"].split(";", 1)[0]
    r = client.post(
        "/ui/login",
        data={"csrf": token.group(1), "api_key": key, "next": "/ui/queue"},
        headers={"cookie": pre, "sec-fetch-site": "same-origin"},
    )
    cookie = next(c for c in r.headers.get_list("set-cookie") if "dualuse_session" in c)
    return {"cookie": cookie.split(";", 1)[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="web-bench-"))
    server = Server(REPO, 1, home)
    try:
        server.wait(timeout=120)
        desk = _key(server, "desk", "submitter")
        rita = _key(server, "Rita Reviewer", "reviewer,auditor")
        with httpx.Client(base_url=server.url, timeout=300) as client:
            started = time.perf_counter()
            for first in range(0, args.orders, 50):
                batch = [order(n) for n in range(first, min(args.orders, first + 50))]
                r = client.post(
                    "/v1/decisions", json={"orders": batch}, headers={"X-API-Key": desk}
                )
                r.raise_for_status()
            seeded = time.perf_counter() - started
            cookie = _login(client, rita)
            queue = client.get("/ui/queue", headers=cookie).text
            case = re.search(r'href="(/ui/cases/\d+)"', queue)
            assert case is not None
            case_page = client.get(case.group(1), headers=cookie).text
            decision = re.search(r'href="(/ui/decisions/[^"]+)"', case_page)
            assert decision is not None
            pages = {
                "queue (100 cases)": "/ui/queue",
                "case (held order)": case.group(1),
                "decision": decision.group(1),
                "dashboard": "/ui/dashboard",
                "list status": "/ui/lists",
                "audit view": "/ui/audit",
            }
            times: dict[str, list[float]] = {name: [] for name in pages}
            sizes: dict[str, int] = {}
            for _ in range(args.repeat):
                for name, path in pages.items():
                    t0 = time.perf_counter()
                    r = client.get(path, headers=cookie)
                    times[name].append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200, (path, r.status_code)
                    sizes[name] = len(r.content)
    finally:
        server.stop()
    load = os.getloadavg()
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.python_version()}")
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{args.orders} orders submitted in {seeded:.1f} s (POST /v1/decisions, 50 a batch)")
    print("| page | p50 ms | p99 ms | bytes |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        median = statistics.median(values)
        print(f"| {name} | {median:.1f} | {p99:.1f} | {sizes[name]:,} |")


if __name__ == "__main__":
    main()
