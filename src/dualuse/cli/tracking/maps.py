"""Commands that say where a device can be: ``dualuse locate`` (from RTTs in a CSV),
``tracking map`` (a stored fix's region) and ``tracking plot`` (a device's history)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from dualuse.cli.common import console, print_json, settings_from
from dualuse.cli.tracking.shared import parse_latlon, service_from, split_list
from dualuse.errors import InputError
from dualuse.services.tracking import locator_for
from dualuse.services.tracking.locating import locate_and_judge
from dualuse.tracking.locate import Bound, read_measurements_csv


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
    located = locate_and_judge(
        locator,
        rows,
        chosen,
        prohibited=split_list(prohibit) if prohibit else None,
        claimed=parse_latlon(claimed, "--claimed") if claimed else None,
    )
    location, verdict = located.location, located.verdict
    report = located.report()
    report["rejected_rows"] = [{"row": b.row, "reason": b.reason} for b in rejected]
    if map_out is not None:
        write_map(
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


def write_map(path: Path, location: Any, world: Any, verdict: str | None, title: str) -> None:
    from dualuse.files import atomic_write_bytes, atomic_write_text
    from dualuse.web.tracking.render import map_html, map_png

    if path.suffix.lower() == ".html":
        atomic_write_text(path, map_html(location, world, title=title, verdict=verdict))
    elif path.suffix.lower() == ".png":
        atomic_write_bytes(path, map_png(location, world, title=title, verdict=verdict))
    else:
        raise InputError("map must end in .png or .html", source="--map")
    console.print(f"map written to {path}")


def device_map(
    ctx: typer.Context,
    device_id: str,
    out: Annotated[Path, typer.Option(help="Output .png or .html.")],
    evidence_id: Annotated[int | None, typer.Option(help="Which fix (default: latest).")] = None,
) -> None:
    """Draw a device's feasible region."""
    service = service_from(ctx)
    location, row = service.device_location(device_id, evidence_id)
    write_map(
        out, location, service.locator.world, row["verdict"], f"{device_id}, evidence {row['id']}"
    )


def device_plot(
    ctx: typer.Context, device_id: str, out: Annotated[Path, typer.Option(help="Output .png.")]
) -> None:
    """Plot a device's history: region sizes by verdict, signals, leases."""
    from dualuse.files import atomic_write_bytes
    from dualuse.web.tracking.render import history_png

    h = service_from(ctx).history(device_id)
    atomic_write_bytes(out, history_png(h["evidence"], h["signals"], h["leases"], title=device_id))
    console.print(f"plot written to {out}")
