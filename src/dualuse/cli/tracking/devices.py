"""Device commands: enrol, keys, status, overrides, fleet and history."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from dualuse.cli.common import console, print_json
from dualuse.cli.tracking.shared import (
    ALGS,
    service_from,
    split_list,
    split_regions,
    write_private_key,
)
from dualuse.errors import InputError
from dualuse.tracking.keys import PublicKey, Signer


def enrol(
    ctx: typer.Context,
    serial: Annotated[str, typer.Option(help="Serial number.")],
    model: Annotated[str, typer.Option(help="Model.")],
    eccn: Annotated[str, typer.Option(help="ECCN, e.g. 3A090.")],
    licence: Annotated[str, typer.Option(help="Export licence number.")],
    end_user: Annotated[str, typer.Option(help="End user named on the licence.")],
    prohibited: Annotated[str, typer.Option(help="Prohibited countries, e.g. CN,RU,IR.")],
    permitted: Annotated[
        str | None, typer.Option(help="Permitted countries and sites: DE,site:LAT,LON,KM.")
    ] = None,
    public_key: Annotated[Path | None, typer.Option(help="Device public key (PEM/DER).")] = None,
    key_out: Annotated[
        Path | None, typer.Option(help="Generate a key pair; write the private key here.")
    ] = None,
    alg: Annotated[str, typer.Option(help="Generated key: ed25519, p256 or p384.")] = "ed25519",
    ueid: Annotated[
        str | None, typer.Option(help="Device UEID in hex (default: random type 0x01).")
    ] = None,
    device_id: Annotated[str | None, typer.Option(help="Device id (default: generated).")] = None,
    licence_valid_until: Annotated[
        str | None, typer.Option(help="Licence expiry, YYYY-MM-DD.")
    ] = None,
    checkin_interval: Annotated[
        int | None, typer.Option(help="Expected check-in interval, seconds.")
    ] = None,
) -> None:
    """Enrol a device with its public key (or generate one for a simulated device)."""
    if (public_key is None) == (key_out is None):
        raise InputError("give exactly one of --public-key and --key-out", source="key")
    if key_out is not None:
        if alg not in ALGS:
            raise InputError(f"unknown algorithm {alg!r}", source="--alg", suggestions=list(ALGS))
        signer = Signer.generate(ALGS[alg])
        key = signer.public
    else:
        assert public_key is not None
        key = PublicKey.from_file(public_key)
    until = None
    if licence_valid_until:
        try:
            until = date.fromisoformat(licence_valid_until)
        except ValueError as exc:
            raise InputError("not YYYY-MM-DD", source="--licence-valid-until") from exc
    service = service_from(ctx)
    row = service.enrol(
        serial=serial,
        model=model,
        eccn=eccn,
        licence=licence,
        end_user=end_user,
        prohibited=split_list(prohibited),
        permitted=split_regions(permitted),
        public_key=key,
        ueid=bytes.fromhex(ueid) if ueid else None,
        device_id=device_id,
        licence_valid_until=until,
        checkin_interval_s=checkin_interval,
        actor="cli",
    )
    if key_out is not None:
        write_private_key(signer, key_out)
    api_key = service.issue_device_api_key(row.device_id, actor="cli")
    print_json(
        {
            "device_id": row.device_id,
            "ueid": row.ueid.hex(),
            "kid": key.kid.hex(),
            "eccn": row.eccn,
            "api_key": api_key,
        }
    )


def keys_add(ctx: typer.Context, device_id: str, public_key: Path) -> None:
    """Add a public key to a device (e.g. after a board swap)."""
    key = PublicKey.from_file(public_key)
    service_from(ctx).add_key(device_id, key, actor="cli")
    console.print(f"key {key.kid.hex()} added to {device_id}")


def keys_revoke(
    ctx: typer.Context, kid: str, reason: Annotated[str, typer.Option(help="Why.")]
) -> None:
    """Revoke a device key: its evidence is refused and raises a signal from now on."""
    device_id = service_from(ctx).revoke_key(kid, reason, actor="cli")
    console.print(f"key {kid} of {device_id} revoked")


def fleet(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every device: last verdict, lease, missed check-ins, risk and signals."""
    rows = service_from(ctx).fleet()
    if as_json:
        print_json(rows)
        return
    for r in rows:
        lease = "yes" if r["lease_active"] else "no"
        verdict = r["last_verdict"] or "-"
        typer.echo(
            f"{r['device_id']}  {r['serial']:<14} {r['status']:<9} verdict={verdict:<15}"
            f" lease={lease:<3} risk={r['risk']:.2f} {','.join(r['signals'])}"
        )


def history(ctx: typer.Context, device_id: str, limit: int = 200) -> None:
    """A device's evidence, signals and leases as JSON, newest first."""
    print_json(service_from(ctx).history(device_id, limit))


def status(
    ctx: typer.Context,
    device_id: str,
    value: Annotated[str, typer.Argument(help="active, suspended or retired.")],
) -> None:
    """Suspend, retire or reactivate a device (audited)."""
    service_from(ctx).set_status(device_id, value, actor="cli")
    console.print(f"{device_id} is now {value}")


def override(
    ctx: typer.Context,
    device_id: str,
    reason: Annotated[str, typer.Option(help="Why (recorded in the audit log).")],
    block: Annotated[
        bool,
        typer.Option("--block/--allow", help="Block leases, or allow them despite the verdict."),
    ] = False,
    hours: Annotated[float, typer.Option(help="How long the override lasts.")] = 24.0,
) -> None:
    """A human decision that outranks the verdict for a while; audited."""
    oid = service_from(ctx).override(
        device_id, "block" if block else "allow", reason, hours * 3600, actor="cli"
    )
    console.print(f"override {oid} recorded")


def override_revoke(ctx: typer.Context, override_id: int) -> None:
    """End an override early."""
    service_from(ctx).revoke_override(override_id, actor="cli")
    console.print(f"override {override_id} revoked")
