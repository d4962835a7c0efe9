"""Screening as an Apache Spark job, for customer files that outgrow one machine.

The index file is shipped to every executor with ``SparkContext.addFile``; each task
loads it once (tens of milliseconds) and screens its partition with ``mapInPandas``.
Row validation and the output columns are the same as ``screen-file``, so a Spark run
and a local run give the same rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dualuse.errors import InputError
from dualuse.services.screening_file import OUTPUT_COLUMNS, result_row
from dualuse.services.screening_input import KNOWN_COLUMNS, InputRow, make_query
from dualuse.settings import Settings

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

OUTPUT_SCHEMA = ", ".join(f"{name} string" for name in OUTPUT_COLUMNS)


def screen_partitions(
    batches: Iterator[pd.DataFrame],
    index_file: str,
    algorithm: str | None,
    threshold: float | None,
    limit: int,
) -> Iterator[pd.DataFrame]:
    """``mapInPandas`` body: screen each pandas batch of input rows."""
    import pandas as pd

    from dualuse.screening.matching import Index, Screener

    screener = Screener(Index.load(Path(index_file)), algorithm, threshold=threshold)
    for batch in batches:
        items: list[InputRow] = []
        for record in batch.to_dict("records"):

            def get(col: str, record: dict[Any, Any] = record) -> str:
                value = record.get(col)
                return "" if value is None or value != value else str(value)

            row_no = int(get("_row") or 0)
            row_id = get("id").strip() or str(row_no)
            try:
                query, notes = make_query(
                    get("name"), id=row_id, dob=get("dob"), country=get("country"), type=get("type")
                )
                items.append(InputRow(row_no, row_no + 1, row_id, query.name, query, tuple(notes)))
            except InputError as exc:
                items.append(
                    InputRow(row_no, row_no + 1, row_id, get("name")[:1000], None, (exc.message,))
                )
        queries = [i.query for i in items if i.query is not None]
        responses = iter(screener.screen_many(queries, limit=limit, explain=False))
        rows = [result_row(i, next(responses) if i.query is not None else None) for i in items]
        yield pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))


def screen_dataframe(
    spark: SparkSession,
    frame: DataFrame,
    index_path: Path,
    *,
    algorithm: str | None = None,
    threshold: float | None = None,
    limit: int = 1,
) -> DataFrame:
    """Screen a DataFrame with a ``name`` column (optional ``id``, ``dob``, ``country``,
    ``type``); returns one row per input row with the ``screen-file`` columns."""
    from pyspark.sql import functions as F

    columns = {c.lower(): c for c in frame.columns}
    if "name" not in columns:
        raise InputError(f"no 'name' column (found: {', '.join(frame.columns)})", source="input")
    selected = [F.col(columns[c]).cast("string").alias(c) for c in KNOWN_COLUMNS if c in columns]
    chosen = frame.select(*selected)
    numbered = (
        chosen.rdd.zipWithIndex()
        .map(lambda pair: (*pair[0], str(pair[1] + 1)))
        .toDF([*chosen.columns, "_row"])
    )
    spark.sparkContext.addFile(str(index_path))
    name = os.path.basename(index_path)

    def body(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from pyspark import SparkFiles

        yield from screen_partitions(batches, SparkFiles.get(name), algorithm, threshold, limit)

    return numbered.mapInPandas(body, OUTPUT_SCHEMA)


def spark_session(master: str | None, app_name: str = "dualuse-screening") -> SparkSession:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name).config("spark.ui.enabled", "false")
    if master:
        builder = builder.master(master)
    return builder.getOrCreate()


def run_spark_job(
    input: str,
    output: str,
    *,
    index_path: Path,
    master: str | None,
    threshold: float | None,
    settings: Settings,
) -> int:
    """Read a CSV, screen it, write CSV part files to ``output``; return the row count."""
    spark = spark_session(master)
    try:
        frame = spark.read.csv(input, header=True, multiLine=True, escape='"', mode="PERMISSIVE")
        result = screen_dataframe(
            spark,
            frame,
            index_path,
            algorithm=settings.screening.algorithm,
            threshold=threshold,
            limit=1,
        ).cache()
        result.write.mode("overwrite").csv(output, header=True)
        return int(result.count())
    finally:
        spark.stop()
