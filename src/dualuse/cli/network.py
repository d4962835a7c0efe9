"""CLI for shipment networks and shell companies: ``dualuse network generate|analyse|
plot|evaluate`` and ``dualuse shell score FILE``.

``--json`` prints the same object the HTTP API returns; without it a short readable
answer goes to stdout.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dualuse.cli.common import print_json, settings_from
from dualuse.diversion.network.analyse import SANCTIONS_DATE, AnalysisParams
from dualuse.diversion.network.evaluate import HELD_OUT_SEEDS
from dualuse.diversion.network.generate import GeneratorParams
from dualuse.services.diversion import parse_date
from dualuse.services.network import NetworkService, parse_seeds
from dualuse.services.shell import ShellService

out = Console(soft_wrap=True)
SHOWN = 15
network_app = typer.Typer(
    help="Shipment networks: synthetic records with planted diversion schemes, paths from "
    "makers of CHPL items to Russian or listed end users, new intermediaries, pictures.",
    no_args_is_help=True,
)
shell_app = typer.Typer(
    help="Shell companies and intermediaries: documented red flags, a score per company.",
    no_args_is_help=True,
)

Since = Annotated[
    str, typer.Option("--since", help="Sanctions date the analysis turns on (YYYY-MM-DD).")
]
MaxHops = Annotated[int, typer.Option("--max-hops", min=1, max=10, help="Longest path, edges.")]
Toward = Annotated[
    float,
    typer.Option(
        "--toward-share",
        min=0.0,
        max=1.0,
        help="Share of an intermediary's CHPL value sent on toward end users.",
    ),
]
Companies = Annotated[
    Path | None,
    typer.Option(
        "--companies",
        help="Company registry (FtM JSON lines); default companies.jsonl beside the shipments.",
    ),
]


def _params(since: str, max_hops: int, toward: float, communities: bool = True) -> AnalysisParams:
    return AnalysisParams(
        sanctions_date=parse_date(since, source="--since"),
        max_hops=max_hops,
        toward_share=toward,
        communities=communities,
    )


@network_app.command("generate")
def generate(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder to write (replaced if generated before).")],
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same records.")] = 1,
    scale: Annotated[
        float, typer.Option(help="Multiplies every count (1 = ~9,000 shipments).")
    ] = 1.0,
    schemes: Annotated[int, typer.Option(min=1, help="Planted schemes at scale 1.")] = 12,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write SYNTHETIC shipment records with planted diversion schemes: companies.jsonl (FtM
    companies), shipments.jsonl and truth.json (the schemes and every parameter)."""
    params = GeneratorParams(seed=seed, scale=scale, schemes=schemes)
    result = NetworkService(settings_from(ctx)).generate(folder, params)
    if as_json:
        print_json(result)
        return
    out.print(
        f"{result['shipments']:,} shipments, {result['companies']:,} companies, "
        f"{result['schemes']} planted schemes in {folder}"
    )
    out.print(f"[dim]{result['notice']}[/dim]")


