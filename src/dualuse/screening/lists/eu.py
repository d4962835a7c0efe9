"""The EU Financial Sanctions Files consolidated list, XML (``xmlFullSanctionsList_1_1``).

Written from the Commission's published format; no copy was available when it was
built, so it is tested on small files that follow the format ("untested against a live
file").

``<export generationDate=...>`` holds one ``<sanctionEntity logicalId euReferenceNumber
unitedNationId>`` per subject, with ``subjectType/@code`` (``person`` or ``enterprise``),
``nameAlias`` (``wholeName``, ``firstName``, ``lastName``, ``gender``, ``function``,
``nameLanguage``; ``strong="false"`` marks a weak alias), ``regulation/@programme``,
``citizenship``, ``birthdate``, ``identification`` and ``address``, each stating its
country as ``countryIso2Code``. The entry id is the ``logicalId``.
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
from dualuse.screening.lists.xml import parse_xml, where

SUBJECT_TYPES = {"person": PartyType.PERSON, "enterprise": PartyType.ORGANIZATION}
ID_SCHEMES = {
    "passport": "passport",
    "id": "national_id",
    "ssn": "national_id",
    "regnumber": "registration",
    "fiscalcode": "tax",
    "tin": "tax",
    "swiftbic": "swift",
    "imo": "imo",
}


def parse_eu(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, data),) = files.items()
    ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    root = parse_xml(data, name)
    if root.tag != "export":
        raise ctx.error(f"not an EU FSF export (root element <{root.tag}>)", where(root))
    published = parse_date(root.get("generationDate"))
    parties: list[Party] = []
    seen: set[str] = set()
    for entity in root.iterfind("sanctionEntity"):
        entry = clean(entity.get("logicalId"))
        if not entry:
            raise ctx.error("sanctionEntity without logicalId", where(entity))
        if entry in seen:
            raise ctx.error(f"logicalId {entry} appears twice", where(entity))
        seen.add(entry)
        parties.append(_entity(entity, entry, ctx))
    return Parsed(tuple(parties), published)


def _country(element: etree._Element) -> str | None:
    return clean(element.get("countryIso2Code")) or clean(element.get("countryDescription"))


def _entity(entity: etree._Element, entry: str, ctx: ParseContext) -> Party:
    subject = entity.find("subjectType")
    code = (subject.get("code") if subject is not None else "") or ""
    builder = PartyBuilder(entry, SUBJECT_TYPES.get(code.lower(), PartyType.UNKNOWN))
    builder.add_extra("eu_reference_number", entity.get("euReferenceNumber"))
    builder.add_extra("un_reference_number", entity.get("unitedNationId"))
    builder.remarks.append(clean(entity.findtext("remark")) or "")
    builder.listed_on = parse_date(entity.get("designationDate"))
    dates = []
    for regulation in entity.iterfind("regulation"):
        builder.programs.append(clean(regulation.get("programme")) or "")
        dates.append(parse_date(regulation.get("publicationDate")) or "")
    if builder.listed_on is None and any(dates):
        builder.listed_on = min(d for d in dates if d)
    for number, alias in enumerate(entity.iterfind("nameAlias")):
        whole = clean(alias.get("wholeName"))
        if not whole:
            parts = [alias.get(a) for a in ("firstName", "middleName", "lastName")]
            whole = " ".join(p for raw in parts if (p := clean(raw)))
        if alias.get("strong") == "false":
            kind = NameKind.WEAK_ALIAS
        else:
            kind = NameKind.NAME if number == 0 else NameKind.ALIAS
        builder.name(whole, kind, clean(alias.get("nameLanguage")))
        builder.gender = builder.gender or gender(alias.get("gender"))
        builder.title = builder.title or clean(alias.get("title"))
        builder.add_extra("position", alias.get("function"))
    for citizenship in entity.iterfind("citizenship"):
        builder.nationality(_country(citizenship))
    for birth in entity.iterfind("birthdate"):
        exact = parse_date(birth.get("birthdate"))
        partial = iso_date(birth.get("year"), birth.get("monthOfYear"), birth.get("dayOfMonth"))
        builder.birth_dates.append(exact or partial or "")
        place = [birth.get(a) for a in ("city", "place", "region", "countryDescription")]
        builder.birth_places.append(", ".join(p for raw in place if (p := clean(raw))))
    for ident in entity.iterfind("identification"):
        type_code = (ident.get("identificationTypeCode") or "").lower()
        label = clean(ident.get("identificationTypeDescription")) or type_code or None
        builder.identifier(
            ID_SCHEMES.get(type_code, "other"),
            ident.get("number") or ident.get("latinNumber"),
            _country(ident),
            label,
        )
    for address in entity.iterfind("address"):
        attrs = ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")
        full = ", ".join(p for raw in (address.get(a) for a in attrs) if (p := clean(raw)))
        builder.address(full, _country(address))
    return builder.build(ctx, where(entity))
