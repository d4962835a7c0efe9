"""Imports point down the layers (src/dualuse/__init__.py): an interface never imports
another interface, and the lower packages never import the ones above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dualuse

SRC = Path(dualuse.__file__).parent

FORBIDDEN = {
    "api": ("dualuse.cli",),
    "cli": ("dualuse.api",),
    "views": ("dualuse.services", "dualuse.cli", "dualuse.api", "dualuse.web"),
    "storage": ("dualuse.services", "dualuse.views", "dualuse.cli", "dualuse.api", "dualuse.web"),
    "screening": ("dualuse.storage", "dualuse.services", "dualuse.views", "dualuse.cli"),
    "controls": ("dualuse.storage", "dualuse.services", "dualuse.views", "dualuse.cli"),
    "tracking": ("dualuse.storage", "dualuse.services", "dualuse.views", "dualuse.cli"),
    "model": ("dualuse.screening", "dualuse.storage", "dualuse.services", "dualuse.views"),
}

ALLOWED = {("cli/admin.py", "dualuse.api.app")}
"""``dualuse serve`` and ``dualuse openapi`` start or describe the API."""


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_down(package: str) -> None:
    wrong = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for name in sorted(_imports(path))
        if name.startswith(FORBIDDEN[package]) and (str(path.relative_to(SRC)), name) not in ALLOWED
    ]
    assert wrong == []


def test_files_is_the_bottom() -> None:
    assert {n for n in _imports(SRC / "files.py") if n.startswith("dualuse")} == set()
