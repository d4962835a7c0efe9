"""``spark-submit`` on the built wheel, as an operator runs it on a cluster."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dualuse.spark_main import parse_args
from tests.conftest import REPO
from tests.services.test_screening_file import real_rows, write_input


def test_arguments_are_checked() -> None:
    args = parse_args(["in.csv", "out", "--index", "i.npz", "--partitions", "8"])
    assert (args.input, args.output, args.index, args.partitions) == ("in.csv", "out", "i.npz", 8)
    with pytest.raises(SystemExit):
        parse_args(["in.csv", "out"])  # the index is required
    with pytest.raises(SystemExit):
        parse_args(["in.csv", "out", "--index", "i.npz", "--partitions", "0"])


@pytest.mark.slow
def test_spark_submit_runs_the_wheel_on_local_2(
    screening_home: Path, shared_data: Path, tmp_path: Path
) -> None:
    submit = Path(sys.executable).parent / "spark-submit"
    if not submit.exists():
        pytest.skip("spark-submit is not installed beside this Python (pip install pyspark)")
    built = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(built), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = built.glob("dualuse-*.whl")
    shipped = tmp_path / wheel.with_suffix(".zip").name  # Spark puts .zip on the path, not .whl
    shutil.copy(wheel, shipped)
    index = next(screening_home.rglob("*.npz"), None) or (
        REPO / "src/dualuse/data/lists/bundled_index.npz"
    )
    rows = real_rows(shared_data, 5, 25)
    source = write_input(tmp_path / "in.csv", rows, extra="E1,\n")
    job = tmp_path / "job.py"
    shutil.copy(REPO / "src/dualuse/spark_main.py", job)  # the file an operator submits
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYSPARK_PYTHON"] = env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    out = tmp_path / "out"
    done = subprocess.run(
        [
            str(submit),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.ui.showConsoleProgress=false",
            "--py-files",
            str(shipped),
            "--files",
            str(index),
            str(job),
            str(source),
            str(out),
            "--index",
            index.name,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(rows) + 1} rows screened" in done.stdout
    # both the driver and the executors imported dualuse from the shipped wheel
    # (spark-submit sends the Python driver's stderr to its own stdout)
    printed = (done.stdout + done.stderr).splitlines()
    origins = [ln for ln in printed if "dualuse on the" in ln]
    assert len(origins) == 2 and all(shipped.name in ln for ln in origins), origins
    result = [r for p in sorted(out.glob("part-*.csv")) for r in csv.DictReader(p.open())]
    assert [r["id"] for r in result] == [*(r["id"] for r in rows), "E1"]
    assert [r["status"] for r in result].count("error") == 1
    assert any(r["match"] == "true" for r in result[:5])
