"""Form bodies in, order JSON out: the order form's fields become the order contract's dict.

Nothing is guessed: a blank field is left out, a number that does not read as one is
passed on as typed so the engine's validation names it by field path
(``items[0].quantity``), and a form with a NUL character anywhere is refused (no name has
one and PostgreSQL cannot store it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from dualuse.errors import InputError

Form = Mapping[str, Sequence[str]]
MAX_FIELDS = 500
PARTY_ROWS = 4
ITEM_ROWS = 3
PARTY_ROLES = (
    "buyer",
    "consignee",
    "end_user",
    "intermediate_consignee",
    "forwarder",
    "payer",
    "bank",
)
END_USES = ("civil", "military", "military-intelligence", "wmd", "unknown")


def parse_form(body: bytes) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body; NUL anywhere is refused by field."""
    text = body.decode("utf-8", errors="replace")
    try:
        form = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise InputError(f"more than {MAX_FIELDS} fields", source="form") from None
    for key, values in form.items():
        if "\x00" in key or any("\x00" in v for v in values):
            raise InputError("NUL characters are not accepted", source=f"form field {key[:60]}")
    return form


def one(form: Form, key: str) -> str:
    values = form.get(key) or [""]
    return values[0].strip()


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the engine names it: items[n].quantity is not a number


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", []):
        target[key] = value


def order_from_form(form: Form) -> dict[str, Any]:
    """The order dict from the form, or the JSON pasted in ``order_json`` when given."""
    pasted = one(form, "order_json")
    if pasted:
        try:
            value = json.loads(pasted)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                source="order JSON",
            ) from None
        if not isinstance(value, dict):
            raise InputError("must be one JSON object (an order)", source="order JSON")
        return value
    order: dict[str, Any] = {}
    _put(order, "id", one(form, "id"))
    _put(order, "date", one(form, "date"))
    route: dict[str, Any] = {}
    _put(route, "origin", one(form, "origin"))
    transit = [t.strip() for t in one(form, "transit").split(",") if t.strip()]
    _put(route, "transit", transit)
    _put(route, "destination", one(form, "destination"))
    order["route"] = route
    parties: list[dict[str, Any]] = []
    for i in range(PARTY_ROWS):
        party: dict[str, Any] = {}
        for field in ("name", "country", "incorporated", "business"):
            _put(party, field, one(form, f"party{i}_{field}"))
        if party:
            party["role"] = one(form, f"party{i}_role")
            parties.append(party)
    order["parties"] = parties
    items: list[dict[str, Any]] = []
    for i in range(ITEM_ROWS):
        item: dict[str, Any] = {}
        for field in ("description", "hs", "eccn", "currency"):
            _put(item, field, one(form, f"item{i}_{field}"))
        for field in ("quantity", "value"):
            text = one(form, f"item{i}_{field}")
            if text:
                item[field] = _number(text)
        if item:
            item["line"] = len(items) + 1
            items.append(item)
    order["items"] = items
    _put(order, "end_use", one(form, "end_use"))
    payment: dict[str, Any] = {}
    _put(payment, "payer_country", one(form, "payer_country"))
    _put(payment, "method", one(form, "payment_method"))
    if payment:
        order["payment"] = payment
    return order
