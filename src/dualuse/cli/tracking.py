"""CLI for location verification: ``dualuse locate`` and the ``dualuse tracking`` group
(devices, keys, landmarks, overrides, fleet, history, maps, tokens, simulator, evaluation)."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from dualuse.cli.common import console, print_json, settings_from
from dualuse.errors import InputError
from dualuse.services.tracking import TrackingService, locator_for
from dualuse.storage import tracking as store
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import Alg, PublicKey, Signer
from dualuse.tracking.locate import Bound, read_measurements_csv
from dualuse.tracking.policy import GeofencePolicy, judge
from dualuse.tracking.report import location_report

app = typer.Typer(
    help="Verify where exported equipment is: devices, evidence, landmarks, leases.",
    no_args_is_help=True,
)
keys_app = typer.Typer(help="Add and revoke device keys.", no_args_is_help=True)
landmarks_app = typer.Typer(help="Register, list and revoke landmarks.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(landmarks_app, name="landmarks")

ALGS = {"ed25519": Alg.EDDSA, "p256": Alg.ES256, "p384": Alg.ES384}


def _service(ctx: typer.Context) -> TrackingService:
    settings = settings_from(ctx)
    return TrackingService(make_engine(settings.db_url), settings)


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]


def _split_regions(text: str | None) -> list[str]:
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


def _latlon(text: str, source: str) -> tuple[float, float, float]:
    parts = _split(text)
    try:
        values = [float(p) for p in parts]
    except ValueError as exc:
        raise InputError(f"{text!r} is not LAT,LON[,ACCURACY_KM]", source=source) from exc
    if len(values) not in (2, 3):
        raise InputError(f"{text!r} is not LAT,LON[,ACCURACY_KM]", source=source)
    return values[0], values[1], values[2] if len(values) == 3 else 0.0


def _write_key(signer: Signer, path: Path) -> None:
    from dualuse.storage.files import atomic_write_bytes

    atomic_write_bytes(path, signer.pem())
    path.chmod(0o600)
    console.print(f"private key written to {path} (keep it on the device)")


def locate(
    ctx: typer.Context,
    measurements: Annotated[
        Path, typer.Argument(help="CSV: landmark_lat,landmark_lon,rtt_ms (min RTT per landmark).")
    ],
    bound: Annotated[
        str, typer.Option(help="secure (c, for verdicts) or fibre (2/3 c, likely).")
    ] = "secure",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    prohibit: Annotated[str | None, typer.Option(help="Countries to judge, e.g. CN,RU,IR.")] = None,
    claimed: Annotated[
        str | None, typer.Option(help="Claimed position LAT,LON[,ACCURACY_KM] to test.")
    ] = None,
    buffer_km: Annotated[float | None, typer.Option(help="Border buffer (default 5 km).")] = None,
    map_out: Annotated[
        Path | None, typer.Option("--map", help="Write a map (.png or .html).")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Fail on any bad row instead of skipping it.")
    ] = False,
) -> None:
    """Where can a device be, given RTTs to landmarks? Lists every country the region touches."""
    settings = settings_from(ctx)
    chosen = Bound.parse(bound)
    if chosen is Bound.CALIBRATED:
        raise InputError(
            "locate takes secure or fibre (calibration needs landmark data)",
            source="--bound",
            suggestions=["secure", "fibre"],
        )
    if not measurements.is_file():
        raise InputError("no such file", source=str(measurements))
    try:
        text = measurements.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", source=str(measurements)) from exc
    rows, rejected = read_measurements_csv(text, source=str(measurements))
    for bad in rejected:
        console.print(f"[yellow]{measurements}, row {bad.row}: {bad.reason}; row skipped[/yellow]")
    if rejected and strict:
        raise InputError(f"{len(rejected)} bad row(s)", source=str(measurements))
    if not rows:
        raise InputError("no usable measurement rows", source=str(measurements))
    cfg = (
        settings.tracking
        if buffer_km is None
        else replace(settings.tracking, border_buffer_km=buffer_km)
    )
    locator = locator_for(cfg)
    location = locator.locate(
        rows, chosen, claimed=_latlon(claimed, "--claimed") if claimed else None
    )
    verdict = (
        judge(location, GeofencePolicy.build(_split(prohibit))) if prohibit or claimed else None
    )
    report = location_report(location, verdict)
    report["rejected_rows"] = [{"row": b.row, "reason": b.reason} for b in rejected]
    if map_out is not None:
        _write_map(
            map_out,
            location,
            locator.world,
            verdict.verdict.value if verdict else None,
            str(measurements),
        )
    if as_json:
        print_json(report)
        return
    typer.echo(
        f"bound: {location.bound.value}; region: {report['region_km2']:,.0f} km²"
        + (" (EMPTY: landmarks contradict each other)" if location.empty else "")
    )
    typer.echo("possible countries: " + (", ".join(location.possible_countries) or "none"))
    if location.estimate:
        lat, lon = location.estimate
        typer.echo(f"centre of region: {lat:.3f}, {lon:.3f} (placement, not proof)")
    if verdict is not None:
        typer.echo(f"verdict: {verdict.verdict.value}: " + "; ".join(verdict.reasons))


def _write_map(path: Path, location: Any, world: Any, verdict: str | None, title: str) -> None:
    from dualuse.storage.files import atomic_write_bytes, atomic_write_text
    from dualuse.web.tracking.render import map_html, map_png

    if path.suffix.lower() == ".html":
        atomic_write_text(path, map_html(location, world, title=title, verdict=verdict))
    elif path.suffix.lower() == ".png":
        atomic_write_bytes(path, map_png(location, world, title=title, verdict=verdict))
    else:
        raise InputError("map must end in .png or .html", source="--map")
    console.print(f"map written to {path}")


@app.command("enrol")
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
    service = _service(ctx)
    row = service.enrol(
        serial=serial,
        model=model,
        eccn=eccn,
        licence=licence,
        end_user=end_user,
        prohibited=_split(prohibited),
        permitted=_split_regions(permitted),
        public_key=key,
        ueid=bytes.fromhex(ueid) if ueid else None,
        device_id=device_id,
        licence_valid_until=until,
        checkin_interval_s=checkin_interval,
        actor="cli",
    )
    if key_out is not None:
        _write_key(signer, key_out)
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


@keys_app.command("add")
def keys_add(ctx: typer.Context, device_id: str, public_key: Path) -> None:
    """Add a public key to a device (e.g. after a board swap)."""
    key = PublicKey.from_file(public_key)
    _service(ctx).add_key(device_id, key, actor="cli")
    console.print(f"key {key.kid.hex()} added to {device_id}")


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context, kid: str, reason: Annotated[str, typer.Option(help="Why.")]
) -> None:
    """Revoke a device key: its evidence is refused and raises a signal from now on."""
    device_id = _service(ctx).revoke_key(kid, reason, actor="cli")
    console.print(f"key {kid} of {device_id} revoked")


@landmarks_app.command("add")
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
    _service(ctx).add_landmark(
        landmark_id, lat, lon, key, min_processing_ms=min_processing_ms, actor="cli"
    )
    if signer is not None and key_out is not None:
        _write_key(signer, key_out)
    console.print(f"landmark {landmark_id} registered (kid {key.kid.hex()})")


@landmarks_app.command("calibrate")
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
    print_json(_service(ctx).calibrate_landmarks(pairs, actor="cli"))


@landmarks_app.command("list")
def landmarks_list(ctx: typer.Context) -> None:
    """List landmarks as JSON."""
    print_json(_service(ctx).landmarks())


@landmarks_app.command("revoke")
def landmarks_revoke(ctx: typer.Context, landmark_id: str) -> None:
    """Stop trusting a landmark (e.g. after an audit shows it mislabelled)."""
    _service(ctx).revoke_landmark(landmark_id, actor="cli")
    console.print(f"landmark {landmark_id} revoked")


@app.command("fleet")
def fleet(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every device: last verdict, lease, missed check-ins, risk and signals."""
    rows = _service(ctx).fleet()
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


