"""Invariants of the fixed points on random graphs (hypothesis), against a naive reference."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diversion.ownership.graphs import listed, own, party, report

Graph = tuple[int, list[int], list[tuple[int, int, str]]]

percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@st.composite
def graphs(draw: st.DrawFn, max_nodes: int = 9) -> Graph:
    """Nodes 0..n-1, some listed, random stakes (cycles and self-stakes included)."""
    n = draw(st.integers(1, max_nodes))
    seeds = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), percent.map(str)),
            max_size=3 * n,
        )
    )
    return n, seeds, edges


def entities(graph: Graph) -> list[dict[str, Any]]:
    n, seeds, edges = graph
    out = [listed(f"n{i}") if i in seeds else party(f"n{i}") for i in range(n)]
    for k, (a, b, pct) in enumerate(edges):
        entity = own(f"n{a}", f"n{b}", pct)
        entity["id"] = f"e{k}"
        out.append(entity)
    return out


def naive(graph: Graph, *, inclusive: bool = True) -> set[str]:
    """Round after round until nothing changes: the least fixed point, slowly."""
    n, seeds, edges = graph
    blocked = set(seeds)
    while True:
        sums = [Decimal(0)] * n
        for a, b, pct in edges:
            if a in blocked:
                sums[b] += Decimal(pct)
        new = set(seeds) | {i for i in range(n) if (sums[i] >= 50 if inclusive else sums[i] > 50)}
        if new == blocked:
            return {f"n{i}" for i in blocked - set(seeds)}
        blocked = new


def derived(out: dict[str, Any]) -> set[str]:
    return {b["id"] for b in out["blocked"]}


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_matches_the_naive_fixed_point_and_terminates_on_cycles(graph: Graph) -> None:
    assert derived(report(entities(graph), "ofac")) == naive(graph)
    assert derived(report(entities(graph), "eu", "2024-01-01")) == naive(graph, inclusive=False)


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_ofac_never_blocks_below_fifty_percent(graph: Graph) -> None:
    out = report(entities(graph), "ofac")
    blocked = set(out["listed"]) | derived(out)
    _, _, edges = graph
    for entry in out["blocked"]:
        assert entry["aggregate_percentage"] >= 50
        counted = sum(
            Decimal(p) for a, b, p in edges if f"n{a}" in blocked and f"n{b}" == entry["id"]
        )
        assert counted >= 50
        for path in entry["paths"]:
            assert path[0] in out["listed"] and path[-1] == entry["id"]


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_adding_a_stake_held_by_a_blocked_party_never_unblocks(
    graph: Graph, data: st.DataObject
) -> None:
    n, seeds, edges = graph
    before = report(entities(graph), "ofac")
    holders = sorted(int(i[1:]) for i in set(before["listed"]) | derived(before))
    if not holders:
        return
    owner = data.draw(st.sampled_from(holders))
    asset = data.draw(st.integers(0, n - 1))
    pct = data.draw(percent.map(str))
    after = report(entities((n, seeds, [*edges, (owner, asset, pct)])), "ofac")
    assert derived(before) <= derived(after) | set(after["listed"])


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_rules_nest_and_unknown_is_disjoint_from_blocked(graph: Graph) -> None:
    ents = entities(graph)
    ofac = report(ents, "ofac")
    eu_before = report(ents, "eu", "2024-01-01")
    uk = report(ents, "uk")
    assert derived(uk) <= derived(eu_before) <= derived(ofac)
    for out in (ofac, eu_before, uk):
        assert derived(out).isdisjoint(u["id"] for u in out["unknown"])


@st.composite
def incomplete(draw: st.DrawFn) -> tuple[Graph, list[int]]:
    """A graph with modest stakes and the stakes (by position) whose percentage is left
    out, at least one of them held by a listed party."""
    n = draw(st.integers(2, 8))
    seeds = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True))
    small = st.decimals(min_value=0, max_value=40, places=2, allow_nan=False).map(str)
    node = st.integers(0, n - 1)
    edges = draw(st.lists(st.tuples(node, node, small), max_size=2 * n))
    edges.append((draw(st.sampled_from(seeds)), draw(node), "0"))
    others = draw(st.lists(st.integers(0, len(edges) - 1), max_size=3, unique=True))
    return (n, seeds, edges), sorted({len(edges) - 1, *others})


@settings(max_examples=200, deadline=None)
@given(incomplete(), st.data())
def test_missing_percentages_give_unknown_never_a_wrong_clear(
    case: tuple[Graph, list[int]], data: st.DataObject
) -> None:
    """Whatever the missing percentages really are (within 100% per company), every party
    blocked then is reported blocked or unknown now, and every party reported blocked is
    blocked then."""
    (n, seeds, edges), missing = case
    ents = entities((n, seeds, edges))
    for k in missing:
        ents[n + k]["properties"].pop("percentage")
    out = report(ents, "ofac")
    known: dict[int, Decimal] = {}
    for k, (_a, b, pct) in enumerate(edges):
        if k not in missing:
            known[b] = known.get(b, Decimal(0)) + Decimal(pct)
    filled = list(edges)
    room = {b: max(Decimal(100) - total, Decimal(0)) for b, total in known.items()}
    for k in missing:
        a, b, _pct = edges[k]
        value = data.draw(st.decimals(0, room.get(b, Decimal(100)), places=2))
        room[b] = room.get(b, Decimal(100)) - value
        filled[k] = (a, b, str(value))
    truth = naive((n, seeds, filled))
    assert truth <= derived(out) | {u["id"] for u in out["unknown"]}
    assert derived(out) <= truth
