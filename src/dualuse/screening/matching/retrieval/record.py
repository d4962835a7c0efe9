"""What the scorer needs to know about a listed party, in a compact form.

A :class:`PartyRecord` is built from a :class:`dualuse.model.party.Party` when the
index is built and stored in the index, so screening never needs the full list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from dualuse.model.party import NameKind, Party, PartyType
from dualuse.reference.names import NameType

_ID_KEEP = str.maketrans("", "", " -./:_")


def normalize_identifier(value: str) -> str:
    """Identifier value compared without separators, case or a leading scheme word
    (AB-123.4 = ab1234; "IMO 9187629" = 9187629)."""
    text = value.upper().translate(_ID_KEEP)
    for prefix in ("IMO", "MMSI", "LEI"):
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            return text[len(prefix) :]
    return text


STRONG_ID_SCHEMES = frozenset({"imo", "lei", "mmsi", "swift", "bic", "aircraft_serial"})
"""Schemes that identify one party globally: a mismatch is evidence against."""


def name_type_of(party_type: PartyType | None) -> NameType:
    if party_type is PartyType.PERSON:
        return NameType.PERSON
    if party_type is PartyType.ORGANIZATION:
        return NameType.ORGANIZATION
    if party_type in {PartyType.VESSEL, PartyType.AIRCRAFT}:
        return NameType.OBJECT
    return NameType.UNKNOWN


class PartyRecord(NamedTuple):
    """The scoring-relevant values of one listed party, plus what a result shows.

    A named tuple: a record is decoded for every new candidate a query meets, and a
    frozen dataclass of eighteen fields took longer to construct than the JSON
    took to parse."""

    party_id: str
    type: PartyType
    list_id: str
    list_version: str
    entry_id: str
    caption: str
    names: tuple[tuple[str, NameKind], ...]
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str, str], ...] = ()
    """(scheme, normalised value, value as listed)."""
    programs: tuple[str, ...] = ()
    listed_on: str | None = None
    sublist: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    source_url: str | None = None
    gender: str | None = None
    facts_from: str | None = None
    """The party id whose dates of birth and countries this record borrowed: the
    same listing published in a fuller list (see :mod:`..linking`)."""

    @classmethod
    def from_party(cls, party: Party) -> PartyRecord:
        names: list[tuple[str, NameKind]] = []
        seen: set[tuple[str, NameKind]] = set()
        for name in party.names:
            key = (name.value.strip(), name.kind)
            if key[0] and key not in seen:
                seen.add(key)
                names.append(key)
        return cls(
            party_id=party.id,
            type=party.type,
            list_id=party.provenance.list_id,
            list_version=party.provenance.list_version,
            entry_id=party.provenance.entry_id,
            caption=party.caption,
            names=tuple(names),
            birth_dates=tuple(party.birth_dates),
            countries=tuple(sorted(c.lower() for c in party.countries_all)),
            identifiers=tuple(
                (i.scheme.lower(), normalize_identifier(i.value), i.value)
                for i in party.identifiers
                if normalize_identifier(i.value)
            ),
            programs=tuple(party.programs),
            listed_on=party.listed_on,
            sublist=party.sublist,
            license_requirement=party.license_requirement,
            license_policy=party.license_policy,
            source_url=party.provenance.source_url,
            gender=party.gender,
        )

    def to_row(self) -> list[object]:
        """The record as a JSON list, its fields in declaration order (the index
        stores one per party; :meth:`from_row` reads it back)."""
        return [
            self.party_id,
            self.type.value,
            self.list_id,
            self.list_version,
            self.entry_id,
            self.caption,
            [[n, k.value] for n, k in self.names],
            list(self.birth_dates),
            list(self.countries),
            [list(i) for i in self.identifiers],
            list(self.programs),
            *self[_OPTIONAL:],
        ]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> PartyRecord:
        """The record :meth:`to_row` wrote (``Any``: JSON values, in the layout the
        index format's version fixes)."""
        (pid, type_, list_id, version, entry, caption, names, births, countries, ids, programs) = (
            row[:_OPTIONAL]
        )
        return cls(
            pid,
            _PARTY_TYPES[type_],
            list_id,
            version,
            entry,
            caption,
            tuple([(n, _NAME_KINDS[k]) for n, k in names]),
            tuple(births),
            tuple(countries),
            tuple([tuple(i) for i in ids]),
            tuple(programs),
            *row[_OPTIONAL:],
        )


_OPTIONAL = PartyRecord._fields.index("listed_on")
"""Fields from here on are strings or None, stored as they are."""
# enum members by value: a record is decoded for every new candidate, and calling
# an enum class to look a value up costs a Python-level call per name
_PARTY_TYPES: dict[str, PartyType] = {t.value: t for t in PartyType}
_NAME_KINDS: dict[str, NameKind] = {k.value: k for k in NameKind}
