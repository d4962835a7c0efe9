"""Shell scoring against the real bundled lists: a listed party's address and name.

In the bundled snapshot only the OFAC consolidated (non-SDN) list keeps street addresses;
the SDN and CSL entries there carry a country only, so the test takes its party from it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from dualuse.diversion.shell.flags import specific_address, text_key
from dualuse.model.party import PartyType
from dualuse.services.lists import current_lists
from dualuse.services.shell import ShellService
from dualuse.settings import Settings


def test_bundled_list_address_and_name(screening_settings: Settings, tmp_path: Path) -> None:
    party = next(
        p
        for p in current_lists(screening_settings).parties(["us_ofac_cons"])
        if p.type is PartyType.ORGANIZATION
        and p.addresses
        and specific_address(text_key(p.addresses[0].full))
        and len(p.names[0].value) > 12
    )
    records = [
        {
            "id": "twin",
            "schema": "Company",
            "properties": {
                "name": [party.names[0].value],
                "address": [party.addresses[0].full],
                "country": ["kg"],
                "incorporationDate": ["2023-01-10"],
            },
        },
        {
            "id": "plain",
            "schema": "Company",
            "properties": {
                "name": ["Quiet Bakery of Lyon"],
                "address": ["3 Rue Neuve, Lyon"],
                "country": ["fr"],
                "incorporationDate": ["1999-01-01"],
            },
        },
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    report = ShellService(screening_settings).score_file(path, date(2025, 1, 1))
    by_id = {c["id"]: c for c in report["companies"]}
    raised = {f["rule"] for f in by_id["twin"]["flags"]}
    assert {
        "address_shared_with_listed",
        "name_close_to_listed",
        "new_company_in_diversion_country",
    } <= raised, by_id["twin"]
    assert by_id["twin"]["level"] == "high"
    assert by_id["plain"]["score"] == 0 and by_id["plain"]["level"] == "none"
    assert report["companies"][0]["id"] == "twin"
    unscreened = ShellService(screening_settings).score_file(path, date(2025, 1, 1), screen=False)
    assert "names not screened (--no-screen)" in unscreened["notes"]
