"""EU-27 export growth from the Eurostat annual extract, against the check values in
../shared/data/diversion/SOURCES.md (EU-27 aggregate row, EUR million)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.diversion.flows import ANNUAL_FILE, growth, mirror, read_annual
from dualuse.errors import InputError


@pytest.fixture
def annual(shared_data: Path) -> Path:
    return shared_data / ANNUAL_FILE


@pytest.mark.parametrize(
    ("partner", "eur_2021_m", "eur_2023_m", "change"),
    [("KG", 263, 2734, 938), ("AM", 757, 2162, 185), ("KZ", 5487, 12110, 121),
     ("UZ", 2299, 4355, 89), ("GE", 2045, 3623, 77), ("RU", 89169, 38182, -57)],
)  # fmt: skip
def test_check_values(
    annual: Path, partner: str, eur_2021_m: int, eur_2023_m: int, change: int
) -> None:
    g = growth(annual, partner, 2021, 2023)
    assert round(g.start.value_eur / 1e6) == eur_2021_m
    assert round(g.end.value_eur / 1e6) == eur_2023_m
    assert g.change_percent is not None and abs(g.change_percent - change) < 1
    assert g.to_json()["partner"] == partner


def test_aggregate_row_not_a_sum_of_members(annual: Path, shared_data: Path) -> None:
    # The monthly file has member rows and several aggregate rows; summing them all for
    # 2021 would count KG exports more than once. Our value equals the EU-27 row alone.
    import csv

    monthly = (
        shared_data / "diversion" / "eurostat_total_eu_to_neighbours" / "kyrgyz_export_eurostat.csv"
    )
    with monthly.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["PERIOD"].endswith("2021")]
    everything = sum(int(r["VALUE_IN_EUR"]) for r in rows)
    eu27 = sum(
        int(r["VALUE_IN_EUR"]) for r in rows if r["REPORTER"].startswith("European Union - 27")
    )
    value = growth(annual, "KG", 2021, 2023).start.value_eur
    assert everything > 2 * value
    assert abs(eu27 - value) / value < 0.01  # months of the aggregate row add up to the year


def test_names_and_french_rows(annual: Path) -> None:
    # The 2016 extract is labelled in French ("Union européenne - 27 pays", "Kirghizistan").
    assert growth(annual, "Kyrgyzstan", 2016, 2021).start.value_eur == 233297638


def test_errors_name_what_and_where(annual: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no EU27 export row for KG in 2030"):
        growth(annual, "KG", 2021, 2030)
    with pytest.raises(InputError, match="unknown country"):
        growth(annual, "Atlantis", 2021, 2023)
    with pytest.raises(InputError, match="only the EU-27"):
        growth(annual, "KG", 2021, 2023, reporter="DE")
    bad = tmp_path / "bad.csv"
    text = annual.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([*text[:5], text[5].replace(",9360,", ",nine,"), text[6][:40]]))
    with pytest.raises(InputError, match=r"bad\.csv, line \d+"):
        read_annual(bad)
    bad.write_text("A,B\n1,2\n")
    with pytest.raises(InputError, match="missing columns"):
        read_annual(bad)


def test_clashing_rows_are_an_error_not_a_guess(annual: Path) -> None:
    # Two 2016 rows resolve to Guinea with different values; refuse to pick one.
    with pytest.raises(InputError, match="two different values for GN in 2016"):
        growth(annual, "GN", 2016, 2021)


def test_mirror_check_values(shared_data: Path) -> None:
    # SOURCES.md: KG 2023 901 vs 2,734 (67% unrecorded); of the additional 2021->2023
    # exports (+2,471) only +656 appears in KG imports (73%); KZ 20% and 31%.
    kg = mirror(shared_data, "KG", 2023, base=2021)
    assert round(kg["partner_imports_from_eu27_eur"] / 1e6) == 901  # type: ignore[operator]
    assert round(kg["eu27_exports_eur"] / 1e6) == 2734  # type: ignore[operator]
    assert kg["unrecorded_share"] == 0.67
    base = kg["base"]
    assert isinstance(base, dict)
    assert round(base["additional_exports_eur"] / 1e6) == 2471
    assert round(base["additional_imports_eur"] / 1e6) == 656
    assert base["additional_unrecorded_share"] == 0.734
    kz = mirror(shared_data, "KZ", 2023, base=2021)
    assert kz["unrecorded_share"] == 0.204 and kz["base"]["additional_unrecorded_share"] == 0.308  # type: ignore[index]
    am = mirror(shared_data, "AM", 2023)
    assert any("incomplete" in c for c in am["caveats"])  # type: ignore[attr-defined]


def test_mirror_errors(shared_data: Path) -> None:
    with pytest.raises(InputError, match="no national import statistics for GE"):
        mirror(shared_data, "GE", 2023)
    with pytest.raises(InputError, match="for 2018"):
        mirror(shared_data, "KG", 2018)
