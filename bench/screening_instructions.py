"""Instructions per screened name, counted by valgrind: a measure of the matcher's
work that does not drift with the machine's load (wall-clock times here moved by
tens of percent within minutes; instruction counts repeat to a fraction of a
percent). Compares this checkout with another one side by side.

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src \\
        python -m bench.screening_instructions --against ../other-checkout

Two workloads, each run in a fresh process under ``valgrind --tool=cachegrind``
once with no names and once with the names (the difference is the names' work,
so loading and warming up drop out):

* ``single``: ``Screener.screen`` one name at a time (limit 10, explained), the
  first 300 synthetic negatives, as the single-query latency benchmark does;
* ``batch``: ``Screener.screen_many`` in chunks of 256 (best result, no
  explanation), 1,024 negatives from row 10,000, as ``screen-file`` does.

Both checkouts read the same bundled index (this checkout's; with ``--own-index``,
each its own, for checkouts whose index formats differ). Both warm up with
names in eight scripts first, so one-time costs (ICU transliterator set-up: about
130 ms, once per process) are not counted. Instruction counts leave out cache
misses, which numpy's lookups in the index's large arrays pay in wall-clock time.
Needs valgrind (Debian package ``valgrind``); CI does not run this.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.matching_data import REPO

_WORKER = r"""
import sys
sys.path.insert(0, sys.argv[1] + "/src")
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from bench.matching_data import eval_dir, read_csv
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener

mode, count = sys.argv[3], int(sys.argv[4])
rows = read_csv(eval_dir() / "opensanctions" / "yente_negatives_global.csv")
start = 0 if mode == "single" else 10_000
names = [r["full_name"] for i, r in zip(range(start + count), rows) if i >= start]
screener = Screener(Index.load(Path(sys.argv[5]) / "src/dualuse/data/lists/bundled_index.npz"))
warm = ["Warm Up", "习近平", "Владимир Путин", "حسين موسوي", "김정은", "カタカナ",
        "Αλέξης Τσίπρας", "בנימין נתניהו"]
screener.screen_many([ScreeningQuery(name=w) for w in warm])
if mode == "single":
    for name in names:
        screener.screen(ScreeningQuery(name=name))
else:
    for at in range(0, len(names), 256):
        chunk = [ScreeningQuery(name=n) for n in names[at : at + 256]]
        screener.screen_many(chunk, limit=1, explain=False)
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")
WORKLOADS = {"single": 300, "batch": 1024}


def instructions(checkout: Path, mode: str, count: int, index_root: Path = REPO) -> int:
    """Instructions valgrind counts for one worker run (reading the bundled index of
    ``index_root``)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            _WORKER,
            str(checkout),
            str(REPO),
            mode,
            str(count),
            str(index_root),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    found = _REFS.search(done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_name(checkout: Path, mode: str, index_root: Path = REPO) -> float:
    count = WORKLOADS[mode]
    names = instructions(checkout, mode, count, index_root)
    return (names - instructions(checkout, mode, 0, index_root)) / count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument(
        "--own-index",
        action="store_true",
        help="each checkout reads its own bundled index (when the index format differs)",
    )
    parser.add_argument("--only", choices=sorted(WORKLOADS), help="one workload")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    checkouts = {"this": REPO}
    if args.against:
        checkouts["against"] = args.against.resolve()
    out: dict[str, object] = {}
    for mode in [args.only] if args.only else WORKLOADS:
        figures = {
            label: per_name(path, mode, path if args.own_index else REPO) / 1e6
            for label, path in checkouts.items()
        }
        row: dict[str, object] = {f"{k}_minstr_per_name": round(v, 3) for k, v in figures.items()}
        if "against" in figures:
            row["this_over_against"] = round(figures["this"] / figures["against"], 3)
        out[mode] = row
    out["checkouts"] = {k: str(v) for k, v in checkouts.items()}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
