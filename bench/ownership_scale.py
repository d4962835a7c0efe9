"""The ownership rules on a synthetic graph: 1 million companies, 3 million stakes.

Issue 13 asks for time and peak memory of the ownership rules at this size; it names no
anchor, so the worklist fixed point is set beside the naive one (numpy rounds: sum every
blocked owner's stakes with ``bincount``, repeat until nothing changes) on the same
arrays in the same process, and the two results are checked to be identical.

The graph is synthetic (no real registry of this size is available here): companies and
persons, owners drawn with a skew so that some hold many stakes, each company's stakes
splitting 100% between its owners, some chains of holding companies, 2% of stakes without
a percentage, a few hundred listed persons and companies.

Each rule runs in a fresh subprocess so that its peak RSS (``ru_maxrss``) is its own.
Run: ``python -m bench.ownership_scale [--companies 1000000] [--stakes 3000000]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from dualuse.diversion.ownership import engine
from dualuse.diversion.ownership.engine import SCALE, Edges
from dualuse.diversion.ownership.prepare import cap_highs


def synthetic(
    companies: int, stakes: int, listed_count: int = 600, seed: int = 13, chain: int = 0
) -> tuple[int, Edges, list[int]]:
    """Nodes 0..companies-1 are companies, then a fifth as many persons."""
    rng = np.random.default_rng(seed)
    persons = companies // 5
    n = companies + persons
    asset = rng.integers(0, companies, stakes)
    # Owners: 30% persons, 70% companies, skewed so that low numbers hold many stakes.
    is_person = rng.random(stakes) < 0.3
    skew = rng.random(stakes) ** 2
    owner = np.where(
        is_person,
        companies + (skew * persons).astype(np.int64),
        (skew * companies).astype(np.int64),
    )
    # Each company's stakes split its 100% (exponential weights), in 0.01% steps, floored.
    weight = rng.exponential(1.0, stakes)
    total = np.bincount(asset, weights=weight, minlength=companies)
    low = np.floor(weight / total[asset] * 100 * 100).astype(np.int64) * (SCALE // 100)
    high = low.copy()
    missing = rng.random(stakes) < 0.02
    low[missing] = 0
    high[missing] = 100 * SCALE
    head = n
    if chain:
        # A holding chain of extra companies, each 100% held by the one before (they
        # replace the last `chain` stakes); its head is listed below. Round-based
        # methods need one round per link.
        n += chain + 1
        owner[-chain:] = np.arange(head, head + chain)
        asset[-chain:] = np.arange(head + 1, head + chain + 1)
        low[-chain:] = high[-chain:] = 100 * SCALE
    no = np.zeros(stakes, dtype=np.bool_)
    edges = Edges(
        owner.astype(np.int64), asset.astype(np.int64), low, high, no, no.copy(), no.copy()
    )
    listed = sorted(
        set(rng.integers(companies, companies + persons, listed_count * 2 // 3).tolist())
        | set(rng.integers(0, companies, listed_count // 3).tolist())
    )
    if chain:
        listed = sorted({*listed, head})
    return n, cap_highs(edges, n), listed


def naive_rounds(
    n: int, edges: Edges, listed: list[int], test: engine.Test
) -> tuple[set[int], int]:
    """The anchor: whole-graph rounds until the blocked set stops changing."""
    seeds = np.zeros(n, dtype=np.bool_)
    seeds[listed] = True
    blocked = seeds.copy()
    rounds = 0
    while True:
        rounds += 1
        from_blocked = blocked[edges.owner]
        sums = np.zeros(n, dtype=np.int64)
        np.add.at(sums, edges.asset[from_blocked], edges.low[from_blocked])
        meets = sums >= test.units if test.inclusive else sums > test.units
        new = seeds | meets
        if np.array_equal(new, blocked):
            return set(np.flatnonzero(blocked).tolist()), rounds
        blocked = new


def end_to_end(n: int, edges: Edges, listed: list[int]) -> dict[str, object]:
    """The whole ``evaluate``: parties and stakes as objects, dates, report with paths."""
    from datetime import date
    from decimal import Decimal

    from dualuse.diversion.ownership.evaluate import evaluate
    from dualuse.diversion.ownership.model import (
        UNKNOWN_SHARE,
        Graph,
        Party,
        Share,
        Stake,
        StakeKind,
    )
    from dualuse.diversion.ownership.rules import rule_for

    t0 = time.perf_counter()
    graph = Graph()
    is_listed = set(listed)
    for i in range(n):
        graph.parties[f"n{i}"] = Party(f"n{i}", listed=i in is_listed)
    owners, assets, lows = edges.owner.tolist(), edges.asset.tolist(), edges.low.tolist()
    missing = (edges.low != edges.high).tolist()
    for k in range(len(owners)):
        value = Decimal(lows[k]) / SCALE
        share = UNKNOWN_SHARE if missing[k] else Share(value, value)
        graph.stakes.append(
            Stake(f"s{k}", f"n{owners[k]}", f"n{assets[k]}", StakeKind.OWNERSHIP, share)
        )
    built = time.perf_counter() - t0
    after_build = peak_mib()
    t0 = time.perf_counter()
    day = date(2025, 1, 1)
    report = evaluate(graph, rule_for("ofac", day), day)
    counts = report["counts"]
    assert isinstance(counts, dict)
    return {
        "build_objects_s": round(built, 1),
        "after_build_mib": round(after_build),
        "evaluate_s": round(time.perf_counter() - t0, 1),
        "peak_mib": round(peak_mib()),
        "blocked_derived": counts["blocked"],
        "unknown": counts["unknown"],
        "findings": counts["findings"],
    }


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(rule: str, companies: int, stakes: int, listed_count: int, chain: int) -> dict[str, object]:
    """Generate, then time one rule (both passes) and the anchor; peak RSS of each step."""
    started = time.perf_counter()
    n, edges, listed = synthetic(companies, stakes, listed_count, chain=chain)
    out: dict[str, object] = {
        "rule": rule,
        "nodes": n,
        "stakes": stakes,
        "listed": len(listed),
        "generate_s": round(time.perf_counter() - started, 2),
        "after_generate_mib": round(peak_mib()),
    }
    if rule == "report":
        return out | end_to_end(n, edges, listed)
    t0 = time.perf_counter()
    csr = engine.Csr(n, edges)
    out["csr_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    if rule == "uk":
        test = engine.Test(50 * SCALE, False)
        joint = {up: engine.joint_totals(edges, upper=up) for up in (False, True)}
        certain: set[int] = set()
        possible: set[int] = set()
        for holder in listed:
            for up, into in ((False, certain), (True, possible)):
                one_pass = engine.per_holder(
                    csr, holder, test, upper=up, arrangement=frozenset(), joint_total=joint[up]
                )
                into.update(one_pass.blocked)
    else:
        test = engine.Test(50 * SCALE, rule == "ofac")
        certain = set(engine.aggregate(csr, listed, test, upper=False).blocked)
        possible = set(engine.aggregate(csr, listed, test, upper=True).blocked)
    out["rule_s"] = round(time.perf_counter() - t0, 2)
    out["peak_mib"] = round(peak_mib())
    out["blocked_derived"] = len(certain - set(listed))
    out["unknown"] = len(possible - certain)
    if rule != "uk":
        t0 = time.perf_counter()
        anchor, rounds = naive_rounds(n, edges, listed, test)
        out["anchor_low_pass_s"] = round(time.perf_counter() - t0, 2)
        out["anchor_rounds"] = rounds
        out["anchor_same_result"] = anchor == certain
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=1_000_000)
    parser.add_argument("--stakes", type=int, default=3_000_000)
    parser.add_argument("--listed", type=int, default=600, help="listed parties (about)")
    parser.add_argument("--rules", default="ofac,eu,uk,report", help="which, in subprocesses")
    parser.add_argument("--chain", type=int, default=0, help="add a holding chain this long")
    parser.add_argument("--rule", choices=["ofac", "eu", "uk", "report"])
    args = parser.parse_args()
    if args.rule:
        print(json.dumps(one(args.rule, args.companies, args.stakes, args.listed, args.chain)))
        return
    print(f"# {platform.python_version()} on {platform.machine()}, nproc 2 shared", flush=True)
    for rule in args.rules.split(","):
        cmd = [sys.executable, "-m", "bench.ownership_scale", "--rule", rule,
               "--companies", str(args.companies), "--stakes", str(args.stakes),
               "--listed", str(args.listed), "--chain", str(args.chain)]  # fmt: skip
        t0 = time.perf_counter()
        result = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=Path.cwd())
        row = json.loads(result.stdout)
        row["process_s"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
