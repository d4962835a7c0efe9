"""The UN Security Council Consolidated List, XML (schema ``sc-sanctions.xsd``).

``<CONSOLIDATED_LIST dateGenerated=...>`` holds ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY``. The entry id is the UN reference number (``CDi.001``); the internal
``DATAID`` is kept as an extra. Alias quality ``Low`` is a weak alias, ``Good`` a strong
one; entity aliases say ``a.k.a.`` or ``f.k.a.`` (a former name).
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from dualuse.model.party import NameKind, Party, PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    clean,
    gender,
    iso_date,
    parse_date,
)
from dualuse.screening.lists.xml import parse_xml, text, texts, where

ALIAS_KINDS = {
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "low": NameKind.WEAK_ALIAS,
    "f.k.a.": NameKind.PREVIOUS_NAME,
}
DOCUMENT_SCHEMES = {"passport": "passport", "national identification number": "national_id"}


def parse_un(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, data),) = files.items()
    ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    root = parse_xml(data, name)
    if root.tag != "CONSOLIDATED_LIST":
        raise ctx.error(f"not a UN consolidated list (root element <{root.tag}>)", where(root))
    published = parse_date(root.get("dateGenerated"))
    parties = []
    seen: set[str] = set()
    for element in root.iterfind("INDIVIDUALS/INDIVIDUAL"):
        parties.append(_entry(element, PartyType.PERSON, ctx, seen))
    for element in root.iterfind("ENTITIES/ENTITY"):
        parties.append(_entry(element, PartyType.ORGANIZATION, ctx, seen))
    return Parsed(tuple(parties), published)


def _entry(element: etree._Element, kind: PartyType, ctx: ParseContext, seen: set[str]) -> Party:
    entry = text(element, "REFERENCE_NUMBER") or text(element, "DATAID")
    if not entry:
        raise ctx.error("entry without REFERENCE_NUMBER or DATAID", where(element))
    if entry in seen:
        raise ctx.error(f"reference number {entry} appears twice", where(element))
    seen.add(entry)
    builder = PartyBuilder(entry, kind)
    parts = [
        text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    ]
    builder.name(" ".join(p for p in parts if p))
    builder.name(text(element, "NAME_ORIGINAL_SCRIPT"))
    builder.add_extra("dataid", text(element, "DATAID"))
    builder.programs.extend(texts(element, "UN_LIST_TYPE"))
    builder.listed_on = parse_date(text(element, "LISTED_ON"), order="ymd")
    builder.gender = gender(text(element, "GENDER"))
    builder.title = "; ".join(texts(element, "TITLE/VALUE")) or None
    for position in texts(element, "DESIGNATION/VALUE"):
        builder.add_extra("position", position)
    builder.remarks.append(clean(text(element, "COMMENTS1")) or "")
    for value in texts(element, "NATIONALITY/VALUE"):
        builder.nationality(value)
    for alias in list(element.iterfind("INDIVIDUAL_ALIAS")) + list(
        element.iterfind("ENTITY_ALIAS")
    ):
        quality = (text(alias, "QUALITY") or "good").lower()
        builder.name(text(alias, "ALIAS_NAME"), ALIAS_KINDS.get(quality, NameKind.ALIAS))
    for address in list(element.iterfind("INDIVIDUAL_ADDRESS")) + list(
        element.iterfind("ENTITY_ADDRESS")
    ):
        fields = [
            text(address, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
        ]
        builder.address(", ".join(f for f in fields if f), text(address, "COUNTRY"))
    for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        _birth_date(builder, dob)
    for pob in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        fields = [text(pob, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        builder.birth_places.append(", ".join(f for f in fields if f))
    for document in element.iterfind("INDIVIDUAL_DOCUMENT"):
        label = text(document, "TYPE_OF_DOCUMENT") or text(document, "TYPE_OF_DOCUMENT2")
        lower = (label or "").lower()
        scheme = DOCUMENT_SCHEMES.get(lower.strip(), "other")
        if any(word in lower for word in ("passport", "passeport", "pasaporte")):
            scheme = "passport"
        country = text(document, "ISSUING_COUNTRY") or text(document, "COUNTRY_OF_ISSUE")
        builder.identifier(scheme, text(document, "NUMBER"), country, label)
    return builder.build(ctx, where(element))


def _birth_date(builder: PartyBuilder, dob: etree._Element) -> None:
    if exact := text(dob, "DATE"):
        builder.birth_date(exact)
    if year := text(dob, "YEAR"):
        builder.birth_dates.append(iso_date(year) or "")
    start, end = text(dob, "FROM_YEAR"), text(dob, "TO_YEAR")
    if start and end and start.isdigit() and end.isdigit() and 0 <= int(end) - int(start) <= 10:
        builder.birth_dates.extend(str(y) for y in range(int(start), int(end) + 1))