@app.command("history")
def history(ctx: typer.Context, device_id: str, limit: int = 200) -> None:
    """A device's evidence, signals and leases as JSON, newest first."""
    print_json(_service(ctx).history(device_id, limit))


@app.command("status")
def status(
    ctx: typer.Context,
    device_id: str,
    value: Annotated[str, typer.Argument(help="active, suspended or retired.")],
) -> None:
    """Suspend, retire or reactivate a device (audited)."""
    _service(ctx).set_status(device_id, value, actor="cli")
    console.print(f"{device_id} is now {value}")


@app.command("override")
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
    oid = _service(ctx).override(
        device_id, "block" if block else "allow", reason, hours * 3600, actor="cli"
    )
    console.print(f"override {oid} recorded")


@app.command("override-revoke")
def override_revoke(ctx: typer.Context, override_id: int) -> None:
    """End an override early."""
    _service(ctx).revoke_override(override_id, actor="cli")
    console.print(f"override {override_id} revoked")


@app.command("map")
def device_map(
    ctx: typer.Context,
    device_id: str,
    out: Annotated[Path, typer.Option(help="Output .png or .html.")],
    evidence_id: Annotated[int | None, typer.Option(help="Which fix (default: latest).")] = None,
) -> None:
    """Draw a device's feasible region."""
    service = _service(ctx)
    location, row = service.device_location(device_id, evidence_id)
    _write_map(
        out, location, service.locator.world, row["verdict"], f"{device_id}, evidence {row['id']}"
    )


