"""Fixed points of the ownership rules over a columnar graph (numpy arrays, no objects).

Percentages are integers in millionths of a percent, so 33.33 + 16.67 is exactly 50 and a
threshold test is never decided by float rounding. In every pass a party is marked
once and its outgoing stakes are added once (OFAC/EU: level by level in numpy; UK: a
worklist per designated person), so cycles terminate and the work is proportional to the
stakes held by blocked parties.

Each pass runs twice: on the low ends of the stakes (what is certain: ``blocked``) and on
the high ends (what is possible); parties blocked only in the second are ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import lru_cache

import numpy as np
import numpy.typing as npt

SCALE = 10**6
"""Units per percent (a millionth of a percent)."""

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@lru_cache(maxsize=1 << 16)
def to_units(value: Decimal, up: bool) -> tuple[int, bool]:
    """A percentage in units, rounded outwards; ``True`` if rounding changed it.

    Cached: registers repeat the same few thousand percentages.
    """
    scaled = value * SCALE
    rounded = scaled.to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR)
    return int(rounded), rounded != scaled


@dataclass(frozen=True, slots=True)
class Edges:
    """Ownership stakes in force, one row each: owner and asset are node numbers."""

    owner: IntArray
    asset: IntArray
    low: IntArray
    high: IntArray
    low_strict: BoolArray
    """The true value is above ``low`` (an exclusive minimum)."""
    high_strict: BoolArray
    """The true value is below ``high`` (an exclusive maximum)."""
    joint: BoolArray


@dataclass(frozen=True, slots=True)
class Test:
    units: int
    inclusive: bool

    def certain(self, total: int, strict: bool) -> bool:
        """A low-end total certainly meets the test (``strict``: the truth is above it)."""
        return total > self.units or (total == self.units and (self.inclusive or strict))

    def possible(self, total: int, strict: bool) -> bool:
        """A high-end total may meet the test (``strict``: the truth is below it)."""
        return total > self.units or (total == self.units and self.inclusive and not strict)


@dataclass(slots=True)
class Pass:
    """One fixed point: who is blocked, by which stake it tipped, and the totals."""

    blocked: dict[int, int] = field(default_factory=dict)
    """Node to the edge that tipped it (``-1`` for a seed); insertion order = order."""
    total: dict[int, int] = field(default_factory=dict)
    strict: set[int] = field(default_factory=set)


class Csr:
    """Stakes grouped by owner (numpy, sorted once); a worklist reads one owner's slice.

    Only the stakes of parties that get blocked are ever turned into Python values, so
    building costs one sort and the walk costs what the blocked parties hold.
    """

    def __init__(self, n: int, edges: Edges) -> None:
        order = np.argsort(edges.owner, kind="stable")
        counts = np.bincount(edges.owner, minlength=n)
        self.indptr_array = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.indptr: list[int] = self.indptr_array.tolist()
        self.edge = order
        self.asset = edges.asset[order]
        self.low = edges.low[order]
        self.high = edges.high[order]
        self.low_strict = edges.low_strict[order]
        self.high_strict = edges.high_strict[order]
        self.joint = edges.joint[order]
        self.n = n

    def stakes(
        self, owner: int, *, upper: bool
    ) -> tuple[int, list[int], list[int], list[bool], list[bool]]:
        """First row, assets, values, strict flags and joint flags of ``owner``'s stakes."""
        start, end = self.indptr[owner], self.indptr[owner + 1]
        values = self.high if upper else self.low
        flags = self.high_strict if upper else self.low_strict
        return (
            start,
            self.asset[start:end].tolist(),
            values[start:end].tolist(),
            flags[start:end].tolist(),
            self.joint[start:end].tolist(),
        )


