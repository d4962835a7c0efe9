"""End-user rules on MatchResults built from real CSL rows (2026-07-31)."""

from __future__ import annotations

from pathlib import Path

from dualuse.controls.data import ControlData
from dualuse.controls.end_user import apply_hits
from dualuse.controls.model import Effect
from tests.controls.csl import csl_row, csl_rows, match_from_row


def _effects(
    control_data: ControlData, row: dict[str, str], *, ear99: bool = False, dest: str | None = "cn"
) -> list[tuple[str, Effect]]:
    findings = apply_hits(
        control_data.rules, [match_from_row(row)], is_ear99=ear99, destination_row=dest
    )
    return [(r.code, r.effect) for f in findings for r in f.reasons]


def test_every_entity_list_row_is_read(control_data: ControlData, shared_data: Path) -> None:
    """All 3,420 Entity List rows: each gives a requirement (or 'unknown'), never 'no'
    for a CCL item, and carries its own review policy text."""
    rows = [r for r in csl_rows(shared_data) if r["source"].startswith("Entity List")]
    assert len(rows) == 3420
    counts = {Effect.REQUIRES: 0, Effect.UNDETERMINED: 0}
    for row in rows:
        findings = apply_hits(
            control_data.rules, [match_from_row(row)], is_ear99=False, destination_row="cn"
        )
        (reason,) = findings[0].reasons
        assert reason.effect in counts, row["license_requirement"]
        counts[reason.effect] += 1
        assert findings[0].blocks_exceptions
        assert reason.detail["license_policy"] == (
            row["license_policy"].strip() or "not stated in the list entry"
        )
        assert "744.11" in reason.citation.section
    assert counts[Effect.REQUIRES] > 3000 and counts[Effect.UNDETERMINED] >= 81 + 19


def test_entity_list_all_items(control_data: ControlData, shared_data: Path) -> None:
    row = csl_row(shared_data, "Entity List", "Beijing Huawei Digital Technologies Co., Ltd.")
    assert _effects(control_data, row, ear99=True) == [("entity_list", Effect.REQUIRES)]


def test_entity_list_supp7_scope(control_data: ControlData, shared_data: Path) -> None:
    """'For items on the CCL and listed in supplement no. 7' is not read as excluding
    EAR99 without a source (a sibling entry names EAR99 items expressly): unknown, with
    the HTS-6 code as the deciding fact (issue 15 §2)."""
    row = csl_row(shared_data, "Entity List", "Address 01")
    assert _effects(control_data, row, ear99=True) == [("entity_list", Effect.UNDETERMINED)]
    assert _effects(control_data, row, ear99=False) == [("entity_list", Effect.UNDETERMINED)]
    findings = apply_hits(
        control_data.rules, [match_from_row(row)], is_ear99=True, destination_row="cn"
    )
    assert "HTS-6" in findings[0].reasons[0].text
    sibling = csl_row(shared_data, "Entity List", "Address 11")
    assert "EAR99 items listed in supplement no. 7" in sibling["license_requirement"]
    assert _effects(control_data, sibling, ear99=True) == [("entity_list", Effect.UNDETERMINED)]


def test_meu(control_data: ControlData, shared_data: Path) -> None:
    row = csl_row(shared_data, "Military End User", "AECC Aero Science & Technology Co. Ltd.")
    assert _effects(control_data, row) == [("meu", Effect.UNDETERMINED)]
    # All 70 MEU rows of 2026-07-31 are in China; the same party receiving in Russia
    # falls under § 744.21 as extended to Russia (all items except EAR99 food/medicine).
    assert _effects(control_data, row, dest="ru") == [("meu", Effect.REQUIRES)]