@network_app.command("analyse")
def analyse(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Shipments (JSON lines) or a generated folder.")],
    companies: Companies = None,
    since: Since = str(SANCTIONS_DATE),
    max_hops: MaxHops = 5,
    toward_share: Toward = 0.4,
    communities: Annotated[
        bool, typer.Option("--communities/--no-communities", help="Louvain communities.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Paths from makers of CHPL items to Russian, Belarusian or listed end users; the
    intermediaries that appear after the sanctions date and pass CHPL volume on."""
    params = _params(since, max_hops, toward_share, communities)
    result = NetworkService(settings_from(ctx)).analyse_file(path, params, companies)
    if as_json:
        print_json(result)
        return
    _print_analysis(result)


def _print_analysis(result: dict[str, Any]) -> None:
    counts = result["counts"]
    out.print(
        f"{counts['shipments']:,} shipments ({counts['skipped']} skipped), "
        f"{counts['companies']:,} companies, {counts['makers']} makers, {counts['targets']} "
        f"end users (RU/BY/listed), {counts['candidates']} intermediaries on paths, "
        f"[bold]{counts['flagged']} flagged[/bold]"
    )
    for row in [r for r in result["intermediaries"] if r["flagged"]][:SHOWN]:
        out.print(
            f"[red]flagged[/red] {row['id']} {row['name'] or ''} ({row['country'] or '?'}): "
            + "; ".join(row["reasons"])
        )
        if row.get("example_path"):
            out.print("   path: " + " → ".join(row["example_path"]))
    for c in result.get("communities", [])[:5]:
        out.print(
            f"community {c['community']}: {c['size']} companies, flagged "
            f"{', '.join(c['flagged'])}, CHPL ${c['chpl_shipped_usd']:,.0f}"
        )
    for code, n in sorted(result["finding_counts"].items()):
        out.print(f"finding {code}: {n}")


@network_app.command("plot")
def plot(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Shipments (JSON lines) or a generated folder.")],
    picture: Annotated[Path, typer.Argument(help="Picture to write: .png or .svg.")],
    companies: Companies = None,
    since: Since = str(SANCTIONS_DATE),
    max_hops: MaxHops = 5,
    toward_share: Toward = 0.4,
    limit: Annotated[int, typer.Option(min=5, max=2000, help="Most companies drawn.")] = 120,
) -> None:
    """Draw the paths through the flagged intermediaries (makers left, end users right)."""
    params = _params(since, max_hops, toward_share, communities=False)
    result = NetworkService(settings_from(ctx)).plot(
        path, picture, params, limit=limit, companies=companies
    )
    out.print(
        f"{result['file']}: {result['nodes']} companies, {result['edges']} links "
        f"({result['flagged']} flagged in all)"
    )


@network_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    seeds: Annotated[
        str,
        typer.Option(
            help="Seeds, e.g. 101-120 (held out) or 1,2,3; thresholds were chosen on 1-5."
        ),
    ] = f"{HELD_OUT_SEEDS[0]}-{HELD_OUT_SEEDS[-1]}",
    scale: Annotated[float, typer.Option(help="Multiplies every count.")] = 1.0,
    max_hops: MaxHops = 5,
    toward_share: Toward = 0.4,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with every run).")] = False,
) -> None:
    """Recall of planted schemes and false-positive rate on innocent companies, beside the
    volume-rank and degree baselines, over generated synthetic worlds."""
    params = _params(str(SANCTIONS_DATE), max_hops, toward_share, communities=False)
    result = NetworkService(settings_from(ctx)).evaluate(
        parse_seeds(seeds), GeneratorParams(scale=scale), params
    )
    if as_json:
        print_json(result)
        return
    out.print(f"seeds {seeds}, scale {scale}")
    for key, row in result["summary"].items():
        out.print(
            f"{key:16} recall {row['recall']:.3f} ({row['schemes_found']}/{row['schemes']} "
            f"schemes), false positives {row['false_positives']} of {row['innocent']} "
            f"innocent companies (rate {row['fp_rate']:.5f})"
        )
    out.print(
        "recall by variant: "
        + ", ".join(f"{k} {v}" for k, v in result["summary"]["method"]["recall_by_tag"].items())
    )


@shell_app.command("score")
def score(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Company records (FtM JSON lines).")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge on (YYYY-MM-DD); default today.")
    ] = None,
    screen: Annotated[
        bool, typer.Option("--screen/--no-screen", help="Screen names against the lists.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score each company on documented red flags (new company in a diversion-risk country,
    address or director shared with a listed party, name close to one, goods that do not
    fit the business, payments through third countries, ...), with reasons and sources."""
    day = parse_date(as_of) if as_of else date.today()
    result = ShellService(settings_from(ctx)).score_file(file, day, screen=screen)
    if as_json:
        print_json(result)
        return
    for c in result["companies"][:SHOWN]:
        if c["score"] == 0:
            break
        out.print(f"[bold]{c['score']:>2} {c['level']:8}[/bold] {c['id']} {c['name']}")
        for f in c["flags"]:
            out.print(f"     {f['rule']} (+{f['weight']}): {f['reason']}")
    counts = result["counts"]
    out.print(
        f"{counts['companies']} companies: {counts['high']} high, {counts['elevated']} "
        f"elevated, {counts['low']} low, {counts['none']} none; {counts['findings']} "
        f"findings (as of {result['as_of']}; {result['weights_note']})"
    )
    for note in result["notes"]:
        out.print(f"[dim]note: {note}[/dim]")


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(network_app, name="network")
    app.add_typer(shell_app, name="shell")
