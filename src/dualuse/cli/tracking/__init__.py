"""CLI for location verification: ``dualuse locate`` and the ``dualuse tracking`` group
(devices, keys, landmarks, overrides, fleet, history, maps, tokens, simulator, evaluation).

The commands live by subject in :mod:`.devices`, :mod:`.landmarks`, :mod:`.maps` and
:mod:`.diagnostics`; they are registered here, in the order ``--help`` lists them.
"""

from __future__ import annotations

import typer

from dualuse.cli.tracking.devices import (
    enrol,
    fleet,
    history,
    keys_add,
    keys_revoke,
    override,
    override_revoke,
    status,
)
from dualuse.cli.tracking.diagnostics import evaluate, inspect_token, lease_key, simulate
from dualuse.cli.tracking.landmarks import (
    landmarks_add,
    landmarks_calibrate,
    landmarks_list,
    landmarks_revoke,
)
from dualuse.cli.tracking.maps import device_map, device_plot, locate
from dualuse.cli.tracking.shared import ALGS

app = typer.Typer(
    help="Verify where exported equipment is: devices, evidence, landmarks, leases.",
    no_args_is_help=True,
)
keys_app = typer.Typer(help="Add and revoke device keys.", no_args_is_help=True)
landmarks_app = typer.Typer(help="Register, list and revoke landmarks.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(landmarks_app, name="landmarks")

app.command("enrol")(enrol)
keys_app.command("add")(keys_add)
keys_app.command("revoke")(keys_revoke)
landmarks_app.command("add")(landmarks_add)
landmarks_app.command("calibrate")(landmarks_calibrate)
landmarks_app.command("list")(landmarks_list)
landmarks_app.command("revoke")(landmarks_revoke)
app.command("fleet")(fleet)
app.command("history")(history)
app.command("status")(status)
app.command("override")(override)
app.command("override-revoke")(override_revoke)
app.command("map")(device_map)
app.command("plot")(device_plot)
app.command("lease-key")(lease_key)
app.command("inspect")(inspect_token)
app.command("simulate")(simulate)
app.command("evaluate")(evaluate)


def register(root: typer.Typer) -> None:
    """Add ``locate`` and the ``tracking`` group to the root app."""
    root.command("locate")(locate)
    root.add_typer(app, name="tracking")


__all__ = [
    "ALGS",
    "app",
    "device_map",
    "device_plot",
    "enrol",
    "evaluate",
    "fleet",
    "history",
    "inspect_token",
    "keys_add",
    "keys_app",
    "keys_revoke",
    "landmarks_add",
    "landmarks_app",
    "landmarks_calibrate",
    "landmarks_list",
    "landmarks_revoke",
    "lease_key",
    "locate",
    "override",
    "override_revoke",
    "register",
    "simulate",
    "status",
]
