from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dualuse.errors import InputError
from dualuse.services.diversion import DiversionService, graph_from_records, parse_date
from dualuse.settings import Settings
from tests.diversion.ownership.graphs import listed, own, party


def test_ownership_from_records_and_file(settings: Settings, tmp_path: Path) -> None:
    service = DiversionService(settings)
    records = [listed("X"), party("A"), own("X", "A", "50")]
    graph = graph_from_records("ftm", records)
    report = service.ownership_graph(graph, rule="eu", as_of=date(2024, 7, 3))
    assert [b["id"] for b in report["blocked"]] == ["A"]  # type: ignore[index]
    bods = settings.shared_data / "diversion" / "bods_examples" / "joint-ownership.json"  # type: ignore[operator]
    out = service.ownership_file(bods, fmt="bods", rule="ofac", listed=["1accb8b18b99"])
    assert out["counts"]["blocked"] == 2  # type: ignore[index]


def test_rule_checked_before_reading(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown rule"):
        DiversionService(settings).ownership_file(tmp_path / "missing.jsonl", rule="us")


def test_flows_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dualuse.services import diversion

    service = DiversionService(Settings(home=tmp_path))
    # From this checkout the shared data beside it are found without the variable...
    assert service.flows_growth("KG", 2021, 2023).change_percent == 938.5
    # ...elsewhere (an installed package) the error says what to set.
    monkeypatch.setattr(diversion, "CHECKOUT", tmp_path)
    with pytest.raises(InputError, match="DUALUSE_SHARED_DATA"):
        service.flows_growth("KG", 2021, 2023)


def test_dates() -> None:
    assert parse_date("2024-07-03") == date(2024, 7, 3)
    assert parse_date(None) == date.today()
    with pytest.raises(InputError, match="not a date"):
        parse_date("3 July")
