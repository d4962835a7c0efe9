"""The rule files: the packaged one is valid and cited; teams can add and switch off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dualuse.decisions.flags import EVALUATORS
from dualuse.decisions.model import Verdict
from dualuse.decisions.rules import KINDS, load_rules, packaged_rules_text, parse_rules
from dualuse.errors import InputError


def test_packaged_rules_are_valid_and_cited() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 15 and len(rules.version) == 12
    for rule in rules.rules:
        assert rule.source.source and rule.source.date, rule.id
        if rule.source.date != "standing":
            dt.date.fromisoformat(rule.source.date)
    embargoed = set().union(*(r.codes("countries") for r in rules.of_kind("embargo")))
    assert embargoed == {"CU", "IR", "KP", "SY", "UA-43", "UA-40", "UA-14", "UA-09"}
    assert all(r.severity is Verdict.PROHIBITED for r in rules.of_kind("embargo"))


def test_every_kind_has_an_evaluator() -> None:
    assert set(KINDS) == set(EVALUATORS)


def test_effective_dates() -> None:
    rule = load_rules().get("eu.art12g_no_russia_clause")
    assert rule is not None
    assert not rule.in_force(dt.date(2024, 3, 19)) and rule.in_force(dt.date(2024, 3, 20))


def test_switch_off_and_add_a_file(tmp_path: Path) -> None:
    extra = tmp_path / "team.yaml"
    extra.write_text(
        """schema: 1
rules:
  - id: bis_kyc.out_of_the_way_route
    kind: route_length
    title: Abnormal shipping route (team)
    severity: review
    source: {source: "15 CFR part 732, Supp. No. 3", date: "2026-07-23"}
    parameters: {max_transit: 4}
    text: "More than four transit countries."
""",
        encoding="utf-8",
    )
    base = load_rules()
    rules = load_rules([extra], disabled=["bis_kyc.cash_payment"])
    assert rules.get("bis_kyc.cash_payment") is None
    replaced = rules.get("bis_kyc.out_of_the_way_route")
    assert replaced is not None and replaced.parameters["max_transit"] == 4
    assert rules.version != base.version


def test_unknown_switched_off_rule_is_refused() -> None:
    with pytest.raises(InputError, match=r"bis_kyc\.cash_paymnt") as info:
        load_rules(disabled=["bis_kyc.cash_paymnt"])
    assert "bis_kyc.cash_payment" in info.value.suggestions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: []", "schema: 1"),
        ("schema: 1\nrules:\n  - {id: x, kind: nope, title: t, severity: review, "
         "source: {source: s, date: '2024-01-01'}, text: t}", "unknown kind"),
        ("schema: 1\nrules:\n  - {id: x, kind: embargo, title: t, severity: fine, "
         "source: {source: s, date: '2024-01-01'}, text: t}", "unknown severity"),
        ("schema: 1\nrules:\n  - {id: x, kind: embargo, title: t, severity: review, "
         "source: {source: s}, text: t}", "'source' and 'date'"),
        ("schema: 1\nrules:\n  - {id: x, kind: embargo, title: t, severity: review, "
         "source: {source: s, date: '2024-01-01'}}", "missing 'text'"),
    ],
)  # fmt: skip
def test_malformed_rules_name_the_file_and_rule(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_rules(text.encode(), source="team.yaml")
    assert "team.yaml" in str(info.value)


def test_packaged_text_is_what_is_versioned() -> None:
    assert b"schema: 1" in packaged_rules_text()


def test_docs_list_every_packaged_rule() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "decisions.md").read_text(encoding="utf-8")
    missing = [r.id for r in load_rules().rules if f"`{r.id}`" not in docs]
    assert not missing, f"docs/decisions.md does not list {missing}"
