"""GLEIF level 1 (LEI records) and level 2 (relationship records), JSON.

A consolidation relationship (``IS_DIRECTLY_CONSOLIDATED_BY``,
``IS_ULTIMATELY_CONSOLIDATED_BY``) says the parent consolidates the child's accounts, not
what share it holds: it becomes an ownership stake of unknown percentage (so a listed
parent makes the child ``unknown``, never ``clear``) and control evidence (consolidated
accounts are one of the EU control indications). A branch is the same legal person as
its head office (100%). Fund relations are ownership of unknown share or management
control. Relationship periods give the dates; an ``INACTIVE`` relationship is ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dualuse.diversion.ownership.load_bods import read_json_records
from dualuse.diversion.ownership.model import (
    HUNDRED,
    UNKNOWN_SHARE,
    Finding,
    Graph,
    Party,
    Share,
    Stake,
    StakeKind,
)
from dualuse.errors import InputError

CONSOLIDATION = {"IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"}
# (parent is the end node?, ownership share or None for control only)
KINDS: dict[str, tuple[bool, Share | None]] = {
    "IS_DIRECTLY_CONSOLIDATED_BY": (True, UNKNOWN_SHARE),
    "IS_ULTIMATELY_CONSOLIDATED_BY": (True, UNKNOWN_SHARE),
    "IS_INTERNATIONAL_BRANCH_OF": (True, Share(HUNDRED, HUNDRED, raw="branch")),
    "IS_SUBFUND_OF": (True, UNKNOWN_SHARE),
    "IS_FEEDER_TO": (False, UNKNOWN_SHARE),
    "IS_FUND-MANAGED_BY": (True, None),
}


def load_gleif(path: Path, listed_ids: Iterable[str] = ()) -> Graph:
    return load_gleif_records(read_json_records(path), str(path), listed_ids)


def load_gleif_records(records: list[Any], source: str, listed_ids: Iterable[str] = ()) -> Graph:
    graph = Graph()
    listed = set(listed_ids)
    for i, record in enumerate(records, start=1):
        where = f"{source}#record {i}"
        if isinstance(record, dict) and isinstance(record.get("attributes"), dict):
            record = record["attributes"]  # the GLEIF API wraps records in data/attributes
        if not isinstance(record, dict):
            raise InputError(
                "not a GLEIF record (not an object)", source=source, location=f"record {i}"
            )
        if isinstance(record.get("Relationship") or record.get("relationship"), dict):
            _relationship(graph, record, where, i)
        elif isinstance(record.get("LEI") or record.get("lei"), str):
            lei = str(record.get("LEI") or record.get("lei"))
            entity = record.get("Entity") or record.get("entity") or {}
            name = entity.get("LegalName") if isinstance(entity, dict) else None
            if isinstance(name, dict):
                name = name.get("name") or name.get("$")
            graph.add_party(
                Party(
                    lei, name if isinstance(name, str) else None, "LEI", lei in listed, False, where
                )
            )
        else:
            raise InputError(
                "neither a relationship record nor an LEI record",
                source=source,
                location=f"record {i}",
            )
    for pid in listed - set(graph.parties):
        graph.add_party(Party(pid, listed=True, source="--listed"))
    return graph


def _node(value: Any) -> str | None:
    if isinstance(value, dict):
        node = value.get("NodeID") or value.get("id")
        return node if isinstance(node, str) and node else None
    return None


def _relationship(graph: Graph, record: dict[str, Any], where: str, i: int) -> None:
    rel = record.get("Relationship") or record.get("relationship")
    assert isinstance(rel, dict)
    child, parent = _node(rel.get("StartNode")), _node(rel.get("EndNode"))
    kind = str(rel.get("RelationshipType"))
    stake_id = f"gleif:{child}:{kind}:{parent}"
    if child is None or parent is None or kind not in KINDS:
        graph.findings.append(
            Finding(
                "incomplete_stake",
                f"relationship record {i} without start and end LEI or "
                f"with unknown type {kind!r}; skipped",
                stake=stake_id,
                source=where,
            )
        )
        return
    parent_is_end, share = KINDS[kind]
    owner, asset = (parent, child) if parent_is_end else (child, parent)
    start, end = _period(rel.get("RelationshipPeriods"))
    if rel.get("RelationshipStatus") == "INACTIVE" and end is None:
        graph.findings.append(
            Finding(
                "inactive_relationship",
                "relationship is INACTIVE without an end date; treated as ended",
                entity=asset,
                stake=stake_id,
                source=where,
            )
        )
        return
    for pid in (owner, asset):
        graph.add_party(Party(pid, schema="LEI", source=where))
    if share is not None:
        if share is UNKNOWN_SHARE:
            graph.findings.append(
                Finding(
                    "missing_percentage",
                    f"{kind}: GLEIF gives no percentage; counted as unknown (0-100%)",
                    entity=asset,
                    stake=stake_id,
                    source=where,
                )
            )
        graph.stakes.append(
            Stake(
                stake_id, owner, asset, StakeKind.OWNERSHIP, share, start, end, kind, source=where
            )
        )
    if kind in CONSOLIDATION or share is None:
        graph.stakes.append(
            Stake(
                f"{stake_id}:control",
                owner,
                asset,
                StakeKind.CONTROL,
                None,
                start,
                end,
                f"{kind} (consolidated accounts / management)",
                source=where,
            )
        )


def _period(periods: Any) -> tuple[str | None, str | None]:
    if isinstance(periods, list):
        for period in periods:
            if isinstance(period, dict) and period.get("PeriodType") == "RELATIONSHIP_PERIOD":
                start, end = period.get("StartDate"), period.get("EndDate")
                return (
                    start if isinstance(start, str) else None,
                    end if isinstance(end, str) else None,
                )
    return None, None
