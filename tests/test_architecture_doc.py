"""docs/architecture.md names only modules and paths that exist: a map that lies is
worse than none."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "architecture.md"


def _resolves(dotted: str) -> bool:
    """A module, or an attribute (class, function) of the longest module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_named_module_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = sorted(set(re.findall(r"\bdualuse(?:\.[A-Za-z_]\w*)+", text)))
    assert len(named) > 30
    missing = [n for n in named if not _resolves(n)]
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def test_every_named_path_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = sorted(set(re.findall(r"\bsrc/[\w./-]*\w", text)))
    assert paths
    missing = [p for p in paths if not (REPO / p).exists()]
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"


def test_a_missing_module_is_caught() -> None:
    assert _resolves("dualuse.services.screening.ScreeningService")
    assert not _resolves("dualuse.services.no_such_module")
    assert not _resolves("dualuse.services.screening.NoSuchClass")
