"""OFAC's classic XML (``sdn.xml`` and ``consolidated.xml``, schema ``sdn.xsd``).

Written from OFAC's published schema; no live copy was available when it was built, so
it is tested on small files that follow the schema ("untested against a live file").

``<sdnList>`` holds ``<publshInformation><Publish_Date>MM/DD/YYYY`` (sic) and one
``<sdnEntry>`` per party: ``uid``, ``lastName``, ``firstName``, ``sdnType``, ``title``,
``remarks``, ``programList/program``, ``akaList/aka`` (``type`` a.k.a./f.k.a./n.k.a.,
``category`` strong/weak), ``idList/id`` (``idType``, ``idNumber``, ``idCountry``),
``addressList/address``, ``nationalityList``, ``citizenshipList``, ``dateOfBirthList``,
``placeOfBirthList`` and ``vesselInfo``. Names are written ``LAST, First`` as in the
legacy CSV so both formats give the same parties.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from dualuse.model.party import NameKind, Party, PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    parse_date,
    parse_dates,
)
from dualuse.screening.lists.ofac_remarks import add_labelled, apply_remarks
from dualuse.screening.lists.xml import parse_xml, text, texts, where

TYPES = {
    "individual": PartyType.PERSON,
    "entity": PartyType.ORGANIZATION,
    "vessel": PartyType.VESSEL,
    "aircraft": PartyType.AIRCRAFT,
}
AKA_KINDS = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.PREVIOUS_NAME, "n.k.a.": NameKind.ALIAS}


def full_name(last: str | None, first: str | None) -> str:
    return ", ".join(p for p in (last, first) if p)


def parse_ofac_xml(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, data),) = files.items()
    ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    root = parse_xml(data, name)
    if root.tag != "sdnList":
        raise ctx.error(f"not an OFAC sdnList document (root element <{root.tag}>)", where(root))
    published = parse_date(text(root, "publshInformation/Publish_Date"), order="mdy")
    parties: list[Party] = []
    seen: set[str] = set()
    for entry in root.iterfind("sdnEntry"):
        uid = text(entry, "uid")
        if not uid or not uid.isdigit():
            raise ctx.error(f"sdnEntry without a numeric uid ({uid!r})", where(entry))
        if uid in seen:
            raise ctx.error(f"uid {uid} appears twice", where(entry))
        seen.add(uid)
        parties.append(_entry(entry, uid, ctx))
    return Parsed(tuple(parties), published)


def _entry(entry: etree._Element, uid: str, ctx: ParseContext) -> Party:
    kind = TYPES.get((text(entry, "sdnType") or "entity").lower(), PartyType.ORGANIZATION)
    builder = PartyBuilder(uid, kind)
    builder.name(full_name(text(entry, "lastName"), text(entry, "firstName")))
    builder.title = text(entry, "title")
    builder.programs.extend(texts(entry, "programList/program"))
    apply_remarks(builder, text(entry, "remarks"))
    for aka in entry.iterfind("akaList/aka"):
        aka_kind = AKA_KINDS.get((text(aka, "type") or "a.k.a.").lower(), NameKind.ALIAS)
        if (text(aka, "category") or "").lower() == "weak":
            aka_kind = NameKind.WEAK_ALIAS
        builder.name(full_name(text(aka, "lastName"), text(aka, "firstName")), aka_kind)
    for ident in entry.iterfind("idList/id"):
        label, number = text(ident, "idType"), text(ident, "idNumber")
        if label and number:
            add_labelled(builder, label, number, text(ident, "idCountry"))
    for address in entry.iterfind("addressList/address"):
        tags = (
            "address1",
            "address2",
            "address3",
            "city",
            "stateOrProvince",
            "postalCode",
            "country",
        )
        parts = [text(address, t) for t in tags]
        builder.address(", ".join(p for p in parts if p), text(address, "country"))
    for path in ("nationalityList/nationality/country", "citizenshipList/citizenship/country"):
        for country in texts(entry, path):
            builder.nationality(country)
    for dob in texts(entry, "dateOfBirthList/dateOfBirthItem/dateOfBirth"):
        builder.birth_dates.extend(parse_dates(dob))
    builder.birth_places.extend(texts(entry, "placeOfBirthList/placeOfBirthItem/placeOfBirth"))
    vessel = entry.find("vesselInfo")
    if vessel is not None:
        for tag, key in (
            ("callSign", "call_sign"),
            ("vesselType", "vessel_type"),
            ("vesselFlag", "vessel_flag"),
            ("vesselOwner", "vessel_owner"),
            ("tonnage", "tonnage"),
            ("grossRegisteredTonnage", "gross_registered_tonnage"),
        ):
            builder.add_extra(key, text(vessel, tag))
        builder.country(text(vessel, "vesselFlag"))
    return builder.build(ctx, where(entry))
