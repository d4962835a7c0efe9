"""The shipment network and what it shows: paths from makers of CHPL items to Russian,
Belarusian or listed end users through intermediaries; the intermediaries that appear (or
start trading CHPL items) after the sanctions date and pass their CHPL volume on toward
those end users; communities.

Method, in order (every threshold is in :class:`AnalysisParams`):

1. The CHPL graph: one edge per shipper -> consignee pair with CHPL shipments dated on or
   after the sanctions date, and one per consignee -> notify party of such shipments (a
   bill of lading that names the real buyer as the party to notify).
2. Makers ship CHPL items and never receive them; targets are in Russia or Belarus or
   listed (topic ``sanction``). Breadth-first distances from the makers and to the targets
   (the makers and targets stop the walk); a node with the two distances summing to at
   most ``max_hops`` lies on a maker -> target path: a candidate intermediary.
3. A candidate is flagged when it is new (incorporated, first seen, or first receiving
   CHPL items on or after the sanctions date) or its CHPL intake surged (``surge_ratio``
   times the yearly rate before), and at least ``toward_share`` of the CHPL value it sends
   on goes toward targets (to a target, or to a node with a path to one), and CHPL items
   are at least ``min_chpl_share`` of its trade after the date. An onward link counts
   toward targets only if its last shipment is not earlier than the first CHPL item the
   intermediary received after the date (time order at the intermediary; the example
   path itself is the shortest one and is not checked link by link).

Cycles cannot loop: each walk visits a node once.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import networkx as nx

from dualuse.diversion.network.load import Shipment, Shipments
from dualuse.diversion.network.world import TARGET_COUNTRIES
from dualuse.diversion.shell.records import Records

SANCTIONS_DATE = date(2022, 2, 24)
SANCTIONS_CITATION = (
    "Russia's invasion of Ukraine, 24 Feb 2022: the date from which the BIS Russia "
    "sanctions apply (FR doc 2022-04819, cited in ear_rules.yaml) and after which the "
    "FinCEN-BIS alerts and the E5 and G7 guidance look for new intermediaries"
)


@dataclass(frozen=True, slots=True)
class AnalysisParams:
    sanctions_date: date = SANCTIONS_DATE
    max_hops: int = 5
    toward_share: float = 0.4
    min_chpl_share: float = 0.2
    surge_ratio: float = 5.0
    communities: bool = True
    seed: int = 0
    """Seed of the community detection (Louvain), so the answer is repeatable."""
    max_paths: int = 200


@dataclass(slots=True)
class NodeStats:
    first_seen: date | None = None
    first_chpl_in: date | None = None
    chpl_in_before: float = 0.0
    chpl_in_after: float = 0.0
    trade_after: float = 0.0
    chpl_after: float = 0.0
    receives_chpl: bool = False
    ships_chpl: bool = False

    def seen(self, day: date) -> None:
        if self.first_seen is None or day < self.first_seen:
            self.first_seen = day


def _stats(ships: Iterable[Shipment], since: date) -> dict[str, NodeStats]:
    stats: dict[str, NodeStats] = defaultdict(NodeStats)
    for s in ships:
        a, b = stats[s.shipper], stats[s.consignee]
        a.seen(s.day)
        b.seen(s.day)
        after = s.day >= since
        if after:
            a.trade_after += s.value
            b.trade_after += s.value
        if not s.chpl:
            continue
        a.ships_chpl = b.receives_chpl = True
        if b.first_chpl_in is None or s.day < b.first_chpl_in:
            b.first_chpl_in = s.day
        if after:
            a.chpl_after += s.value
            b.chpl_after += s.value
            b.chpl_in_after += s.value
        else:
            b.chpl_in_before += s.value
    return stats


def chpl_graph(ships: Iterable[Shipment], since: date) -> nx.DiGraph:
    """Edges: ``kind`` shipment or notify, ``value``, ``count``, ``first``, ``last``."""
    edges: dict[tuple[str, str, str], list[Any]] = {}

    def add(a: str, b: str, kind: str, s: Shipment) -> None:
        e = edges.get((a, b, kind))
        if e is None:
            edges[(a, b, kind)] = [s.value, 1, s.day, s.day]
        else:
            e[0] += s.value
            e[1] += 1
            e[2] = min(e[2], s.day)
            e[3] = max(e[3], s.day)

    for s in ships:
        if s.chpl and s.day >= since:
            add(s.shipper, s.consignee, "shipment", s)
            if s.notify and s.notify not in (s.shipper, s.consignee):
                add(s.consignee, s.notify, "notify", s)
    g = nx.DiGraph()
    for (a, b, kind), (value, count, first, last) in edges.items():
        if g.has_edge(a, b):  # a shipment and a notify edge on the same pair: keep both
            d = g[a][b]
            d["value"] += value
            d["count"] += count
            d["kinds"] = sorted({*d["kinds"], kind})
            continue
        g.add_edge(a, b, value=value, count=count, first=first, last=last, kinds=[kind])
    return g


def _bfs(
    start: Iterable[str], step: Mapping[str, Any], stop: set[str], cutoff: int
) -> tuple[dict[str, int], dict[str, str]]:
    """Distances and parents from many sources; ``stop`` nodes are reached, not crossed."""
    dist = {n: 0 for n in start}
    parent: dict[str, str] = {}
    queue = deque(dist)
    while queue:
        n = queue.popleft()
        if dist[n] >= cutoff or (dist[n] > 0 and n in stop):
            continue
        for m in step[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                parent[m] = n
                queue.append(m)
    return dist, parent


def _years(a: date, b: date) -> float:
    return max((b - a).days, 30) / 365.25


def analyse(data: Shipments, registry: Records | None, p: AnalysisParams) -> dict[str, Any]:
    since = p.sanctions_date
    ships = data.records
    stats = _stats(ships, since)
    g = chpl_graph(ships, since)
    companies = registry.companies if registry else {}

    def country(n: str) -> str | None:
        c = companies.get(n)
        return c.countries[0] if c and c.countries else None

    targets = {  # notify parties count: a bill of lading may name the real buyer only there
        n
        for n in set(stats) | set(g.nodes)
        if country(n) in TARGET_COUNTRIES or (n in companies and companies[n].listed)
    }
    makers = {n for n, s in stats.items() if s.ships_chpl and not s.receives_chpl} - targets
    sources = [n for n in makers if n in g]
    from_maker, up = _bfs(sources, g.succ, targets | makers, p.max_hops)
    to_target, down = _bfs([n for n in targets if n in g], g.pred, makers, p.max_hops)
    candidates = sorted(
        n
        for n in from_maker
        if n not in makers
        and n not in targets
        and n in to_target
        and from_maker[n] + to_target[n] <= p.max_hops
    )
    first_day = min((s.day for s in ships), default=since)
    last_day = max((s.day for s in ships), default=since)
    ctx = _Context(
        g,
        to_target,
        targets,
        p,
        _years(first_day, since),
        _years(since, last_day),
        sum(d["value"] for t in targets if t in g for d in g.pred[t].values()),
    )
    rows = []
    for n in candidates:
        rows.append(_judge(n, stats[n], companies.get(n), ctx))
    flagged = [r for r in rows if r["flagged"]]
    paths = []
    for r in sorted(flagged, key=lambda r: -r["chpl_after_usd"])[: p.max_paths]:
        path = _path(r["id"], up, down)
        r["example_path"] = path
        paths.append({"intermediary": r["id"], "path": path})
    result: dict[str, Any] = {
        "params": {k: str(v) if isinstance(v, date) else v for k, v in asdict(p).items()},
        "sanctions_date_basis": SANCTIONS_CITATION,
        "counts": {
            "shipments": len(ships),
            "skipped": data.skipped,
            "companies": len(stats),
            "chpl_edges_after": g.number_of_edges(),
            "makers": len(makers),
            "targets": len(targets),
            "candidates": len(rows),
            "flagged": len(flagged),
        },
        "intermediaries": sorted(rows, key=lambda r: (not r["flagged"], -r["chpl_after_usd"])),
        "paths": paths,
        "targets_reached": sorted(
            t for t in targets if t in g and any(x in from_maker for x in g.pred[t])
        ),
        "findings": [f.to_json() for f in data.findings],
        "finding_counts": data.finding_counts,
    }
    if p.communities:
        result["communities"] = communities(ships, since, {r["id"] for r in flagged}, targets, p)
    return result


@dataclass(frozen=True, slots=True)
class _Context:
    g: nx.DiGraph
    to_target: Mapping[str, int]
    targets: set[str]
    p: AnalysisParams
    years_before: float
    years_after: float
    into_targets: float
    """CHPL value reaching targets after the date (shipments and notify edges)."""


def _judge(n: str, s: NodeStats, company: Any, ctx: _Context) -> dict[str, Any]:
    g, to_target, targets, p = ctx.g, ctx.to_target, ctx.targets, ctx.p
    years_before, years_after = ctx.years_before, ctx.years_after
    since = p.sanctions_date
    out_total = toward = direct = 0.0
    reached = set()
    inbound = [d["first"] for d in g.pred[n].values() if "shipment" in d["kinds"]]
    first_in = min(inbound, default=None)
    for m, d in g.succ[n].items():
        out_total += d["value"]
        # Time order: what goes on must not all predate what came in from upstream.
        if m in to_target and (first_in is None or d["last"] >= first_in):
            toward += d["value"]
            if m in targets:
                reached.add(m)
                direct += d["value"]
    incorporated = company.incorporated if company else None
    reasons = []
    if incorporated and incorporated >= since:
        reasons.append(f"incorporated {incorporated}, after {since}")
    if s.first_seen and s.first_seen >= since:
        reasons.append(f"first shipment {s.first_seen}, after {since}")
    if s.first_chpl_in and s.first_chpl_in >= since and not reasons:
        reasons.append(f"first CHPL receipt {s.first_chpl_in}, after {since} (trading before)")
    rate_before = s.chpl_in_before / years_before
    rate_after = s.chpl_in_after / years_after
    if not reasons and rate_before > 0 and rate_after >= p.surge_ratio * rate_before:
        reasons.append(
            f"CHPL intake {rate_after / rate_before:.1f}x the yearly rate before {since}"
        )
    share_toward = toward / out_total if out_total else 0.0
    chpl_share = s.chpl_after / s.trade_after if s.trade_after else 0.0
    flagged = bool(reasons) and share_toward >= p.toward_share and chpl_share >= p.min_chpl_share
    if flagged:
        reasons.append(
            f"{share_toward:.0%} of its CHPL value goes on toward Russian, Belarusian "
            "or listed end users"
        )
        reasons.append(f"CHPL items are {chpl_share:.0%} of its trade after {since}")
    return {
        "id": n,
        "name": company.name if company else None,
        "country": company.countries[0] if company and company.countries else None,
        "incorporated": str(incorporated) if incorporated else None,
        "first_seen": str(s.first_seen) if s.first_seen else None,
        "first_chpl_in": str(s.first_chpl_in) if s.first_chpl_in else None,
        "chpl_after_usd": round(s.chpl_after, 2),
        "chpl_share": round(chpl_share, 4),
        "toward_targets_share": round(share_toward, 4),
        "share_of_target_chpl": round(direct / ctx.into_targets, 4) if ctx.into_targets else 0.0,
        "targets": sorted(reached),
        "flagged": flagged,
        "reasons": reasons,
    }


def _path(n: str, up: Mapping[str, str], down: Mapping[str, str]) -> list[str]:
    """maker -> ... -> n -> ... -> target, from the two walks' parents."""
    back = [n]
    while back[-1] in up:
        back.append(up[back[-1]])
    forward = [n]
    while forward[-1] in down:
        forward.append(down[forward[-1]])
    return [*reversed(back), *forward[1:]]


def communities(
    ships: Iterable[Shipment], since: date, flagged: set[str], targets: set[str], p: AnalysisParams
) -> list[dict[str, Any]]:
    """Louvain communities of all trade after the date (undirected, weighted by value);
    those holding a flagged intermediary, largest CHPL value first."""
    g = nx.Graph()
    chpl: dict[str, float] = defaultdict(float)
    for s in ships:
        if s.day < since:
            continue
        if g.has_edge(s.shipper, s.consignee):
            g[s.shipper][s.consignee]["weight"] += s.value
        else:
            g.add_edge(s.shipper, s.consignee, weight=s.value)
        if s.chpl:
            chpl[s.shipper] += s.value
    if g.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(g, weight="weight", seed=p.seed)
    out: list[dict[str, Any]] = []
    for i, members in enumerate(parts):
        hit = sorted(members & flagged)
        if not hit:
            continue
        out.append(
            {
                "community": i,
                "size": len(members),
                "flagged": hit,
                "targets": sorted(members & targets),
                "chpl_shipped_usd": round(sum(chpl[m] for m in members), 2),
            }
        )
    out.sort(key=lambda c: -c["chpl_shipped_usd"])
    return out
