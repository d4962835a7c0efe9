"""Shell-company red flags for the CLI and the API: read company records, gather what the
current sanctions lists say (addresses, listed people, the screener's verdict on each
name) and score every company with its reasons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from dualuse.diversion.ownership.load_ftm import read_lines
from dualuse.diversion.shell.codes import load_codes
from dualuse.diversion.shell.flags import Listed, NameHit, specific_address, text_key
from dualuse.diversion.shell.records import Records, load_records, parse_lines
from dualuse.diversion.shell.rulebook import load_rulebook
from dualuse.diversion.shell.score import report, score_all
from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.settings import Settings

MAX_COMPANIES_SCREENED = 20_000
"""Above this the name rule is not run (it costs a screen per company); reported."""


@lru_cache(maxsize=2)
def _list_keys(fingerprint: str, settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """Addresses and listed people's names of the current lists, keyed for exact lookup;
    cached per list fingerprint."""
    from dualuse.services.lists import current_lists

    addresses: dict[str, str] = {}
    people: dict[str, str] = {}
    for party in current_lists(settings).parties():
        label = f"{party.names[0].value} ({party.id})" if party.names else party.id
        for address in party.addresses:
            key = text_key(address.full)
            if specific_address(key):
                addresses.setdefault(key, label)
        if party.type is PartyType.PERSON:
            for name in party.names:
                key = text_key(name.value)
                if len(key.split()) >= 2:
                    people.setdefault(key, label)
    return addresses, people


class ShellService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def listed_context(self, records: Records, *, screen: bool = True) -> tuple[Listed, list[str]]:
        from dualuse.services.lists import current_lists

        notes: list[str] = []
        fingerprint = current_lists(self.settings).fingerprint
        addresses, people = _list_keys(fingerprint, self.settings)
        hits: dict[str, NameHit | None] | None = None
        if screen and len(records.companies) <= MAX_COMPANIES_SCREENED:
            hits = self._screen(records)
        elif screen:
            notes.append(f"more than {MAX_COMPANIES_SCREENED} companies: names not screened")
        else:
            notes.append("names not screened (--no-screen)")
        return Listed(addresses, people, hits), notes

    def _screen(self, records: Records) -> dict[str, NameHit | None]:
        from dualuse.services.screening import ScreeningService

        service = ScreeningService(self.settings)
        companies = list(records.companies.values())
        queries = [
            ScreeningQuery(
                name=c.name,
                type=PartyType.ORGANIZATION,
                country=c.countries[0] if c.countries else None,
                id=c.id,
            )
            for c in companies
        ]
        out: dict[str, NameHit | None] = {}
        for company, response in zip(
            companies, service.screen_many(queries, explain=False), strict=True
        ):
            best = next((m for m in response.matches if m.match), None)
            out[company.id] = (
                NameHit(best.name, best.list_id, best.entry_id, best.score) if best else None
            )
        return out

    def score_records(
        self, records: Iterable[tuple[str, Any]], source: str, day: date, *, screen: bool = True
    ) -> dict[str, Any]:
        codes = load_codes()
        book = load_rulebook()
        loaded = load_records(records, source, codes)
        listed, notes = self.listed_context(loaded, screen=screen)
        result = report(score_all(loaded, listed, book, codes, day), loaded, book, day)
        result["notes"] = notes
        return result

    def score_file(self, path: Path, day: date, *, screen: bool = True) -> dict[str, Any]:
        return self.score_records(
            parse_lines(read_lines(path), str(path)), str(path), day, screen=screen
        )
