"""Commands for trying the protocol out: the verifier's lease key, token inspection,
the device simulator and the leave-one-out evaluation on real RTTs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dualuse.cli.common import console, print_json, settings_from
from dualuse.cli.tracking.shared import parse_latlon, service_from
from dualuse.errors import InputError
from dualuse.services.tracking import locator_for
from dualuse.storage import tracking as store
from dualuse.tracking.keys import PublicKey, Signer


def lease_key(ctx: typer.Context) -> None:
    """Print the verifier's lease public key (devices pin it)."""
    typer.echo(service_from(ctx).lease_signer().public.pem(), nl=False)


def inspect_token(
    token: Annotated[
        str, typer.Argument(help="File with a token (binary, hex or base64url), or - for stdin.")
    ],
    verify_key: Annotated[
        Path | None, typer.Option(help="Public key to check the signature with.")
    ] = None,
) -> None:
    """Show a COSE_Sign1 token in JSON (debugging); unverified unless --verify-key is given.

    With --verify-key, exits 1 when the signature does not verify."""
    from dualuse.tracking.claims import EvidenceClaims, b64, token_from_text
    from dualuse.tracking.cose import TokenError, decode_sign1

    raw = sys.stdin.buffer.read() if token == "-" else Path(token).read_bytes()  # noqa: S105
    try:
        data = token_from_text(raw.decode("ascii"))
    except (UnicodeDecodeError, InputError):
        data = raw
    msg = decode_sign1(data)
    out: dict[str, Any] = {
        "alg": msg.alg.name,
        "kid": msg.kid.hex() if msg.kid else None,
        "signature": b64(msg.signature),
        "verified": None,
    }
    try:
        out["claims"] = EvidenceClaims.parse(msg.payload).to_json()
    except TokenError:
        from dualuse.tracking.cose import strict_loads

        out["claims_raw"] = repr(strict_loads(msg.payload, "payload"))
    if verify_key is not None:
        out["verified"] = msg.verify(PublicKey.from_file(verify_key))
    print_json(out)
    if out["verified"] is False:
        console.print("error: the signature does not verify with this key")
        raise typer.Exit(1)


def simulate(
    ctx: typer.Context,
    device_id: str,
    device_key: Annotated[Path, typer.Option(help="Device private key (PEM).")],
    at: Annotated[str, typer.Option(help="True position LAT,LON of the simulated device.")],
    landmark: Annotated[list[str], typer.Option(help="ID,LAT,LON,PRIVATE_KEY_FILE; repeat.")],
    url: Annotated[str | None, typer.Option(help="API base URL; default: in-process.")] = None,
    api_key: Annotated[
        str | None, typer.Option(envvar="DUALUSE_API_KEY", help="Device API key.")
    ] = None,
    cycles: Annotated[int, typer.Option(help="Check-ins to run.")] = 1,
    interval: Annotated[float, typer.Option(help="Seconds between check-ins.")] = 0.0,
    claim: Annotated[
        str | None, typer.Option(help="GPS position to claim instead of the true one.")
    ] = None,
    extra_delay_ms: Annotated[
        float, typer.Option(help="Delay the device adds to every reply.")
    ] = 0.0,
) -> None:
    """Run a simulated device: check in, get leases, and work only while a lease holds.

    Prints one JSON line per check-in, then whether the device still works."""
    import time

    from dualuse.tracking.simulator import (
        HttpTransport,
        SimDevice,
        SimLandmark,
        check_in,
    )

    service = service_from(ctx)
    sims = []
    for spec in landmark:
        parts = spec.split(",")
        if len(parts) != 4:
            raise InputError(f"{spec!r} is not ID,LAT,LON,KEYFILE", source="--landmark")
        lat, lon, _ = parse_latlon(",".join(parts[1:3]), "--landmark")
        sims.append(
            SimLandmark(
                parts[0], lat, lon, Signer.load_pem(Path(parts[3]).read_bytes(), source=parts[3])
            )
        )
    signer = Signer.load_pem(device_key.read_bytes(), source=str(device_key))
    transport: Any
    if url:
        if not api_key:
            raise InputError(
                "--api-key (or DUALUSE_API_KEY) is needed with --url", source="--api-key"
            )
        transport = HttpTransport(url, api_key)
        verifier = transport.verifier_key()
        ueid = transport.ueid(device_id)
    else:
        from dualuse.services.tracking import LocalTransport

        transport = LocalTransport(service)
        verifier = service.lease_signer().public
        ueid = store.get_device(service.engine, device_id).ueid
    lat, lon, _ = parse_latlon(at, "--at")
    device = SimDevice(
        device_id,
        ueid,
        signer,
        verifier,
        lat,
        lon,
        extra_delay_ms=extra_delay_ms,
        gps_override=parse_latlon(claim, "--claim")[:2] if claim else None,
    )
    for cycle in range(cycles):
        if cycle:
            time.sleep(interval)
        result = check_in(device, sims, transport)
        lease = dict(result.lease or {})
        lease.pop("token", None)
        print_json(
            {
                "cycle": cycle + 1,
                "evidence": result.evidence,
                "lease": lease,
                "operational": result.operational,
            }
        )
    device.work()  # raises LeaseLapsed (exit 2) once no lease holds
    console.print("device works: lease valid")


def evaluate(
    ctx: typer.Context,
    data: Annotated[
        Path | None, typer.Option(help="Shared geo folder (wondernetwork/, geonames/).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write every device's outcome as JSON here.")
    ] = None,
) -> None:
    """Leave-one-out evaluation on the WonderNetwork RTT matrix beside the CBG baseline."""
    from rich.progress import Progress

    from dualuse.files import atomic_write_text
    from dualuse.tracking.evaluation import evaluate_matrix
    from dualuse.tracking.wondernetwork import load_geo_folder

    settings = settings_from(ctx)
    folder = data or (settings.shared_data / "geo" if settings.shared_data else None)
    if folder is None:
        raise InputError("give --data or set DUALUSE_SHARED_DATA", source="--data")
    matrix, cities = load_geo_folder(folder)
    with Progress(console=console) as progress:
        task = progress.add_task("leave-one-out", total=len(matrix.servers))
        result = evaluate_matrix(
            matrix,
            cities,
            locator_for(settings.tracking),
            progress=lambda n: progress.advance(task, n),
        )
    if out is not None:
        atomic_write_text(out, json.dumps(result, indent=1, default=str))
    print_json(result["summary"])