def aggregate(csr: Csr, seeds: list[int], test: Test, *, upper: bool) -> Pass:
    """OFAC and EU: every blocked owner's whole stake adds up, to a fixed point.

    Level by level: each round adds the stakes of the parties blocked in the round
    before (numpy over just those rows) and blocks the assets that now meet the test.
    Work is proportional to the stakes of blocked parties; a deep chain costs one small
    round per link. Each newly blocked asset keeps as witness its largest stake from the
    previous level, so witness paths only go back to earlier levels (no cycles).
    """
    n = csr.n
    values = csr.high if upper else csr.low
    flags = csr.high_strict if upper else csr.low_strict
    total = np.zeros(n, dtype=np.int64)
    strict = np.zeros(n, dtype=np.bool_)
    blocked = np.zeros(n, dtype=np.bool_)
    newly = np.zeros(n, dtype=np.bool_)
    frontier = np.unique(np.asarray(seeds, dtype=np.int64))
    blocked[frontier] = True
    result = Pass(blocked=dict.fromkeys(frontier.tolist(), -1))
    while frontier.size:
        starts, ends = csr.indptr_array[frontier], csr.indptr_array[frontier + 1]
        lengths = ends - starts
        count = int(lengths.sum())
        if count == 0:
            break
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        rows = np.arange(count, dtype=np.int64) + offsets
        assets, added, flagged = csr.asset[rows], values[rows], flags[rows]
        np.add.at(total, assets, added)
        strict[assets[flagged]] = True
        candidates = np.unique(assets[~blocked[assets]])
        sums, open_end = total[candidates], strict[candidates]
        if upper:
            meets = (sums > test.units) | ((sums == test.units) & test.inclusive & ~open_end)
        else:
            meets = (sums > test.units) | ((sums == test.units) & (test.inclusive | open_end))
        frontier = candidates[meets]
        if not frontier.size:
            break
        blocked[frontier] = True
        newly[frontier] = True
        into = newly[assets]
        newly[frontier] = False
        sel_rows, sel_assets, sel_values = rows[into], assets[into], added[into]
        order = np.lexsort((-sel_values, sel_assets))
        first = np.unique(sel_assets[order], return_index=True)[1]
        witness_rows = sel_rows[order][first]
        result.blocked.update(
            zip(sel_assets[order][first].tolist(), csr.edge[witness_rows].tolist(), strict=True)
        )
    reached = np.flatnonzero(blocked)  # totals are reported for blocked parties only
    result.total = dict(zip(reached.tolist(), total[reached].tolist(), strict=True))
    result.strict = set(reached[strict[reached]].tolist())
    return result


def per_holder(
    csr: Csr,
    holder: int,
    test: Test,
    *,
    upper: bool,
    arrangement: frozenset[int],
    joint_total: dict[int, tuple[int, bool]],
) -> Pass:
    """UK: what one designated person holds, directly or through entities it holds.

    Holdings of other designated persons are not added. A joint stake counts as the
    whole joint holding for each joint holder, and a holder of an arrangement holds all
    of the arrangement's stakes (SI 2019/855 Schedule 1, joint interests and joint
    arrangements).
    """
    meets = test.possible if upper else test.certain
    result = Pass()
    held, total, strict = result.blocked, result.total, result.strict
    held[holder] = -1
    joint_done: set[int] = set()
    queue = [holder]
    while queue:
        owner = queue.pop()
        start, assets, values, flags, joints = csr.stakes(owner, upper=upper)
        for j, asset in enumerate(assets):
            if joints[j]:
                if asset in joint_done:
                    continue
                joint_done.add(asset)
                value, flag = joint_total[asset]
            else:
                value, flag = values[j], flags[j]
            if not value and not flag:
                continue
            now = total.get(asset, 0) + value
            total[asset] = now
            if flag:
                strict.add(asset)
            if asset in held:
                continue
            if asset in arrangement or meets(now, asset in strict):
                held[asset] = int(csr.edge[start + j])
                queue.append(asset)
    return result


def joint_totals(edges: Edges, *, upper: bool) -> dict[int, tuple[int, bool]]:
    """Per asset, the sum of its joint stakes (what each joint holder is taken to hold)."""
    out: dict[int, tuple[int, bool]] = {}
    values = edges.high if upper else edges.low
    flags = edges.high_strict if upper else edges.low_strict
    for k in np.flatnonzero(edges.joint).tolist():
        asset = int(edges.asset[k])
        value, flag = out.get(asset, (0, False))
        out[asset] = (value + int(values[k]), flag or bool(flags[k]))
    return out


def witness(blocked: dict[int, int], owner_of: IntArray, node: int) -> list[int]:
    """Edges from a seed to ``node`` following the stakes that tipped each party."""
    chain: list[int] = []
    seen = {node}
    edge = blocked[node]
    while edge >= 0:
        chain.append(edge)
        node = int(owner_of[edge])
        if node in seen:  # cannot happen for a worklist order; guard against loops anyway
            break
        seen.add(node)
        edge = blocked[node]
    chain.reverse()
    return chain
