"""The order form's fields become the order contract's JSON; nothing is guessed."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from dualuse.errors import InputError
from dualuse.web.cases.forms import MAX_FIELDS, order_from_form, parse_form


def test_fields_become_an_order() -> None:
    body = urlencode(
        {
            "id": "PO-2026-0042",
            "date": "2026-12-01",
            "origin": "US",
            "transit": "AE, HK ,",
            "destination": "KG",
            "party0_role": "buyer",
            "party0_name": "Tengri Components OsOO",
            "party0_country": "KG",
            "party0_incorporated": "2023-03-14",
            "party1_role": "consignee",  # a role alone is a blank row
            "item0_description": "microcontrollers",
            "item0_hs": "854231",
            "item0_quantity": "5000",
            "item0_value": "forty thousand",
            "item1_eccn": "",
            "end_use": "civil",
            "payer_country": "HK",
        }
    ).encode()
    order = order_from_form(parse_form(body))
    assert order == {
        "id": "PO-2026-0042",
        "date": "2026-12-01",
        "route": {"origin": "US", "transit": ["AE", "HK"], "destination": "KG"},
        "parties": [
            {
                "role": "buyer",
                "name": "Tengri Components OsOO",
                "country": "KG",
                "incorporated": "2023-03-14",
            }
        ],
        "items": [
            {
                "line": 1,
                "description": "microcontrollers",
                "hs": "854231",
                "quantity": 5000.0,
                "value": "forty thousand",  # left for the engine to name by path
            }
        ],
        "end_use": "civil",
        "payment": {"payer_country": "HK"},
    }


def test_pasted_json_replaces_the_fields() -> None:
    form = parse_form(urlencode({"id": "ignored", "order_json": '{"id": "X"}'}).encode())
    assert order_from_form(form) == {"id": "X"}
    with pytest.raises(InputError, match="order JSON: not valid JSON"):
        order_from_form(parse_form(urlencode({"order_json": "{"}).encode()))
    with pytest.raises(InputError, match="one JSON object"):
        order_from_form(parse_form(urlencode({"order_json": "[1]"}).encode()))


def test_bad_bodies_are_refused_by_field() -> None:
    with pytest.raises(InputError, match="form field party0_name: NUL"):
        parse_form(b"party0_name=a%00b")
    with pytest.raises(InputError, match=f"more than {MAX_FIELDS} fields"):
        parse_form(b"&".join(b"f%d=1" % i for i in range(MAX_FIELDS + 1)))
    assert parse_form(b"name=%FF")["name"] == ["\ufffd"]  # not UTF-8: replaced, not a 500
