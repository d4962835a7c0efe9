"""Shipment records (bills of lading or customs declarations) as JSON lines, and the
company registry beside them (FtM ``Company`` JSON lines, as ``dualuse shell`` reads).

A shipment: ``id``, ``date`` (YYYY-MM-DD), ``shipper``, ``consignee``, ``notify_party``
(optional), ``hs6``, ``value_usd``, ``port_of_loading``, ``port_of_discharge``. A line
that is not JSON stops the load with file and line; a record with a missing or bad field
is skipped with a finding naming the line and the field; a code that is not an HS 2022
subheading, or a party missing from the registry, is a finding and the record is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dualuse.diversion.shell.codes import Codes
from dualuse.diversion.shell.records import Finding, Records

MAX_VALUE_USD = 1e12
"""A shipment worth more than a trillion dollars is a data error, and sums stay finite."""
MAX_FINDINGS_PER_CODE = 200
"""Findings of one kind kept in full; beyond that they are counted."""


@dataclass(frozen=True, slots=True)
class Shipment:
    id: str
    day: date
    shipper: str
    consignee: str
    notify: str | None
    hs6: str
    value: float
    chpl: bool


@dataclass(slots=True)
class Shipments:
    records: list[Shipment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: int = 0
    finding_counts: dict[str, int] = field(default_factory=dict)

    def add_finding(self, finding: Finding) -> None:
        n = self.finding_counts.get(finding.code, 0) + 1
        self.finding_counts[finding.code] = n
        if n <= MAX_FINDINGS_PER_CODE:
            self.findings.append(finding)


def _text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def load_shipments(
    records: Iterable[tuple[str, Any]], source: str, codes: Codes, registry: Records | None = None
) -> Shipments:
    out = Shipments()
    unknown_parties: set[str] = set()
    for where, raw in records:
        at = f"{source}, {where}"

        def bad(field_name: str, message: str, rid: str | None = None, at: str = at) -> None:
            out.skipped += 1
            out.add_finding(Finding("bad_shipment", f"{field_name}: {message}; skipped", rid, at))

        if not isinstance(raw, dict):
            bad("record", "not a JSON object")
            continue
        rid = _text(raw, "id")
        shipper, consignee = _text(raw, "shipper"), _text(raw, "consignee")
        hs6 = (_text(raw, "hs6") or "").replace(".", "")
        if rid is None:
            bad("id", "missing")
            continue
        if shipper is None or consignee is None:
            bad("shipper" if shipper is None else "consignee", "missing", rid)
            continue
        if shipper == consignee:
            bad("consignee", "same as the shipper", rid)
            continue
        try:
            day = date.fromisoformat(str(raw.get("date")))
        except ValueError:
            bad("date", f"{raw.get('date')!r} is not a date (YYYY-MM-DD)", rid)
            continue
        value = raw.get("value_usd")
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            bad("value_usd", f"{value!r} is not a non-negative number", rid)
            continue
        if not value <= MAX_VALUE_USD:  # also refuses infinity, which JSON parsers accept
            bad("value_usd", f"{value!r} is above {MAX_VALUE_USD:.0e} USD", rid)
            continue
        if len(hs6) != 6 or not hs6.isdigit():
            bad("hs6", f"{raw.get('hs6')!r} is not a 6-digit HS code", rid)
            continue
        if hs6 not in codes.hs6:
            out.add_finding(
                Finding("unknown_hs_code", f"hs6 {hs6} is not an HS 2022 subheading", rid, at)
            )
        notify = _text(raw, "notify_party")
        if registry is not None:
            for party in (shipper, consignee, notify):
                if party and party not in registry.companies and party not in unknown_parties:
                    unknown_parties.add(party)
                    out.add_finding(
                        Finding(
                            "unknown_party",
                            f"{party} is not in the company registry "
                            "(country, dates and listing unknown)",
                            party,
                            at,
                        )
                    )
        out.records.append(
            Shipment(rid, day, shipper, consignee, notify, hs6, float(value), hs6 in codes.chpl)
        )
    return out
