"""Pictures of the network: PNG and SVG written whole, a bad suffix refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.diversion.network.analyse import AnalysisParams, analyse, chpl_graph
from dualuse.diversion.network.evaluate import load_synthetic
from dualuse.diversion.network.generate import GeneratorParams, generate
from dualuse.diversion.network.plot import draw
from dualuse.errors import InputError


def test_png_and_svg(tmp_path: Path) -> None:
    ships, registry = load_synthetic(generate(GeneratorParams(scale=0.5)))
    params = AnalysisParams(communities=False)
    result = analyse(ships, registry, params)
    g = chpl_graph(ships.records, params.sanctions_date)
    png = draw(g, result, tmp_path / "n.png", limit=40)
    assert (tmp_path / "n.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 0 < png["nodes"] <= 40 + 6
    draw(g, result, tmp_path / "n.svg")
    assert b"<svg" in (tmp_path / "n.svg").read_bytes()[:2000]
    with pytest.raises(InputError, match=r"\.png or \.svg"):
        draw(g, result, tmp_path / "n.gif")
    assert not list(tmp_path.glob("*.tmp"))
