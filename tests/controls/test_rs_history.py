"""The advanced-computing RS lines before the AI Diffusion rule (issue 15 §2-3)."""

from __future__ import annotations

from datetime import date

from dualuse.controls.data import ControlData
from dualuse.controls.decision import determine
from dualuse.controls.destinations import resolve
from dualuse.controls.determine import DeterminationRequest
from dualuse.controls.model import Outcome
from dualuse.controls.rs_history import named_later, verdict_2023

TODAY = date(2026, 7, 23)


def _answer(control_data: ControlData, eccn: str, to: str, as_of: str) -> str:
    request = DeterminationRequest(eccn=eccn, destination=to, as_of=date.fromisoformat(as_of))
    return determine(control_data, request, today=TODAY).licence_required.value


def test_3a090_a_and_b_to_the_uae_agree_on_2024_06_01(control_data: ControlData) -> None:
    """Both paragraphs were under the 2023 scope; the UAE is named beside the groups in
    the codified text and its 2024 group membership is not in our sources: the same
    answer for both, and never 'no'."""
    a = _answer(control_data, "3A090.a", "AE", "2024-06-01")
    b = _answer(control_data, "3A090.b", "AE", "2024-06-01")
    assert a == b == "unknown"
    assert _answer(control_data, "4A090.b", "AE", "2024-06-01") == "unknown"
    # after the AI Diffusion rule the codified text applies: .b names the UAE
    assert _answer(control_data, "3A090.b", "AE", "2026-07-23") == "yes"
    # destinations the groups decide alike for .a and .b on the same date
    for to in ("CN", "SA", "DE", "IL"):
        assert _answer(control_data, "3A090.a", to, "2024-06-01") == _answer(
            control_data, "3A090.b", to, "2024-06-01"
        ), to


def test_4a090_uae_note_does_not_say_no_licence(control_data: ControlData) -> None:
    """The conflict note for 4A090.a to the UAE said no licence was needed under the
    October 2023 rule; the rule text (D:1, D:4, D:5 less A:5/A:6, plus Macau) does not
    settle the UAE without its group membership then, so the note says it cannot tell."""
    request = DeterminationRequest(eccn="4A090.a", destination="AE", as_of=TODAY)
    result = determine(control_data, request, today=TODAY)
    (conflict,) = result.jurisdictions["US-EAR"].conflicts
    note = str(conflict["under_october_2023_rule"])
    assert "no RS license required" not in note and "cannot tell" in note
    entry = control_data.ccl["4A090"]
    assert named_later(entry) == {"ae"}
    assert verdict_2023(entry, resolve(control_data, "AE")) is Outcome.UNKNOWN
    assert verdict_2023(entry, resolve(control_data, "CN")) is Outcome.YES
    assert verdict_2023(entry, resolve(control_data, "MO")) is Outcome.YES
    assert verdict_2023(entry, resolve(control_data, "DE")) is Outcome.NO
