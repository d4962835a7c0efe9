"""Helpers for tests: run the real ``dualuse`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run_cli(
    args: Sequence[str],
    *,
    check: bool = False,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m dualuse ARGS`` with this checkout's sources first on the path."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = os.pathsep.join([str(SRC), full_env.get("PYTHONPATH", "")])
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "dualuse", *args],
        capture_output=True,
        text=True,
        check=check,
        input=input,
        env=full_env,
        timeout=timeout,
    )
