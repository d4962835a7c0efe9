"""The decision model: verdict order, JSON round trip, stable keys and ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dualuse.decisions.model import (
    VERDICT_ORDER,
    Alert,
    AlertKey,
    Citation,
    Decision,
    DecisionReason,
    LineDecision,
    ListVersion,
    OrderError,
    OrderProblem,
    RedFlagHit,
    Role,
    Verdict,
    Versions,
    entry_digest,
    party_key,
    verdict_of,
)

CITE = Citation("15 CFR 746.1(b)", "Embargoes", "2024-09-30", "https://www.ecfr.gov/")


def _decision() -> Decision:
    key = AlertKey(party_key("Acme Trading", "kg"), "us_ofac_sdn", "123", "ab" * 32)
    return Decision(
        id="PO-1",
        verdict=Verdict.HOLD,
        decided_at="2026-12-07T12:00:00Z",
        reasons=(DecisionReason("screening.hit", Verdict.HOLD, "hit", "parties[0]", CITE),),
        alerts=(
            Alert(
                key,
                0,
                Role.BUYER,
                "Acme",
                "us_ofac_sdn",
                "123",
                "e1",
                "ACME",
                0.93,
                ("RUSSIA-EO14024",),
                ({"feature": "name", "weight": 1.0, "value": 0.93},),
            ),
        ),
        lines=(LineDecision(1, "EAR99", {"licence_required": "no"}),),
        flags=(RedFlagHit("kyc.forwarder_end_user", Verdict.REVIEW, "t", CITE, "parties[1]"),),
        problems=(OrderProblem("parties[0].incorporated", "not a date"),),
        versions=Versions((ListVersion("us_ofac_sdn", "2026-12-01"),), "abcdef012345", "0.1.0"),
        input_digest="0" * 64,
    )


def test_verdict_order_most_severe_first() -> None:
    assert [v.value for v in VERDICT_ORDER] == [
        "prohibited",
        "hold",
        "licence_required",
        "review",
        "clear",
    ]
    assert Verdict.worst([]) is Verdict.CLEAR
    assert Verdict.worst([Verdict.REVIEW, Verdict.LICENCE_REQUIRED]) is Verdict.LICENCE_REQUIRED


@given(st.lists(st.sampled_from(list(Verdict))))
def test_worst_is_max_severity(verdicts: list[Verdict]) -> None:
    worst = Verdict.worst(verdicts)
    assert all(v <= worst for v in verdicts)
    assert worst is Verdict.CLEAR or worst in verdicts


def test_decision_json_round_trip_and_stable_id() -> None:
    d = _decision()
    data = d.to_json()
    assert data["decision_id"].startswith("dec_") and len(data["decision_id"]) == 20
    assert Decision.from_json(data) == d
    assert verdict_of(d.reasons) is d.verdict
    assert set(data) >= {
        "id",
        "verdict",
        "reasons",
        "alerts",
        "lines",
        "flags",
        "problems",
        "versions",
        "input_digest",
    }


def test_party_key_ignores_case_and_spacing() -> None:
    assert party_key("ACME  Trading", "kg") == party_key("acme trading", "KG")
    assert party_key("Acme Trading", "KG") != party_key("Acme Trading", "KZ")


def test_entry_digest_changes_with_content() -> None:
    a = entry_digest(["A"], ["x"], ["P"])
    assert a == entry_digest(["A", "A"], ["x"], ["P"])
    assert a != entry_digest(["A", "B"], ["x"], ["P"])


def test_order_error_names_every_path() -> None:
    err = OrderError(
        [
            OrderProblem("route.destination", "missing"),
            OrderProblem("parties[1].role", "unknown 'byer'", ("buyer",)),
        ]
    )
    assert "route.destination: missing" in str(err)
    assert "did you mean buyer" in str(err)


def test_compact_json_drops_only_the_repeated_detail() -> None:
    d = _decision()
    full = d.to_json()
    small = d.to_json(compact=True)
    assert small["lines"][0]["determination"] == {"licence_required": "no"}
    assert {k: v for k, v in small.items() if k != "lines"} == {
        k: v for k, v in full.items() if k != "lines"
    }
