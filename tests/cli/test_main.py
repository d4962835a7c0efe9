import sys
from pathlib import Path

import pytest
import typer
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


def test_a_command_exit_code_reaches_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    from dualuse.cli import main as cli_main

    @cli_main.app.command("exit-three", hidden=True)
    def exit_three() -> None:
        raise typer.Exit(3)

    monkeypatch.setattr(sys, "argv", ["dualuse", "exit-three"])
    try:
        with pytest.raises(SystemExit) as raised:
            cli_main.main()
    finally:
        cli_main.app.registered_commands.pop()
    assert raised.value.code == 3
