"""Listings published twice: the US Consolidated Screening List republishes OFAC's
SDN and non-SDN entries under OFAC's own entity number (CSL ``SDN-23214`` is SDN
entry 23214), but its bulk file here carries no dates of birth, nationalities or
identifiers. Where the OFAC file of the same entry is loaded too, the CSL record
borrows those facts, so that a date of birth or nationality can confirm or refute
a name match on either copy. The borrowed facts name their source
(:attr:`PartyRecord.facts_from`), and nothing else of the record changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dualuse.reference.names import normalize_name
from dualuse.screening.matching.retrieval.record import PartyRecord

_REPUBLISHED = re.compile(r"^(?P<source>[A-Z]+(?:-[A-Z]+)?)-(?P<number>\d+)$")
"""CSL entry ids that carry an OFAC entity number (``SDN-23214``, ``NS-MBS-29260``)."""

LINKS = {
    "us_csl": {"SDN": "us_ofac_sdn", "*": "us_ofac_cons"},
}
"""Republishing list -> CSL source code -> the list that publishes the entry
(``*``: any other OFAC source: SSI, PLC, CMIC, NS-MBS, CAP are OFAC non-SDN lists)."""

_OFAC_NON_SDN = {"SSI", "PLC", "CMIC", "NS-MBS", "CAP", "FSE", "NS-PLC"}


_OFAC_LISTS = frozenset({"us_ofac_sdn", "us_ofac_cons"})


def ofac_number(record: PartyRecord) -> str | None:
    """The OFAC entity number of a listing: its entry id on an OFAC list, or the
    number a republishing list (the CSL) cites for an OFAC source."""
    if record.list_id in _OFAC_LISTS:
        return record.entry_id if record.entry_id.isdigit() else None
    match = _REPUBLISHED.match(record.entry_id) if record.list_id in LINKS else None
    if match is None:
        return None
    code = match.group("source")
    return match.group("number") if code == "SDN" or code in _OFAC_NON_SDN else None


def _names(record: PartyRecord) -> set[str]:
    return {normalize_name(value) for value, _kind in record.names}


def link_records(records: Sequence[PartyRecord]) -> list[PartyRecord]:
    """``records`` with republished entries completed from their original list.

    A link needs the same entity number in the original list and one name in
    common (a renamed or re-numbered entry is left alone)."""
    by_list: dict[str, dict[str, int]] = {}
    for i, record in enumerate(records):
        by_list.setdefault(record.list_id, {})[record.entry_id] = i
    out = list(records)
    for i, record in enumerate(records):
        sources = LINKS.get(record.list_id)
        match = _REPUBLISHED.match(record.entry_id) if sources else None
        if sources is None or match is None:
            continue
        code = match.group("source")
        if code != "SDN" and code not in _OFAC_NON_SDN:
            continue
        original_list = sources.get(code, sources["*"])
        j = by_list.get(original_list, {}).get(match.group("number"))
        if j is None:
            continue
        original = records[j]
        if not original.birth_dates and not original.countries and not original.identifiers:
            continue
        if not _names(record) & _names(original):
            continue
        out[i] = record._replace(
            birth_dates=record.birth_dates or original.birth_dates,
            countries=tuple(sorted(set(record.countries) | set(original.countries))),
            identifiers=record.identifiers or original.identifiers,
            facts_from=original.party_id,
        )
    return out
