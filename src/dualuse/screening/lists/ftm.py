"""FollowTheMoney (FtM) JSON lines, the OpenSanctions format, in and out.

Out: each party becomes a main entity (``Person``, ``Organization``, ``Vessel``,
``Airplane`` or ``LegalEntity``) with its names, dates, countries, flat identifier
properties and ``notes``; an ``Address`` entity per address; an ``Identification`` (or
``Passport``) entity per identifier (``type`` = scheme, ``summary`` = the list's own
label); and a ``Sanction`` entity carrying the list's entry id (``authorityId``),
programmes, listing date, constituent list (``authority``) and, for the Entity List,
licence requirement (``provisions``) and policy (``summary``). Top-level ``datasets``,
``first_seen`` and ``last_seen`` follow OpenSanctions. Entities are built and validated
with the ``followthemoney`` library.

In: the same, or OpenSanctions exports. Thing schemas become parties; ``Sanction``,
``Identification``/``Passport`` and ``Address`` entities are joined to them; other
schemas (ownership, family...) are skipped and counted. What FtM cannot hold is not
round-tripped: ``extra`` fields, name languages and a non-person's title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from dualuse.errors import InputError
from dualuse.model.party import (
    Address,
    Identifier,
    NameKind,
    Party,
    PartyName,
    PartyType,
    Provenance,
)
from dualuse.once import load_once
from dualuse.reference.ids.imo import IMO
from dualuse.reference.ids.lei import LEI
from dualuse.screening.lists.common import ParseContext, Parsed, decode

SCHEMA_TYPES = {
    "Person": PartyType.PERSON,
    "Organization": PartyType.ORGANIZATION,
    "Company": PartyType.ORGANIZATION,
    "PublicBody": PartyType.ORGANIZATION,
    "Vessel": PartyType.VESSEL,
    "Airplane": PartyType.AIRCRAFT,
    "LegalEntity": PartyType.UNKNOWN,
}
FLAT_IDS = {
    "passport": "passportNumber",
    "national_id": "idNumber",
    "tax": "taxNumber",
    "registration": "registrationNumber",
    "imo": "imoNumber",
    "lei": "leiCode",
    "swift": "swiftBic",
    "mmsi": "mmsi",
    "aircraft_serial": "serialNumber",
}
_ID_CHARS = re.compile(r"[^0-9A-Za-z.-]+")


class _BadShape(ValueError):
    """A line whose JSON is not shaped like an FtM entity."""


@load_once
def _model() -> Any:
    """FollowTheMoney's model, imported on first use (it costs half a second to import)."""
    from followthemoney import model

    return model


def ftm_id(party: Party) -> str:
    """An FtM-valid id (letters, digits, ``.``, ``-``) for a party."""
    raw = f"{party.provenance.list_id}-{party.provenance.entry_id}"
    return _ID_CHARS.sub("-", raw).strip("-.")


def _put(entity: Any, prop: str, values: Iterable[str | None]) -> None:
    if entity.schema.get(prop) is None:
        return
    for value in values:
        if value:
            entity.add(prop, value, quiet=True)


