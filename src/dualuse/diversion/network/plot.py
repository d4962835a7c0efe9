"""A picture of the network around the flagged intermediaries: makers on the left, end
users on the right, each company placed by its distance from the makers, edges as thick
as their CHPL value. PNG or SVG by the file's suffix; the Agg backend, so no display is
needed."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from dualuse.errors import InputError

FORMATS = (".png", ".svg")
COLOURS = {"maker": "#1f77b4", "flagged": "#d62728", "target": "#111111", "other": "#bbbbbb"}


def neighbourhood(g: nx.DiGraph, result: dict[str, Any], limit: int) -> nx.DiGraph:
    """The example paths of the flagged intermediaries (largest CHPL value first) until
    ``limit`` nodes are drawn."""
    keep: list[str] = []
    for item in result["paths"]:
        new = [n for n in item["path"] if n not in keep]
        if len(keep) + len(new) > limit and keep:
            break
        keep.extend(new)
    return g.subgraph(keep).copy()


def draw(
    g: nx.DiGraph, result: dict[str, Any], target: Path, *, limit: int = 120, title: str = ""
) -> dict[str, Any]:
    """Write the picture to ``target`` (whole or not at all)."""
    if target.suffix.lower() not in FORMATS:
        raise InputError(f"picture must end in {' or '.join(FORMATS)}", source=str(target))
    data, info = render(g, result, target.suffix.lower().lstrip("."), limit=limit, title=title)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return {"file": str(target), **info}


def svg_element(g: nx.DiGraph, result: dict[str, Any], *, limit: int = 120) -> str:
    """The picture as an ``<svg>`` element to place in a page (no XML prologue)."""
    data, _ = render(g, result, "svg", limit=limit)
    text = data.decode("utf-8")
    return text[text.index("<svg") :]


def render(
    g: nx.DiGraph, result: dict[str, Any], fmt: str, *, limit: int = 120, title: str = ""
) -> tuple[bytes, dict[str, int]]:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sub = neighbourhood(g, result, limit)
    flagged = {r["id"] for r in result["intermediaries"] if r["flagged"]}
    first = {p["path"][0] for p in result["paths"]}
    last = {p["path"][-1] for p in result["paths"]}
    layer: dict[str, int] = {}
    for item in result["paths"]:
        for i, n in enumerate(item["path"]):
            layer[n] = max(layer.get(n, 0), i)
    for n in last:
        layer[n] = max(layer.values(), default=0)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in sorted(sub.nodes, key=lambda n: (layer.get(n, 0), n)):
        columns[layer.get(n, 0)].append(n)
    pos = {
        n: (x, (i + 0.5) / len(nodes)) for x, nodes in columns.items() for i, n in enumerate(nodes)
    }

    def kind(n: str) -> str:
        if n in flagged:
            return "flagged"
        if n in first:
            return "maker"
        return "target" if n in last else "other"

    fig, ax = plt.subplots(figsize=(12, 8), dpi=110)
    top = max(1.0, _max_value(sub))
    widths = [0.4 + 3 * (d["value"] / top) for _, _, d in sub.edges(data=True)]
    styles = ["dashed" if d["kinds"] == ["notify"] else "solid" for _, _, d in sub.edges(data=True)]
    nx.draw_networkx_edges(
        sub, pos, ax=ax, width=widths, style=styles, alpha=0.5, arrowsize=8, edge_color="#555555"
    )
    for k, colour in COLOURS.items():
        nodes = [n for n in sub.nodes if kind(n) == k]
        nx.draw_networkx_nodes(
            sub, pos, nodelist=nodes, node_color=colour, node_size=60, ax=ax, label=k
        )
    if sub.number_of_nodes() <= 60:
        nx.draw_networkx_labels(sub, pos, font_size=6, ax=ax)
    ax.set_title(title or "CHPL shipments after the sanctions date: maker -> ... -> end user")
    ax.legend(loc="lower right", fontsize=7)
    ax.set_axis_off()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    plt.close(fig)
    return buffer.getvalue(), {"nodes": sub.number_of_nodes(), "edges": sub.number_of_edges()}


def _max_value(g: nx.DiGraph) -> float:
    return max((d["value"] for _, _, d in g.edges(data=True)), default=1.0)
