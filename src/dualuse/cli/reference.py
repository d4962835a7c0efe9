"""Write the command reference (``docs/cli.md``) from the CLI's own help texts.

``python -m dualuse.cli.reference > docs/cli.md``; a test regenerates it and fails when
the file and the CLI disagree, so the reference cannot go stale.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from dualuse.cli.main import app


def _walk(command: Any, prefix: list[str]) -> Iterator[list[str]]:
    yield prefix
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        if not sub.hidden:
            yield from _walk(sub, [*prefix, name])


def render() -> str:
    runner = CliRunner()
    env = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
    parts = [
        "# Command reference\n",
        "Generated from the CLI's help by `python -m dualuse.cli.reference > docs/cli.md`;",
        "a test keeps it in sync.\n",
    ]
    for path in _walk(typer.main.get_command(app), []):
        result = runner.invoke(app, [*path, "--help"], env=env, prog_name="dualuse")
        title = " ".join(["dualuse", *path])
        text = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
        parts.append(f"## {title}\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "100")
    print(render(), end="")
