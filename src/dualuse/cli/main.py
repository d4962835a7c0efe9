"""The ``dualuse`` command: global options, then one group of commands per capability."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from dualuse import __version__
from dualuse.cli import admin, controls, diversion, investment, lists, screening, tracking
from dualuse.cli import cases as cases_cli
from dualuse.cli import decisions as decisions_cli
from dualuse.cli.common import console
from dualuse.errors import DualuseError
from dualuse.settings import Settings

app = typer.Typer(
    name="dualuse",
    help="Control trade in dual-use technology: screen parties, classify items, determine "
    "licences, detect diversion and verify where equipment is after export.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dualuse {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            help="Data folder (list versions, indexes, database). Default: $DUALUSE_HOME or the "
            "user data folder."
        ),
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL; default SQLite in the data folder.")
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    settings = Settings.from_env()
    if home is not None:
        settings = replace(settings, home=home)
    if database_url is not None:
        settings = replace(settings, database_url=database_url)
    ctx.obj = settings


screening.register(app)
lists.register(app)
controls.register(app)
tracking.register(app)
admin.register(app)
investment.register(app)
diversion.register(app)
decisions_cli.register(app)
cases_cli.register(app)


def main() -> None:
    """Entry point: run the app and turn expected errors into one clear line."""
    try:
        # With standalone_mode=False click returns a command's exit code instead of exiting.
        code = app(standalone_mode=False)
    except DualuseError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        console.print("interrupted")
        sys.exit(130)
    except typer.TyperException as exc:
        # Typer (0.29+) vendors click: its usage errors (bad value, missing or unknown
        # option) derive from typer.TyperException, not click.ClickException.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    if isinstance(code, int) and code != 0:
        sys.exit(code)
