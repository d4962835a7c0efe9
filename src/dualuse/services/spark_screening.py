"""Screening as an Apache Spark job, for customer files that outgrow one machine.

The work is spread to the cluster's parallelism (or ``partitions``) without a shuffle
where the input can be split: a splittable CSV or Parquet input is cut into that many
byte ranges by Spark itself. Rows are numbered in the JVM (one small job counts each
partition's rows; no RDD round trip through Python), so row numbers and row order are
the input's. The index file is shipped with ``SparkContext.addFile`` (or ``--files``);
each Python worker loads it once and screens its partitions with ``mapInPandas``. Row
validation and the output columns are the same as ``screen-file``, so a Spark run and
a local run give the same rows; a malformed row is reported in its own output row.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dualuse.errors import InputError
from dualuse.services.screening_file import OUTPUT_COLUMNS, result_row
from dualuse.services.screening_input import KNOWN_COLUMNS, InputRow, make_query

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

    from dualuse.screening.matching import Screener

OUTPUT_SCHEMA = ", ".join(f"{name} string" for name in OUTPUT_COLUMNS)
ROW = "_row"
CORRUPT = "_corrupt_record"
PARTITION_BITS = 33
"""``monotonically_increasing_id`` keeps the partition index above bit 33."""
Format = Literal["csv", "parquet"]

_screeners: dict[tuple[str, str | None, float | None], Screener] = {}
"""One screener per Python worker and index (Spark reuses its Python workers)."""


@dataclass(frozen=True)
class SparkJob:
    """What one ``screen-spark`` run reads, writes and how it spreads."""

    input: str
    output: str
    index_path: str
    input_format: Format | None = None
    output_format: Format | None = None
    partitions: int | None = None
    multiline: bool = False
    algorithm: str | None = None
    threshold: float | None = None
    limit: int = 1


def path_format(path: str, given: Format | None) -> Format:
    """The format asked for, else the one the path's suffix names (default CSV)."""
    if given is not None:
        return given
    return "parquet" if path.rstrip("/").lower().endswith(".parquet") else "csv"


def _screener(index_file: str, algorithm: str | None, threshold: float | None) -> Screener:
    from dualuse.screening.matching import Index, Screener

    key = (index_file, algorithm, threshold)
    if key not in _screeners:
        if not Path(index_file).is_file():
            raise FileNotFoundError(
                f"dualuse: the index file {index_file!r} is missing on this executor; ship it "
                "with --files (spark-submit) or SparkContext.addFile before screening"
            )
        _screeners[key] = Screener(Index.load(Path(index_file)), algorithm, threshold=threshold)
    return _screeners[key]


def _input_row(record: Mapping[Any, Any]) -> InputRow:
    def get(col: str) -> str:
        value = record.get(col)
        return "" if value is None or value != value else str(value)

    row_no = int(get(ROW) or 0)
    row_id = get("id").strip() or str(row_no)
    corrupt = get(CORRUPT)
    if corrupt:
        problem = f"malformed CSV record: {corrupt[:200]!r}"
        return InputRow(row_no, row_no + 1, row_id, get("name")[:1000], None, (problem,))
    try:
        query, notes = make_query(
            get("name"), id=row_id, dob=get("dob"), country=get("country"), type=get("type")
        )
    except InputError as exc:
        return InputRow(row_no, row_no + 1, row_id, get("name")[:1000], None, (exc.message,))
    return InputRow(row_no, row_no + 1, row_id, query.name, query, tuple(notes))


def screen_partitions(
    batches: Iterator[pd.DataFrame],
    index_file: str,
    algorithm: str | None,
    threshold: float | None,
    limit: int,
) -> Iterator[pd.DataFrame]:
    """``mapInPandas`` body: screen each pandas batch of input rows."""
    import pandas as pd

    screener = _screener(index_file, algorithm, threshold)
    for batch in batches:
        items = [_input_row(record) for record in batch.to_dict("records")]
        queries = [i.query for i in items if i.query is not None]
        responses = iter(screener.screen_many(queries, limit=limit, explain=False))
        rows = [result_row(i, next(responses) if i.query is not None else None) for i in items]
        yield pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))


def number_rows(frame: DataFrame) -> tuple[DataFrame, int]:
    """Add ``_row`` (1-based, in input order) and return the row count.

    One small job counts the rows of each partition; the numbers are then worked out
    in the JVM from each row's partition and its place in it, so nothing passes
    through the driver but one count per partition.
    """
    from pyspark.sql import functions as F

    mid = F.monotonically_increasing_id()
    tagged = frame.withColumn("_mid", mid)
    part = F.shiftright(F.col("_mid"), PARTITION_BITS)
    rows = tagged.groupBy(part.alias("p")).count().collect()
    counts: dict[int, int] = {int(r[0]): int(r[1]) for r in rows}
    offsets: list[int] = []
    total = 0
    for p in range(max(counts, default=-1) + 1):
        offsets.append(total)
        total += int(counts.get(p, 0))
    if not offsets:
        return frame.withColumn(ROW, F.lit("0")).limit(0), 0
    first = F.element_at(F.array(*[F.lit(o) for o in offsets]), (part + 1).cast("int"))
    within = F.col("_mid") - F.shiftleft(part, PARTITION_BITS)
    numbered = tagged.withColumn(ROW, (first + within + 1).cast("string")).drop("_mid")
    return numbered, total


