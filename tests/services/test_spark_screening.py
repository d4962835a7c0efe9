import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dualuse.services.screening import ScreeningService
from dualuse.services.screening_file import OUTPUT_COLUMNS, screen_file
from dualuse.services.spark_screening import (
    SparkJob,
    path_format,
    run_job,
    screen_dataframe,
)
from dualuse.settings import Settings
from tests.helpers import spark_local
from tests.services.test_screening_file import real_rows, write_input

pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="module")
def spark() -> Iterator["SparkSession"]:
    # Executors are separate Python processes: they must import this checkout's package
    # (on a cluster, dualuse is installed on every node) with this interpreter.
    with spark_local("dualuse-screening") as session:
        yield session


@pytest.fixture(scope="module")
def service(screening_home: Path, tmp_path_factory: pytest.TempPathFactory) -> ScreeningService:
    db = tmp_path_factory.mktemp("db") / "db.sqlite"
    from tests.conftest import shared_data_dir

    settings = Settings(
        home=screening_home, database_url=f"sqlite:///{db}", shared_data=shared_data_dir()
    )
    return ScreeningService(settings)


def local_rows(service: ScreeningService, path: Path, out: Path) -> list[dict[str, str]]:
    screen_file(
        path,
        out,
        screen_many=lambda qs: service.screen_many(qs, limit=1),  # as `screen-file` does
        index_version=service.index.version,
    )
    return list(csv.DictReader(out.open(encoding="utf-8")))


def read_parts(folder: Path) -> list[list[dict[str, str]]]:
    """Each part file's rows, in part order (the order Spark wrote them)."""
    parts = sorted(folder.glob("part-*.csv"))
    return [list(csv.DictReader(p.open(encoding="utf-8"))) for p in parts]


COMPARED = ("row", "id", "match", "score", "list", "entry_id", "entry_name", "status")


def test_dataframe_api_on_local_2_matches_screen_file(
    spark: "SparkSession", service: ScreeningService, shared_data: Path, tmp_path: Path
) -> None:
    rows = real_rows(shared_data, 15, 15)
    path = write_input(tmp_path / "in.csv", rows, extra="E1,\n")
    expected = {r["id"]: r for r in local_rows(service, path, tmp_path / "local.csv")}
    frame = spark.read.csv(str(path), header=True).repartition(2)
    result = screen_dataframe(spark, frame, service.info.path).collect()
    assert len(result) == len(expected)
    for row in result:
        want = expected[row["id"]]
        for column in ("match", "score", "list", "entry_id", "entry_name", "status"):
            assert row[column] == want[column], (row["id"], column)
    errors = [r for r in result if r["status"] == "error"]
    assert [r["id"] for r in errors] == ["E1"]


def test_a_partition_screens_names_whose_dates_do_not_parse(screening_settings: Settings) -> None:
    """The executors' body (``mapInPandas``) reads dates as screen-file does."""
    import pandas as pd

    from dualuse.services.spark_screening import screen_partitions

    service = ScreeningService(screening_settings)
    batch = pd.DataFrame(
        {
            "_row": ["1", "2", "3", "4"],
            "id": ["a", "b", "c", "d"],
            "name": ["Gazprom Neft", "Gazprom Neft", "Gazprom Neft", "=Gazprom Neft"],
            "dob": ["1969-7-16", "1981-3-05", "1969-07-32", "1952-02-30"],
        }
    )
    [out] = list(screen_partitions(iter([batch]), str(service.info.path), None, None, 1))
    rows = {r["id"]: r for r in out.to_dict("records")}
    assert [r["status"] for r in rows.values()] == ["ok"] * 4
    assert [r["match"] for r in rows.values()] == ["true"] * 4
    assert rows["a"]["problems"] == rows["b"]["problems"] == ""
    assert "day 32" in rows["c"]["problems"]
    assert "February 1952 has 29 days" in rows["d"]["problems"]
    assert rows["d"]["name"] == "'=Gazprom Neft"


def test_job_spreads_a_csv_over_partitions_in_row_order(
    spark: "SparkSession", service: ScreeningService, shared_data: Path, tmp_path: Path
) -> None:
    rows = real_rows(shared_data, 20, 180)
    path = write_input(tmp_path / "in.csv", rows)
    expected = local_rows(service, path, tmp_path / "local.csv")
    out = tmp_path / "out"
    job = SparkJob(str(path), str(out), str(service.info.path), partitions=4)
    assert run_job(spark, job) == len(rows)
    parts = read_parts(out)
    # the input was split by Spark (no single task), and each part holds a run of rows
    assert len([p for p in parts if p]) == 4
    flat = [r for p in parts for r in p]
    assert [r["row"] for r in flat] == [str(n) for n in range(1, len(rows) + 1)]
    assert list(flat[0].keys()) == list(OUTPUT_COLUMNS)
    for got, want in zip(flat, expected, strict=True):
        assert {c: got[c] for c in COMPARED} == {c: want[c] for c in COMPARED}


