"""Re-screen after a list update: the delta index against the full index, side by side.

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src python -m bench.screening_delta

The update is real (OFAC SDN 2024-04-02 -> 2024-05-03: 417 entries added, 11 changed);
the stored parties are 4,000 real names (the yente negatives, rows 10,000-13,999) plus
the changed entries' own names, so the delta run has hits to find. Both runs screen in
chunks of 256 through ``Screener.screen_many`` (best result, no explanations, as
``screen-file`` and ``screen-spark`` do) and report names per CPU-second; the full run
uses the bundled index (what a fresh install screens against). Also reports whether the
two runs agree on every hit of a changed entry.
"""

from __future__ import annotations

import json
import time

from bench.matching_data import REPO, eval_dir, read_csv
from dualuse.model.screening import ScreeningQuery, ScreeningResponse
from dualuse.screening.matching import Index, Screener
from dualuse.services.delta_screening import build_delta_index, compare
from dualuse.services.lists import open_version
from dualuse.settings import Settings

_INDEX = REPO / "src" / "dualuse" / "data" / "lists" / "bundled_index.npz"


def run(screener: Screener, names: list[str]) -> tuple[float, list[ScreeningResponse]]:
    started = time.process_time()
    out: list[ScreeningResponse] = []
    for start in range(0, len(names), 256):
        chunk = [ScreeningQuery(name=n) for n in names[start : start + 256]]
        out += screener.screen_many(chunk, limit=1, explain=False)
    return len(names) / (time.process_time() - started), out


def main() -> None:
    ofac = eval_dir().parent.parent / "sanctions" / "ofac"
    settings = Settings()
    old, new = (open_version(settings, str(ofac / v)) for v in ("sdn_2024-04-02", "sdn_2024-05-03"))
    change = compare(old, new)
    full = Index.load(_INDEX)
    started = time.perf_counter()
    delta = build_delta_index([change], full)
    build_s = time.perf_counter() - started
    rows = read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv")
    names = [r["full_name"] for i, r in zip(range(14_000), rows, strict=False) if i >= 10_000]
    names += [p.caption for p in change.changed_parties]
    full_rate, full_out = run(Screener(full), names)
    delta_rate, delta_out = run(Screener(delta.index), names)
    changed = {p.provenance.entry_id for p in change.changed_parties}
    full_hits = {
        (i, r.matches[0].entry_id)
        for i, r in enumerate(full_out)
        if r.matches
        and r.matches[0].match
        and r.matches[0].entry_id in changed
        and r.matches[0].list_id == "us_ofac_sdn"
    }
    delta_hits = {
        (i, r.matches[0].entry_id)
        for i, r in enumerate(delta_out)
        if r.matches and r.matches[0].match
    }
    print(
        json.dumps(
            {
                "names": len(names),
                "changed_entries": len(delta.index),
                "delta_build_s": round(build_s, 2),
                "full_names_per_cpu_s": round(full_rate),
                "delta_names_per_cpu_s": round(delta_rate),
                "speedup": round(delta_rate / full_rate, 1),
                "full_hits_on_changed_sdn_entries": len(full_hits),
                "delta_hits": len(delta_hits),
                "full_hits_missed_by_delta": len(full_hits - delta_hits),
            }
        )
    )


if __name__ == "__main__":
    main()
