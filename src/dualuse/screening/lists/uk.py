"""The UK Sanctions List (FCDO), XML.

Written from the FCDO's published format; no copy was available when it was built, so
it is tested on small files that follow the format ("untested against a live file").

``<Designations>`` holds ``<DateGenerated>`` (``dd/mm/yyyy``) and one ``<Designation>``
per subject: ``UniqueID`` (the entry id, e.g. ``RUS0251``), ``Names/Name`` with
``Name1``-``Name5`` (forenames) and ``Name6`` (family name or whole name), ``NameType``
(``Primary Name``, ``Primary Name Variation``, ``Alias``) and ``AliasStrength``
(``Low quality`` marks a weak alias), ``NonLatinNames``, ``RegimeName``,
``IndividualEntityShip``, ``DateDesignated``, ``Addresses``, and ``IndividualDetails``,
``EntityDetails`` or ``ShipDetails``. Dates write unknown parts as ``dd``/``mm`` or ``00``.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from dualuse.model.party import NameKind, Party, PartyName, PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    clean,
    gender,
    parse_date,
)
from dualuse.screening.lists.xml import parse_xml, text, texts, where

TYPES = {"individual": PartyType.PERSON, "entity": PartyType.ORGANIZATION, "ship": PartyType.VESSEL}


def parse_uk(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, data),) = files.items()
    ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    root = parse_xml(data, name)
    if root.tag != "Designations":
        raise ctx.error(f"not a UK Sanctions List (root element <{root.tag}>)", where(root))
    published = parse_date(text(root, "DateGenerated"), order="dmy")
    parties: list[Party] = []
    seen: set[str] = set()
    for designation in root.iterfind("Designation"):
        entry = text(designation, "UniqueID")
        if not entry:
            raise ctx.error("Designation without UniqueID", where(designation))
        if entry in seen:
            raise ctx.error(f"UniqueID {entry} appears twice", where(designation))
        seen.add(entry)
        parties.append(_designation(designation, entry, ctx))
    return Parsed(tuple(parties), published)


def _name(element: etree._Element) -> str:
    parts = [text(element, f"Name{i}") for i in range(1, 7)]
    return " ".join(p for p in parts if p)


def _designation(designation: etree._Element, entry: str, ctx: ParseContext) -> Party:
    kind = TYPES.get((text(designation, "IndividualEntityShip") or "").lower(), PartyType.UNKNOWN)
    builder = PartyBuilder(entry, kind)
    primary_seen = False
    for name in designation.iterfind("Names/Name"):
        name_type = (text(name, "NameType") or "").lower()
        strength = (text(name, "AliasStrength") or "").lower()
        if name_type == "primary name" and not primary_seen:
            name_kind, primary_seen = NameKind.NAME, True
        elif strength.startswith("low"):
            name_kind = NameKind.WEAK_ALIAS
        else:
            name_kind = NameKind.ALIAS
        builder.name(_name(name), name_kind)
    for non_latin in designation.iterfind("NonLatinNames/NonLatinName"):
        language = text(non_latin, "NonLatinScriptLanguage")
        builder.name(text(non_latin, "NameNonLatinScript"), NameKind.ALIAS, language)
    if not primary_seen and builder.names:
        first = builder.names[0]
        builder.names[0] = PartyName(first.value, NameKind.NAME, first.lang)
    builder.programs.extend(texts(designation, "RegimeName"))
    builder.listed_on = parse_date(text(designation, "DateDesignated"), order="dmy")
    builder.add_extra("ofsi_group_id", text(designation, "OFSIGroupID"))
    builder.add_extra("un_reference_number", text(designation, "UNReferenceNumber"))
    builder.add_extra("sanctions_imposed", text(designation, "SanctionsImposed"))
    builder.add_extra("designation_source", text(designation, "DesignationSource"))
    builder.remarks.append(clean(text(designation, "OtherInformation")) or "")
    for address in designation.iterfind("Addresses/Address"):
        lines = [text(address, f"AddressLine{i}") for i in range(1, 7)]
        lines += [text(address, "AddressPostalCode"), text(address, "AddressCountry")]
        builder.address(", ".join(p for p in lines if p), text(address, "AddressCountry"))
    for email in texts(designation, "EmailAddresses/EmailAddress"):
        builder.add_extra("email", email)
    for phone in texts(designation, "PhoneNumbers/PhoneNumber"):
        builder.add_extra("phone", phone)
    for person in designation.iterfind("IndividualDetails/Individual"):
        _individual(builder, person)
    for entity in designation.iterfind("EntityDetails"):
        for number in texts(entity, "BusinessRegistrationNumbers/BusinessRegistrationNumber"):
            builder.identifier("registration", number, label="Business Registration Number")
        for entity_type in texts(entity, "TypeOfEntities/TypeOfEntity"):
            builder.add_extra("organization_type", entity_type)
    for ship in designation.iterfind("ShipDetails/Ship"):
        for imo in texts(ship, "IMONumbers/IMONumber"):
            builder.identifier("imo", imo, label="IMO number")
        for flag in texts(ship, "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"):
            builder.country(flag)
            builder.add_extra("vessel_flag", flag)
        for owner in texts(ship, "CurrentOwnerOperators/CurrentOwnerOperator"):
            builder.add_extra("vessel_owner", owner)
    return builder.build(ctx, where(designation))


def _individual(builder: PartyBuilder, person: etree._Element) -> None:
    for dob in texts(person, "DOBs/DOB"):
        builder.birth_dates.append(parse_date(dob, order="dmy") or "")
    for nationality in texts(person, "Nationalities/Nationality"):
        builder.nationality(nationality)
    for location in person.iterfind("BirthDetails/Location"):
        parts = [text(location, "TownOfBirth"), text(location, "CountryOfBirth")]
        builder.birth_places.append(", ".join(p for p in parts if p))
    for value in texts(person, "Genders/Gender"):
        builder.gender = gender(value) or builder.gender
    for passport in person.iterfind("PassportDetails/PassportDetail"):
        builder.identifier("passport", text(passport, "PassportNumber"), label="Passport")
    for national in person.iterfind("NationalIdentifierDetails/NationalIdentifierDetail"):
        number = text(national, "NationalIdentifierNumber")
        builder.identifier("national_id", number, label="National Identifier")
    for position in texts(person, "Positions/Position"):
        builder.add_extra("position", position)
