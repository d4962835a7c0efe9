"""The OpenAPI spec describes the answers, not only the requests: every operation's
success response names a schema (a response model), or a media type for pictures and
pages."""

from __future__ import annotations

from typing import Any

import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings

NAMED = "#/components/schemas/"
NOT_JSON = {"image/png", "text/html"}


def _named(schema: dict[str, Any]) -> bool:
    """A reference to a model, a list of them, a map onto them, or a choice of them."""
    if schema.get("$ref", "").startswith(NAMED):
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items", {}))
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        return _named(schema["additionalProperties"])
    choices = schema.get("anyOf") or schema.get("oneOf")
    return bool(choices) and all(_named(c) for c in choices)


def _operations(settings: Settings) -> list[tuple[str, str, dict[str, Any]]]:
    spec = create_app(settings).openapi()
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_describes_its_answer(settings: Settings) -> None:
    undescribed = []
    operations = _operations(settings)
    for method, path, operation in operations:
        success = {c: r for c, r in operation["responses"].items() if c.startswith("2")}
        content = {t: c for r in success.values() for t, c in r.get("content", {}).items()}
        json_schema = content.get("application/json", {}).get("schema")
        if set(content) & NOT_JSON or (json_schema is not None and _named(json_schema)):
            continue
        undescribed.append(f"{method} {path}: {json_schema}")
    assert len(operations) > 50
    assert undescribed == []


@pytest.mark.parametrize(
    ("schema", "named"),
    [
        ({"$ref": "#/components/schemas/ScreenResult"}, True),
        ({"type": "array", "items": {"$ref": "#/components/schemas/HitOut"}}, True),
        ({"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}, True),
        ({"type": "object", "additionalProperties": True}, False),
        ({"type": "array", "items": {"type": "object"}}, False),
        ({}, False),
    ],
)
def test_what_counts_as_a_described_answer(schema: dict[str, Any], named: bool) -> None:
    assert _named(schema) is named
