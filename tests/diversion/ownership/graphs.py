"""Small FtM graphs for the rule tests, written as the entities a user would load."""

from __future__ import annotations

from datetime import date
from typing import Any

from dualuse.diversion.ownership.evaluate import evaluate
from dualuse.diversion.ownership.load_ftm import load_ftm_records
from dualuse.diversion.ownership.rules import rule_for

Entity = dict[str, Any]


def party(pid: str, *topics: str, schema: str = "Company") -> Entity:
    props: dict[str, list[str]] = {"name": [f"Party {pid}"]}
    if topics:
        props["topics"] = list(topics)
    return {"id": pid, "schema": schema, "properties": props}


def listed(pid: str, schema: str = "Person") -> Entity:
    return party(pid, "sanction", schema=schema)


def own(owner: str, asset: str, pct: str | None = None, **extra: str) -> Entity:
    props: dict[str, list[str]] = {"owner": [owner], "asset": [asset]}
    if pct is not None:
        props["percentage"] = [pct]
    for key, value in extra.items():
        props[key] = [value]
    return {"id": f"{owner}>{asset}:{pct}:{len(extra)}", "schema": "Ownership", "properties": props}


def report(entities: list[Entity], rule: str, as_of: str = "2025-01-01") -> dict[str, Any]:
    day = date.fromisoformat(as_of)
    graph = load_ftm_records(((f"entity {i}", e) for i, e in enumerate(entities, 1)), "test")
    return evaluate(graph, rule_for(rule, day), day)


def blocked(entities: list[Entity], rule: str, as_of: str = "2025-01-01") -> dict[str, float]:
    """Derived-blocked ids with their aggregate percentage."""
    return {b["id"]: b["aggregate_percentage"] for b in report(entities, rule, as_of)["blocked"]}


def unknown(entities: list[Entity], rule: str, as_of: str = "2025-01-01") -> set[str]:
    return {u["id"] for u in report(entities, rule, as_of)["unknown"]}


def codes(entities: list[Entity], rule: str = "ofac", as_of: str = "2025-01-01") -> list[str]:
    return [f["code"] for f in report(entities, rule, as_of)["findings"]]