def test_uvl_dpl_sdn(control_data: ControlData, shared_data: Path) -> None:
    uvl = csl_row(shared_data, "Unverified List", "Abu Trade LLC")
    assert _effects(control_data, uvl) == [("uvl", Effect.CONDITION)]
    dpl = csl_row(shared_data, "Denied Persons", "KAL TEK LABS")
    assert _effects(control_data, dpl) == [("denied_person", Effect.REQUIRES)]
    npwmd = csl_row(shared_data, "Specially Designated Nationals", "TANCHON COMMERCIAL BANK")
    assert ("sdn_npwmd", Effect.REQUIRES) in _effects(control_data, npwmd)
    cuba = csl_row(shared_data, "Specially Designated Nationals", "AEROCARIBBEAN AIRLINES")
    effects = _effects(control_data, cuba)
    assert effects == [("ofac_sdn", Effect.REQUIRES)]


def test_other_lists_need_review(control_data: ControlData, shared_data: Path) -> None:
    for source, name in [
        ("Nonproliferation", "SPC Supachoke"),
        ("ITAR Debarred", "Edwin Acety"),
        ("Non-SDN Chinese", "China Telecom Corporation Limited"),
    ]:
        row = csl_row(shared_data, source, name)
        assert _effects(control_data, row) == [("other_list", Effect.UNDETERMINED)], source


def test_hit_below_the_review_band_is_information_only(
    control_data: ControlData, shared_data: Path
) -> None:
    row = csl_row(shared_data, "Entity List", "Beijing Huawei Digital Technologies Co., Ltd.")
    findings = apply_hits(
        control_data.rules,
        [match_from_row(row, score=0.6, match=False)],
        is_ear99=False,
        destination_row="cn",
        review_floor=0.65,
    )
    assert [r.effect for r in findings[0].reasons] == [Effect.INFO]
    assert not findings[0].blocks_exceptions


def test_hit_in_the_review_band_is_unknown_and_named(
    control_data: ControlData, shared_data: Path
) -> None:
    """Issue 15 §2: a restricted-party hit within the review band under the threshold
    makes the answer unknown, naming the hit and the rule that applies if it is the
    same party; it is never recorded as information only."""
    row = csl_row(shared_data, "Entity List", "Beijing Huawei Digital Technologies Co., Ltd.")
    for floor in (0.6, 0.55, None):
        findings = apply_hits(
            control_data.rules,
            [match_from_row(row, score=0.6, match=False)],
            is_ear99=True,
            destination_row="ae",
            review_floor=floor,
        )
        (reason,) = findings[0].reasons
        assert (reason.code, reason.effect) == ("screening_review_band", Effect.UNDETERMINED)
        assert row["name"] in reason.text and "0.60" in reason.text
        assert "all items subject to the EAR" in reason.text
        assert "744.11" in reason.citation.section
        assert findings[0].blocks_exceptions


def test_hits_on_the_sdn_and_dpl_lists_themselves(
    control_data: ControlData, shared_data: Path
) -> None:
    """A match on OFAC's SDN list or BIS's Denied Persons List loaded on its own (no CSL
    sublist) carries the same rule as its CSL copy, not a generic 'review' (a listed
    party above the threshold gets its list's licence requirement)."""
    from dataclasses import replace

    sdn = csl_row(shared_data, "Specially Designated Nationals", "TANCHON COMMERCIAL BANK")
    hit = replace(match_from_row(sdn), list_id="us_ofac_sdn", sublist=None)
    findings = apply_hits(control_data.rules, [hit], is_ear99=True, destination_row="cn")
    codes = [(r.code, r.effect) for r in findings[0].reasons]
    assert ("ofac_sdn", Effect.REQUIRES) in codes and ("sdn_npwmd", Effect.REQUIRES) in codes
    dpl = csl_row(shared_data, "Denied Persons", "KAL TEK LABS")
    hit = replace(match_from_row(dpl), list_id="us_bis_dpl", sublist=None)
    findings = apply_hits(control_data.rules, [hit], is_ear99=True, destination_row="dk")
    assert [(r.code, r.effect) for r in findings[0].reasons] == [("denied_person", Effect.REQUIRES)]
    cons = replace(match_from_row(sdn), list_id="us_ofac_cons", sublist=None)
    findings = apply_hits(control_data.rules, [cons], is_ear99=True, destination_row="cn")
    assert findings[0].reasons[0].code == "other_list"
