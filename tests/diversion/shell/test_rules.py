"""Red-flag rules: the rule book's shape, each rule on its own, the score's invariants."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.diversion.shell.codes import load_codes
from dualuse.diversion.shell.flags import RULES, Listed, NameHit
from dualuse.diversion.shell.records import load_records, parse_lines
from dualuse.diversion.shell.rulebook import load_rulebook, parse_rulebook, rulebook_path
from dualuse.diversion.shell.score import score_all
from dualuse.errors import InputError

DAY = date(2025, 1, 1)
BOOK = load_rulebook()
CODES = load_codes()


def company(cid: str = "c", **props: Any) -> dict[str, Any]:
    trade = props.pop("trade", None)
    body: dict[str, Any] = {
        "id": cid,
        "schema": "Company",
        "properties": {"name": [f"Company {cid}"], **props},
    }
    if trade is not None:
        body["trade"] = trade
    return body


def scores(entities: list[dict[str, Any]], listed: Listed | None = None, day: date = DAY) -> dict:
    records = load_records(((f"line {i}", e) for i, e in enumerate(entities, 1)), "t", CODES)
    return {s.company.id: s for s in score_all(records, listed or Listed(), BOOK, CODES, day)}


def flags(entities: list[dict[str, Any]], cid: str = "c", **kw: Any) -> set[str]:
    return {spec.id for spec, _ in scores(entities, **kw)[cid].flags}


def test_rule_book_is_complete_and_cited() -> None:
    assert {r.id for r in BOOK.rules} == set(RULES)
    for rule in BOOK.rules:
        assert rule.sources and all(s in BOOK.sources for s in rule.sources)
        assert rule.weight > 0 and rule.text
    assert BOOK.invasion_date == date(2022, 2, 24)
    assert {"kg", "am", "kz", "ae", "tr", "hk"} <= BOOK.country_sets["diversion_risk"].countries


def test_malformed_rule_names_the_rule() -> None:
    import yaml

    doc = yaml.safe_load(rulebook_path().read_text(encoding="utf-8"))
    bad = copy.deepcopy(doc)
    bad["rules"][2]["sources"] = ["NOPE"]
    with pytest.raises(InputError, match="address_shared_with_listed"):
        parse_rulebook(bad)
    bad = copy.deepcopy(doc)
    bad["rules"][0]["effective_from"] = "soon"
    with pytest.raises(InputError, match="not a date"):
        parse_rulebook(bad)


def test_new_company_in_diversion_country_and_dates() -> None:
    new_kg = company(country=["KG"], incorporationDate=["2022-06-01"])
    assert "new_company_in_diversion_country" in flags([new_kg])
    old_kg = company(country=["kg"], incorporationDate=["2019-06-01"])
    assert "new_company_in_diversion_country" not in flags([old_kg])
    new_de = company(country=["de"], incorporationDate=["2023-01-01"])
    assert "new_company_in_diversion_country" not in flags([new_de])
    # The rule is applied from the guidance that names it (19 May 2023), not before.
    assert "new_company_in_diversion_country" not in flags([new_kg], day=date(2023, 1, 1))
    missing = scores([company(country=["kg"])])["c"]
    assert "new_company_in_diversion_country" in {s.id for s, _ in missing.not_evaluated}


def test_chpl_tier_and_business_fit() -> None:
    c = company(
        country=["ae"],
        incorporationDate=["2023-02-01"],
        trade={"hs6": ["8542.31", "090240"], "business_hs_chapters": ["09"]},
    )
    raised = flags([c])
    assert {"new_company_chpl_tier_1_2", "goods_do_not_fit_business"} <= raised
    fits = company(country=["ae"], trade={"hs6": ["854231"], "business_hs_chapters": ["85"]})
    assert "goods_do_not_fit_business" not in flags([fits])


def test_address_director_payment_email() -> None:
    listed = company("L", topics=["sanction"], address=["Office 5, 12 Lenina Street, Bishkek"])
    c = company(
        country=["kg"],
        address=["office 5 12 LENINA street, Bishkek"],
        email=["buyer@gmail.com"],
        trade={"payment_countries": ["AE", "KG"]},
    )
    person = {"id": "p", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}
    d1 = {
        "id": "d1",
        "schema": "Directorship",
        "properties": {"director": ["p"], "organization": ["L"]},
    }
    d2 = {
        "id": "d2",
        "schema": "Directorship",
        "properties": {"director": ["p"], "organization": ["c"]},
    }
    raised = flags([listed, c, person, d1, d2])
    assert {
        "address_shared_with_listed",
        "director_shared_with_listed",
        "payment_through_third_country",
        "personal_email_no_website",
    } <= raised
    # A city alone is not specific enough to tie two companies.
    vague = company(address=["Bishkek"])
    vague_listed = company("L", topics=["sanction"], address=["Bishkek"])
    assert "address_shared_with_listed" not in flags([vague_listed, vague])
    with_site = company(email=["a@gmail.com"], website=["https://example.kg"])
    assert "personal_email_no_website" not in flags([with_site])
    # Bundled-list addresses and listed people come in through Listed.
    ctx = Listed(
        address_keys={"12 lenina street 5": "X (us_csl:1)"},
        person_keys={"ivan petrov": "Ivan Petrov (us_ofac_sdn:2)"},
    )
    alone = company(address=["12 Lenina Street, 5"])
    d3 = {
        "id": "d3",
        "schema": "Directorship",
        "properties": {"director": ["p"], "organization": ["c"]},
    }
    assert {"address_shared_with_listed", "director_shared_with_listed"} <= flags(
        [alone, person, d3], listed=ctx
    )


def test_name_rule_needs_the_screener() -> None:
    c = company()
    assert "name_close_to_listed" in {s.id for s, _ in scores([c])["c"].not_evaluated}
    hit = Listed(name_hits={"c": NameHit("Company C Ltd", "us_ofac_sdn", "123", 0.93)})
    assert "name_close_to_listed" in flags([c], listed=hit)


def test_bad_values_are_findings_bad_lines_are_errors() -> None:
    c = company(
        country=["Atlantis"],
        incorporationDate=["last year"],
        trade={"hs6": ["999999"], "business_hs_chapters": ["xx"], "colour": ["red"]},
    )
    records = load_records([("line 1", c)], "f.jsonl", CODES)
    codes = sorted(f.code for f in records.findings)
    assert codes == [
        "bad_date",
        "bad_hs_chapter",
        "unknown_country",
        "unknown_hs_code",
        "unknown_trade_field",
    ]
    with pytest.raises(InputError, match=r"f.jsonl, line 2: not JSON"):
        load_records(parse_lines([(1, json.dumps(c)), (2, "{oops")], "f.jsonl"), "f.jsonl", CODES)
    with pytest.raises(InputError, match="unknown FtM schema 'Firm'"):
        load_records([("line 1", {"id": "x", "schema": "Firm"})], "f.jsonl", CODES)
    with pytest.raises(InputError, match="lists of strings"):
        load_records(
            [("line 1", {"id": "x", "schema": "Company", "properties": {"name": "x"}})],
            "f.jsonl",
            CODES,
        )


FEATURES = ("new", "risky", "address", "director", "webmail", "payment", "offbusiness")


def build(on: frozenset[str]) -> list[dict[str, Any]]:
    props: dict[str, Any] = {
        "country": ["kg" if "risky" in on else "de"],
        "incorporationDate": ["2023-03-01" if "new" in on else "2010-03-01"],
        "address": ["7 Chui Avenue, Bishkek" if "address" in on else "1 Other Road, Berlin"],
        "email": ["x@mail.ru" if "webmail" in on else "x@firm.example"],
        "trade": {
            "hs6": ["854231"],
            "business_hs_chapters": ["09" if "offbusiness" in on else "85"],
            "payment_countries": ["ae" if "payment" in on else "kg" if "risky" in on else "de"],
        },
    }
    out = [
        company(**props),
        company("L", topics=["sanction"], address=["7 Chui Avenue, Bishkek"]),
        {"id": "p", "schema": "Person", "properties": {"name": ["P"]}},
        {
            "id": "d",
            "schema": "Directorship",
            "properties": {"director": ["p"], "organization": ["L"]},
        },
    ]
    if "director" in on:
        out.append(
            {
                "id": "d2",
                "schema": "Directorship",
                "properties": {"director": ["p"], "organization": ["c"]},
            }
        )
    return out


@settings(max_examples=60, deadline=None)
@given(st.frozensets(st.sampled_from(FEATURES)), st.sampled_from(FEATURES))
def test_score_is_monotone_in_red_flags(on: frozenset[str], extra: str) -> None:
    """Adding a red-flag feature never lowers a company's score, and the score is the sum
    of the weights of the flags raised."""
    before = scores(build(on))["c"]
    after = scores(build(on | {extra}))["c"]
    assert after.score >= before.score
    assert after.score == sum(spec.weight for spec, _ in after.flags)
    assert {s.id for s, _ in before.flags} <= {s.id for s, _ in after.flags}
