"""nomenklatura's algorithms run on our data, for side-by-side figures."""

from __future__ import annotations

from typing import Any

from dualuse.screening.matching.retrieval.record import PartyRecord

SCHEMAS = {
    "person": "Person",
    "organization": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "unknown": "LegalEntity",
}
ANCHORS = ("logic-v1", "logic-v2", "name-based")


def _make(schema: str, names: list[tuple[str, str]], ident: str, **props: Any) -> Any:
    from followthemoney import model

    entity = model.make_entity(schema)
    entity.id = ident
    for value, prop in names:
        if prop in entity.schema.properties:
            entity.add(prop, value, quiet=True)
        else:
            entity.add("name", value, quiet=True)
    for prop, values in props.items():
        if values and prop in entity.schema.properties:
            entity.add(prop, values, quiet=True)
    return entity


def entity_for_name(schema: str, name: str, ident: str = "q", **props: Any) -> Any:
    return _make(schema, [(name, "name")], ident, **props)


def entity_for_record(record: PartyRecord) -> Any:
    schema = SCHEMAS.get(record.type.value, "LegalEntity")
    names = [(value, kind.value) for value, kind in record.names]
    props: dict[str, Any] = {}
    if schema == "Person":
        props["birthDate"] = list(record.birth_dates)
        props["nationality"] = list(record.countries)
    else:
        props["country"] = list(record.countries)
    return _make(schema, names, record.party_id, **props)


def scorer(name: str) -> Any:
    from nomenklatura.matching import ScoringConfig, get_algorithm

    algorithm = get_algorithm(name)
    if algorithm is None:
        raise KeyError(name)
    config = ScoringConfig.defaults()

    def score(query: Any, candidate: Any) -> float:
        return float(algorithm.compare(query, candidate, config).score)

    return score
