"""Parties on restricted-party lists, with the provenance of every value.

A :class:`Party` is one entry of one list version: it is never merged across lists, so
each of its values carries the entry's :class:`Provenance` (list, list version, source
URL, entry id, first and last seen). Property names follow FollowTheMoney (``name``,
``alias``, ``weakAlias``, ``previousName``, ``birthDate``, ``nationality``...), which
keeps FtM JSON import and export lossless for what the lists say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PartyType(StrEnum):
    """What kind of party an entry is; maps onto a FollowTheMoney schema."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"

    @property
    def ftm_schema(self) -> str:
        return {
            PartyType.PERSON: "Person",
            PartyType.ORGANIZATION: "Organization",
            PartyType.VESSEL: "Vessel",
            PartyType.AIRCRAFT: "Airplane",
            PartyType.UNKNOWN: "LegalEntity",
        }[self]


class NameKind(StrEnum):
    """How strongly a list asserts a name (FtM property names)."""

    NAME = "name"
    """The primary listed name."""
    ALIAS = "alias"
    """A strong a.k.a. / f.k.a. / n.k.a."""
    WEAK_ALIAS = "weakAlias"
    """OFAC's 'weak a.k.a.': too broad to screen on by itself (OFAC FAQ 91)."""
    PREVIOUS_NAME = "previousName"


@dataclass(frozen=True, slots=True)
class PartyName:
    value: str
    kind: NameKind = NameKind.NAME
    lang: str | None = None
    """ISO 639 language or script hint from the list, when the list gives one."""


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier as the list states it (passport, registration, IMO, LEI...)."""

    scheme: str
    """Normalised kind: ``passport``, ``national_id``, ``registration``, ``tax``, ``imo``,
    ``lei``, ``swift``, ``mmsi``, ``aircraft_serial``, ``other``..."""
    value: str
    country: str | None = None
    """ISO 3166-1 alpha-2, lower case, where the list names an issuing country."""
    label: str | None = None
    """The list's own wording of the scheme (e.g. ``Passport``, ``Tax ID No.``)."""


@dataclass(frozen=True, slots=True)
class Address:
    full: str
    country: str | None = None
    """ISO 3166-1 alpha-2, lower case."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a party and all its values come from."""

    list_id: str
    """Stable id of the list, e.g. ``us_ofac_sdn``, ``us_csl``, ``un_sc``."""
    list_version: str
    """Publication date of the list version (ISO date) or the publisher's version label."""
    source_url: str
    """Where that version was (or is officially) published."""
    entry_id: str
    """The entry's own id in that list (OFAC ent_num, UN reference number, CSL id...)."""
    first_seen: str | None = None
    """Earliest list version in the store that carried this entry."""
    last_seen: str | None = None
    """Latest list version in the store that carried this entry."""


@dataclass(frozen=True, slots=True)
class Party:
    """One entry of one list version."""

    id: str
    """Unique across lists: ``<list_id>:<entry_id>``."""
    type: PartyType
    names: tuple[PartyName, ...]
    provenance: Provenance
    birth_dates: tuple[str, ...] = ()
    """ISO 8601, possibly partial (``1962``, ``1962-05``, ``1962-05-17``)."""
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2, lower case (nationality or citizenship)."""
    countries: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2, lower case (addresses, jurisdiction, flag)."""
    identifiers: tuple[Identifier, ...] = ()
    addresses: tuple[Address, ...] = ()
    programs: tuple[str, ...] = ()
    """Sanctions programmes or list sections as the list names them (``SDGT``)."""
    listed_on: str | None = None
    """Date the entry was listed, when the list says (ISO date)."""
    sublist: str | None = None
    """For consolidated lists, the constituent list (e.g. ``Entity List (EL)`` in the CSL)."""
    gender: str | None = None
    title: str | None = None
    remarks: str | None = None
    license_requirement: str | None = None
    """Entity List: the licence requirement for this party (15 CFR 744, Supp. 4)."""
    license_policy: str | None = None
    """Entity List: the licence review policy for this party."""
    extra: tuple[tuple[str, str], ...] = field(default=())
    """Further list fields kept verbatim (federal register notice, vessel flag...)."""

    @property
    def caption(self) -> str:
        for name in self.names:
            if name.kind is NameKind.NAME:
                return name.value
        return self.names[0].value if self.names else self.id

    @property
    def countries_all(self) -> frozenset[str]:
        return frozenset(self.nationalities) | frozenset(self.countries)


@dataclass(frozen=True, slots=True)
class ListVersion:
    """A parsed, validated version of one list, ready to be staged."""

    list_id: str
    version: str
    source_url: str
    title: str
    publisher: str
    parties: tuple[Party, ...]
    retrieved_at: str | None = None
    sha256: str | None = None
    """Digest of the publisher's file(s) this version was parsed from."""
    files: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    """What the loader skipped or could not read (a repeated header, orphan rows...)."""