def party_entities(party: Party) -> Iterator[dict[str, Any]]:
    """The FtM entities (as dicts) that express one party."""
    main = _model().make_entity(party.type.ftm_schema)
    main.id = ftm_id(party)
    for kind in NameKind:
        _put(main, kind.value, (n.value for n in party.names if n.kind is kind))
    _put(main, "birthDate", party.birth_dates)
    _put(main, "birthPlace", party.birth_places)
    nationality_prop = "nationality" if party.type is PartyType.PERSON else "jurisdiction"
    _put(main, nationality_prop, party.nationalities)
    _put(main, "country", party.countries)
    _put(main, "gender", [party.gender])
    _put(main, "title", [party.title])
    _put(main, "notes", [party.remarks])
    _put(main, "program", party.programs)
    _put(main, "sourceUrl", [party.provenance.source_url])
    _put(main, "topics", ["sanction"])
    for ident in party.identifiers:
        if ident.scheme in FLAT_IDS:
            _put(main, FLAT_IDS[ident.scheme], [ident.value])
    extra: list[dict[str, Any]] = []
    for number, address in enumerate(party.addresses):
        entity = _model().make_entity("Address")
        entity.id = f"{main.id}-addr-{number}"
        _put(entity, "full", [address.full])
        _put(entity, "country", [address.country])
        _put(main, "addressEntity", [entity.id])
        _put(main, "address", [address.full])
        extra.append(entity.to_dict())
    for number, ident in enumerate(party.identifiers):
        schema = "Passport" if ident.scheme == "passport" else "Identification"
        entity = _model().make_entity(schema)
        entity.id = f"{main.id}-id-{number}"
        _put(entity, "holder", [main.id])
        _put(entity, "number", [ident.value])
        _put(entity, "country", [ident.country])
        _put(entity, "type", [ident.scheme])
        _put(entity, "summary", [ident.label])
        extra.append(entity.to_dict())
    sanction = _model().make_entity("Sanction")
    sanction.id = f"{main.id}-sanction"
    _put(sanction, "entity", [main.id])
    _put(sanction, "authorityId", [party.provenance.entry_id])
    _put(sanction, "authority", [party.sublist])
    _put(sanction, "program", party.programs)
    _put(sanction, "listingDate", [party.listed_on])
    _put(sanction, "provisions", [party.license_requirement])
    _put(sanction, "summary", [party.license_policy])
    _put(sanction, "sourceUrl", [party.provenance.source_url])
    extra.append(sanction.to_dict())
    top = {"datasets": [party.provenance.list_id]}
    if party.provenance.first_seen:
        top["first_seen"] = party.provenance.first_seen  # type: ignore[assignment]
    if party.provenance.last_seen:
        top["last_seen"] = party.provenance.last_seen  # type: ignore[assignment]
    yield {**main.to_dict(), **top}
    for entity_dict in extra:
        yield {**entity_dict, "datasets": [party.provenance.list_id]}


def export_ftm(parties: Iterable[Party]) -> Iterator[bytes]:
    """One JSON line per entity, for ``yente``/``nomenklatura`` and other FtM tools."""
    for party in parties:
        for entity in party_entities(party):
            yield orjson.dumps(entity) + b"\n"


@dataclass(slots=True)
class _Pending:
    """Entities read so far, joined once the whole file is in."""

    main: dict[str, tuple[int, Any, dict[str, Any]]] = field(default_factory=dict)
    sanctions: dict[str, list[Any]] = field(default_factory=dict)
    identifications: dict[str, list[Any]] = field(default_factory=dict)
    addresses: dict[str, Any] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    datasets: Counter[str] = field(default_factory=Counter)