def test_multiline_csv_is_cut_into_ranges_of_rows(
    spark: "SparkSession", service: ScreeningService, tmp_path: Path
) -> None:
    path = tmp_path / "in.csv"
    names = [f"Person Number {n}" for n in range(60)]
    names[7] = "Rosneft\nOil Company"  # a field holding a newline: the file cannot be split
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name"])
        writer.writerows([[f"R{n}", name] for n, name in enumerate(names)])
    out = tmp_path / "out"
    job = SparkJob(str(path), str(out), str(service.info.path), partitions=3, multiline=True)
    assert run_job(spark, job) == 60
    parts = read_parts(out)
    assert len([p for p in parts if p]) == 3
    flat = [r for p in parts for r in p]
    assert [r["id"] for r in flat] == [f"R{n}" for n in range(60)]
    assert [r["row"] for r in flat] == [str(n) for n in range(1, 61)]
    assert flat[7]["status"] == "ok"


def test_parquet_in_and_out(
    spark: "SparkSession", service: ScreeningService, tmp_path: Path
) -> None:
    import pandas as pd

    source = tmp_path / "in.parquet"
    frame = pd.DataFrame({"ID": ["A", "B", "C"], "Name": ["Rosneft", "", "Jane Q. Smith"]})
    spark.createDataFrame(frame).coalesce(1).write.parquet(str(source))
    out = tmp_path / "out.parquet"
    job = SparkJob(str(source), str(out), str(service.info.path), partitions=2)
    assert run_job(spark, job) == 3
    result = spark.read.parquet(str(out)).orderBy("row").collect()
    assert [(r["row"], r["id"], r["status"]) for r in result] == [
        ("1", "A", "ok"),
        ("2", "B", "error"),
        ("3", "C", "ok"),
    ]
    assert result[0]["match"] == "true"
    assert result[1]["problems"] == "name is empty"


def test_malformed_rows_are_reported_and_the_partition_kept(
    spark: "SparkSession", service: ScreeningService, tmp_path: Path
) -> None:
    path = tmp_path / "in.csv"
    lines = ["id,name"] + [f"G{n},Person Number {n}" for n in range(20)]
    lines[5] = 'M1,"Broken "quote" here,extra,fields'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    job = SparkJob(str(path), str(out), str(service.info.path), partitions=2)
    assert run_job(spark, job) == 20
    flat = [r for p in read_parts(out) for r in p]
    assert len(flat) == 20
    bad = [r for r in flat if r["status"] == "error"]
    assert [r["id"] for r in bad] == ["M1"]
    assert "malformed CSV record" in bad[0]["problems"]
    assert sum(r["status"] == "ok" for r in flat) == 19


def test_a_missing_index_fails_fast_with_a_clear_message(
    spark: "SparkSession", tmp_path: Path
) -> None:
    path = write_input(tmp_path / "in.csv", [{"id": "1", "name": "Rosneft"}])
    job = SparkJob(str(path), str(tmp_path / "out"), str(tmp_path / "nowhere.duidx"))
    with pytest.raises(Exception, match=r"index file .* is missing on this executor"):
        run_job(spark, job)


def test_formats_follow_the_suffix_unless_given() -> None:
    assert path_format("s3a://bank/customers.parquet", None) == "parquet"
    assert path_format("hdfs:///data/out.PARQUET/", None) == "parquet"
    assert path_format("file:///data/customers.csv", None) == "csv"
    assert path_format("customers.parquet", "csv") == "csv"


def test_delta_rescreen_runs_as_a_spark_job(
    spark: "SparkSession", service: ScreeningService, shared_data: Path, tmp_path: Path
) -> None:
    """Issue 16 §4: the re-screen after a list update (OFAC SDN 2024-04-02 -> 2024-05-03)
    as a Spark job over the stored parties, with the delta index shipped like any index;
    the rows are those of the same re-screen in process."""
    from dualuse.screening.matching import Screener
    from dualuse.services.delta_screening import build_delta_index, compare
    from dualuse.services.lists import open_version

    versions = [
        open_version(service.settings, str(shared_data / "sanctions/ofac" / v))
        for v in ("sdn_2024-04-02", "sdn_2024-05-03")
    ]
    change = compare(*versions)
    delta = build_delta_index([change], service.index)
    index_path = tmp_path / "delta.npz"
    delta.index.save(index_path)
    changed = [p for p in change.changed_parties][:40]
    rows = [{"id": f"S{n}", "name": p.caption} for n, p in enumerate(changed)]
    rows += real_rows(shared_data, 20, 60)  # Entity List names and negatives: no hit here
    path = write_input(tmp_path / "stored.csv", rows)
    screener = Screener(delta.index)
    screen_file(
        path,
        tmp_path / "local.csv",
        screen_many=lambda qs: screener.screen_many(qs, limit=1, explain=False),
        index_version=delta.index.version,
    )
    expected = list(csv.DictReader((tmp_path / "local.csv").open(encoding="utf-8")))
    out = tmp_path / "out"
    assert run_job(spark, SparkJob(str(path), str(out), str(index_path), partitions=2)) == len(rows)
    flat = [r for p in read_parts(out) for r in p]
    for got, want in zip(flat, expected, strict=True):
        assert {c: got[c] for c in COMPARED} == {c: want[c] for c in COMPARED}
    ids = {p.provenance.entry_id for p in change.changed_parties}
    hits = [r for r in flat if r["match"] == "true"]
    assert len(hits) >= 35 and all(r["entry_id"] in ids for r in hits)
