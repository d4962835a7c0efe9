"""Helpers for tests: run the real ``dualuse`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def spark_local(app_name: str = "dualuse-test") -> Iterator[Any]:
    """A ``local[2]`` Spark session whose executors (separate Python processes) import
    this checkout's package with this interpreter; the environment is restored after."""
    from dualuse.services.spark_screening import spark_session

    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "PYSPARK_PYTHON")}
    os.environ["PYTHONPATH"] = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    os.environ["PYSPARK_PYTHON"] = os.environ.get("PYSPARK_PYTHON") or sys.executable
    session = spark_session("local[2]", app_name)
    try:
        yield session
    finally:
        session.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
