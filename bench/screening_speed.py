"""Screening speed on the full index of all shared lists, one core, with
nomenklatura's logic-v2 and logic-v1 scoring the same candidates for comparison.

    DUALUSE_SHARED_DATA=/work/shared/data python -m bench.screening_speed

Batch workers are forked after the index is loaded, so its arrays are shared.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.matching_data import REPO, eval_dir, load_full_lists, read_csv
from bench.nomenklatura_side import entity_for_name, entity_for_record, scorer
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener, build_index

_SHARED: dict[str, Any] = {}
_STARTUP = """
from pathlib import Path
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener
index = Index.load(Path({path!r}))
response = Screener(index).screen(ScreeningQuery(name={name!r}))
status = Path("/proc/self/status").read_text()
print(int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) / 1024)
"""


def _names(start: int, n: int) -> list[str]:
    rows = read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv")
    return [r["full_name"] for i, r in zip(range(start + n), rows, strict=False) if i >= start]


def _screen_in_chunks(screener: Screener, names: list[str]) -> None:
    """As `screen-file` and the Spark job screen: chunks of 256 rows through
    `screen_many` (their words looked up together), best result, no explanation."""
    for start in range(0, len(names), 256):
        chunk = [ScreeningQuery(name=n) for n in names[start : start + 256]]
        screener.screen_many(chunk, limit=1, explain=False)


def _batch_worker(names: list[str]) -> tuple[int, float]:
    screener: Screener = _SHARED["screener"]
    started = time.process_time()
    _screen_in_chunks(screener, names)
    return len(names), time.process_time() - started


def _long_worker(path: str, names: list[str]) -> tuple[int, float, float]:
    """A fresh process loads the index and screens every name: rate per CPU-second
    and peak memory (VmHWM) of a process that did nothing else."""
    screener = Screener(Index.load(Path(path)))
    started = time.process_time()
    _screen_in_chunks(screener, names)
    cpu = time.process_time() - started
    status = Path("/proc/self/status").read_text().splitlines()
    peak = int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024
    return len(names), cpu, peak


def _batch(index: Index, names: list[str], procs: int) -> dict[str, float]:
    """Names per second of wall time with ``procs`` forked workers (fresh caches)."""
    _SHARED["screener"] = Screener(index)
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # as `screen-file` does before it forks its workers
    parts = [names[i::procs] for i in range(procs)]
    with ctx.Pool(procs) as pool:
        started = time.perf_counter()
        done = pool.map(_batch_worker, parts)
        elapsed = time.perf_counter() - started
    return {
        "names_per_s": sum(n for n, _ in done) / elapsed,
        "names_per_cpu_s": sum(n for n, _ in done) / sum(c for _, c in done),
    }


def _startup(path: Path, name: str) -> dict[str, float]:
    """A fresh Python process: imports, index load and one query, timed outside."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _STARTUP.format(path=str(path), name=name)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return {"seconds": time.perf_counter() - started, "rss_mib": float(result.stdout.split()[-1])}


def main() -> None:
    out: dict[str, Any] = {"nproc": os.cpu_count(), "load_average": os.getloadavg()}
    started = time.perf_counter()
    loaded = load_full_lists()
    out["lists"] = loaded.versions
    out["skipped"] = loaded.skipped
    out["parse_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    index = build_index(loaded.parties, version=loaded.fingerprint)
    out["build_seconds"] = time.perf_counter() - started
    out["parties"], out["names"] = index.n_parties, index.n_names
    tmp = Path(tempfile.mkdtemp()) / "index.npz"
    index.save(tmp)
    out["index_bytes"] = tmp.stat().st_size
    del index
    out["startup_latin"] = _startup(tmp, "Vladimir Putin")
    out["startup_arabic"] = _startup(tmp, "حسين موسوي")
    out["startup_han"] = _startup(tmp, "习近平")
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        loaded_index = Index.load(tmp)
        loads.append(time.perf_counter() - started)
    out["load_seconds"] = min(loads)
    batch = _names(10_000, 10_000)
    for procs in (1, 2):
        out[f"batch_{procs}_proc"] = _batch(loaded_index, batch, procs)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        count, cpu, peak = pool.apply(_long_worker, (str(tmp), _names(0, 50_000)))
    out["all_negatives_one_process"] = {"names_per_cpu_s": count / cpu, "peak_rss_mib": peak}
    screener = Screener(loaded_index)
    latencies = []
    for name in _names(0, 2000):
        started = time.perf_counter()
        screener.screen(ScreeningQuery(name=name))
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    out["single_median_ms"] = statistics.median(latencies) * 1000
    out["single_p99_ms"] = latencies[int(len(latencies) * 0.99)] * 1000
    out["peak_rss_mib_this_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # nomenklatura scoring the same candidates (retrieval excluded on both sides)
    sample = _names(0, 200)
    candidates = [
        [m.party_id for m in screener.screen(ScreeningQuery(name=n)).matches] for n in sample
    ]
    lookup = {loaded_index.record(p).party_id: p for p in range(loaded_index.n_parties)}
    started = time.perf_counter()
    for name in sample:
        screener.screen(ScreeningQuery(name=name))
    out["ours_same_queries_names_per_s"] = len(sample) / (time.perf_counter() - started)
    out["pairs"] = sum(len(c) for c in candidates)
    for anchor in ("logic-v1", "logic-v2"):
        score = scorer(anchor)
        entities = {
            pid: entity_for_record(loaded_index.record(lookup[pid]))
            for c in candidates
            for pid in c
        }
        warm = entity_for_name("Person", "warm up", "w")
        score(warm, warm)  # loads rigour's tagger outside the timing
        started = time.perf_counter()
        for i, (name, cands) in enumerate(zip(sample, candidates, strict=True)):
            query = entity_for_name("Person", name, f"q{i}")
            for pid in cands:
                score(query, entities[pid])
        out[f"{anchor}_names_per_s_scoring_only"] = len(sample) / (time.perf_counter() - started)
    out["load_average_end"] = os.getloadavg()
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
