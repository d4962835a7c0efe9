"""Hand-derived cases for each rule, from the guidance text cited in each test."""

from __future__ import annotations

from tests.diversion.ownership.graphs import (
    blocked,
    codes,
    listed,
    own,
    party,
    report,
    unknown,
)

# -- OFAC: Revised Guidance on Entities Owned by Persons Whose Property and Interests in
# Property Are Blocked, 13 Aug 2014 ("owned, directly or indirectly, 50 percent or more in
# the aggregate by one or more blocked persons"; FAQs 398-402).


def test_ofac_direct_fifty_percent_blocks() -> None:
    # "50 percent or more": exactly 50% by one blocked person is enough.
    g = [listed("X"), party("A"), own("X", "A", "50")]
    assert blocked(g, "ofac") == {"A": 50.0}


def test_ofac_just_below_fifty_does_not_block() -> None:
    g = [listed("X"), party("A"), own("X", "A", "49.999999")]
    assert blocked(g, "ofac") == {}


def test_ofac_aggregates_different_blocked_persons() -> None:
    # "in the aggregate ... by one or more blocked persons": 25% + 25% from two persons.
    g = [listed("X"), listed("Y"), party("A"), own("X", "A", "25"), own("Y", "A", "25")]
    out = report(g, "ofac")
    (entry,) = out["blocked"]
    assert entry["id"] == "A" and entry["aggregate_percentage"] == 50.0
    assert entry["arithmetic"] == "25% (X) + 25% (Y) = 50% ≥ 50%"
    assert sorted(entry["paths"]) == [["X", "A"], ["Y", "A"]]
    assert "13 Aug 2014" in entry["citation"] and "13 Aug 2014" in out["citation"]


def test_ofac_decimal_stakes_add_exactly() -> None:
    # 33.33 + 16.67 is 50 exactly; a float sum would be 49.99999999999999.
    g = [listed("X"), listed("Y"), party("A"), own("X", "A", "33.33"), own("Y", "A", "16.67")]
    assert blocked(g, "ofac") == {"A": 50.0}


def test_ofac_blocked_entity_passes_its_whole_stake_down_the_chain() -> None:
    # Indirect ownership: X owns 50% of A (A blocked); A owns 50% of B, so B is blocked,
    # not "25% effective" (stakes are not multiplied along the chain).
    g = [listed("X"), party("A"), party("B"), own("X", "A", "50"), own("A", "B", "50")]
    out = report(g, "ofac")
    assert {b["id"]: b["aggregate_percentage"] for b in out["blocked"]} == {"A": 50.0, "B": 50.0}
    (b_entry,) = [b for b in out["blocked"] if b["id"] == "B"]
    assert b_entry["paths"] == [["X", "A", "B"]]
    (stakes,) = b_entry["path_stakes"]
    assert [(s["owner"], s["asset"], s["counted_percentage"]) for s in stakes] == [
        ("X", "A", 50.0),
        ("A", "B", 50.0),
    ]


def test_ofac_direct_and_indirect_holdings_add_up() -> None:
    # X owns 50% of A (blocked); A owns 25% of C and X owns 25% of C: 50% aggregate.
    g = [
        listed("X"),
        party("A"),
        party("C"),
        own("X", "A", "50"),
        own("A", "C", "25"),
        own("X", "C", "25"),
    ]
    assert blocked(g, "ofac") == {"A": 50.0, "C": 50.0}


def test_ofac_no_look_through_an_entity_that_is_not_blocked() -> None:
    # X owns 40% of A (A not blocked); A owns 100% of B: A's stake does not count.
    g = [listed("X"), party("A"), party("B"), own("X", "A", "40"), own("A", "B", "100")]
    assert blocked(g, "ofac") == {}


def test_ofac_ownership_only_control_is_no_block() -> None:
    # FAQ 398: the rule is about ownership, not control; OFAC applies no control review.
    director = {
        "id": "d1",
        "schema": "Directorship",
        "properties": {"director": ["X"], "organization": ["A"]},
    }
    g = [listed("X"), party("A"), director]
    out = report(g, "ofac")
    assert out["blocked"] == [] and "control_review" not in [f["code"] for f in out["findings"]]


def test_pep_topic_does_not_block() -> None:
    g = [party("P", "role.pep", schema="Person"), party("A"), own("P", "A", "100")]
    assert blocked(g, "ofac") == {} and report(g, "ofac")["listed"] == []


# -- EU: Update of the EU Best Practices, 3 Jul 2024: "50% or more" (before: "more than
# 50%"), holdings of designated persons aggregated.


def test_eu_threshold_changed_on_3_july_2024() -> None:
    g = [listed("X"), party("A"), own("X", "A", "50")]
    assert blocked(g, "eu", "2024-07-02") == {}
    assert blocked(g, "eu", "2024-07-03") == {"A": 50.0}
    assert report(g, "eu", "2024-07-02")["test"] == "> 50%"


def test_eu_aggregates_designated_persons_in_both_periods() -> None:
    g = [listed("X"), listed("Y"), party("A"), own("X", "A", "30"), own("Y", "A", "30")]
    assert blocked(g, "eu", "2023-01-01") == {"A": 60.0}
    assert blocked(g, "eu", "2025-01-01") == {"A": 60.0}


