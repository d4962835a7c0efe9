"""Company records for red-flag scoring: FollowTheMoney JSON lines (``Company``,
``Organization``, ``LegalEntity``; ``Person`` directors; ``Directorship`` edges) with an
optional ``trade`` object of facts FtM has no property for.

``trade`` on a company record: ``hs6`` (HS-6 codes it buys or sells), ``business_hs_chapters``
(the HS chapters of its declared line of business) and ``payment_countries`` (countries
its payments came from or went through). A line that is not JSON or not an entity stops
the load with file and line; a bad value (unknown country, date or HS code) is a finding
and the value is dropped, so the rule that needs it reports "not evaluated".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from dualuse.diversion.shell.codes import Codes
from dualuse.errors import InputError
from dualuse.once import load_once
from dualuse.reference.countries import all_countries, normalize_country

LISTED_TOPIC = "sanction"
TRADE_KEYS = {"hs6", "business_hs_chapters", "payment_countries"}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    entity: str | None
    where: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message,
            "entity": self.entity,
            "where": self.where,
        }


@dataclass(slots=True)
class Company:
    id: str
    name: str
    schema: str
    where: str
    countries: tuple[str, ...] = ()
    incorporated: date | None = None
    addresses: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    listed: bool = False
    directors: list[str] = field(default_factory=list)
    hs6: tuple[str, ...] = ()
    business_chapters: tuple[str, ...] | None = None
    """``None``: the line of business is not declared (the fit rule cannot run)."""
    payment_countries: tuple[str, ...] = ()


@dataclass(slots=True)
class Records:
    companies: dict[str, Company] = field(default_factory=dict)
    persons: dict[str, Company] = field(default_factory=dict)
    """Directors that are people (same shape; only name and listing are used)."""
    findings: list[Finding] = field(default_factory=list)

    def party(self, pid: str) -> Company | None:
        return self.companies.get(pid) or self.persons.get(pid)


def parse_lines(lines: Iterable[tuple[int, bytes | str]], source: str) -> Iterator[tuple[str, Any]]:
    for number, line in lines:
        try:
            yield f"line {number}", orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"not JSON ({exc})", source=source, location=f"line {number}") from exc


def load_records(records: Iterable[tuple[str, Any]], source: str, codes: Codes) -> Records:
    """Parsed FtM entities with where each was read (``line 3``, ``record 3``)."""
    from followthemoney import model

    out = Records()
    directorships: list[tuple[str, str, str]] = []
    for where, data in records:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            raise InputError("not an FtM entity (no id)", source=source, location=where)
        schema = model.get(str(data.get("schema")))
        if schema is None:
            raise InputError(
                f"unknown FtM schema {data.get('schema')!r}", source=source, location=where
            )
        props = data.get("properties", {})
        if not isinstance(props, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()
        ):
            raise InputError(
                "properties must map names to lists of strings", source=source, location=where
            )
        at = f"{source}, {where}"
        if schema.is_a("Directorship"):
            director, org = _first(props, "director"), _first(props, "organization")
            if director and org:
                directorships.append((director, org, at))
            else:
                out.findings.append(
                    Finding(
                        "incomplete_directorship",
                        "Directorship without both ends; skipped",
                        data["id"],
                        at,
                    )
                )
        elif schema.is_a("LegalEntity"):
            company = _company(data, schema.name, props, at, codes, out.findings)
            target = out.persons if schema.is_a("Person") else out.companies
            if data["id"] in target:
                out.findings.append(
                    Finding("duplicate_id", "entity id repeated; last one kept", data["id"], at)
                )
            target[data["id"]] = company
    for director, org, at in directorships:
        organization = out.companies.get(org)
        if organization is None:
            out.findings.append(
                Finding(
                    "unknown_organization", f"Directorship names {org!r}, not in the file", None, at
                )
            )
            continue
        organization.directors.append(director)
    return out


def _first(props: dict[str, list[str]], key: str) -> str | None:
    values = props.get(key) or []
    return values[0].strip() or None if values else None


def _company(
    data: dict[str, Any],
    schema: str,
    props: dict[str, list[str]],
    at: str,
    codes: Codes,
    findings: list[Finding],
) -> Company:
    eid = data["id"]

    def finding(code: str, message: str) -> None:
        findings.append(Finding(code, message, eid, at))

    countries = []
    for raw in props.get("country", []) + props.get("jurisdiction", []):
        code = _country(raw)
        if code is None:
            finding("unknown_country", f"unknown country {raw!r}; ignored")
        elif code not in countries:
            countries.append(code)
    incorporated = None
    for raw in props.get("incorporationDate", [])[:1]:
        try:
            incorporated = date.fromisoformat(raw.strip()[:10])
        except ValueError:
            finding("bad_date", f"incorporationDate {raw!r} is not a date (YYYY-MM-DD); ignored")
    company = Company(
        id=eid,
        name=(props.get("name") or [eid])[0],
        schema=schema,
        where=at,
        countries=tuple(countries),
        incorporated=incorporated,
        addresses=tuple(props.get("address", [])),
        emails=tuple(e.strip().lower() for e in props.get("email", [])),
        websites=tuple(props.get("website", [])),
        listed=LISTED_TOPIC in props.get("topics", []),
    )
    trade = data.get("trade")
    if trade is not None:
        _trade(company, trade, codes, finding)
    return company


def _trade(company: Company, trade: Any, codes: Codes, finding: Any) -> None:
    if not isinstance(trade, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in trade.values()
    ):
        finding("bad_trade", "trade must map names to lists of strings; ignored")
        return
    for key in sorted(set(trade) - TRADE_KEYS):
        finding("unknown_trade_field", f"trade.{key} is not a known field; ignored")
    hs6 = []
    for raw in trade.get("hs6", []):
        code = raw.replace(".", "").strip()
        if code in codes.hs6:
            hs6.append(code)
        else:
            finding("unknown_hs_code", f"trade.hs6 {raw!r} is not an HS 2022 subheading; ignored")
    company.hs6 = tuple(dict.fromkeys(hs6))
    if "business_hs_chapters" in trade:
        chapters = []
        for raw in trade["business_hs_chapters"]:
            code = raw.strip().zfill(2)
            if len(code) == 2 and code.isdigit() and 1 <= int(code) <= 97:
                chapters.append(code)
            else:
                finding(
                    "bad_hs_chapter",
                    f"trade.business_hs_chapters {raw!r} is not an HS chapter (01-97); ignored",
                )
        company.business_chapters = tuple(chapters)
    paid = []
    for raw in trade.get("payment_countries", []):
        code = _country(raw)
        if code is None:
            finding("unknown_country", f"trade.payment_countries {raw!r} is unknown; ignored")
        else:
            paid.append(code)
    company.payment_countries = tuple(dict.fromkeys(paid))


@load_once
def _known() -> frozenset[str]:
    return frozenset(all_countries())


def _country(raw: str) -> str | None:
    text = raw.strip()
    if len(text) == 2:
        return text.lower() if text.lower() in _known() else None
    return normalize_country(text)
