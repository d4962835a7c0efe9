"""Shipment networks for the CLI and the API: generate synthetic records, analyse a file
or a request body, draw the network, measure against planted schemes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from dualuse.diversion.network.analyse import AnalysisParams, analyse, chpl_graph
from dualuse.diversion.network.evaluate import evaluate_seeds
from dualuse.diversion.network.generate import GeneratorParams, generate
from dualuse.diversion.network.load import Shipments, load_shipments
from dualuse.diversion.network.plot import draw, svg_element
from dualuse.diversion.ownership.load_ftm import read_lines
from dualuse.diversion.shell.codes import load_codes
from dualuse.diversion.shell.flags import Listed
from dualuse.diversion.shell.records import Records, load_records, parse_lines
from dualuse.diversion.shell.rulebook import load_rulebook
from dualuse.diversion.shell.score import score_all
from dualuse.errors import InputError
from dualuse.files import staging_dir
from dualuse.settings import Settings

SHIPMENTS = "shipments.jsonl"
COMPANIES = "companies.jsonl"
TRUTH = "truth.json"


def _jsonl(rows: Iterable[Any]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def parse_seeds(text: str) -> list[int]:
    """``101-120`` or ``1,2,5``."""
    try:
        if "-" in text:
            a, b = (int(x) for x in text.split("-", 1))
            seeds = list(range(a, b + 1))
        else:
            seeds = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise InputError(
            f"{text!r} is not a seed range (101-120) or list (1,2,5)", source="--seeds"
        ) from exc
    if not seeds or len(seeds) > 1000:
        raise InputError("give between 1 and 1000 seeds", source="--seeds")
    return seeds


def with_shell_scores(result: dict[str, Any], registry: Records | None, day: date) -> None:
    """Beside each intermediary on a path, its red-flag score from the registry record
    (``dualuse shell``; names are not screened here, list addresses not compared)."""
    if registry is None:
        return
    wanted = {r["id"] for r in result["intermediaries"]}
    subset = Records(
        companies={k: v for k, v in registry.companies.items() if k in wanted},
        persons=registry.persons,
    )
    book = load_rulebook()
    scores = {s.company.id: s for s in score_all(subset, Listed(), book, load_codes(), day)}
    for row in result["intermediaries"]:
        found = scores.get(row["id"])
        row["shell_score"] = found.score if found else None
        row["shell_flags"] = [spec.id for spec, _ in found.flags] if found else []


class NetworkService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def generate(self, out: Path, params: GeneratorParams) -> dict[str, Any]:
        """Write ``companies.jsonl``, ``shipments.jsonl`` and ``truth.json`` into ``out``
        (all or nothing). An existing folder is replaced only if it holds an earlier
        ``truth.json``: a folder of other files is never removed."""
        if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / TRUTH).is_file())
        ):
            raise InputError(
                "exists and is not an earlier generated folder; choose another", source=str(out)
            )
        data = generate(params)
        with staging_dir(out) as stage:
            (stage / COMPANIES).write_bytes(_jsonl(data.companies))
            (stage / SHIPMENTS).write_bytes(_jsonl(data.shipments))
            (stage / TRUTH).write_bytes(orjson.dumps(data.truth, option=orjson.OPT_INDENT_2))
        return {
            "folder": str(out),
            "notice": data.truth["notice"],
            **data.truth["counts"],
            "schemes": len(data.truth["schemes"]),
        }

    def read(self, path: Path, companies: Path | None = None) -> tuple[Shipments, Records | None]:
        codes = load_codes()
        if path.is_dir():
            companies = companies or (path / COMPANIES if (path / COMPANIES).is_file() else None)
            path = path / SHIPMENTS
        registry = None
        if companies is not None:
            registry = load_records(
                parse_lines(read_lines(companies), str(companies)), str(companies), codes
            )
        ships = load_shipments(parse_lines(read_lines(path), str(path)), str(path), codes, registry)
        return ships, registry

    def analyse_file(
        self, path: Path, params: AnalysisParams, companies: Path | None = None
    ) -> dict[str, Any]:
        ships, registry = self.read(path, companies)
        result = analyse(ships, registry, params)
        with_shell_scores(result, registry, date.today())
        if registry is not None:
            result["registry_findings"] = [f.to_json() for f in registry.findings]
        return result

    def analyse_records(
        self,
        shipments: list[Any],
        companies: list[Any],
        params: AnalysisParams,
        *,
        picture: bool = False,
    ) -> dict[str, Any]:
        """A request body's records; with ``picture`` the report carries an ``svg``."""
        codes = load_codes()
        registry = None
        if companies:
            registry = load_records(
                ((f"company {i}", c) for i, c in enumerate(companies, 1)), "body", codes
            )
        ships = load_shipments(
            ((f"shipment {i}", s) for i, s in enumerate(shipments, 1)), "body", codes, registry
        )
        result = analyse(ships, registry, params)
        with_shell_scores(result, registry, date.today())
        if picture:
            graph = chpl_graph(ships.records, params.sanctions_date)
            result["svg"] = svg_element(graph, result, limit=80)
        return result

    def plot(
        self,
        path: Path,
        out: Path,
        params: AnalysisParams,
        *,
        limit: int = 120,
        companies: Path | None = None,
    ) -> dict[str, Any]:
        ships, registry = self.read(path, companies)
        result = analyse(ships, registry, replace(params, communities=False))
        graph = chpl_graph(ships.records, params.sanctions_date)
        picture = draw(graph, result, out, limit=limit)
        return {**picture, "flagged": result["counts"]["flagged"]}

    def evaluate(
        self, seeds: list[int], gen: GeneratorParams, params: AnalysisParams
    ) -> dict[str, Any]:
        return evaluate_seeds(seeds, gen, params)