def _check_shape(data: Any) -> None:
    """The JSON shape of an FtM entity, checked before followthemoney reads it."""
    if not isinstance(data, dict):
        raise _BadShape("a JSON object per line is expected")
    if not isinstance(data.get("id"), str) or not isinstance(data.get("schema"), str):
        raise _BadShape("'id' and 'schema' must be strings")
    props = data.get("properties", {})
    if not isinstance(props, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
        for k, v in props.items()
    ):
        raise _BadShape("'properties' must map names to lists of strings")
    datasets = data.get("datasets", [])
    if not isinstance(datasets, list) or not all(isinstance(d, str) for d in datasets):
        raise _BadShape("'datasets' must be a list of strings")
    for key in ("first_seen", "last_seen"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise _BadShape(f"{key!r} must be a string")


def _read(text: str, source: str) -> _Pending:
    from followthemoney.exc import InvalidData

    pending = _Pending()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
            _check_shape(data)
            entity = _model().get_proxy(data, cleaned=False)
        except (orjson.JSONDecodeError, InvalidData, TypeError, ValueError) as exc:
            raise InputError(
                f"not an FtM entity ({exc})", source=source, location=f"line {number}"
            ) from exc
        if not entity.id:
            raise InputError("FtM entity without an id", source=source, location=f"line {number}")
        for dataset in data.get("datasets") or ():
            pending.datasets[str(dataset)] += 1
        schema = entity.schema.name
        if schema in SCHEMA_TYPES or any(entity.schema.is_a(s) for s in ("Person", "Organization")):
            if entity.id in pending.main:
                raise InputError(
                    f"entity {entity.id} appears twice", source=source, location=f"line {number}"
                )
            pending.main[entity.id] = (number, entity, data)
        elif entity.schema.is_a("Sanction"):
            for target in entity.get("entity"):
                pending.sanctions.setdefault(target, []).append(entity)
        elif entity.schema.is_a("Identification"):
            for holder in entity.get("holder"):
                pending.identifications.setdefault(holder, []).append(entity)
        elif entity.schema.is_a("Address"):
            pending.addresses[entity.id] = entity
        else:
            pending.skipped[schema] += 1
    return pending


def parse_ftm(files: Mapping[str, bytes], ctx: ParseContext) -> Parsed:
    ((name, content),) = files.items()
    pending = _read(decode(content, name), name)
    hint = None
    if len(pending.datasets) == 1:
        hint = next(iter(pending.datasets))
    parties = []
    seen: set[str] = set()
    for entity_id, (line, entity, data) in pending.main.items():
        party = _party(entity, data, pending, ctx)
        if party.provenance.entry_id in seen:
            raise InputError(
                f"entry id {party.provenance.entry_id} appears twice",
                source=name,
                location=f"line {line}",
            )
        seen.add(party.provenance.entry_id)
        if not party.names:
            raise InputError(
                f"entity {entity_id} has no name", source=name, location=f"line {line}"
            )
        parties.append(party)
    warnings = tuple(
        f"{name}: skipped {n} {schema} entities" for schema, n in pending.skipped.items()
    )
    return Parsed(
        tuple(parties),
        None,
        warnings,
        hint if hint and re.match(r"^[a-z][a-z0-9_]+$", hint) else None,
    )


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _party(entity: Any, data: dict[str, Any], pending: _Pending, ctx: ParseContext) -> Party:
    sanctions = pending.sanctions.get(entity.id, [])
    entry_id = next((v for s in sanctions for v in s.get("authorityId")), None) or entity.id
    names = [PartyName(v, kind) for kind in NameKind for v in entity.get(kind.value, quiet=True)]
    identifiers: dict[tuple[str, str, str | None], Identifier] = {}
    for ident in pending.identifications.get(entity.id, []):
        scheme = _first(ident.get("type")) or (
            "passport" if ident.schema.name == "Passport" else "other"
        )
        country = _first(ident.get("country"))
        for number in ident.get("number"):
            identifiers.setdefault(
                (scheme, number, country),
                Identifier(scheme, number, country, _first(ident.get("summary"))),
            )
    for scheme, prop in FLAT_IDS.items():
        for raw in entity.get(prop, quiet=True):
            value = {"imo": IMO.normalize, "lei": LEI.normalize}.get(scheme, str)(raw) or raw
            if not any(k[:2] == (scheme, value) for k in identifiers):
                identifiers[(scheme, value, None)] = Identifier(scheme, value)
    addresses: dict[str, Address] = {}
    for address_id in entity.get("addressEntity", quiet=True):
        address = pending.addresses.get(address_id)
        if address is not None:
            full = _first(address.get("full")) or ", ".join(address.get("country"))
            addresses[full] = Address(full, _first(address.get("country")))
    for full in entity.get("address", quiet=True):
        addresses.setdefault(full, Address(full))
    programs = list(entity.get("program", quiet=True))
    for sanction in sanctions:
        programs.extend(p for p in sanction.get("program") if p not in programs)
    nationality_prop = "nationality" if entity.schema.is_a("Person") else "jurisdiction"
    provenance = Provenance(
        ctx.list_id,
        ctx.version,
        _first(entity.get("sourceUrl", quiet=True)) or ctx.source_url,
        entry_id,
        first_seen=data.get("first_seen"),
        last_seen=data.get("last_seen"),
    )

    def sanction_value(prop: str) -> str | None:
        return next((str(v) for s in sanctions for v in s.get(prop)), None)

    return Party(
        id=f"{ctx.list_id}:{entry_id}",
        type=_party_type(entity),
        names=tuple(dict.fromkeys(names)),
        provenance=provenance,
        birth_dates=tuple(entity.get("birthDate", quiet=True)),
        birth_places=tuple(entity.get("birthPlace", quiet=True)),
        nationalities=tuple(entity.get(nationality_prop, quiet=True)),
        countries=tuple(entity.get("country", quiet=True)),
        identifiers=tuple(identifiers.values()),
        addresses=tuple(addresses.values()),
        programs=tuple(programs),
        listed_on=sanction_value("listingDate"),
        sublist=sanction_value("authority"),
        gender=_first(entity.get("gender", quiet=True)),
        title=_first(entity.get("title", quiet=True)),
        remarks=_first(entity.get("notes", quiet=True)),
        license_requirement=sanction_value("provisions"),
        license_policy=sanction_value("summary"),
    )


def _party_type(entity: Any) -> PartyType:
    for schema, kind in SCHEMA_TYPES.items():
        if entity.schema.name == schema:
            return kind
    if entity.schema.is_a("Person"):
        return PartyType.PERSON
    if entity.schema.is_a("Organization"):
        return PartyType.ORGANIZATION
    return PartyType.UNKNOWN
