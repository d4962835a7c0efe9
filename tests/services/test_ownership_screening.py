"""A party on no list but blocked through ownership is a hit, marked derived, with the
path; the real screening index answers the list part."""

from __future__ import annotations

from datetime import date

from dualuse.model.screening import ScreeningQuery
from dualuse.services.diversion import DiversionService, graph_from_records
from dualuse.services.ownership_screening import (
    OwnershipIndex,
    name_key,
    screen_with_ownership,
)
from dualuse.services.screening import ScreeningService
from dualuse.settings import Settings
from tests.diversion.ownership.graphs import listed, own, party


def ownership_index(settings: Settings) -> OwnershipIndex:
    records = [
        listed("X"),
        {"id": "A", "schema": "Company", "properties": {"name": ["Zyxwv Quplor Trading LLC"]}},
        {"id": "B", "schema": "Company", "properties": {"name": ["Vormqix Holdings"]}},
        party("C"),
        own("X", "A", "50"),
        own("X", "B"),
    ]
    report = DiversionService(settings).ownership_graph(
        graph_from_records("ftm", records), rule="ofac", as_of=date(2025, 1, 1)
    )
    return OwnershipIndex(report)


def test_derived_hit_by_name_with_path(screening_settings: Settings) -> None:
    service = ScreeningService(screening_settings)
    index = ownership_index(screening_settings)
    result = screen_with_ownership(service, ScreeningQuery("ZYXWV QUPLOR TRADING, LLC"), index)
    assert not result.response.is_match  # on no list
    assert result.is_match
    (hit,) = result.derived
    assert hit.derived and hit.status == "blocked" and hit.party_id == "A"
    assert hit.paths[0] == ["X", "A"] and hit.aggregate_percentage == 50.0
    assert hit.to_json()["derived"] is True and "13 Aug 2014" in hit.citation


def test_unknown_by_id_and_no_ownership(screening_settings: Settings) -> None:
    service = ScreeningService(screening_settings)
    index = ownership_index(screening_settings)
    result = screen_with_ownership(service, ScreeningQuery("someone else", id="B"), index)
    assert [h.status for h in result.derived] == ["unknown"]
    plain = screen_with_ownership(service, ScreeningQuery("Zyxwv Quplor Trading LLC"), None)
    assert plain.derived == () and not plain.is_match


def test_name_key() -> None:
    assert name_key("  Ｚyxwv-Quplor  Trading, L.L.C. ") == "zyxwv quplor trading l l c"
