from pathlib import Path

from typer.testing import CliRunner

from dualuse.cli.main import app
from tests.helpers import run_cli


def test_version_and_help() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert "dualuse" in result.output
    assert "Usage" in runner.invoke(app, ["--help"]).output


def test_keys_and_audit_round_trip(tmp_path: Path) -> None:
    base = ["--home", str(tmp_path)]
    created = run_cli([*base, "keys", "create", "ops", "--roles", "screener"], check=True)
    key = created.stdout.strip()
    assert key.startswith("du_")
    listed = run_cli([*base, "keys", "list"], check=True)
    assert key.split("_", 2)[2] not in listed.stdout
    verified = run_cli([*base, "audit", "verify"], check=True)
    assert "1 records" in verified.stderr


def test_bad_role_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli(["--home", str(tmp_path), "keys", "create", "x", "--roles", "wizard"])
    assert result.returncode == 2
    assert "unknown role 'wizard'" in result.stderr
    assert "Traceback" not in result.stderr
