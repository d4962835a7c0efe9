"""Listings of one real-world party across lists, grouped when the index is built.

The same party is published several times: OFAC's SDN entry, its copy in the US
Consolidated Screening List (CSL ``SDN-35096`` is SDN entry 35096), and, for a party
on an OFAC non-SDN programme too, the OFAC consolidated list under the same entity
number (OFAC numbers its SDN and non-SDN entries in one series: CSL ``SSI-17022`` and
``SDN-17022`` are one company). As FollowTheMoney merges statements about one entity
from many sources under one canonical id, listings are grouped here on what
identifies a party without judgement:

* the OFAC entity number, as the OFAC lists publish it and as the CSL refers to it
  (source references; :func:`.linking.ofac_number`);
* a global identifier of the party itself (IMO number, LEI), between listings of
  the same party type (a company's IMO number never joins a vessel).

Names alone never group listings (two "Rosneft Trading" entries may be two
companies): that would be a judgement, and a reviewer's. Each group's id is the
party id of its *representative*: the listing on the publishing list (SDN first,
then OFAC's consolidated list), else the first listing. Grouping happens once at
build time (an array of representatives in the index); screening only looks up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dualuse.model.screening import EntityResult, Listing, MatchResult
from dualuse.screening.matching.linking import ofac_number
from dualuse.screening.matching.retrieval.record import PartyRecord

if TYPE_CHECKING:
    from dualuse.screening.matching.retrieval.index import Index
    from dualuse.screening.matching.workspace import Workspace

__all__ = ["SAME_PARTY_SCHEMES", "entity_results", "group_records"]

SAME_PARTY_SCHEMES = frozenset({"imo", "lei"})
"""Identifier schemes that name one party worldwide (IMO: a ship or a shipping
company, for life; LEI: one legal entity). Passports, tax and registration numbers
are national, MMSI numbers are reassigned: they do not group."""

_PUBLISHER_RANK = {"us_ofac_sdn": 0, "us_ofac_cons": 1}
"""Which listing represents a group: the list that publishes the entry first."""


def _keys(record: PartyRecord) -> list[str]:
    """What identifies the party of a listing (see the module docstring)."""
    keys = []
    number = ofac_number(record)
    if number is not None:
        keys.append(f"ofac:{number}")
    for scheme, value, _raw in record.identifiers:
        if scheme in SAME_PARTY_SCHEMES:
            keys.append(f"{scheme}:{record.type.value}:{value}")
    return keys


def group_records(records: Sequence[PartyRecord]) -> list[int]:
    """For each record, the position of its group's representative (itself when it
    stands alone). Records sharing a key are one group, transitively."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, record in enumerate(records):
        for key in _keys(record):
            j = first.setdefault(key, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(len(records)):
        members.setdefault(root(i), []).append(i)
    representative = list(range(len(records)))
    for group in members.values():
        best = min(group, key=lambda i: (_PUBLISHER_RANK.get(records[i].list_id, 2), i))
        for i in group:
            representative[i] = best
    return representative


def entity_results(
    index: Index, results: Sequence[tuple[int, MatchResult]], work: Workspace
) -> tuple[EntityResult, ...]:
    """Ranked results (index party, result; best first) grouped by entity, each
    entity in the place of its best result, with every listing of it in the index
    (a listing not among the results has no score)."""
    groups: dict[int, list[MatchResult]] = {}
    for party, result in results:
        groups.setdefault(index.entity_of(party), []).append(result)
    entities: list[EntityResult] = []
    for representative, found in groups.items():
        scores = {m.party_id: m.score for m in found}
        listings = []
        for member in index.entity_listings(representative):
            record = index.record(member, work)
            listings.append(
                Listing(
                    list_id=record.list_id,
                    entry_id=record.entry_id,
                    party_id=record.party_id,
                    name=record.caption,
                    programs=record.programs,
                    list_version=record.list_version,
                    sublist=record.sublist,
                    score=scores.get(record.party_id),
                )
            )
        best = found[0]
        entities.append(
            EntityResult(
                entity_id=index.record(representative, work).party_id,
                score=best.score,
                match=best.match,
                name=best.name,
                best=best.party_id,
                listings=tuple(listings),
            )
        )
    return tuple(entities)
