"""Entry file for ``spark-submit``: screen a file on an existing cluster.

``spark-submit`` takes a Python file, not a module, so this file is that file::

    cp dualuse-0.1.0-py3-none-any.whl dualuse-0.1.0.zip   # Spark ships .zip, not .whl
    spark-submit --master yarn --py-files dualuse-0.1.0.zip \\
        --files index.npz "$(python -c 'import dualuse.spark_main as m; print(m.__file__)')" \\
        s3a://bank/customers.csv s3a://bank/screened/ --index index.npz

The index is built once (``dualuse index build``) and shipped with ``--files``; see
``docs/spark.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import dualuse
from dualuse.services.spark_screening import SparkJob, run_job, spark_session


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dualuse-spark", description=__doc__.splitlines()[0])
    parser.add_argument("input", help="CSV or Parquet: a file, folder or any URI Spark reads")
    parser.add_argument("output", help="Output folder (part files)")
    parser.add_argument("--index", required=True, help="index file (shipped with --files)")
    parser.add_argument("--input-format", choices=["csv", "parquet"])
    parser.add_argument("--output-format", choices=["csv", "parquet"])
    parser.add_argument("--partitions", type=int, help="default: the cluster's parallelism")
    parser.add_argument("--multiline", action="store_true", help="CSV fields hold newlines")
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--algorithm")
    args = parser.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    return args


def executor_origins() -> list[str]:
    """Where the executors import dualuse from (a wheel shipped with --py-files shows
    as a path inside the .whl): what a cluster operator checks first."""
    from pyspark.sql import SparkSession

    sc = SparkSession.builder.getOrCreate().sparkContext

    def origin(_: object) -> str:
        import dualuse

        return f"{dualuse.__version__} {dualuse.__file__}"

    return sorted(set(sc.parallelize([0], 1).map(origin).collect()))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    job = SparkJob(
        input=args.input,
        output=args.output,
        index_path=args.index,
        input_format=args.input_format,
        output_format=args.output_format,
        partitions=args.partitions,
        multiline=args.multiline,
        algorithm=args.algorithm,
        threshold=args.threshold,
    )
    spark = spark_session(None)
    try:
        origin = f"{dualuse.__version__} {dualuse.__file__}"
        print(f"dualuse on the driver: {origin}", file=sys.stderr)
        for line in executor_origins():
            print(f"dualuse on the executors: {line}", file=sys.stderr)
            if line.split()[0] != dualuse.__version__:
                print("warning: the executors run another dualuse version", file=sys.stderr)
        count = run_job(spark, job)
    finally:
        spark.stop()
    print(f"{count} rows screened into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
