"""Landmark commands: register, calibrate, list and revoke timing servers."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from dualuse.cli.common import console, print_json
from dualuse.cli.tracking.shared import service_from, write_private_key
from dualuse.errors import InputError
from dualuse.tracking.keys import PublicKey, Signer


def landmarks_add(
    ctx: typer.Context,
    landmark_id: str,
    lat: Annotated[float, typer.Option(help="Latitude of the landmark.")],
    lon: Annotated[float, typer.Option(help="Longitude of the landmark.")],
    public_key: Annotated[Path | None, typer.Option(help="Landmark public key.")] = None,
    key_out: Annotated[
        Path | None, typer.Option(help="Generate a key pair; write the private key here.")
    ] = None,
    min_processing_ms: Annotated[
        float, typer.Option(help="Certified minimum device reply time.")
    ] = 0.0,
) -> None:
    """Register a landmark (a verifier-owned timing server at a known place)."""
    if (public_key is None) == (key_out is None):
        raise InputError("give exactly one of --public-key and --key-out", source="key")
    signer = Signer.generate() if key_out is not None else None
    key = signer.public if signer is not None else PublicKey.from_file(public_key)  # type: ignore[arg-type]
    service_from(ctx).add_landmark(
        landmark_id, lat, lon, key, min_processing_ms=min_processing_ms, actor="cli"
    )
    if signer is not None and key_out is not None:
        write_private_key(signer, key_out)
    console.print(f"landmark {landmark_id} registered (kid {key.kid.hex()})")


def landmarks_calibrate(
    ctx: typer.Context,
    rtts: Annotated[Path, typer.Argument(help="CSV: landmark_a,landmark_b,rtt_ms (min RTTs).")],
) -> None:
    """Fit each landmark's speed from RTTs between landmarks (for the calibrated bound)."""
    import csv

    if not rtts.is_file():
        raise InputError("no such file", source=str(rtts))
    pairs: list[tuple[str, str, float]] = []
    with rtts.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rtt = float(row["rtt_ms"])
                a, b = row["landmark_a"].strip(), row["landmark_b"].strip()
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise InputError(
                    "need landmark_a,landmark_b,rtt_ms", source=str(rtts), location=f"row {number}"
                ) from exc
            if math.isfinite(rtt) and rtt >= 0:
                pairs.append((a, b, rtt))
            else:
                console.print(f"[yellow]{rtts}, row {number}: bad rtt_ms; row skipped[/yellow]")
    print_json(service_from(ctx).calibrate_landmarks(pairs, actor="cli"))


def landmarks_list(ctx: typer.Context) -> None:
    """List landmarks as JSON."""
    print_json(service_from(ctx).landmarks())


def landmarks_revoke(ctx: typer.Context, landmark_id: str) -> None:
    """Stop trusting a landmark (e.g. after an audit shows it mislabelled)."""
    service_from(ctx).revoke_landmark(landmark_id, actor="cli")
    console.print(f"landmark {landmark_id} revoked")
