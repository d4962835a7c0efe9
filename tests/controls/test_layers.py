"""Citations of the end-use and embargo layers (issue 15 §3 audit)."""

from __future__ import annotations

from datetime import date

from dualuse.controls.data import ControlData
from dualuse.controls.destinations import resolve
from dualuse.controls.layers import embargo_reasons, end_use_reasons
from dualuse.controls.model import Effect

DAY = date(2026, 7, 23)


def test_end_use_rules_cite_their_own_sections(control_data: ControlData) -> None:
    """§ 744.6 restricts activities of U.S. persons; the end-use licence requirements
    are § 744.2(a) (nuclear), § 744.3(a) (missile) and § 744.4(a) (CBW)."""
    expected = {
        "nuclear": "§ 744.2(a)",
        "missile": "§ 744.3(a)",
        "chemical-biological": "§ 744.4(a)",
    }
    for use, to in (("nuclear", "IL"), ("missile", "PK"), ("chemical-biological", "DE")):
        (reason,) = end_use_reasons(
            control_data,
            use,
            resolve(control_data, to),
            is_ear99=True,
            as_of=DAY,
            food_or_medicine=None,
        )
        assert reason.effect is Effect.REQUIRES
        assert expected[use] in reason.citation.section
        assert "744.6" not in reason.citation.section


def test_iran_ear99_cites_the_itsr_beside_the_ear(control_data: ControlData) -> None:
    reasons, _ = embargo_reasons(
        control_data, resolve(control_data, "IR"), is_ear99=True, as_of=DAY, food_or_medicine=None
    )
    deciding = [r for r in reasons if r.effect is Effect.REQUIRES]
    acts = {(r.citation.act, r.citation.section.split(" (")[0]) for r in deciding}
    assert ("15 CFR", "§ 746.7(a)(1)-(2)") in acts and ("31 CFR", "part 560") in acts
    ofac = next(r for r in deciding if r.citation.act == "31 CFR")
    assert ofac.jurisdiction == "US-OFAC" and "EAR99" in ofac.text
    # a CCL item to Iran needs no OFAC reason to be decided
    ccl, _ = embargo_reasons(
        control_data, resolve(control_data, "IR"), is_ear99=False, as_of=DAY, food_or_medicine=None
    )
    assert not any(r.code == "embargo_iran_ear99_basis" for r in ccl)
