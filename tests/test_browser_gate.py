"""The browser tests' gate (tests/conftest.py): without chromium on PATH the map page
test skips with the reason, unless CI_REQUIRE_BROWSER is set, where it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAP_TEST = "tests/api/test_tracking.py::test_map_page_in_chromium"


def _run_without_chromium(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    bare = tmp_path / "bin"  # a PATH with python and no chromium
    bare.mkdir(exist_ok=True)
    full = {k: v for k, v in os.environ.items() if k != "CI_REQUIRE_BROWSER"}
    full.update(PATH=str(bare), **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", MAP_TEST],
        cwd=REPO,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_test_skips_with_the_reason_without_chromium(tmp_path: Path) -> None:
    result = _run_without_chromium(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "browser test needs chromium on PATH" in result.stdout


def test_ci_requires_the_browser_tests(tmp_path: Path) -> None:
    result = _run_without_chromium(tmp_path, CI_REQUIRE_BROWSER="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI_REQUIRE_BROWSER is set but the browser test needs chromium" in result.stdout
    assert "1 error" in result.stdout or "1 failed" in result.stdout
