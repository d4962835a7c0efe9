"""Docs and CLI stay in sync: every ``dualuse`` command shown in the README and docs exists,
and every command the CLI has is mentioned somewhere in the docs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import typer

from dualuse.cli.main import app

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def command_tree() -> Any:
    """The root command; groups are told apart by their ``commands`` mapping (Typer ships
    its own click, so ``isinstance`` against ``click.Group`` does not work)."""
    return typer.main.get_command(app)


def subcommands(command: Any) -> dict[str, Any]:
    return dict(getattr(command, "commands", None) or {})


def documented_invocations() -> list[tuple[Path, list[str]]]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:bash|sh|console)?\n(.*?)```", text, flags=re.S):
            joined = block.replace("\\\n", " ")
            for line in joined.splitlines():
                line = line.split("#", 1)[0].strip()
                match = re.search(r"(?:^|&& )dualuse (.*)$", line)
                if match:
                    found.append((path, shlex.split(match.group(1), posix=True)))
    return found


def resolve(words: list[str]) -> list[str]:
    """Walk sub-command words; fail on a word that is no command where one is expected."""
    command = command_tree()
    path: list[str] = []
    for word in words:
        if word.startswith("-"):
            break
        children = subcommands(command)
        if not children:
            break
        sub = children.get(word)
        if sub is None:
            if path or word.startswith(("/", ".", "~")):
                break
            raise AssertionError(f"no command {' '.join([*path, word])!r}")
        path.append(word)
        command = sub
    return path


def test_every_documented_command_exists() -> None:
    invocations = documented_invocations()
    assert len(invocations) > 20
    for path, words in invocations:
        words = [w for w in words if w not in {"--home", "--database-url"}]
        try:
            resolve(words)
        except AssertionError as exc:
            raise AssertionError(f"{path.name}: {exc}") from None


def test_every_command_is_documented() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS)
    missing = []

    def walk(command: Any, prefix: list[str]) -> None:
        children = subcommands(command)
        if children:
            for name, sub in children.items():
                if not sub.hidden:
                    walk(sub, [*prefix, name])
        elif f"dualuse {' '.join(prefix)}" not in text:
            missing.append(" ".join(prefix))

    walk(command_tree(), [])
    assert missing == [], f"commands not shown in README.md or docs/: {missing}"


def test_command_reference_is_current() -> None:
    from dualuse.cli.reference import render

    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is stale: run `python -m dualuse.cli.reference > docs/cli.md`"
    )
