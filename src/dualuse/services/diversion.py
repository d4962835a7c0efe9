"""Diversion analytics for the CLI and the API: ownership rules over a file or a request
body, and EU export growth from the shared Eurostat extract."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from dualuse.diversion import flows
from dualuse.diversion.ownership import FORMATS, load
from dualuse.diversion.ownership.evaluate import evaluate
from dualuse.diversion.ownership.load_bods import load_bods_records
from dualuse.diversion.ownership.load_ftm import load_ftm_records
from dualuse.diversion.ownership.load_gleif import load_gleif_records
from dualuse.diversion.ownership.model import Graph
from dualuse.diversion.ownership.rules import RULES, rule_for
from dualuse.errors import InputError
from dualuse.settings import Settings

__all__ = ["FORMATS", "RULES", "DiversionService", "parse_date"]

CHECKOUT = Path(__file__).resolve().parents[3]
"""The repository root when running from a source checkout (``src/dualuse/services``)."""


def parse_date(text: str | None, *, source: str = "--as-of") -> date:
    """``YYYY-MM-DD``; today when not given."""
    if text is None or not text.strip():
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", source=source) from exc


def graph_from_records(
    fmt: str, records: list[Any], listed: Iterable[str] = (), as_of: date | None = None
) -> Graph:
    """A request body's records (FtM entities, BODS statements or GLEIF records)."""
    key = fmt.lower()
    if key == "ftm":
        return load_ftm_records(
            ((f"entity {i}", r) for i, r in enumerate(records, start=1)), "body", listed
        )
    if key == "bods":
        return load_bods_records(records, "body", listed, as_of)
    if key == "gleif":
        return load_gleif_records(records, "body", listed)
    raise InputError(f"unknown format {fmt!r}", source="format", suggestions=FORMATS)


class DiversionService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def ownership_file(
        self,
        path: Path,
        *,
        fmt: str = "ftm",
        rule: str = "ofac",
        as_of: date | None = None,
        listed: Iterable[str] = (),
    ) -> dict[str, object]:
        day = as_of or date.today()
        chosen = rule_for(rule, day)  # check the rule before reading a large file
        return evaluate(load(path, fmt, listed, day), chosen, day)

    def ownership_graph(
        self, graph: Graph, *, rule: str = "ofac", as_of: date | None = None
    ) -> dict[str, object]:
        day = as_of or date.today()
        return evaluate(graph, rule_for(rule, day), day)

    def shared_folder(self) -> Path:
        """The shared data folder (``$DUALUSE_SHARED_DATA`` or beside a checkout)."""
        return self.annual_file().parents[len(flows.ANNUAL_FILE.parts) - 1]

    def flows_mirror(self, partner: str, year: int, base: int | None = None) -> dict[str, object]:
        return flows.mirror(self.shared_folder(), partner, year, base)

    def annual_file(self, data: Path | None = None) -> Path:
        """``--data``, else under ``$DUALUSE_SHARED_DATA``, else ``../shared/data`` beside a
        source checkout (where the team's shared data live); never a guess beyond that."""
        if data is not None:
            return data
        if self.settings.shared_data is not None:
            return self.settings.shared_data / flows.ANNUAL_FILE
        beside_checkout = CHECKOUT.parent / "shared" / "data" / flows.ANNUAL_FILE
        if (CHECKOUT / "pyproject.toml").is_file() and beside_checkout.is_file():
            return beside_checkout
        raise InputError(
            "no Eurostat data: set DUALUSE_SHARED_DATA to the shared data folder or give "
            "--data FILE",
            source="flows",
        )

    def flows_growth(
        self,
        partner: str,
        year_from: int,
        year_to: int,
        *,
        reporter: str = "EU27",
        data: Path | None = None,
    ) -> flows.Growth:
        return flows.growth(self.annual_file(data), partner, year_from, year_to, reporter)
