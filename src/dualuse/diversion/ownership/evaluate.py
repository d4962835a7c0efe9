"""Apply one rule to a graph on one date: blocked, unknown and findings, each explained.

Every derived-blocked party carries its aggregate, the arithmetic (each counted stake
with its owner) and a path from a listed party for each counted stake. Every unknown
party names the stakes or owners its status depends on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from dualuse.diversion.ownership import engine
from dualuse.diversion.ownership.model import Finding, Graph
from dualuse.diversion.ownership.prepare import Prepared, prepare
from dualuse.diversion.ownership.rules import Rule

MAX_PATHS = 50
"""Paths listed per blocked party (the arithmetic always lists every counted stake)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """Who is blocked (certain) and possibly blocked, and the pass that decided each."""

    certain: dict[int, engine.Pass]
    possible: dict[int, engine.Pass]


def run(prepared: Prepared, rule: Rule) -> Outcome:
    """The fixed points of ``rule``; for the UK one pair of passes per designated person."""
    csr = engine.Csr(len(prepared.ids), prepared.edges)
    test = engine.Test(int(rule.threshold) * engine.SCALE, rule.inclusive)
    certain: dict[int, engine.Pass] = {}
    possible: dict[int, engine.Pass] = {}
    if rule.aggregate:
        low = engine.aggregate(csr, prepared.listed, test, upper=False)
        high = engine.aggregate(csr, prepared.listed, test, upper=True)
        certain = dict.fromkeys(low.blocked, low)
        possible = dict.fromkeys(high.blocked, high)
        return Outcome(certain, possible)
    joint = {up: engine.joint_totals(prepared.edges, upper=up) for up in (False, True)}
    for holder in prepared.listed:
        for up, into in ((False, certain), (True, possible)):
            one = engine.per_holder(
                csr, holder, test, upper=up, arrangement=prepared.arrangement, joint_total=joint[up]
            )
            for node in one.blocked:
                into.setdefault(node, one)
    return Outcome(certain, possible)


def pct(units: int) -> str:
    """Units as a plain decimal string (``50``, ``33.33``), never in exponent form."""
    return format((Decimal(units) / engine.SCALE).normalize(), "f")


def evaluate(graph: Graph, rule: Rule, as_of: date) -> dict[str, object]:
    prepared = prepare(graph, as_of)
    outcome = run(prepared, rule)
    listed = set(prepared.listed)
    targets = (set(outcome.certain) | set(outcome.possible)) - listed
    incoming = _incoming(prepared, targets)
    blocked = [
        _blocked(prepared, rule, node, outcome.certain[node], incoming[node])
        for node in sorted(set(outcome.certain) - listed, key=prepared.ids.__getitem__)
    ]
    unknown = [
        _unknown(prepared, rule, node, outcome, incoming[node])
        for node in sorted(
            set(outcome.possible) - set(outcome.certain), key=prepared.ids.__getitem__
        )
    ]
    findings = [f.to_json() for f in prepared.findings]
    if rule.control_citation:
        findings += [f.to_json() for f in _control_review(prepared, rule, outcome)]
    return {
        "rule": rule.name,
        "as_of": as_of.isoformat(),
        "test": rule.test_text,
        "aggregated": rule.aggregate,
        "citation": rule.citation,
        "listed": sorted(prepared.ids[i] for i in listed),
        "blocked": blocked,
        "unknown": unknown,
        "findings": findings,
        "counts": {
            "parties": len(prepared.ids),
            "ownership_stakes": len(prepared.stakes),
            "control_stakes": len(prepared.controls),
            "listed": len(listed),
            "blocked": len(blocked),
            "unknown": len(unknown),
            "findings": len(findings),
        },
    }


def _incoming(prepared: Prepared, targets: set[int]) -> dict[int, list[int]]:
    """Edge rows into each target, found with one vectorised scan."""
    out: dict[int, list[int]] = defaultdict(list)
    if not targets or prepared.edges.asset.size == 0:
        return out
    wanted = np.zeros(len(prepared.ids), dtype=np.bool_)
    wanted[list(targets)] = True
    for k in np.flatnonzero(wanted[prepared.edges.asset]).tolist():
        out[int(prepared.edges.asset[k])].append(k)
    return out


def _stake(prepared: Prepared, k: int, *, upper: bool = False) -> dict[str, object]:
    stake = prepared.stakes[k].to_json()
    units = prepared.edges.high[k] if upper else prepared.edges.low[k]
    stake["counted_percentage"] = float(pct(int(units)))
    return stake