@app.command("plot")
def device_plot(
    ctx: typer.Context, device_id: str, out: Annotated[Path, typer.Option(help="Output .png.")]
) -> None:
    """Plot a device's history: region sizes by verdict, signals, leases."""
    from dualuse.storage.files import atomic_write_bytes
    from dualuse.web.tracking.render import history_png

    h = _service(ctx).history(device_id)
    atomic_write_bytes(out, history_png(h["evidence"], h["signals"], h["leases"], title=device_id))
    console.print(f"plot written to {out}")


@app.command("lease-key")
def lease_key(ctx: typer.Context) -> None:
    """Print the verifier's lease public key (devices pin it)."""
    typer.echo(_service(ctx).lease_signer().public.pem(), nl=False)


@app.command("inspect")
def inspect_token(
    token: Annotated[
        str, typer.Argument(help="File with a token (binary, hex or base64url), or - for stdin.")
    ],
    verify_key: Annotated[
        Path | None, typer.Option(help="Public key to check the signature with.")
    ] = None,
) -> None:
    """Show a COSE_Sign1 token in JSON (debugging); unverified unless --verify-key is given."""
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


@app.command("simulate")
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

    service = _service(ctx)
    sims = []
    for spec in landmark:
        parts = spec.split(",")
        if len(parts) != 4:
            raise InputError(f"{spec!r} is not ID,LAT,LON,KEYFILE", source="--landmark")
        lat, lon, _ = _latlon(",".join(parts[1:3]), "--landmark")
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
    lat, lon, _ = _latlon(at, "--at")
    device = SimDevice(
        device_id,
        ueid,
        signer,
        verifier,
        lat,
        lon,
        extra_delay_ms=extra_delay_ms,
        gps_override=_latlon(claim, "--claim")[:2] if claim else None,
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


@app.command("evaluate")
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

    from dualuse.storage.files import atomic_write_text
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


def register(root: typer.Typer) -> None:
    """Add ``locate`` and the ``tracking`` group to the root app."""
    root.command("locate")(locate)
    root.add_typer(app, name="tracking")
