"""Spark screening: local[1] against local[2], and local[2] against screen-file.

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src python -m bench.spark_scaling

Writes 50,000 real names (the yente negatives: name, date of birth, nationality) as a
CSV, then in one run:

* ``screen-file`` with 1 and 2 worker processes (``screen_file``, as the CLI runs it);
* ``run_job`` on ``local[1]`` and ``local[2]``, the JVM start timed apart from the job;
* the fixed cost of a Spark job: the same job on 100 rows.

Prints JSON: seconds, names per second and per core-second, and the ratios the
issue targets (local[1] / local[2] >= 1.7; local[2] within 1.3x of screen-file).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.matching_data import REPO, eval_dir, read_csv
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.screening.matching import Index, Screener
from dualuse.services.screening_file import screen_file
from dualuse.services.spark_screening import SparkJob, run_job, spark_session

INDEX = REPO / "src" / "dualuse" / "data" / "lists" / "bundled_index.npz"


def write_names(path: Path, count: int) -> None:
    rows = list(read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv"))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "dob", "country"])
        for n in range(count):
            row = rows[n % len(rows)]
            writer.writerow([f"N{n}", row["full_name"], row["date_of_birth"], row["nationality"]])


def time_screen_file(source: Path, out: Path, workers: int) -> float:
    screener = Screener(Index.load(INDEX))

    def many(queries: list[ScreeningQuery]) -> list[ScreeningResponse]:
        return screener.screen_many(queries, limit=1, explain=False)

    started = time.perf_counter()
    screen_file(source, out, screen_many=many, index_version="bench", workers=workers, resume=False)
    return time.perf_counter() - started


def time_spark(source: Path, out: Path, master: str) -> dict[str, float]:
    started = time.perf_counter()
    spark = spark_session(master, conf={"spark.ui.showConsoleProgress": "false"})
    spark.sparkContext.setLogLevel("ERROR")
    jvm = time.perf_counter() - started
    try:
        tiny = source.with_name("tiny.csv")
        with source.open(encoding="utf-8") as f, tiny.open("w", encoding="utf-8") as t:
            t.writelines(line for _, line in zip(range(101), f, strict=False))
        started = time.perf_counter()
        run_job(spark, SparkJob(str(tiny), str(out) + "-tiny", str(INDEX)))
        fixed = time.perf_counter() - started
        started = time.perf_counter()
        count = run_job(spark, SparkJob(str(source), str(out), str(INDEX)))
        job = time.perf_counter() - started
    finally:
        spark.stop()
    return {"jvm_start_s": jvm, "fixed_job_s": fixed, "job_s": job, "rows": count}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=50_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    work = Path(tempfile.mkdtemp(prefix="spark-bench-"))
    try:
        source = work / "names.csv"
        write_names(source, args.names)
        result: dict[str, Any] = {"names": args.names, "cores": os.cpu_count()}
        for workers in (1, 2):
            seconds = time_screen_file(source, work / f"file{workers}.csv", workers)
            result[f"screen_file_{workers}"] = {"s": seconds, "names_per_s": args.names / seconds}
        for cores in (1, 2):
            spark = time_spark(source, work / f"spark{cores}", f"local[{cores}]")
            spark["names_per_s"] = args.names / spark["job_s"]
            spark["names_per_core_s"] = spark["names_per_s"] / cores
            result[f"spark_local_{cores}"] = spark
        one, two = result["spark_local_1"], result["spark_local_2"]
        result["speedup_local2_over_local1"] = one["job_s"] / two["job_s"]
        result["local2_over_screen_file_2"] = two["job_s"] / result["screen_file_2"]["s"]
        print(json.dumps(result, indent=2))
        if args.json:
            args.json.write_text(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
