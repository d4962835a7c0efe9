"""What the tracking commands share: the service built from the global options,
country and position parsing, and writing a generated private key."""

from __future__ import annotations

from pathlib import Path

import typer

from dualuse.cli.common import console, settings_from
from dualuse.errors import InputError
from dualuse.services.tracking import TrackingService
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import Alg, Signer

ALGS = {"ed25519": Alg.EDDSA, "p256": Alg.ES256, "p384": Alg.ES384}


def service_from(ctx: typer.Context) -> TrackingService:
    settings = settings_from(ctx)
    return TrackingService(make_engine(settings.db_url), settings)


def split_list(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]


def split_regions(text: str | None) -> list[str]:
    """Comma-separated countries, where ``site:LAT,LON,KM`` keeps its own commas."""
    out: list[str] = []
    parts = (text or "").split(",")
    i = 0
    while i < len(parts):
        part = parts[i].strip()
        if part.lower().startswith("site:"):
            out.append(",".join(p.strip() for p in parts[i : i + 3]))
            i += 3
            continue
        if part:
            out.append(part)
        i += 1
    return out


def parse_latlon(text: str, source: str) -> tuple[float, float, float]:
    parts = split_list(text)
    try:
        values = [float(p) for p in parts]
    except ValueError as exc:
        raise InputError(f"{text!r} is not LAT,LON[,ACCURACY_KM]", source=source) from exc
    if len(values) not in (2, 3):
        raise InputError(f"{text!r} is not LAT,LON[,ACCURACY_KM]", source=source)
    return values[0], values[1], values[2] if len(values) == 3 else 0.0


def write_private_key(signer: Signer, path: Path) -> None:
    from dualuse.files import atomic_write_bytes

    atomic_write_bytes(path, signer.pem())
    path.chmod(0o600)
    console.print(f"private key written to {path} (keep it on the device)")
