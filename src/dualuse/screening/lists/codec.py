"""A compact, compressed encoding of parties for the list store and the bundled snapshot.

Each party is one JSON array of its fields in a fixed order (no repeated keys), the list
of parties is zstd-compressed. Provenance that every party of a version shares (list id,
version, source URL) is stored once beside it and restored on decode. ``FORMAT`` is bumped
when the layout changes; an unknown format is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
import zstandard

from dualuse.errors import IntegrityError
from dualuse.model.party import (
    Address,
    Identifier,
    NameKind,
    Party,
    PartyName,
    PartyType,
    Provenance,
)

FORMAT = 1


def _row(party: Party) -> list[Any]:
    p = party.provenance
    return [
        p.entry_id,
        party.type.value,
        [[n.value, n.kind.value, n.lang] for n in party.names],
        party.birth_dates,
        party.birth_places,
        party.nationalities,
        party.countries,
        [[i.scheme, i.value, i.country, i.label] for i in party.identifiers],
        [[a.full, a.country] for a in party.addresses],
        party.programs,
        party.listed_on,
        party.sublist,
        party.gender,
        party.title,
        party.remarks,
        party.license_requirement,
        party.license_policy,
        _extra(party.extra),
        p.first_seen,
        p.last_seen,
    ]


def _extra(pairs: tuple[tuple[str, str], ...]) -> dict[str, Any] | list[list[str]]:
    """A dict when keys are unique (JSON decoders cache repeated keys), else pairs."""
    keys = [k for k, _ in pairs]
    if len(set(keys)) == len(keys):
        return dict(pairs)
    return [list(kv) for kv in pairs]


def encode_parties(parties: Iterable[Party], *, level: int = 10) -> bytes:
    body = orjson.dumps({"format": FORMAT, "parties": [_row(p) for p in parties]})
    return zstandard.ZstdCompressor(level=level).compress(body)


def decode_parties(
    data: bytes, *, list_id: str, version: str, source_url: str
) -> tuple[Party, ...]:
    """Parties from :func:`encode_parties` output; damaged data is an :class:`IntegrityError`."""
    try:
        doc = orjson.loads(zstandard.ZstdDecompressor().decompress(data))
    except (zstandard.ZstdError, orjson.JSONDecodeError) as exc:
        raise IntegrityError(f"stored parties of {list_id} {version} are damaged: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise IntegrityError(f"stored parties of {list_id} {version} use an unknown format")
    parties = []
    for row in doc["parties"]:
        entry, kind, names, births, places, nats, countries, ids, addresses = row[:9]
        programs, listed, sublist, gender, title, remarks = row[9:15]
        requirement, policy, extra, first, last = row[15:]
        parties.append(
            Party(
                id=f"{list_id}:{entry}",
                type=PartyType(kind),
                names=tuple(PartyName(v, NameKind(k), lang) for v, k, lang in names),
                provenance=Provenance(list_id, version, source_url, entry, first, last),
                birth_dates=tuple(births),
                birth_places=tuple(places),
                nationalities=tuple(nats),
                countries=tuple(countries),
                identifiers=tuple(Identifier(*i) for i in ids),
                addresses=tuple(Address(*a) for a in addresses),
                programs=tuple(programs),
                listed_on=listed,
                sublist=sublist,
                gender=gender,
                title=title,
                remarks=remarks,
                license_requirement=requirement,
                license_policy=policy,
                extra=tuple(extra.items() if isinstance(extra, dict) else map(tuple, extra)),
            )
        )
    return tuple(parties)


def compress(data: bytes, *, level: int = 10) -> bytes:
    return zstandard.ZstdCompressor(level=level).compress(data)


def decompress(data: bytes) -> bytes:
    try:
        return zstandard.ZstdDecompressor().decompress(data)
    except zstandard.ZstdError as exc:
        raise IntegrityError(f"damaged compressed data: {exc}") from exc