def _paths(
    prepared: Prepared, one: engine.Pass, node: int, rows: list[int]
) -> tuple[list[list[str]], list[list[dict[str, object]]]]:
    """For each counted stake, the entity ids from a listed party to ``node`` and the
    stakes along them (two aligned lists)."""
    owners = prepared.edges.owner
    paths: list[list[str]] = []
    stakes: list[list[dict[str, object]]] = []
    for k in rows[:MAX_PATHS]:
        chain = [*engine.witness(one.blocked, owners, int(owners[k])), k]
        entities = [int(owners[chain[0]]), *(int(prepared.edges.asset[e]) for e in chain)]
        if node in entities[:-1]:
            continue  # the owner was itself blocked through this party: a cycle, no path
        paths.append([prepared.ids[e] for e in entities])
        stakes.append([_stake(prepared, e) for e in chain])
    return paths, stakes


def _blocked(
    prepared: Prepared, rule: Rule, node: int, one: engine.Pass, rows: list[int]
) -> dict[str, object]:
    low = prepared.edges.low
    counted = [k for k in rows if int(prepared.edges.owner[k]) in one.blocked and low[k] > 0]
    total = one.total.get(node, 0)
    more = " (more than this: an exclusive minimum)" if node in one.strict else ""
    if any(prepared.edges.joint[k] for k in counted):
        more += " (a joint holding counts whole for each joint holder)"
    if node in prepared.arrangement and not rule.aggregate:
        more += " (an arrangement: its holders hold its stakes jointly)"
    terms = " + ".join(
        f"{pct(int(low[k]))}% ({prepared.ids[int(prepared.edges.owner[k])]})" for k in counted
    )
    paths, path_stakes = _paths(prepared, one, node, counted)
    return {
        "id": prepared.ids[node],
        "name": _name(prepared, node),
        "aggregate_percentage": float(pct(total)),
        "arithmetic": f"{terms} = {pct(total)}% {rule.test_text}{more}",
        "rule": rule.name,
        "citation": rule.citation,
        "paths": paths,
        "path_stakes": path_stakes,
        "paths_total": len(counted),
    }


def _unknown(
    prepared: Prepared, rule: Rule, node: int, outcome: Outcome, rows: list[int]
) -> dict[str, object]:
    one = outcome.possible[node]
    edges = prepared.edges
    counted = [k for k in rows if int(edges.owner[k]) in one.blocked]
    certain_total = sum(
        int(edges.low[k]) for k in counted if int(edges.owner[k]) in outcome.certain
    )
    possible_total = sum(int(edges.high[k]) for k in counted)
    depends = [
        _stake(prepared, k, upper=True)
        | {"owner_status": "blocked" if int(edges.owner[k]) in outcome.certain else "unknown"}
        for k in counted
        if edges.low[k] != edges.high[k] or int(edges.owner[k]) not in outcome.certain
    ]
    return {
        "id": prepared.ids[node],
        "name": _name(prepared, node),
        "certain_percentage": float(pct(certain_total)),
        "possible_percentage": float(pct(possible_total)),
        "reason": (
            f"certainly {pct(certain_total)}%, possibly up to {pct(possible_total)}% held by "
            f"blocked or possibly blocked owners; the test is {rule.test_text}: the status "
            "depends on missing or uncertain data"
        ),
        "depends_on": depends,
    }


def _control_review(prepared: Prepared, rule: Rule, outcome: Outcome) -> list[Finding]:
    out = []
    listed = set(prepared.listed)
    for stake in prepared.controls:
        owner, asset = prepared.index[stake.owner], prepared.index[stake.asset]
        if owner not in outcome.possible or asset in outcome.certain:
            continue
        status = (
            "listed"
            if owner in listed
            else "blocked"
            if owner in outcome.certain
            else "possibly blocked"
        )
        out.append(
            Finding(
                "control_review",
                f"{stake.owner} ({status}) has {stake.interest or 'control'} over "
                f"{stake.asset}: control is a separate test, review it ({rule.control_citation})",
                entity=stake.asset,
                stake=stake.id,
                source=stake.source,
                evidence=(stake.to_json(),),
            )
        )
    return out


def _name(prepared: Prepared, node: int) -> str | None:
    return prepared.names[node] if node < len(prepared.names) else None
