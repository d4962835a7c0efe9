"""The controls service and the JSON views of its answers (dualuse.views.controls)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from dualuse.errors import InputError, IntegrityError, NotFoundError
from dualuse.model.screening import MatchResult, ScreeningQuery, ScreeningResponse
from dualuse.services import controls as svc
from dualuse.settings import Settings
from dualuse.views import controls as views
from tests.controls.csl import csl_rows, match_from_row


class ExactNameScreener:
    """A real, deliberately simple screener over the real CSL file (exact, case-blind
    name equality) standing in until the fuzzy screening capability lands."""

    def __init__(self, shared_data: Path) -> None:
        self.rows = csl_rows(shared_data)

    def screen_end_user(self, name: str, country: str | None = None) -> Sequence[MatchResult]:
        wanted = name.casefold()
        return [match_from_row(r) for r in self.rows if r["name"].casefold() == wanted]


def service(settings: Settings, screener: svc.EndUserScreener | None = None) -> svc.ControlsService:
    return svc.ControlsService(settings, screener=screener, today=lambda: date(2026, 7, 23))


class BrokenScreener:
    """A screener whose lists cannot be read (fault injection, not a stand-in)."""

    def screen_end_user(self, name: str, country: str | None = None) -> Sequence[MatchResult]:
        raise IntegrityError("index file is corrupt")


def test_screening_unavailable_is_never_no(settings: Settings) -> None:
    result = service(settings, BrokenScreener()).determine(
        eccn="3A991", destination="DE", end_user="Anyone GmbH"
    )
    assert result.licence_required.value == "unknown"
    body = views.determination_json(result)
    assert any("end-user screening unavailable" in r["text"] for r in body["reasons"])  # type: ignore[union-attr,index]


def test_real_screening_finds_an_entity_list_end_user(screening_settings: Settings) -> None:
    s = svc.ControlsService(screening_settings, today=lambda: date(2026, 7, 23))
    listed = s.determine(
        eccn="EAR99", destination="CN", end_user="Beijing Huawei Digital Technologies Co., Ltd."
    )
    assert listed.licence_required.value == "yes"
    findings = listed.jurisdictions["US-EAR"].end_user_findings
    assert findings
    assert findings[0].license_policy == "Presumption of denial"
    clear = s.determine(eccn="3A991", destination="DE", end_user="Margarethe Quellenbrunner")
    assert clear.licence_required.value == "no"


def test_screener_protocol_drives_end_user_rules(settings: Settings, shared_data: Path) -> None:
    screener = ExactNameScreener(shared_data)
    assert isinstance(screener, svc.EndUserScreener)
    s = service(settings, screener)
    listed = s.determine(
        eccn="EAR99", destination="CN", end_user="beijing huawei digital technologies co., ltd."
    )
    assert listed.licence_required.value == "yes"
    assert (
        listed.jurisdictions["US-EAR"].end_user_findings[0].license_policy
        == "Presumption of denial"
    )
    assert listed.jurisdictions["US-EAR"].exceptions == ()  # no exceptions to Entity List parties
    clear = s.determine(eccn="3A991", destination="DE", end_user="Nobody Listed GmbH")
    assert clear.licence_required.value == "no"
    assert any(r.code == "end_user_clear" for r in clear.reasons)


def test_screening_adapter(settings: Settings, shared_data: Path) -> None:
    rows = csl_rows(shared_data)

    def screen(query: ScreeningQuery) -> ScreeningResponse:
        hits = tuple(match_from_row(r) for r in rows if r["name"] == query.name)
        return ScreeningResponse(
            query=query, threshold=0.9, algorithm="exact", matches=hits, index_version="test"
        )

    adapter = svc.ScreeningAdapter(screen)
    result = service(settings, adapter).determine(
        eccn="EAR99", destination="DK", end_user="KAL TEK LABS"
    )
    assert result.licence_required.value == "yes"
    assert any(r.code == "denied_person" for r in result.reasons)


def test_json_views_and_errors(settings: Settings) -> None:
    s = service(settings)
    body = views.determination_json(
        s.determine(eccn="3A090.c", destination="MO", as_of=date(2026, 7, 23))
    )
    assert body["licence_required"] == "yes" and body["destination"]["iso2"] == "MO"  # type: ignore[index]
    assert all(r["citation"]["text"] for r in body["reasons"])  # type: ignore[union-attr,index]
    assert body["warnings"] == []
    stale = views.determination_json(
        s.determine(eccn="3A090.c", destination="MO", as_of=date(2026, 11, 1))
    )
    assert stale["warnings"]
    cls = views.classification_json(
        s.classify({"tflops_fp16": 312, "die_area_mm2": 826, "datacenter": True})
    )
    assert (
        cls["entries"] == ["3A090.a"]
        and cls["tpp"] == 4992.0
        and cls["performance_density"] == 6.0436
    )
    assert views.hs_json(s.classify_hs("854239"))["chpl_tier"] == "Tier 1"
    assert views.entry_json(s.show("3a090.A"))["eccn"] == "3A090"
    assert views.hit_json(s.search("water cannon")[0])["code"] == "0A977"
    with pytest.raises(InputError):
        s.determine(eccn="3A090.a", destination="DE", end_use="curiosity")
    with pytest.raises(InputError):
        s.search("   ")
    with pytest.raises(NotFoundError):
        s.show("EAR99")
    with pytest.raises(InputError) as err:
        s.show("3A099")
    assert err.value.suggestions
    with pytest.raises(InputError):
        svc.parse_as_of("2026-13-01")
    with pytest.raises(InputError) as hs:
        s.classify_hs("854299")
    assert "854239" in hs.value.suggestions


def test_gap_png(settings: Settings, tmp_path: Path) -> None:
    view = service(settings).gap("3A001.a.2")
    path = svc.save_gap_png(view, tmp_path / "gap.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert views.gap_json(view)["weak_links"]


def _near_miss(s: svc.ControlsService, name: str, country: str) -> tuple[MatchResult, float]:
    from dualuse.services.screening import ScreeningService

    screening = ScreeningService(s.settings)
    response = screening.screen(ScreeningQuery(name=name, country=country))
    misses = [h for h in response.matches if not h.match]
    assert misses, f"{name!r} has no near miss to test with"
    return max(misses, key=lambda h: h.score), response.threshold


def test_review_band_decides_near_misses(screening_settings: Settings) -> None:
    """The band under the threshold is measured against the real screen: a near miss
    whose score is inside the band makes the answer unknown and names the hit; the same
    near miss just below the band leaves the end user clear (issue 15 §2)."""
    from dataclasses import replace

    base = svc.ControlsService(screening_settings, today=lambda: date(2026, 7, 23))
    name = "Mueller Maschinenbau GmbH"  # its best hit scored 0.275 at threshold 0.75
    hit, threshold = _near_miss(base, name, "de")
    gap = threshold - hit.score
    assert gap > 0.001

    def with_band(band: float) -> svc.ControlsService:
        controls = replace(screening_settings.controls, end_user_review_band=band)
        return svc.ControlsService(
            replace(screening_settings, controls=controls), today=lambda: date(2026, 7, 23)
        )

    inside = with_band(gap + 0.001).determine(eccn="3A991", destination="DE", end_user=name)
    assert inside.licence_required.value == "unknown"
    band_reasons = [r for r in inside.reasons if r.code == "screening_review_band"]
    assert band_reasons and hit.name in band_reasons[0].text
    assert not any(r.code == "end_user_clear" for r in inside.reasons)
    below = with_band(gap - 0.001).determine(eccn="3A991", destination="DE", end_user=name)
    assert below.licence_required.value == "no"
    assert any(r.code == "end_user_clear" for r in below.reasons)


def test_rostec_is_never_clear(screening_settings: Settings) -> None:
    """Rostec (Entity List and SDN) to the UAE: unknown while the screen scores it under
    the threshold (it scored 0.61 at threshold 0.75, default band 0.20), the
    entry's requirement once it matches; never 'no'."""
    s = svc.ControlsService(screening_settings, today=lambda: date(2026, 7, 23))
    result = s.determine(eccn="EAR99", destination="AE", end_user="Rostec")
    assert result.licence_required.value != "no"
    texts = " ".join(r.text for r in result.reasons if r.effect.value != "info").upper()
    assert "ROSTEC" in texts


def test_review_band_setting_is_checked(settings: Settings) -> None:
    from dataclasses import replace

    bad = replace(settings, controls=replace(settings.controls, end_user_review_band=1.5))
    with pytest.raises(InputError, match="end_user_review_band"):
        service(bad, ExactNameScreener(settings.shared_data or Path())).determine(
            eccn="3A991", destination="DE", end_user="Anyone GmbH"
        )


def test_entry_view_shows_except_lists(settings: Settings) -> None:
    body = views.entry_json(service(settings).show("9A610"))
    ns = body["license_requirements"][0]  # type: ignore[index]
    assert ns["scope"] == "entire entry" and ns["excepted"] == ["9A610.b", "9A610.y"]
    assert ns["excepted_if_condition"] == ["9A610.x"] and ns["scope_conditions"] == ""
