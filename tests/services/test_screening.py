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


def test_the_service_records_each_screen_in_the_audit_log(screening_settings: Settings) -> None:
    """Audit is written by the service, so the CLI, the API and any caller record alike."""
    from dualuse.storage import audit
    from dualuse.storage.db import make_engine

    engine = make_engine(screening_settings.db_url)
    service = ScreeningService(screening_settings)
    one = service.screen_recorded(engine, "cli", ScreeningQuery(name="Gazprom Neft", id="c-1"))
    many = service.screen_batch_recorded(
        engine, "apikey:k", [ScreeningQuery(name="Gazprom Neft"), ScreeningQuery(name="Qx Zv")]
    )
    single, batch = audit.records(engine)
    assert (single.actor, single.action, single.subject) == ("cli", "screen", "query:c-1")
    assert single.payload["index"] == one.index_version
    assert single.payload["hits"] == [
        [m.list_id, m.entry_id, m.score] for m in one.matches if m.match
    ]
    assert single.payload["hits"]
    assert (batch.actor, batch.action, batch.subject) == ("apikey:k", "screen.batch", "batch:2")
    assert batch.payload == {
        "queries": 2,
        "matched": sum(r.is_match for r in many),
        "index": service.index.version,
    }
    assert audit.verify_chain(engine) == 2
    with pytest.raises(InputError):
        service.screen_batch_recorded(engine, "cli", [ScreeningQuery(name="x", lists=("nope",))])
    assert audit.verify_chain(engine) == 2
