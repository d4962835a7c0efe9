"""Speed of one transaction decision: a 10-line order on the bundled lists, in process.

Targets (issue 12): p50 <= 10 ms, p99 <= 50 ms per 10-line order. Anchor: Tazama
publishes 2,240 transactions/s on about 944 vCPU (2.4/s per vCPU) with a p99 of 68.2 ms
(tazama-lf/docs, Performance-Benchmarking; shared/reference/decisions.md §4). Tazama's
figure includes network hops and four ISO 20022 messages per transaction, so it is an
order of magnitude, not a like-for-like run.

Each order has four parties (buyer, consignee, end user, forwarder) with real company
names that are on no list (the index constituents of ``bench.companies_data``, a
different draw per order so that no screening cache helps), ten lines (ECCNs and CHPL
and other HS codes), a transit country and a payment. The same service decides them one
by one (latency) and in batches of 50 (throughput, parties screened together).

Run: ``python -m bench.decision_speed [--orders 300] [--write docs/benchmarks/decisions.md]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.companies_data import negatives
from bench.controls_speed import cpu_model
from dualuse.services.decisions import DecisionService
from dualuse.settings import Settings

LINES = [
    ("EAR99", "854231"),
    ("EAR99", "854232"),
    ("3A001.a.2", "854239"),
    ("EAR99", "847130"),
    ("5A002", "851762"),
    ("EAR99", "850440"),
    ("EAR99", "848210"),
    ("3A090.a", "854231"),
    ("EAR99", "841370"),
    ("EAR99", "852691"),
]
ROUTES = [("US", ["AE"], "KG"), ("US", [], "DE"), ("DE", ["TR"], "KZ"), ("US", [], "CN")]


def make_orders(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    names = [name for name, _source in negatives()]
    out = []
    for i in range(n):
        origin, transit, dest = ROUTES[i % len(ROUTES)]
        picked = rng.sample(names, 4)
        hub = transit[0] if transit else origin
        out.append(
            {
                "id": f"BENCH-{i:05d}",
                "date": "2026-12-01",
                "route": {"origin": origin, "transit": transit, "destination": dest},
                "parties": [
                    {"role": "buyer", "name": picked[0], "country": dest,
                     "incorporated": "2019-05-01", "business": "electronics distribution"},
                    {"role": "consignee", "name": picked[1], "country": dest},
                    {"role": "end_user", "name": picked[2], "country": dest},
                    {"role": "forwarder", "name": picked[3], "country": hub},
                ],
                "items": [
                    {"line": k + 1, "eccn": eccn, "hs": hs, "quantity": 10 * (k + 1),
                     "value": 1000.0 * (k + 1), "currency": "USD"}
                    for k, (eccn, hs) in enumerate(LINES)
                ],
                "end_use": "civil",
                "payment": {"payer_country": dest, "method": "wire"},
            }
        )  # fmt: skip
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    settings = Settings.from_env()
    t0 = time.perf_counter()
    # no party remembered between orders: every order's parties are screened (the
    # service keeps answers for recurring customers; new ones are what is timed here)
    service = DecisionService(settings, remembered_parties=0)
    start_s = time.perf_counter() - t0
    orders = make_orders(args.orders + 20, args.seed)
    t0 = time.perf_counter()
    service.decide(orders[0])
    first_ms = (time.perf_counter() - t0) * 1000
    for order in orders[1:20]:  # warm-up: caches of the control data and the screener
        service.decide(order)
    latencies: list[float] = []
    cpu: list[float] = []
    verdicts: dict[str, int] = {}
    for order in orders[20:]:
        t0, c0 = time.perf_counter(), time.thread_time()
        decision = service.decide(order)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        verdicts[decision.verdict.value] = verdicts.get(decision.verdict.value, 0) + 1
    screen_ms = []
    for order in orders[20:120]:
        parsed = service.parse(order)
        t0 = time.perf_counter()
        service._screen([parsed])
        screen_ms.append((time.perf_counter() - t0) * 1000)
    batch = orders[20:]
    t0 = time.perf_counter()
    for k in range(0, len(batch), 50):
        service.decide_many(batch[k : k + 50])
    rate = len(batch) / (time.perf_counter() - t0)
    rows = [
        ("service start (lists, index, control data, rules)", f"{start_s:.2f} s"),
        ("first order in the process", f"{first_ms:.0f} ms"),
        ("10-line order, one at a time: p50", f"{statistics.median(latencies):.2f} ms"),
        ("p90", f"{pct(latencies, 0.90):.2f} ms"),
        ("p99", f"{pct(latencies, 0.99):.2f} ms"),
        ("max", f"{max(latencies):.2f} ms"),
        (
            "CPU time of the deciding thread: p50 / p99 (what a contended machine distorts least)",
            f"{statistics.median(cpu):.2f} / {pct(cpu, 0.99):.2f} ms",
        ),
        ("of which screening the 4 parties (median)", f"{statistics.median(screen_ms):.2f} ms"),
        ("batches of 50 orders (one process)", f"{rate:.0f} orders/s"),
        ("verdicts", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))),
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (
        f"`python -m bench.decision_speed --orders {args.orders}`, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {cpu_model()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {len(latencies)} orders timed, load average "
        f"at the end {load} (other jobs: wall-clock figures stretch with it, CPU time less)"
    )
    table = "\n".join(["| what | figure |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows]])
    print(header)
    print(table)
    if args.write:
        args.write.write_text(
            "# Transaction decisions: speed (issue 12)\n\n" + header + "\n\n" + table + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
