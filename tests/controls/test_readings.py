"""Every reading of an item's paragraph, complementary word conditions, and the
reasons for control that lack a License Requirements line (issue 15 §2, issue 17 §7)."""

from __future__ import annotations

from datetime import date

from dualuse.controls.chart import missing_reasons, reason_codes
from dualuse.controls.chart_layer import chart_reasons
from dualuse.controls.data import ControlData
from dualuse.controls.destinations import resolve
from dualuse.controls.model import Effect
from dualuse.controls.readings import readings
from dualuse.reference.ids.eccn import ECCN

DAY = date(2026, 7, 23)

# Every CCL entry (eCFR 2026-07-23) naming a reason for control for which no License
# Requirements line was read. This list may only shrink: when the data or the parser
# improves, remove the entry here; a new gap must fail this test until it is looked at.
MISSING_LINES = {
    "0A980": ("SS",),
    "0A981": ("CC",),
    "0A982": ("CC",),
    "0A983": ("CC",),
    "0A999": ("AT",),
    "1A231": ("AT",),
    "1A999": ("AT",),
    "1C350": ("CW", "AT"),
    "1C351": ("CW",),
    "1C355": ("CW", "AT"),
    "1C395": ("CB", "CW", "AT"),
    "1C980": ("SS",),
    "1C982": ("SS",),
    "1C983": ("SS",),
    "1C984": ("SS",),
    "1C988": ("SS",),
    "1D999": ("AT",),
    "2A994": ("AT",),
    "2A999": ("AT",),
    "2D994": ("AT",),
    "2E994": ("AT",),
    "3A232": ("RS",),
    "5A980": ("SL", "AT"),
    "5D980": ("SL", "AT"),
    "5E980": ("SL", "AT"),
    "6A992": ("RS",),
}


def test_missing_lines_can_only_shrink(control_data: ControlData) -> None:
    found = {k: e.missing_reasons for k, e in control_data.ccl.items() if e.missing_reasons}
    assert set(found) <= set(MISSING_LINES), sorted(set(found) - set(MISSING_LINES))
    for eccn, missing in found.items():
        assert set(missing) <= set(MISSING_LINES[eccn]), eccn


def test_every_entry_with_a_missing_line_is_never_no(control_data: ControlData) -> None:
    """6A992 to China answered 'no' while its RS line was missing; now every such entry
    leaves an undetermined reason naming the reason for control, for every row."""
    for eccn in MISSING_LINES:
        entry = control_data.ccl[eccn]
        for row in ("cn", "de", "in"):
            reasons, _ = chart_reasons(
                control_data, ECCN.parse(eccn), entry, resolve(control_data, row), DAY
            )
            gaps = [r for r in reasons if r.code == "missing_control_line"]
            assert gaps and gaps[0].effect is Effect.UNDETERMINED
            assert all(code in gaps[0].text for code in MISSING_LINES[eccn])


def test_reason_codes() -> None:
    assert reason_codes(("CC 1", "CC1", "MT and AT", "AT.", "RS AT")) == ("CC", "MT", "AT", "RS")
    assert reason_codes(("Foreign policy",)) == ("FP",)
    # the Russian industry sector sanctions line carries the foreign-policy reason
    assert missing_reasons(("AT", "foreign policy"), ("AT", "Russian")) == ()
    assert missing_reasons(("AT", "RS"), ("AT",)) == ("RS",)


def test_readings_cover_each_class_of_paragraphs(control_data: ControlData) -> None:
    entry = control_data.ccl["9A012"]
    shown = [str(r) for r in readings(ECCN.parse("9A012"), entry)]
    assert shown == ["9A012.a.1.~other", "9A012.~other"]
    # a paragraph already inside a line has one reading only
    assert len(readings(ECCN.parse("9A012.a.1"), entry)) == 1


def _chart(control_data: ControlData, eccn: str, to: str) -> list[tuple[str, Effect]]:
    entry = control_data.ccl[eccn.split(".")[0]]
    reasons, _ = chart_reasons(
        control_data, ECCN.parse(eccn), entry, resolve(control_data, to), DAY
    )
    return [(r.code, r.effect) for r in reasons]


def test_every_reading_agrees_yes(control_data: ControlData) -> None:
    """9A012 to Kazakhstan: NS 1 for all but .a.1 and NS 2 for .a.1, both X."""
    assert ("every_reading", Effect.REQUIRES) in _chart(control_data, "9A012", "KZ")
    # Germany has NS 1 but not NS 2: the readings disagree, no every-reading answer
    assert all(code != "every_reading" for code, _ in _chart(control_data, "9A012", "DE"))
    # 3A090 without paragraph to Germany: .a reaches it, .b and .c do not
    assert all(code != "every_reading" for code, _ in _chart(control_data, "3A090", "DE"))


def test_complementary_conditions(control_data: ControlData) -> None:
    """0A508: CC 1 below 24 in. of barrel, CC 2 from 24 in.: Vietnam has both X, China
    only CC 1 (and CC 3), so only Vietnam is answered whatever the barrel length."""
    assert ("every_reading", Effect.REQUIRES) in _chart(control_data, "0A508", "VN")
    assert all(code != "every_reading" for code, _ in _chart(control_data, "0A508", "CN"))
