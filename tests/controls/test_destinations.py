"""Country Groups by date (issue 15 §2): recorded changes applied, the rest stated."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.controls.data import ControlData
from dualuse.controls.destinations import as_of_groups, resolve
from dualuse.controls.rules import parse_rules
from dualuse.errors import InputError


def test_recorded_changes_are_undone_before_their_date(control_data: ControlData) -> None:
    ru = resolve(control_data, "RU")
    assert {"D:2", "D:4"} <= set(ru.groups)
    then, reasons = as_of_groups(control_data, ru, date(2019, 6, 1))
    assert not {"D:2", "D:4"} & set(then.groups)  # 85 FR 10274, effective 2020-02-24
    assert any(r.code == "group_change" and r.citation.act == "85 FR" for r in reasons)
    after, _ = as_of_groups(control_data, ru, date(2021, 6, 1))
    assert {"D:2", "D:4"} <= set(after.groups)
    cy, _ = as_of_groups(control_data, resolve(control_data, "CY"), date(2024, 5, 1))
    assert "D:5" in cy.groups  # 89 FR 40369 removed Cyprus with effect from 2024-05-30
    cy_now, _ = as_of_groups(control_data, resolve(control_data, "CY"), date(2024, 6, 1))
    assert "D:5" not in cy_now.groups
    # 85 FR 84211, effective 2020-12-28: Ukraine from D:1 to B, Mexico and Cyprus into A:6
    ua, _ = as_of_groups(control_data, resolve(control_data, "UA"), date(2020, 6, 1))
    assert "D:1" in ua.groups and "B" not in ua.groups
    cy_2020, _ = as_of_groups(control_data, resolve(control_data, "CY"), date(2020, 6, 1))
    assert "A:6" not in cy_2020.groups and "D:5" in cy_2020.groups


def test_an_earlier_date_says_it_rests_on_the_data_date(control_data: ControlData) -> None:
    de = resolve(control_data, "DE")
    _, reasons = as_of_groups(control_data, de, date(2024, 6, 1))
    assert [r.code for r in reasons] == ["groups_of_data_date"]
    assert "2026-07-23" in reasons[0].text
    _, today = as_of_groups(control_data, de, date(2026, 7, 23))
    assert today == []


def test_a_malformed_group_change_fails_at_load() -> None:
    doc = {
        "schema": 1,
        "data_date": "2026-07-23",
        "group_changes": [{"country": "ru", "group": "D:2", "change": "moved"}],
        "eu": {"in_force": "2021-09-09"},
    }
    with pytest.raises(InputError, match="group change"):
        parse_rules(doc)
