"""The CN8 aggregation gives identical sums on DuckDB, pandas, Spark (local[2]) and the
Python reference, on the real member-state file (1 million rows), and agrees with the
independently derived EU-27 file and the panel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dualuse.diversion.trade import aggregate
from dualuse.diversion.trade.series import Panel
from dualuse.errors import InputError
from tests.helpers import spark_local

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="module")
def real(shared_data: Path) -> tuple[list[Path], aggregate.Spec]:
    return aggregate.real_spec(shared_data)


@pytest.fixture(scope="module")
def by_duckdb(real: tuple[list[Path], aggregate.Spec]) -> aggregate.Result:
    paths, spec = real
    return aggregate.duckdb_engine(paths, spec, threads=2)


def test_duckdb_matches_the_panel_and_the_eu27_file(
    by_duckdb: aggregate.Result, member_panel: Panel
) -> None:
    for (partner, reporter, month, group), value in by_duckdb.items():
        if group in ("chpl", "stable"):
            assert member_panel.members[(partner, group)][reporter][month] == value
        elif group.startswith("hs4:"):
            # eu_cn8_sanctioned_exports_eu27_by_partner_month.csv, summed by the source
            assert member_panel.headings[(partner, group[4:])][month] == value
    headings = sum(1 for k in by_duckdb if k[3].startswith("hs4:"))
    assert headings == sum(len(s) for s in member_panel.headings.values())


def test_pandas_is_identical(
    real: tuple[list[Path], aggregate.Spec], by_duckdb: aggregate.Result
) -> None:
    paths, spec = real
    assert aggregate.pandas_engine(paths, spec) == by_duckdb


def test_small_file_all_engines_and_bad_input(tmp_path: Path) -> None:
    rows = [
        "cn8,reporter,partner,month,value_eur",
        "85423100,Germany (incl. German Democratic Republic 'DD' from 1991),Armenia,2022-03,10.0",
        "85423100,Austria,Armenia,2022-03,5.0",
        "87012110,Austria,Armenia,2022-03,7.0",
        "87032390,Austria,Kyrgyzstan,2021-01,1.0",
        '87032390,"European Union - 27 countries (AT, BE)",Kyrgyzstan,2021-01,99.0',
    ]
    path = tmp_path / "x.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = aggregate.spec_for([path], {"854231"}, {"87012110"})
    expected = {
        ("am", "Germany", "2022-03", "sanctioned"): 10.0,
        ("am", "Germany", "2022-03", "chpl"): 10.0,
        ("am", "Germany", "2022-03", "stable"): 10.0,
        ("am", "Austria", "2022-03", "sanctioned"): 12.0,
        ("am", "Austria", "2022-03", "chpl"): 5.0,
        ("am", "Austria", "2022-03", "stable"): 5.0,
        ("am", "EU27", "2022-03", "hs4:8542"): 15.0,
        ("am", "EU27", "2022-03", "hs4:8701"): 7.0,
        ("kg", "Austria", "2021-01", "sanctioned"): 1.0,
        ("kg", "Austria", "2021-01", "stable"): 1.0,
        ("kg", "EU27", "2021-01", "hs4:8703"): 1.0,
    }
    assert aggregate.python_engine(path, spec) == expected
    assert aggregate.duckdb_engine([path], spec) == expected
    assert aggregate.pandas_engine([path], spec) == expected
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*rows[:2], rows[2].replace("5.0", "-5.0")]) + "\n")
    with pytest.raises(InputError, match="1 rows with a missing or negative value_eur"):
        aggregate.duckdb_engine([bad], spec)
    with pytest.raises(InputError, match="bad value"):
        aggregate.pandas_engine([bad], spec)
    other = tmp_path / "other.csv"
    other.write_text("\n".join([*rows[:2], rows[2].replace("Armenia", "Georgia")]) + "\n")
    with pytest.raises(InputError, match=r"1 rows with an unknown partner \(e\.g\. 'Georgia'\)"):
        aggregate.duckdb_engine([other], spec)
    with pytest.raises(InputError, match="unknown partner country 'Atlantis'"):
        aggregate.label_maps(["Atlantis"], [])


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    with spark_local("dualuse-trade-test") as session:
        yield session


@pytest.mark.slow
def test_spark_is_identical(
    spark: SparkSession, real: tuple[list[Path], aggregate.Spec], by_duckdb: aggregate.Result
) -> None:
    paths, spec = real
    assert aggregate.spark_engine(spark, paths, spec) == by_duckdb
