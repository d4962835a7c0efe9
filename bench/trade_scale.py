"""The CN8 trade aggregation at scale: DuckDB, Spark (local[2]) and plain pandas side by
side on synthetic trade rows (100 million by default), time and peak memory.

The rows are SYNTHETIC (no real CN8 data of this size is here): the shape of the
member-state Comext file of ``SOURCES.md`` §4 (``cn8, reporter, partner, month,
value_eur``), CN8 codes drawn uniformly from the 2,219 real sanctioned codes, the 27 real
member-state labels plus one EU-27 aggregate label (dropped by the pipeline), the 7 real
partner labels, months 2020-01 to 2022-11 and whole-euro values below 1,000,000, drawn
uniformly by numpy (seeded per chunk). They are written in chunks (one Parquet file per
chunk, zstd) so that no step holds all rows in memory.

Each engine runs in a fresh subprocess; the parent samples the resident memory of that
process and all its children (the JVM for Spark) from /proc every 0.2 s: the peak is the
largest sum. pandas reads one file at a time (all 100 million rows do not fit a pandas
frame of Python strings here); DuckDB has 2 threads and a 6 GB limit; Spark local[2] with
a 4 GB driver. The three answers are compared (number of keys, sum, and a digest).

Run: ``python -m bench.trade_scale [--rows 100000000] [--chunk 5000000] [--dir DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from dualuse.diversion.trade import aggregate, load
from dualuse.diversion.trade.series import Panel, _headings_and_chpl

PARTNERS = (
    "Armenia", "Belarus", "Georgia", "Kazakhstan", "Kyrgyzstan", "Russia", "Uzbekistan",
)  # fmt: skip
AGGREGATE = "European Union - 27 countries (AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, ...)"
MONTHS = [f"{y}-{m:02d}" for y in (2020, 2021, 2022) for m in range(1, 13)][:35]


def real_lists(shared: Path) -> tuple[list[str], frozenset[str], frozenset[str]]:
    """The real sanctioned CN8 codes, the CHPL and the recoded codes."""
    panel = Panel()
    _headings_and_chpl(panel, shared)
    codes = sorted({code for _p, code in _codes(shared)})
    return codes, frozenset(load.read_chpl(shared / load.CHPL)), panel.recoded


def _codes(shared: Path) -> set[tuple[str, str]]:
    return {(c.partner, c.cn8) for c in load.read_cn8(shared / load.CN8_EU27, members=False)}


def generate(folder: Path, rows: int, chunk: int, codes: list[str], seed: int = 13) -> list[Path]:
    """Chunks of synthetic rows as Parquet (numpy draws, Arrow ``take`` on the labels)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    columns = {
        "cn8": pa.array(codes),
        "reporter": pa.array([*aggregate.MEMBERS, AGGREGATE]),
        "partner": pa.array(PARTNERS),
        "month": pa.array(MONTHS),
    }
    paths = []
    for n, start in enumerate(range(0, rows, chunk)):
        size = min(chunk, rows - start)
        rng = np.random.default_rng([seed, n])
        arrays = [labels.take(pa.array(rng.integers(0, len(labels), size)))
                  for labels in columns.values()]  # fmt: skip
        arrays.append(pa.array(rng.integers(0, 1_000_000, size).astype(np.float64)))
        table = pa.table(arrays, names=[*columns, "value_eur"])
        path = folder / f"part-{n:04d}.parquet"
        pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)
        paths.append(path)
    return paths


def spec(codes_chpl: frozenset[str], recoded: frozenset[str]) -> aggregate.Spec:
    pmap, rmap = aggregate.label_maps(PARTNERS, [*aggregate.MEMBERS, AGGREGATE])
    return aggregate.Spec(codes_chpl, recoded, pmap, rmap)


def digest(result: aggregate.Result) -> dict[str, Any]:
    h = hashlib.sha256()
    for key in sorted(result):
        h.update(repr((key, round(result[key]))).encode())
    return {"keys": len(result), "sum": round(sum(result.values())), "sha256": h.hexdigest()[:16]}


def run_engine(engine: str, folder: Path, shared: Path) -> dict[str, Any]:
    """In the child: one engine over every Parquet file in ``folder``."""
    paths = sorted(folder.glob("part-*.parquet"))
    _codes_list, chpl, recoded = real_lists(shared)
    the_spec = spec(chpl, recoded)
    started = time.perf_counter()
    if engine == "duckdb":
        result = aggregate.duckdb_engine(paths, the_spec, threads=2, memory="6GB")
    elif engine == "pandas":
        result = aggregate.pandas_engine(paths, the_spec)
    elif engine == "spark":
        from dualuse.services.spark_screening import spark_session

        conf = {"spark.driver.memory": "4g", "spark.sql.shuffle.partitions": "8"}
        session = spark_session("local[2]", "dualuse-trade-bench", conf)
        session.sparkContext.setLogLevel("ERROR")
        try:
            result = aggregate.spark_engine(session, paths, the_spec)
        finally:
            session.stop()
    else:
        raise SystemExit(f"unknown engine {engine}")
    return {"engine": engine, "seconds": round(time.perf_counter() - started, 1), **digest(result)}


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(engine: str, folder: Path, shared: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.trade_scale", "--child", engine, "--dir", str(folder)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed ({proc.returncode})")
    row: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    row["process_s"] = round(time.perf_counter() - started, 1)
    row["peak_mib"] = round(peak / 2**20)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--chunk", type=int, default=5_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/dualuse-trade-scale"))
    parser.add_argument("--engines", default="duckdb,spark,pandas")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = Path(os.environ.get("DUALUSE_SHARED_DATA", "../shared/data"))
    if args.child:
        print(json.dumps(run_engine(args.child, args.dir, shared)), flush=True)
        return
    print(f"# python {platform.python_version()}, nproc {os.cpu_count()}, "
          f"load {os.getloadavg()}", flush=True)  # fmt: skip
    existing = sorted(args.dir.glob("part-*.parquet"))
    if existing:
        print(f"# reusing {len(existing)} files in {args.dir}", flush=True)
    else:
        codes, _chpl, _recoded = real_lists(shared)
        started = time.perf_counter()
        paths = generate(args.dir, args.rows, args.chunk, codes)
        size = sum(p.stat().st_size for p in paths)
        print(json.dumps({"generate_s": round(time.perf_counter() - started, 1),
                          "rows": args.rows, "files": len(paths),
                          "parquet_mib": round(size / 2**20)}), flush=True)  # fmt: skip
    rows = []
    for engine in args.engines.split(","):
        row = measure(engine, args.dir, shared)
        row["load_after"] = [round(x, 1) for x in os.getloadavg()]
        print(json.dumps(row), flush=True)
        rows.append(row)
    same = len({(r["keys"], r["sum"], r["sha256"]) for r in rows}) == 1
    print(json.dumps({"identical": same}), flush=True)


if __name__ == "__main__":
    main()
