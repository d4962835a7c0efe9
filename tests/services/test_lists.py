"""List use cases: load with audit, update over real HTTP on loopback (truncation, 500s,
HTML pages, size limit), per-list isolation, status, diff, the bundled snapshot."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.screening.lists import load_path
from dualuse.services import lists as service
from dualuse.settings import ScreeningSettings, Settings
from dualuse.storage import audit
from dualuse.storage.db import make_engine
from dualuse.storage.lists import ListStore, Snapshot
from tests.screening.lists.server import FileServer, Route

OFAC = Path("sanctions/ofac")


def fast(settings: Settings, **changes: object) -> Settings:
    screening = replace(settings.screening, download_backoff_s=0.01, download_retries=2, **changes)
    return replace(settings, screening=screening)


def raw_rows(path: Path) -> dict[str, list[str]]:
    text = path.read_bytes().rstrip(b"\x1a\r\n").decode("ascii")
    return {row[0]: [" ".join(c.split()) for c in row] for row in csv.reader(io.StringIO(text))}


def test_diff_sdn_april_to_may_matches_the_files(shared_data: Path, settings: Settings) -> None:
    old_rows = raw_rows(shared_data / OFAC / "sdn_2024-04-02/sdn.csv")
    new_rows = raw_rows(shared_data / OFAC / "sdn_2024-05-03/sdn.csv")
    result = service.diff_versions(
        service.open_version(settings, str(shared_data / OFAC / "sdn_2024-04-02")),
        service.open_version(settings, str(shared_data / OFAC / "sdn_2024-05-03")),
    )
    added = set(new_rows) - set(old_rows)
    removed = set(old_rows) - set(new_rows)
    changed = {e for e in set(new_rows) & set(old_rows) if new_rows[e] != old_rows[e]}
    assert {p.provenance.entry_id for p in result.added} == added
    assert {p.provenance.entry_id for p in result.removed} == removed
    assert {c.entry_id for c in result.changed} == changed
    assert (len(added), len(removed), len(changed)) == (417, 12, 11)
    assert len(added) - len(removed) == 405  # the net growth SOURCES.md states
    pouya = next(c for c in result.changed if c.entry_id == "13109")
    assert {"identifiers", "programs", "remarks"} <= set(pouya.fields)


def test_load_records_audit_and_failure_keeps_live(
    shared_data: Path, settings: Settings, tmp_path: Path
) -> None:
    first = service.load_list(settings, shared_data / OFAC / "sdn_2024-04-02")
    assert first.result.status == "committed" and first.diff is None
    second = service.load_list(settings, shared_data / OFAC / "sdn_2024-05-03")
    assert second.diff is not None and second.diff.summary()["added"] == 417
    broken = tmp_path / "sdn_2024-06-01"
    broken.mkdir()
    data = (shared_data / OFAC / "sdn_2024-05-03/sdn.csv").read_bytes()
    (broken / "sdn.csv").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        service.load_list(settings, broken)
    assert err.value.source == "sdn.csv" and err.value.location
    assert ListStore(settings.home).current_version("us_ofac_sdn") == "2024-05-03"
    records = audit.records(make_engine(settings.db_url), subject="list:us_ofac_sdn")
    actions = [(r.action, r.payload.get("version")) for r in records]
    assert actions[:2] == [("lists.load", "2024-04-02"), ("lists.load", "2024-05-03")]
    assert records[1].payload["changes"]["removed"] == 12
    assert records[1].payload["sha256"] == second.result.stored.sha256
    failed = audit.records(make_engine(settings.db_url), action="lists.load.failed")
    assert failed and "line" in failed[-1].payload["error"]
    assert audit.verify_chain(make_engine(settings.db_url)) >= 3


def test_load_is_audited_on_each_database(
    shared_data: Path, settings: Settings, db_url: str
) -> None:
    on_db = replace(settings, database_url=db_url)
    outcome = service.load_list(on_db, shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    (record,) = audit.records(make_engine(db_url), subject="list:un_sc")
    assert record.action == "lists.load"
    assert record.payload["sha256"] == outcome.result.stored.sha256
    assert record.payload["count"] == 1003


def test_bundled_snapshot_is_a_faithful_parse(shared_data: Path) -> None:
    snapshot = Snapshot.bundled()
    metas = {m.list_id: m for m in snapshot.versions()}
    assert set(metas) == {"us_csl", "us_ofac_sdn", "us_ofac_cons"}
    sources = {
        "us_csl": shared_data / "sanctions/csl/csl_2026-07-31_converted.csv",
        "us_ofac_sdn": shared_data / OFAC / "sdn_2024-05-03",
        "us_ofac_cons": shared_data / OFAC / "consolidated_2025-12-19",
    }
    for list_id, path in sources.items():
        fresh = load_path(path)
        bundled = snapshot.load(list_id)
        assert (bundled.version, bundled.sha256) == (fresh.version, fresh.sha256)
        assert metas[list_id].count == len(fresh.parties)
        assert bundled.parties == fresh.parties
    # The snapshot stays small; the prebuilt index beside it is checked in test_bundle.py.
    size = sum(
        p.stat().st_size
        for p in snapshot.folder.iterdir()
        if not p.name.startswith("bundled_index")
    )
    assert size < 4 * 1024 * 1024


def test_current_lists_prefers_the_store_list_by_list(
    shared_data: Path, settings: Settings
) -> None:
    bundled = service.current_lists(settings)
    assert {(v.list_id, v.origin) for v in bundled.versions} == {
        ("us_csl", "bundled"),
        ("us_ofac_cons", "bundled"),
        ("us_ofac_sdn", "bundled"),
    }
    assert service.current_lists(settings).fingerprint == bundled.fingerprint
    service.load_list(settings, shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    service.load_list(settings, shared_data / OFAC / "sdn_2024-04-02")
    mixed = service.current_lists(settings)
    origins = {v.list_id: (v.origin, v.version) for v in mixed.versions}
    assert origins["us_ofac_sdn"] == ("store", "2024-04-02")
    assert origins["un_sc"] == ("store", "2026-02-27")
    assert origins["us_csl"] == ("bundled", "2026-07-31")
    assert mixed.fingerprint != bundled.fingerprint
    loaded = {lv.list_id: len(lv.parties) for lv in mixed.load(["un_sc", "us_csl"])}
    assert loaded == {"un_sc": 1003, "us_csl": 25921}
    only_store = replace(settings, screening=replace(settings.screening, use_bundled_lists=False))
    assert {v.list_id for v in service.current_lists(only_store).versions} == {
        "un_sc",
        "us_ofac_sdn",
    }


def test_status_warns_when_stale(settings: Settings) -> None:
    rows = service.status(settings, today=date(2026, 8, 15))
    by_id = {r.list_id: r for r in rows}
    assert by_id["us_csl"].age_days == 15 and not by_id["us_csl"].stale
    assert by_id["us_ofac_sdn"].stale and "bundled snapshot 2024-05-03" in (
        by_id["us_ofac_sdn"].warning or ""
    )


# -- update over HTTP ------------------------------------------------------------------------


@pytest.mark.slow
def test_update_downloads_records_and_reports_changes(
    shared_data: Path, settings: Settings
) -> None:
    april = (shared_data / OFAC / "sdn_2024-04-02/sdn.csv").read_bytes()
    may = (shared_data / OFAC / "sdn_2024-05-03/sdn.csv").read_bytes()
    routes = {"/ofac/sdn.csv": Route(april, last_modified="Tue, 02 Apr 2024 12:00:00 GMT")}
    with FileServer(routes) as server:
        urls = {"us_ofac_sdn": server.url("/ofac/sdn.csv")}
        (first,) = service.update_lists(fast(settings), ["us_ofac_sdn"], urls=urls)
        assert (first.status, first.version, first.count) == ("committed", "2024-04-02", 14560)
        assert first.files == {"sdn.csv": first.sha256}
        (again,) = service.update_lists(fast(settings), ["us_ofac_sdn"], urls=urls)
        assert again.status == "unchanged"
        routes["/ofac/sdn.csv"] = Route(may, last_modified="Fri, 03 May 2024 12:00:00 GMT")
        (second,) = service.update_lists(fast(settings), ["us_ofac_sdn"], urls=urls)
    assert second.status == "committed" and second.version == "2024-05-03"
    assert second.changes and (second.changes["added"], second.changes["removed"]) == (417, 12)
    assert server.hits["/ofac/alt.csv"] >= 1  # optional siblings asked for, 404 tolerated
    stored = ListStore(settings.home).source_files("us_ofac_sdn")
    assert stored == {"sdn.csv": may}
    actions = [
        r.action for r in audit.records(make_engine(settings.db_url), subject="list:us_ofac_sdn")
    ]
    # the update that changed the list also re-screened the stored parties (none yet)
    assert actions == ["lists.update", "lists.update", "lists.update", "lists.monitoring"]
    assert second.monitoring is not None and second.monitoring.entries_screened == 417 + 11


def test_retries_after_server_errors(shared_data: Path, settings: Settings) -> None:
    body = (shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml").read_bytes()
    with FileServer({"/un.xml": Route(body, "application/xml", fail_first=2)}) as server:
        (outcome,) = service.update_lists(
            fast(settings), ["un_sc"], urls={"un_sc": server.url("/un.xml")}
        )
    assert outcome.status == "committed" and outcome.version == "2026-02-27"
    assert server.hits["/un.xml"] == 3


def test_failures_are_isolated_per_list(shared_data: Path, settings: Settings) -> None:
    un = (shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml").read_bytes()
    csl = (shared_data / "sanctions/csl/csl_2026-07-31_converted.csv").read_bytes()
    dpl = (shared_data / "sanctions/bis/dpl_2023-11-30.txt").read_bytes()
    service.load_list(settings, shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml")
    page = b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>"
    routes = {
        "/un.xml": Route(un, "application/xml", truncate_at=len(un) // 2),
        "/csl.csv": Route(page, "text/html"),
        "/dpl.txt": Route(dpl, "text/plain", last_modified="Thu, 30 Nov 2023 08:00:00 GMT"),
        "/csl-plain.csv": Route(page, "text/plain"),
        "/big.csv": Route(csl),
    }
    with FileServer(routes) as server:
        urls = {
            "un_sc": server.url("/un.xml"),
            "us_csl": server.url("/csl.csv"),
            "us_bis_dpl": server.url("/dpl.txt"),
        }
        outcomes = service.update_lists(
            fast(settings), ["un_sc", "us_csl", "us_bis_dpl"], urls=urls
        )
        by_id = {o.list_id: o for o in outcomes}
        assert by_id["un_sc"].status == "failed" and "failed after 3 attempts" in (
            by_id["un_sc"].error or ""
        )
        assert server.hits["/un.xml"] == 3
        assert by_id["us_csl"].status == "failed" and "HTML page" in (by_id["us_csl"].error or "")
        assert (
            by_id["us_bis_dpl"].status == "committed"
            and by_id["us_bis_dpl"].version == "2023-11-30"
        )
        (plain,) = service.update_lists(
            fast(settings), ["us_csl"], urls={"us_csl": server.url("/csl-plain.csv")}
        )
        assert plain.status == "failed" and "HTML page" in (plain.error or "")
        small = fast(settings, max_download_bytes=1_000_000)
        (big,) = service.update_lists(small, ["us_csl"], urls={"us_csl": server.url("/big.csv")})
        assert big.status == "failed" and "limit" in (big.error or "")
    store = ListStore(settings.home)
    assert store.current_version("un_sc") == "2026-02-27"  # the last good copy stays live
    assert "us_csl" not in store.list_ids()
    failed = audit.records(make_engine(settings.db_url), action="lists.update.failed")
    assert {r.subject for r in failed} == {"list:un_sc", "list:us_csl"}


def test_url_overrides_are_checked() -> None:
    assert service.parse_url_overrides(
        ["un_sc=http://127.0.0.1:1/x.xml, us_csl=https://m/c.csv"]
    ) == {
        "un_sc": "http://127.0.0.1:1/x.xml",
        "us_csl": "https://m/c.csv",
    }
    with pytest.raises(InputError, match="unknown list"):
        service.parse_url_overrides(["nope=http://x/y"])
    with pytest.raises(InputError, match="http"):
        service.parse_url_overrides(["un_sc=file:///etc/passwd"])


def test_settings_urls_are_used(shared_data: Path, settings: Settings) -> None:
    body = (shared_data / "sanctions/un/UN_consolidated_2026-02-27.xml").read_bytes()
    with FileServer({"/un.xml": Route(body, "application/xml")}) as server:
        configured = fast(settings, list_urls=f"un_sc={server.url('/un.xml')}")
        (outcome,) = service.update_lists(configured, ["un_sc"])
    assert outcome.status == "committed"
    assert isinstance(configured.screening, ScreeningSettings)