def spread(frame: DataFrame, partitions: int) -> DataFrame:
    """At least ``partitions`` partitions, row order kept: an input Spark could not
    split (a multi-line CSV, a gzip file, one Parquet row group) is cut into ranges of
    row numbers, each sorted."""
    from pyspark.sql import functions as F

    if frame.rdd.getNumPartitions() >= partitions:
        return frame
    by_row = F.col(ROW).cast("long")
    return frame.repartitionByRange(partitions, by_row).sortWithinPartitions(by_row)


def screen_dataframe(
    spark: SparkSession,
    frame: DataFrame,
    index_path: Path | str,
    *,
    algorithm: str | None = None,
    threshold: float | None = None,
    limit: int = 1,
    partitions: int | None = None,
) -> DataFrame:
    """Screen a DataFrame with a ``name`` column (optional ``id``, ``dob``, ``country``,
    ``type``); returns one row per input row with the ``screen-file`` columns."""
    numbered, _ = _prepare(spark, frame, partitions)
    return _screen(spark, numbered, str(index_path), algorithm, threshold, limit)


def _prepare(
    spark: SparkSession, frame: DataFrame, partitions: int | None
) -> tuple[DataFrame, int]:
    from pyspark.sql import functions as F

    columns = {c.lower(): c for c in frame.columns}
    if "name" not in columns:
        raise InputError(f"no 'name' column (found: {', '.join(frame.columns)})", source="input")
    wanted = [*KNOWN_COLUMNS, CORRUPT.lower()]
    selected = [F.col(f"`{columns[c]}`").cast("string").alias(c) for c in wanted if c in columns]
    numbered, total = number_rows(frame.select(*selected))
    target = partitions or spark.sparkContext.defaultParallelism
    return spread(numbered, max(1, target)), total


def _screen(
    spark: SparkSession,
    numbered: DataFrame,
    index_path: str,
    algorithm: str | None,
    threshold: float | None,
    limit: int,
) -> DataFrame:
    name = os.path.basename(index_path)
    if Path(index_path).is_file():
        spark.sparkContext.addFile(index_path)

    def body(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from pyspark import SparkFiles

        yield from screen_partitions(batches, SparkFiles.get(name), algorithm, threshold, limit)

    return numbered.mapInPandas(body, OUTPUT_SCHEMA)


def read_input(spark: SparkSession, job: SparkJob) -> DataFrame:
    """The input as a DataFrame, split into about ``partitions`` byte ranges where the
    format allows (CSV without ``multiline``, Parquet with several row groups)."""
    from pyspark.sql.types import StringType, StructField, StructType

    target = job.partitions or spark.sparkContext.defaultParallelism
    given = spark.sparkContext.getConf()  # what the user set (--conf); not the defaults
    # small inputs are worth splitting too: screening costs ~1 ms a row, reading ~1 µs
    if job.partitions or not given.contains("spark.sql.files.minPartitionNum"):
        spark.conf.set("spark.sql.files.minPartitionNum", str(target))
    if not given.contains("spark.sql.files.openCostInBytes"):
        spark.conf.set("spark.sql.files.openCostInBytes", "8192")
    if path_format(job.input, job.input_format) == "parquet":
        return spark.read.parquet(job.input)
    header = spark.read.csv(job.input, header=True, multiLine=job.multiline).columns
    if len({c.lower() for c in header}) != len(header):
        raise InputError(f"duplicated column names in {header}", source=job.input)
    schema = StructType([StructField(c, StringType()) for c in [*header, CORRUPT]])
    return spark.read.csv(
        job.input,
        header=True,
        schema=schema,
        multiLine=job.multiline,
        escape='"',
        mode="PERMISSIVE",
        columnNameOfCorruptRecord=CORRUPT,
        enforceSchema=False,
    )


def spark_session(
    master: str | None, app_name: str = "dualuse-screening", conf: Mapping[str, str] = {}
) -> SparkSession:
    """A session with the UI off and ``conf`` passed through (``--conf key=value``)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name).config("spark.ui.enabled", "false")
    for key, value in conf.items():
        builder = builder.config(key, value)
    if master:
        builder = builder.master(master)
    return builder.getOrCreate()


def run_job(spark: SparkSession, job: SparkJob) -> int:
    """Read, screen and write once; return the number of rows screened."""
    numbered, total = _prepare(spark, read_input(spark, job), job.partitions)
    result = _screen(spark, numbered, job.index_path, job.algorithm, job.threshold, job.limit)
    writer = result.write.mode("overwrite")
    if path_format(job.output, job.output_format) == "parquet":
        writer.parquet(job.output)
    else:
        writer.csv(job.output, header=True, escape='"')
    return total


def run_spark_job(job: SparkJob, *, master: str | None, conf: Mapping[str, str] = {}) -> int:
    """``run_job`` in a session of its own, stopped afterwards."""
    spark = spark_session(master, conf=conf)
    try:
        return run_job(spark, job)
    finally:
        spark.stop()
