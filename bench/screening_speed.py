"""Screening speed on the full index of all loadable shared lists, one core, with
nomenklatura's logic-v2 and logic-v1 scoring the same candidates for comparison.

    DUALUSE_SHARED_DATA=/work/shared/data python -m bench.screening_speed
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.matching_data import eval_dir, load_full_lists, read_csv
from bench.nomenklatura_side import entity_for_name, entity_for_record, scorer
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener, build_index


def _names(n: int) -> list[str]:
    rows = read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv")
    return [r["full_name"] for _, r in zip(range(n), rows, strict=False)]


def _batch_worker(args: tuple[str, list[str]]) -> int:
    path, names = args
    screener = Screener(Index.load(Path(path)))
    for name in names:
        screener.screen(ScreeningQuery(name=name), limit=1)
    return len(names)


def _rss_worker(path: str, names: list[str], queue: Any) -> None:
    screener = Screener(Index.load(Path(path)))
    for name in names:
        screener.screen(ScreeningQuery(name=name))
    queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    out: dict[str, Any] = {}
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
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        loaded_index = Index.load(tmp)
        loads.append(time.perf_counter() - started)
    out["load_seconds"] = min(loads)
    screener = Screener(loaded_index)
    names = _names(6000)
    screener.screen(ScreeningQuery(name="warm up"))
    latencies = []
    for name in names[:2000]:
        started = time.perf_counter()
        screener.screen(ScreeningQuery(name=name))
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    out["single_median_ms"] = statistics.median(latencies) * 1000
    out["single_p99_ms"] = latencies[int(len(latencies) * 0.99)] * 1000
    ctx = multiprocessing.get_context("spawn")
    for procs in (1, 2):
        chunk = names[2000:6000]
        parts = [chunk[i::procs] for i in range(procs)]
        with ctx.Pool(procs) as pool:
            pool.map(_batch_worker, [(str(tmp), ["warm"]) for _ in range(procs)])
            started = time.perf_counter()
            done = sum(pool.map(_batch_worker, [(str(tmp), p) for p in parts]))
            elapsed = time.perf_counter() - started
        out[f"batch_{procs}_proc_names_per_s"] = done / elapsed
    queue = ctx.Queue()
    proc = ctx.Process(target=_rss_worker, args=(str(tmp), names[:500], queue))
    proc.start()
    out["peak_rss_mib_load_and_screen"] = queue.get()
    proc.join()
    # nomenklatura scoring the same candidates (retrieval excluded on both sides)
    sample = names[:200]
    candidates = [
        [m.party_id for m in screener.screen(ScreeningQuery(name=n)).matches] for n in sample
    ]
    lookup = {loaded_index.record(p).party_id: p for p in range(loaded_index.n_parties)}
    pairs = sum(len(c) for c in candidates)
    started = time.perf_counter()
    for name in sample:
        screener.screen(ScreeningQuery(name=name))
    ours = time.perf_counter() - started
    out["ours_same_queries_names_per_s"] = len(sample) / ours
    for anchor in ("logic-v1", "logic-v2"):
        score = scorer(anchor)
        entities = {
            pid: entity_for_record(loaded_index.record(lookup[pid]))
            for c in candidates
            for pid in c
        }
        started = time.perf_counter()
        for i, (name, cands) in enumerate(zip(sample, candidates, strict=True)):
            query = entity_for_name("Person", name, f"q{i}")
            for pid in cands:
                score(query, entities[pid])
        elapsed = time.perf_counter() - started
        out[f"{anchor}_names_per_s_scoring_only"] = len(sample) / elapsed
        out[f"{anchor}_pairs"] = pairs
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
