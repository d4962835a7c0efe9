"""OFAC's Advanced Sanctions List Standard XML (``SDN_ADVANCED.XML``, ``CONS_ADVANCED.XML``).

Written from OFAC's published schema and notes (``sdn_advanced_notes.pdf``); no live
copy was available, so it is tested on small files that follow the schema ("untested
against a live file").

The format is normalised: ``ReferenceValueSets`` are lookup tables (alias types,
countries, feature types, document types, party sub-types, sanctions programmes),
``Locations`` and ``IDRegDocuments`` are referenced by id, each ``DistinctParty`` (its
``FixedRef`` is the ent_num of the legacy CSV) has a ``Profile`` with ``Identity/Alias``
names (``LowQuality="true"`` marks a weak alias) and ``Feature`` facts (birth date,
nationality, gender, vessel details...), and ``SanctionsEntries`` give the programmes
and listing date per profile. The file is read incrementally, so a full SDN file does
not need its whole tree in memory.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from dualuse.errors import InputError
from dualuse.model.party import NameKind, PartyType
from dualuse.screening.lists.common import (
    ParseContext,
    Parsed,
    PartyBuilder,
    gender,
    iso_date,
)
from dualuse.screening.lists.ofac_remarks import add_labelled

ALIAS_KINDS = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.PREVIOUS_NAME, "n.k.a.": NameKind.ALIAS}
LAST_NAME_PARTS = {"last name", "maiden name"}
FEATURE_EXTRAS = {
    "vessel call sign": "call_sign",
    "vessel type": "vessel_type",
    "vessel tonnage": "tonnage",
    "vessel gross registered tonnage": "gross_registered_tonnage",
    "vessel owner": "vessel_owner",
    "vessel flag": "vessel_flag",
    "aircraft model": "aircraft_model",
    "aircraft operator": "aircraft_operator",
    "email address": "email",
    "website": "website",
    "phone number": "phone",
}


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.split("}", 1)[1] if text.startswith("{") else text


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if _local(c.tag) == name]


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element.iter(etree.Element) if _local(c.tag) == name]


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _ymd(element: etree._Element | None) -> str | None:
    """A partial ISO date from ``<Year>``, ``<Month>``, ``<Day>`` children."""
    if element is None:
        return None
    year, month, day = (_text(_child(element, t)) for t in ("Year", "Month", "Day"))
    return iso_date(year, month or 0, day or 0)


@dataclass(slots=True)
class _State:
    ctx: ParseContext
    refs: dict[str, dict[str, tuple[str, dict[str, str]]]] = field(default_factory=dict)
    locations: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    documents: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)
    """Identity documents by IdentityID (they may come before or after the parties)."""
    identity_to_party: dict[str, str] = field(default_factory=dict)
    builders: dict[str, PartyBuilder] = field(default_factory=dict)
    profile_to_party: dict[str, str] = field(default_factory=dict)
    published: str | None = None

    def ref(self, table: str, ref_id: str | None) -> str:
        entry = self.refs.get(table, {}).get(ref_id or "")
        return entry[0] if entry else ""

    def ref_attr(self, table: str, ref_id: str | None, attr: str) -> str | None:
        entry = self.refs.get(table, {}).get(ref_id or "")
        return entry[1].get(attr) if entry else None

    def country(self, country_id: str | None) -> str | None:
        iso = self.ref_attr("Country", country_id, "ISO2")
        return iso or self.ref("Country", country_id) or None


def parse_ofac_advanced(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, data),) = files.items()
    ctx = ParseContext(ctx.list_id, ctx.version, ctx.source_url, name)
    state = _State(ctx)
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        for event, element in events:
            tag = _local(element.tag)
            if event == "start":
                if depth == 0 and tag != "Sanctions":
                    raise ctx.error(f"not an OFAC advanced XML (root <{tag}>)", "line 1")
                depth += 1
                continue
            depth -= 1
            if _handle(state, tag, element):
                element.clear()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise InputError(
            f"broken XML ({exc.msg}); the file may be truncated or damaged",
            source=name,
            location=f"line {line}, column {column}",
        ) from exc
    if depth != 0:
        raise ctx.error("XML ends before the document is complete", "end of file")
    for identity, docs in state.documents.items():
        builder = state.builders.get(state.identity_to_party.get(identity, ""))
        if builder is not None:
            for label, number, country in docs:
                add_labelled(builder, label, number, country)
    parties = tuple(b.build(ctx, f"DistinctParty {ref}") for ref, b in state.builders.items())
    return Parsed(parties, state.published)


def _handle(state: _State, tag: str, element: etree._Element) -> bool:
    """Process one finished element; ``True`` when it can be freed."""
    if tag == "DateOfIssue":
        state.published = _ymd(element)
    elif tag == "ReferenceValueSets":
        for table in element:
            for value in table:
                values = state.refs.setdefault(_local(value.tag), {})
                attrs = {str(k): str(v) for k, v in value.attrib.items()}
                values[value.get("ID") or ""] = (_text(value), attrs)
    elif tag == "Location":
        _location(state, element)
    elif tag == "IDRegDocument":
        label = state.ref("IDRegDocType", element.get("IDRegDocTypeID"))
        number = _text(_child(element, "IDRegistrationNo"))
        country = state.country(element.get("IssuedBy-CountryID"))
        identity = element.get("IdentityID") or ""
        if number and label:
            state.documents.setdefault(identity, []).append((label, number, country))
    elif tag == "DistinctParty":
        _party(state, element)
    elif tag == "SanctionsEntry":
        _sanctions(state, element)
    else:
        return False
    return True


def _location(state: _State, element: etree._Element) -> None:
    values = [
        _text(v)
        for part in _children(element, "LocationPart")
        for pv in _children(part, "LocationPartValue")
        for v in _children(pv, "Value")
    ]
    country_el = _child(element, "LocationCountry")
    country = state.country(country_el.get("CountryID") if country_el is not None else None)
    name = state.ref("Country", country_el.get("CountryID")) if country_el is not None else ""
    full = ", ".join(v for v in [*values, name] if v)
    state.locations[element.get("ID") or ""] = (full, country)


def _party(state: _State, element: etree._Element) -> None:
    ref = element.get("FixedRef") or ""
    if not ref:
        raise state.ctx.error("DistinctParty without FixedRef", f"line {element.sourceline}")
    if ref in state.builders:
        raise state.ctx.error(f"DistinctParty {ref} appears twice", f"line {element.sourceline}")
    profile = _child(element, "Profile")
    if profile is None:
        raise state.ctx.error(f"DistinctParty {ref} has no Profile", f"line {element.sourceline}")
    subtype = state.ref("PartySubType", profile.get("PartySubTypeID")).lower()
    party_type_id = state.ref_attr("PartySubType", profile.get("PartySubTypeID"), "PartyTypeID")
    party_type = state.ref("PartyType", party_type_id).lower()
    kind = {"vessel": PartyType.VESSEL, "aircraft": PartyType.AIRCRAFT}.get(subtype) or {
        "individual": PartyType.PERSON,
        "entity": PartyType.ORGANIZATION,
    }.get(party_type, PartyType.UNKNOWN)
    builder = PartyBuilder(ref, kind)
    state.builders[ref] = builder
    state.profile_to_party[profile.get("ID") or ref] = ref
    for identity in _children(profile, "Identity"):
        state.identity_to_party[identity.get("ID") or ""] = ref
        groups = {
            g.get("ID") or "": state.ref("NamePartType", g.get("NamePartTypeID")).lower()
            for g in _descendants(identity, "NamePartGroup")
        }
        for alias in _children(identity, "Alias"):
            _alias(builder, state, alias, groups)
    for feature in _children(profile, "Feature"):
        _feature(builder, state, feature)


def _alias(
    builder: PartyBuilder, state: _State, alias: etree._Element, groups: dict[str, str]
) -> None:
    alias_type = state.ref("AliasType", alias.get("AliasTypeID")).lower()
    if alias.get("Primary") == "true":
        kind = NameKind.NAME
    elif alias.get("LowQuality") == "true":
        kind = NameKind.WEAK_ALIAS
    else:
        kind = ALIAS_KINDS.get(alias_type, NameKind.ALIAS)
    for documented in _children(alias, "DocumentedName"):
        last: list[str] = []
        rest: list[str] = []
        for value in _descendants(documented, "NamePartValue"):
            text = _text(value)
            if text:
                part_type = groups.get(value.get("NamePartGroupID") or "", "")
                (last if part_type in LAST_NAME_PARTS else rest).append(text)
        name = ", ".join(p for p in (" ".join(last), " ".join(rest)) if p)
        builder.name(name, kind)


def _feature(builder: PartyBuilder, state: _State, feature: etree._Element) -> None:
    feature_type = state.ref("FeatureType", feature.get("FeatureTypeID")).strip().lower()
    for version in _children(feature, "FeatureVersion"):
        detail = _child(version, "VersionDetail")
        text = _text(detail)
        if detail is not None and not text:
            text = state.ref("DetailReference", detail.get("DetailReferenceID"))
        location = _child(version, "VersionLocation")
        location_id = location.get("LocationID") if location is not None else None
        place, country = state.locations.get(location_id or "", ("", None))
        period = _child(version, "DatePeriod")
        if feature_type == "birthdate" and period is not None:
            builder.birth_dates.extend(_period_dates(period))
        elif feature_type == "place of birth":
            builder.birth_places.append(text or place)
        elif feature_type in {"nationality country", "citizenship country"}:
            builder.nationality(country or text)
        elif feature_type == "gender":
            builder.gender = gender(text)
        elif feature_type == "location":
            builder.address(place, country)
        elif feature_type == "title":
            builder.title = text or builder.title
        elif feature_type in FEATURE_EXTRAS:
            builder.add_extra(FEATURE_EXTRAS[feature_type], text or place)
            if feature_type == "vessel flag":
                builder.country(country or text)
        elif text or place:
            builder.add_extra(feature_type, text or place)


def _period_dates(period: etree._Element) -> list[str]:
    start = _child(period, "Start")
    end = _child(period, "End")
    first = _ymd(_child(start, "From")) if start is not None else None
    last = _ymd(_child(end, "To")) if end is not None else None
    if first and last and first != last:
        y1, y2 = int(first[:4]), int(last[:4])
        if first[4:] in {"", "-01-01"} and last[4:] in {"", "-12-31"} and 0 <= y2 - y1 <= 10:
            return [str(y) for y in range(y1, y2 + 1)]
        return [first, last]
    return [d for d in (first or last,) if d]


def _sanctions(state: _State, element: etree._Element) -> None:
    ref = state.profile_to_party.get(element.get("ProfileID") or "")
    builder = state.builders.get(ref or "")
    if builder is None:
        return
    builder.sublist = state.ref("List", element.get("ListID")) or builder.sublist
    for event in _children(element, "EntryEvent"):
        builder.listed_on = builder.listed_on or _ymd(_child(event, "Date"))
    for measure in _children(element, "SanctionsMeasure"):
        kind = state.ref("SanctionsType", measure.get("SanctionsTypeID")).lower()
        comment = _text(_child(measure, "Comment"))
        if kind == "program" and comment:
            builder.programs.append(comment)
