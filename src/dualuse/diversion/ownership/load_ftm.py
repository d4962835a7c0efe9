"""FollowTheMoney JSON lines: parties, ``Ownership`` stakes, ``Directorship``/``Control``.

Entities are read with the ``followthemoney`` model (schema, properties, topics). A party
is listed when it carries the topic ``sanction``; other topics (``role.pep``,
``sanction.linked``) do not block. A line that is not JSON, or not an entity, stops the
load with the file and line; a bad value inside a stake is a finding and the stake is
kept with an unknown percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from dualuse.diversion.ownership.model import (
    UNKNOWN_SHARE,
    Finding,
    Graph,
    Party,
    Share,
    Stake,
    StakeKind,
    parse_percentage,
)
from dualuse.errors import InputError

LISTED_TOPIC = "sanction"
CONTROL_EDGES = {
    "Directorship": ("director", "organization"),
    "Control": ("controller", "controlled"),
}


def read_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def load_ftm(path: Path, listed_ids: Iterable[str] = ()) -> Graph:
    return load_ftm_lines(read_lines(path), str(path), listed_ids)


def load_ftm_lines(
    lines: Iterable[tuple[int, bytes | str]], source: str, listed_ids: Iterable[str] = ()
) -> Graph:
    """JSON lines with their numbers; a line that is not JSON stops with file and line."""

    def parsed() -> Iterator[tuple[str, Any]]:
        for number, line in lines:
            try:
                yield f"line {number}", orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(
                    f"not JSON ({exc})", source=source, location=f"line {number}"
                ) from exc

    return load_ftm_records(parsed(), source, listed_ids)


def load_ftm_records(
    records: Iterable[tuple[str, Any]], source: str, listed_ids: Iterable[str] = ()
) -> Graph:
    """Parsed entities, each with where it was read (``line 3``, ``entity 3``)."""
    from followthemoney import model
    from followthemoney.exc import FollowTheMoneyException

    graph = Graph()
    extra = set(listed_ids)
    for where, data in records:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            raise InputError("not an FtM entity (no id)", source=source, location=where)
        properties = data.get("properties", {})
        if not isinstance(properties, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in properties.values()
        ):
            raise InputError(
                "properties must map names to lists of strings", source=source, location=where
            )
        try:
            proxy = model.get_proxy(data, cleaned=True)
        except (FollowTheMoneyException, TypeError, ValueError) as exc:
            raise InputError(f"not an FtM entity ({exc})", source=source, location=where) from exc
        _add(graph, proxy, f"{source}:{where.removeprefix('line ')}", extra)
    for pid in extra - set(graph.parties):
        graph.add_party(Party(pid, listed=True, source="--listed"))
    return graph


def _add(graph: Graph, proxy: Any, where: str, extra: set[str]) -> None:
    schema = proxy.schema
    if schema.is_a("Ownership"):
        _ownership(graph, proxy, where)
    elif schema.name in CONTROL_EDGES:
        source_prop, target_prop = CONTROL_EDGES[schema.name]
        owner, asset = proxy.first(source_prop), proxy.first(target_prop)
        if _complete(graph, proxy, owner, asset, where):
            roles = [schema.name, *proxy.get("role"), *proxy.get("controlType", quiet=True)]
            graph.stakes.append(_stake(proxy, owner, asset, None, " ".join(roles), where))
    elif not schema.edge:
        topics = proxy.get("topics", quiet=True)
        graph.add_party(
            Party(
                id=proxy.id,
                name=proxy.caption,
                schema=schema.name,
                listed=LISTED_TOPIC in topics or proxy.id in extra,
                source=where,
            )
        )


def _complete(graph: Graph, proxy: Any, owner: str | None, asset: str | None, where: str) -> bool:
    if owner and asset:
        return True
    graph.findings.append(
        Finding(
            "incomplete_stake",
            f"{proxy.schema.name} without both ends; skipped",
            stake=proxy.id,
            source=where,
        )
    )
    return False


def _ownership(graph: Graph, proxy: Any, where: str) -> None:
    owner, asset = proxy.first("owner"), proxy.first("asset")
    if not _complete(graph, proxy, owner, asset, where):
        return
    share: Share = UNKNOWN_SHARE
    values = proxy.get("percentage")
    if not values:
        graph.findings.append(
            Finding(
                "missing_percentage",
                "ownership without a percentage; counted as unknown (0-100%)",
                entity=asset,
                stake=proxy.id,
                source=where,
            )
        )
    else:
        parsed, problem = parse_percentage(values[0])
        if len(values) > 1:
            problem = f"{len(values)} percentages given ({', '.join(values)})"
            parsed = None
        if parsed is None:
            code = "negative_percentage" if "negative" in str(problem) else "bad_percentage"
            graph.findings.append(
                Finding(
                    code,
                    f"{problem}; counted as unknown (0-100%)",
                    entity=asset,
                    stake=proxy.id,
                    source=where,
                )
            )
        else:
            share = parsed
    interest = " ".join(["Ownership", *proxy.get("ownershipType")])
    graph.stakes.append(_stake(proxy, owner, asset, share, interest, where))


def _stake(
    proxy: Any, owner: str, asset: str, share: Share | None, interest: str, where: str
) -> Stake:
    """An ownership stake (with a share) or a control edge (``share`` is ``None``)."""
    return Stake(
        id=proxy.id,
        owner=owner,
        asset=asset,
        kind=StakeKind.CONTROL if share is None else StakeKind.OWNERSHIP,
        share=share,
        start_date=proxy.first("startDate"),
        end_date=proxy.first("endDate"),
        interest=interest,
        joint=share is not None and "joint" in interest.lower(),
        source=where,
    )
