"""Speed of the control data load and of one determination per line item.

Targets (issue 3): load of all control data <= 2 s; a determination <= 1 ms per line
item after load. The issue names no external anchor for this capability, so the
figures are set beside (a) the bare parse of the same files (orjson/csv/yaml, no
validation or indexing) and (b) the targets, as ratios.

Run: ``python -m bench.controls_speed [--items N] [--write docs/benchmarks/controls.md]``
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import yaml

from dualuse.controls import data as cd
from dualuse.controls.classify import classify_params
from dualuse.controls.decision import determine
from dualuse.controls.determine import DeterminationRequest
from dualuse.controls.search import SearchIndex
from dualuse.services import controls as svc

TODAY = date(2026, 7, 23)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def bare_parse() -> None:
    folder = cd.data_dir()
    for key, name in cd.FILES.items():
        raw = (folder / name).read_bytes()
        if name.endswith(".json"):
            orjson.loads(raw)
        elif name.endswith(".csv"):
            list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        else:
            yaml.load(raw.decode(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        del key


def timed(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - t)
    return out


def cold_load_seconds(repeat: int) -> list[float]:
    code = (
        "import time; t=time.perf_counter(); from dualuse.controls.data import load; "
        "load(); print(time.perf_counter()-t)"
    )
    env_path = str(Path(__file__).resolve().parents[1] / "src")
    out = []
    for _ in range(repeat):
        r = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        )
        out.append(float(r.stdout.strip()))
    return out


def line_items(data: cd.ControlData, n: int, seed: int = 7) -> list[DeterminationRequest]:
    rng = random.Random(seed)
    extra = ["EAR99", "3A090.a", "3A090.b", "3A090.c", "4A090.a", "3A001.a.2", "5A992.c"]
    eccns = [*sorted(data.ccl), *extra]
    dests = [*sorted(data.chart.rows), "hk"]
    uses = [None, None, None, "military", "military-intelligence", "wmd"]
    return [
        DeterminationRequest(
            eccn=rng.choice(eccns), destination=rng.choice(dests), end_use=rng.choice(uses)
        )
        for _ in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()

    bare = timed(bare_parse, 5)
    warm = timed(cd.load, 5)
    cold = cold_load_seconds(5)
    data = svc._load(None)  # as the service loads it (collected, then frozen for the GC)
    requests = line_items(data, args.items)
    for r in requests[:200]:  # warm caches (country resolution)
        determine(data, r, today=TODAY)
    per_item = []
    t_all = time.perf_counter()
    for r in requests:
        t = time.perf_counter()
        determine(data, r, today=TODAY)
        per_item.append(time.perf_counter() - t)
    total = time.perf_counter() - t_all
    chip = {
        "tflops_fp16": "989.5",
        "tops_int8": "1979",
        "die_area_mm2": "814",
        "datacenter": "true",
    }
    classify = timed(lambda: classify_params(data, chip), 2000)
    index_build = timed(lambda: SearchIndex.build(data), 3)
    index = SearchIndex.build(data)
    queries = [
        "carbon fibre prepreg",
        "GPU datacenter integrated circuit",
        "coordinate measuring machine",
        "encryption software",
        "water cannon",
    ]
    search = timed(lambda: [index.search(q, 10) for q in queries], 200)

    ms = 1000.0
    per_item_ms = sorted(x * ms for x in per_item)
    p50 = statistics.median(per_item_ms)
    p99 = per_item_ms[int(0.99 * len(per_item_ms)) - 1]
    mean = total / len(requests) * ms
    rows = [
        (
            "bare parse of the 10 files (orjson/csv/yaml, no validation)",
            f"{statistics.median(bare) * ms:.0f} ms",
            "baseline",
        ),
        (
            "load + validate, warm process (median of 5)",
            f"{statistics.median(warm) * ms:.0f} ms",
            f"{statistics.median(warm) / statistics.median(bare):.2f}× bare parse; "
            f"{statistics.median(warm) / 2:.2f}× the 2 s target",
        ),
        (
            "load + validate, cold interpreter incl. imports (median of 5)",
            f"{statistics.median(cold) * ms:.0f} ms",
            f"{statistics.median(cold) / 2:.2f}× the 2 s target",
        ),
        (
            f"determination, {len(requests)} random line items (ECCN × destination × end use), "
            "mean",
            f"{mean:.3f} ms",
            f"{mean / 1.0:.3f}× the 1 ms target",
        ),
        ("determination p50 / p99", f"{p50:.3f} / {p99:.3f} ms", f"p99 = {p99 / 1.0:.3f}× target"),
        (
            "classify one chip (3A090 arithmetic), mean of 2000",
            f"{statistics.mean(classify) * ms:.3f} ms",
            "",
        ),
        (
            "search index build (CCL + EU Annex I)",
            f"{statistics.median(index_build) * ms:.0f} ms",
            "built once per process",
        ),
        (
            "search, 5 queries, mean per query",
            f"{statistics.mean(search) / len(queries) * ms:.3f} ms",
            "",
        ),
    ]
    with open("/proc/cpuinfo") as f:
        cores = sum(1 for line in f if line.startswith("processor"))
    lines = [
        "## Controls: control data load and licence determination (issue 3)",
        "",
        f"Machine: {cores} cores (`nproc`), {cpu_model()}; Python {platform.python_version()}. "
        f"Date: {datetime.now(UTC).date()}. Command: `python -m bench.controls_speed --items "
        f"{args.items}`.",
        "",
        "| what | figure | ratio |",
        "| --- | --- | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "The issue names no external anchor for classification/determination; the seelpeed MCP",
        "engine (Node) is the nearest open engine but is not installable here (no network beyond",
        "package registries), so the figures stand beside the bare parse of the same files and",
        "the issue's targets.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("# Benchmarks: controls\n\n" + text)


if __name__ == "__main__":
    main()
