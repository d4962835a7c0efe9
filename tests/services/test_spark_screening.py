import csv
import os
from pathlib import Path

import pytest

from dualuse.services.screening import ScreeningService
from dualuse.services.screening_file import screen_file
from dualuse.services.spark_screening import screen_dataframe, spark_session
from dualuse.settings import Settings
from tests.helpers import SRC
from tests.services.test_screening_file import real_rows, write_input


@pytest.mark.slow
def test_spark_job_on_local_2_matches_screen_file(
    screening_settings: Settings, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Executors are separate Python processes: they must import this checkout's package
    # (on a cluster, dualuse is installed on every node).
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    service = ScreeningService(screening_settings)
    rows = real_rows(shared_data, 15, 15)
    path = write_input(tmp_path / "in.csv", rows, extra="E1,\n")
    local = tmp_path / "local.csv"
    screen_file(
        path,
        local,
        screen_many=lambda qs: service.screen_many(qs, limit=1),  # as `screen-file` does
        index_version=service.index.version,
    )
    expected = {r["id"]: r for r in csv.DictReader(local.open(encoding="utf-8"))}

    spark = spark_session("local[2]")
    try:
        frame = spark.read.csv(str(path), header=True).repartition(2)
        result = screen_dataframe(spark, frame, service.info.path).collect()
    finally:
        spark.stop()
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
