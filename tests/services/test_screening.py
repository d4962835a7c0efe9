from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.model.screening import ScreeningQuery
from dualuse.services.lists import load_list
from dualuse.services.screening import ScreeningService, ensure_index
from dualuse.settings import Settings


def test_screens_a_listed_party_with_explanation(screening_settings: Settings) -> None:
    service = ScreeningService(screening_settings)
    assert service.info.origin in {"bundled", "cached"}
    response = service.screen(ScreeningQuery(name="Gazprom Neft"))
    best = response.matches[0]
    assert best.match
    assert "gazprom neft" in best.name.lower()
    assert best.list_id in {"us_csl", "us_ofac_sdn"}
    assert any(e.feature == "name_match" and e.value > 0 for e in best.explanation)
    assert response.index_version == service.info.fingerprint


def test_stale_bundled_lists_warn(screening_settings: Settings) -> None:
    response = ScreeningService(screening_settings).screen(ScreeningQuery(name="Anything"))
    assert any("days old" in w for w in response.warnings)


def test_unlisted_name_does_not_match(screening_settings: Settings) -> None:
    response = ScreeningService(screening_settings).screen(
        ScreeningQuery(name="Margarethe Quellenbrunner")
    )
    assert not response.is_match


@pytest.mark.slow
def test_loading_a_list_rebuilds_the_index(tmp_path: Path, shared_data: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    before = ScreeningService(settings)
    with pytest.raises(
        InputError, match="unknown list 'un_sc'; the loaded lists are: us_csl"
    ) as raised:
        before.screen(ScreeningQuery(name="Ri Won Ho", lists=("un_sc",)))
    assert "`dualuse lists update un_sc` loads it" in raised.value.message
    load_list(settings, shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    after = ScreeningService(settings)
    assert after.info.fingerprint != before.info.fingerprint
    assert after.info.origin == "built"
    hit = after.screen(ScreeningQuery(name="Ri Won Ho", lists=("un_sc",))).matches[0]
    assert hit.list_id == "un_sc"
    assert hit.match
    again = ScreeningService(settings)
    assert again.info.origin == "cached"
    _, info = ensure_index(settings)
    assert info.path == after.info.path