def test_eu_control_is_a_finding_for_review_with_evidence() -> None:
    director = {
        "id": "d1",
        "schema": "Directorship",
        "properties": {"director": ["X"], "organization": ["A"], "role": ["chairman"]},
    }
    g = [listed("X"), party("A"), own("X", "A", "10"), director]
    out = report(g, "eu")
    assert out["blocked"] == []
    (finding,) = [f for f in out["findings"] if f["code"] == "control_review"]
    assert finding["entity"] == "A" and finding["evidence"][0]["id"] == "d1"
    assert "3 Jul 2024" in finding["message"]


# -- UK: SI 2019/855 reg. 7 (more than 50%); OFSI General Guidance para 4.14 (no
# aggregation of different designated persons unless joint).


def test_uk_does_not_aggregate_different_designated_persons() -> None:
    g = [listed("X"), listed("Y"), party("A"), own("X", "A", "30"), own("Y", "A", "30")]
    assert blocked(g, "uk") == {}
    assert blocked(g, "ofac") == {"A": 60.0}


def test_uk_needs_more_than_fifty() -> None:
    assert blocked([listed("X"), party("A"), own("X", "A", "50")], "uk") == {}
    assert blocked([listed("X"), party("A"), own("X", "A", "50.01")], "uk") == {"A": 50.01}


def test_uk_holds_through_majority_held_entities() -> None:
    # Schedule 1: X holds indirectly what an entity it holds a majority of holds.
    g = [
        listed("X"),
        party("A"),
        party("B"),
        own("X", "A", "60"),
        own("A", "B", "30"),
        own("X", "B", "30"),
    ]
    out = blocked(g, "uk")
    assert out == {"A": 60.0, "B": 60.0}


def test_uk_joint_holding_counts_whole_for_each_joint_holder() -> None:
    # Two persons hold 60% jointly (30% each recorded): each is taken to hold the 60%.
    g = [
        listed("X"),
        party("Y", schema="Person"),
        party("A"),
        own("X", "A", "30", ownershipType="joint"),
        own("Y", "A", "30", ownershipType="joint"),
    ]
    assert blocked(g, "uk") == {"A": 60.0}
    separate = [g[0], g[1], g[2], own("X", "A", "30"), own("Y", "A", "30")]
    assert blocked(separate, "uk") == {}


# -- missing data: unknown, never clear


def test_missing_percentage_makes_unknown_not_clear() -> None:
    g = [listed("X"), party("A"), own("X", "A")]
    out = report(g, "ofac")
    assert out["blocked"] == [] and [u["id"] for u in out["unknown"]] == ["A"]
    assert "missing_percentage" in [f["code"] for f in out["findings"]]
    assert out["unknown"][0]["depends_on"][0]["owner"] == "X"


def test_unknown_propagates_down_the_chain() -> None:
    g = [listed("X"), party("A"), party("B"), own("X", "A"), own("A", "B", "80")]
    assert unknown(g, "ofac") == {"A", "B"}


def test_missing_percentage_bounded_by_the_other_stakes() -> None:
    # Others certainly hold 60%, so the unknown stake is at most 40%: clear under OFAC.
    g = [listed("X"), party("O"), party("A"), own("X", "A"), own("O", "A", "60")]
    assert unknown(g, "ofac") == set() and blocked(g, "ofac") == {}


def test_bad_and_negative_percentages_are_findings_and_unknown() -> None:
    for value, code in (("-10", "negative_percentage"), ("lots", "bad_percentage")):
        g = [listed("X"), party("A"), own("X", "A", value)]
        assert unknown(g, "ofac") == {"A"}
        assert code in codes(g)


def test_stakes_over_one_hundred_is_a_finding() -> None:
    g = [listed("X"), party("O"), party("A"), own("X", "A", "70"), own("O", "A", "60")]
    assert "stakes_over_100" in codes(g)
    assert blocked(g, "ofac") == {"A": 70.0}


def test_expired_and_future_stakes_are_not_counted() -> None:
    g = [listed("X"), party("A"), own("X", "A", "60", endDate="2020-12-31")]
    assert blocked(g, "ofac", "2021-01-01") == {}
    assert "expired_stake" in codes(g, "ofac", "2021-01-01")
    assert blocked(g, "ofac", "2020-12-31") == {"A": 60.0}
    future = [listed("X"), party("A"), own("X", "A", "60", startDate="2026-01-01")]
    assert blocked(future, "ofac", "2025-06-01") == {}
    assert "not_yet_in_force" in codes(future, "ofac", "2025-06-01")


def test_coarse_or_bad_dates_make_unknown() -> None:
    coarse = [listed("X"), party("A"), own("X", "A", "60", endDate="2024")]
    assert unknown(coarse, "ofac", "2024-06-01") == {"A"}
    bad = [listed("X"), party("A"), own("X", "A", "60", endDate="last year")]
    assert unknown(bad, "ofac") == {"A"} and "unparseable_date" in codes(bad)


def test_cycles_terminate_and_block_what_they_should() -> None:
    g = [
        listed("X"),
        party("A"),
        party("B"),
        own("X", "A", "50"),
        own("A", "B", "50"),
        own("B", "A", "50"),
    ]
    out = report(g, "ofac")
    assert {b["id"] for b in out["blocked"]} == {"A", "B"}
    for entry in out["blocked"]:
        for path in entry["paths"]:
            assert path[0] == "X" and len(set(path)) == len(path)
    unlisted_cycle = [party("A"), party("B"), own("A", "B", "100"), own("B", "A", "100")]
    assert report(unlisted_cycle, "ofac")["blocked"] == []
