"""Speed of investment screening: one deal under all four regimes.

The issue names no speed anchor. The figures stand beside the part of the work the engine
delegates: the licence determinations it asks for (the same calls made directly, in the same
run), so the ratio is the cost of the rules, screening aside. The deals are the 76
hand-derived cases of ``tests/investment/cases.yaml``.

Run: ``python -m bench.investment_speed [--rounds N] [--write docs/benchmarks/investment.md]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.investment.conftest import CASES, build

from bench.controls_speed import cpu_model
from dualuse.investment.cfius import chain_persons
from dualuse.investment.model import parse_facts
from dualuse.services.investment import InvestmentService
from dualuse.settings import Settings


def _determinations(
    service: InvestmentService, deals: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    calls = []
    for deal in deals:
        facts = parse_facts(deal)
        for item in facts.target.items or []:
            for _path, place, _name in chain_persons(facts):
                if item.eccn and place and place != "us":
                    calls.append((item.eccn, place))
    return calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    deals = [build(c) for c in CASES]
    settings = Settings.from_env()
    started = time.perf_counter()
    InvestmentService(settings).assess(deals[0], screen=False)
    cold = time.perf_counter() - started
    per_deal, direct, screened = [], [], []
    for _ in range(args.rounds):
        service = InvestmentService(settings)  # a fresh service: no cached determinations
        calls = _determinations(service, deals)
        t0 = time.perf_counter()
        for deal in deals:
            service.assess(deal, screen=False)
        per_deal.append((time.perf_counter() - t0) / len(deals))
        t0 = time.perf_counter()
        for eccn, place in calls:
            service.controls.determine(eccn=eccn, destination=place)
        direct.append((time.perf_counter() - t0) / len(deals))
    service = InvestmentService(settings)
    service.assess(deals[0])  # loads the screening index
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for deal in deals[:20]:
            service.assess(deal)
        screened.append((time.perf_counter() - t0) / 20)
    ms = 1000
    rule = statistics.median(per_deal) * ms
    dets = statistics.median(direct) * ms
    rows = [
        ("first deal in a process (control data load)", f"{cold * ms:.0f} ms", ""),
        ("one deal, four regimes, no screening (median per deal)", f"{rule:.2f} ms", ""),
        (
            "the same deals' licence determinations called directly",
            f"{dets:.2f} ms",
            f"engine / determinations = {rule / dets:.1f}x" if dets else "",
        ),
        (
            "one deal with party screening (index loaded; first 20 cases)",
            f"{statistics.median(screened) * ms:.1f} ms",
            f"{statistics.median(screened) * ms / rule:.1f}x the unscreened deal",
        ),
    ]
    with open("/proc/cpuinfo") as f:
        cores = sum(1 for line in f if line.startswith("processor"))
    lines = [
        "## Investment screening (issue 14)",
        "",
        f"Machine: {cores} cores, {cpu_model()}; Python {platform.python_version()}. "
        f"Date: {datetime.now(UTC).date()}. Command: `python -m bench.investment_speed "
        f"--rounds {args.rounds}` ({len(deals)} deals, median of {args.rounds} rounds).",
        "",
        "| what | figure | ratio |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "No speed anchor is named in the issue; the ratio is against the licence determinations",
        "the engine delegates to, made directly in the same run.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("# Benchmarks: investment screening\n\n" + text)


if __name__ == "__main__":
    main()
