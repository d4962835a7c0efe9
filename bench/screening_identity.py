"""Are two checkouts' screening results identical? A digest of every result of a
fixed set of mixed queries, computed in a fresh process per checkout.

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src \\
        python -m bench.screening_identity --against ../other-checkout

The queries (about 13,000): both names of every nomenklatura name-benchmark case
(typed by their schema), the UN positives and the first 10,000 synthetic negatives
with their dates of birth and nationalities, the OFAC search-parity queries and both
sides of the cross-script pairs. Each goes through ``Screener.screen`` (top 10 with
explanations) and, in chunks of 256, through ``Screener.screen_many`` (top 10, no
explanation: the batch path). Both checkouts read this checkout's bundled index.
Prints one JSON object: the query count and each path's SHA-256 per checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.matching_data import REPO

_WORKER = r"""
import hashlib, json, sys
sys.path.insert(0, sys.argv[1] + "/src")
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from bench.matching_data import eval_dir, read_csv
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener
from dualuse.services.screening_input import make_query

o = eval_dir() / "opensanctions"
rows = []
types = {"Person": "person", "Company": "organization", "Organization": "organization"}
for r in read_csv(o / "nomenklatura_name_bench_cases.csv"):
    for side in ("name1", "name2"):
        rows.append((r[side], "", "", types.get(r["schema"], "any")))
for path, count in (
    ("yente_positives_un_untreated.csv", 10**9),
    ("yente_negatives_global.csv", 10_000),
):
    for _, r in zip(range(count), read_csv(o / path)):
        rows.append((r["full_name"], r["date_of_birth"], r["nationality"], "person"))
for r in read_csv(o / "nomenklatura_ofac_search_parity_scores.csv"):
    rows.append((r["query_name"], "", "", "any"))
import csv
with (eval_dir() / "watchman" / "cross_script_pairs.csv").open(encoding="utf-8") as handle:
    for r in csv.reader(x for x in handle if x.strip() and not x.startswith("#")):
        rows.extend((value, "", "", "any") for value in r[:2])
queries = []
for name, dob, country, kind in rows:
    if not name.strip():
        continue
    try:
        query, _ = make_query(name, dob=dob, country=country, type=kind, source="bench")
    except Exception:
        query, _ = make_query(name, type=kind, source="bench")
    queries.append(query)

def line(response):
    return json.dumps([
        [m.score, m.match, m.list_id, m.entry_id, m.matched_name, m.explanation]
        for m in response.matches
    ], ensure_ascii=False, default=str)

screener = Screener(Index.load(Path(sys.argv[2]) / "src/dualuse/data/lists/bundled_index.npz"))
single = hashlib.sha256()
for q in queries:
    single.update(line(screener.screen(q, limit=10)).encode() + b"\n")
batch = hashlib.sha256()
for at in range(0, len(queries), 256):
    for response in screener.screen_many(queries[at : at + 256], limit=10, explain=False):
        batch.update(line(response).encode() + b"\n")
digests = {"single": single.hexdigest(), "batch": batch.hexdigest()}
print(json.dumps({"queries": len(queries), **digests}))
"""


def digests(checkout: Path) -> dict[str, object]:
    """The worker's answer for one checkout (a fresh process: fresh caches)."""
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(checkout), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, PYTHONPATH=str(checkout / "src")),
    )
    if done.returncode:
        raise SystemExit(f"{checkout}: {done.stderr[-2000:]}")
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    out: dict[str, object] = {"this": digests(REPO)}
    if args.against:
        out["against"] = digests(args.against.resolve())
        out["identical"] = out["this"] == out["against"]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
