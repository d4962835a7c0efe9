"""Fixed points of the ownership rules over a columnar graph (numpy arrays, no objects).

Percentages are integers in millionths of a percent, so 33.33 + 16.67 is exactly 50 and a
threshold test is never decided by float rounding. Every pass is a worklist: a party is
marked once, its outgoing stakes are added once, so cycles terminate and the work is
proportional to the stakes held by blocked parties.

Each pass runs twice: on the low ends of the stakes (what is certain: ``blocked``) and on
the high ends (what is possible); parties blocked only in the second are ``unknown``.
"""

from __future__ import annotations

from collections import deque
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
    """Stakes grouped by owner as Python lists (fast to walk in a worklist)."""

    def __init__(self, n: int, edges: Edges) -> None:
        order = np.argsort(edges.owner, kind="stable")
        counts = np.bincount(edges.owner, minlength=n)
        self.indptr: list[int] = [0, *np.cumsum(counts).tolist()]
        self.edge: list[int] = order.tolist()
        self.asset: list[int] = edges.asset[order].tolist()
        self.low: list[int] = edges.low[order].tolist()
        self.high: list[int] = edges.high[order].tolist()
        self.low_strict: list[bool] = edges.low_strict[order].tolist()
        self.high_strict: list[bool] = edges.high_strict[order].tolist()
        self.joint: list[bool] = edges.joint[order].tolist()
        self.n = n


def aggregate(csr: Csr, seeds: list[int], test: Test, *, upper: bool) -> Pass:
    """OFAC and EU: every blocked owner's whole stake adds up, to a fixed point."""
    values = csr.high if upper else csr.low
    flags = csr.high_strict if upper else csr.low_strict
    meets = test.possible if upper else test.certain
    indptr, assets, edge_ids = csr.indptr, csr.asset, csr.edge
    result = Pass()
    blocked, total, strict = result.blocked, result.total, result.strict
    queue: deque[int] = deque()
    for seed in seeds:
        if seed not in blocked:
            blocked[seed] = -1
            queue.append(seed)
    while queue:
        owner = queue.popleft()
        for k in range(indptr[owner], indptr[owner + 1]):
            value, flag = values[k], flags[k]
            if not value and not flag:
                continue
            asset = assets[k]
            now = total.get(asset, 0) + value
            total[asset] = now
            if flag:
                strict.add(asset)
            if asset not in blocked and meets(now, asset in strict):
                blocked[asset] = edge_ids[k]
                queue.append(asset)
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
    values = csr.high if upper else csr.low
    flags = csr.high_strict if upper else csr.low_strict
    meets = test.possible if upper else test.certain
    result = Pass()
    held, total, strict = result.blocked, result.total, result.strict
    held[holder] = -1
    joint_done: set[int] = set()
    queue = [holder]
    while queue:
        owner = queue.pop()
        for k in range(csr.indptr[owner], csr.indptr[owner + 1]):
            asset = csr.asset[k]
            if csr.joint[k]:
                if asset in joint_done:
                    continue
                joint_done.add(asset)
                value, flag = joint_total[asset]
            else:
                value, flag = values[k], flags[k]
            if not value and not flag:
                continue
            now = total.get(asset, 0) + value
            total[asset] = now
            if flag:
                strict.add(asset)
            if asset in held:
                continue
            if asset in arrangement or meets(now, asset in strict):
                held[asset] = csr.edge[k]
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
