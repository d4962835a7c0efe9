"""From parties and stakes to the engine's arrays, on one date.

Here the dates of each stake are read against ``as_of`` (expired, not yet in force, or
uncertain), shares become integer intervals, and the data-quality findings that depend
on the date are made: stakes summing over 100%, expired stakes, unreadable dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from dualuse.diversion.ownership.engine import SCALE, Edges, to_units
from dualuse.diversion.ownership.model import Finding, Graph, Stake, StakeKind, date_span


@dataclass(frozen=True, slots=True)
class Prepared:
    ids: list[str]
    names: list[str | None]
    index: dict[str, int]
    stakes: list[Stake]
    """Ownership stakes in force (or possibly so), row for row with ``edges``."""
    edges: Edges
    controls: list[Stake]
    """Control stakes in force (or possibly so)."""
    listed: list[int]
    arrangement: frozenset[int]
    findings: list[Finding]


def in_force(stake: Stake, as_of: date) -> tuple[str, Finding | None]:
    """``yes``, ``maybe`` or ``no`` on ``as_of``, with a finding when not plainly yes."""

    def finding(code: str, message: str) -> Finding:
        return Finding(code, message, entity=stake.asset, stake=stake.id, source=stake.source)

    for field_name, raw in (("startDate", stake.start_date), ("endDate", stake.end_date)):
        if raw is not None and date_span(raw) is None:
            return "maybe", finding(
                "unparseable_date",
                f"{field_name} {raw!r} is not a date; the stake may or may not be in force",
            )
    start = date_span(stake.start_date)
    end = date_span(stake.end_date)
    if start is not None and start[0] > as_of:
        return "no", finding(
            "not_yet_in_force", f"stake starts {stake.start_date}, after {as_of}; not counted"
        )
    if end is not None and end[1] < as_of:
        return "no", finding(
            "expired_stake", f"stake ended {stake.end_date}, before {as_of}; not counted"
        )
    if (start is not None and start[1] > as_of) or (end is not None and end[0] < as_of):
        return "maybe", finding(
            "uncertain_date",
            f"stake dates {stake.start_date or '…'} to {stake.end_date or '…'} are too coarse "
            f"to tell whether it is in force on {as_of}",
        )
    return "yes", None


def prepare(graph: Graph, as_of: date) -> Prepared:
    findings = list(graph.findings)
    ids = list(graph.parties)
    index = {pid: i for i, pid in enumerate(ids)}

    def node(pid: str, stake: Stake) -> int:
        index[pid] = len(ids)
        ids.append(pid)
        findings.append(
            Finding(
                "unknown_party",
                f"stake refers to {pid!r}, which the input does not describe",
                entity=pid,
                stake=stake.id,
                source=stake.source,
            )
        )
        return index[pid]

    rows: list[tuple[int, int, int, int, bool, bool, bool]] = []
    stakes: list[Stake] = []
    controls: list[Stake] = []
    for stake in graph.stakes:
        status = "yes"
        if stake.start_date is not None or stake.end_date is not None:
            status, finding = in_force(stake, as_of)
            if finding is not None:
                findings.append(finding)
            if status == "no":
                continue
        owner = index.get(stake.owner)
        if owner is None:
            owner = node(stake.owner, stake)
        asset = index.get(stake.asset)
        if asset is None:
            asset = node(stake.asset, stake)
        share = stake.share
        if share is None or stake.kind is StakeKind.CONTROL:
            controls.append(stake)
            continue
        low, low_round = to_units(share.low, False)
        high, high_round = to_units(share.high, True)
        low_strict = share.low_strict or low_round
        if status == "maybe":
            low, low_strict = 0, False
        rows.append(
            (owner, asset, low, high, low_strict, share.high_strict or high_round, stake.joint)
        )
        stakes.append(stake)
    edges = _edges(rows)
    findings.extend(_over_hundred(edges, ids, stakes))
    edges = cap_highs(edges, len(ids))
    parties = graph.parties
    listed = [index[p.id] for p in parties.values() if p.listed]
    arrangement = frozenset(index[p.id] for p in parties.values() if p.arrangement)
    names = [parties[pid].name if pid in parties else None for pid in ids]
    return Prepared(ids, names, index, stakes, edges, controls, listed, arrangement, findings)


def _edges(rows: list[tuple[int, int, int, int, bool, bool, bool]]) -> Edges:
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 7)
    flags = table[:, 4:].astype(np.bool_)
    return Edges(
        np.ascontiguousarray(table[:, 0]),
        np.ascontiguousarray(table[:, 1]),
        np.ascontiguousarray(table[:, 2]),
        np.ascontiguousarray(table[:, 3]),
        np.ascontiguousarray(flags[:, 0]),
        np.ascontiguousarray(flags[:, 1]),
        np.ascontiguousarray(flags[:, 2]),
    )


def low_sums(edges: Edges, n: int) -> np.ndarray:
    """Per asset, the certain stakes added up (exact integers)."""
    sums = np.zeros(n, dtype=np.int64)
    np.add.at(sums, edges.asset, edges.low)
    return sums


def _over_hundred(edges: Edges, ids: list[str], stakes: list[Stake]) -> list[Finding]:
    """Assets whose certain stakes add up to more than 100%: the data contradict."""
    sums = low_sums(edges, len(ids))
    over = np.flatnonzero(sums > 100 * SCALE)
    if over.size == 0:
        return []
    wanted = np.zeros(len(ids), dtype=np.bool_)
    wanted[over] = True
    by_asset: dict[int, list[int]] = {}
    for k in np.flatnonzero(wanted[edges.asset]).tolist():
        by_asset.setdefault(int(edges.asset[k]), []).append(k)
    out = []
    for asset, rows in sorted(by_asset.items()):
        out.append(
            Finding(
                "stakes_over_100",
                f"stakes in {ids[asset]} add up to {sums[asset] / SCALE:g}% (over 100%); "
                "the figures cannot all be right",
                entity=ids[asset],
                evidence=tuple(stakes[k].to_json() for k in rows),
            )
        )
    return out


def cap_highs(edges: Edges, n: int) -> Edges:
    """A stake can be no more than 100% minus what the others certainly hold.

    Applied only where the certain stakes add up to 100% or less: on contradictory data
    the cap could turn an unknown into a wrong clear.
    """
    if edges.owner.size == 0:
        return edges
    total = low_sums(edges, n)[edges.asset]
    room = 100 * SCALE - (total - edges.low)
    consistent = total <= 100 * SCALE
    high = np.where(consistent, np.minimum(edges.high, room), edges.high)
    high_strict = np.where(consistent & (room < edges.high), False, edges.high_strict)
    return Edges(
        edges.owner, edges.asset, edges.low, high, edges.low_strict, high_strict, edges.joint
    )
