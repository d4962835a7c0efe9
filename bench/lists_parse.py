"""Parse time of every shared list, beside two references run on the same data:

* ``floor``: only tokenising the file (``csv.reader`` / ``lxml`` parse), the least any
  loader must spend;
* ``ftm``: building and serialising FollowTheMoney entities for the same parties with
  the ``followthemoney`` library, as the OpenSanctions pipeline does per entity.

Also the list store (commit, read back) and the bundled snapshot's load time, since the
index build (target ≤ 30 s for all lists) starts from these.

    python -m bench.lists_parse [--repeat 3] [--write docs/benchmarks/lists.md]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from dualuse.screening.lists import load_path, read_files
from dualuse.screening.lists.ftm import export_ftm
from dualuse.storage.lists import ListStore, Snapshot

SHARED = Path(
    os.environ.get("DUALUSE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
LISTS = {
    "OFAC SDN 2024-05-03 (sdn.csv)": "sanctions/ofac/sdn_2024-05-03",
    "OFAC SDN 2024-04-02 (sdn.csv)": "sanctions/ofac/sdn_2024-04-02",
    "OFAC SDN 2021-07 (sdn+add+alt+comments)": "sanctions/ofac/sdn_2021-07-07",
    "OFAC non-SDN 2025-12-19 (cons_*)": "sanctions/ofac/consolidated_2025-12-19",
    "CSL 2026-07-31 (full)": "sanctions/csl/csl_2026-07-31_converted.csv",
    "UN SC 2026-02-27": "sanctions/un/UN_consolidated_2026-02-27.xml",
    "BIS DPL 2023-11-30": "sanctions/bis/dpl_2023-11-30.txt",
}


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def floor(path: Path) -> None:
    """Tokenise only: what reading the file costs before any interpretation."""
    for name, data in read_files(path).items():
        if name.endswith(".xml"):
            etree.fromstring(data)
        else:
            text = data.decode("utf-8", "replace")
            delimiter = "\t" if name.endswith(".txt") else ","
            for _row in csv.reader(io.StringIO(text), delimiter=delimiter):
                pass


def row(label: str, n: int, parse: float, tokens: float, ftm: float) -> str:
    return (
        f"| {label} | {n:,} | {parse:.2f} | {n / parse:,.0f} | {tokens:.2f} | "
        f"{parse / tokens:.1f}× | {ftm:.2f} | {ftm / parse:.1f}× |"
    )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{os.cpu_count()} cores (nproc), {cpu}, Python {platform.python_version()}, "
        f"load average {load} at the start (other jobs shared the machine)"
    )


def run(repeat: int) -> str:
    load_path(SHARED / LISTS["UN SC 2026-02-27"])  # warm imports and the country registry
    rows = []
    total = {"parse": 0.0, "floor": 0.0, "ftm": 0.0, "parties": 0}
    versions = {}
    for label, rel in LISTS.items():
        path = SHARED / rel
        lv = load_path(path)
        versions[label] = lv
        parse = timed(lambda path=path: load_path(path), repeat)
        tokens = timed(lambda path=path: floor(path), repeat)
        ftm = timed(lambda lv=lv: sum(1 for _ in export_ftm(lv.parties)), 1)
        n = len(lv.parties)
        rows.append(row(label, n, parse, tokens, ftm))
        if "2024-04-02" not in label and "2021" not in label:
            total["parse"] += parse
            total["floor"] += tokens
            total["ftm"] += ftm
            total["parties"] += n
    with tempfile.TemporaryDirectory() as tmp:
        store = ListStore(Path(tmp))
        keep = [
            lv
            for label, lv in versions.items()
            if "2024-04-02" not in label and "2021" not in label
        ]
        start = time.perf_counter()
        for lv in keep:
            store.commit(lv)
        commit = time.perf_counter() - start
        read = timed(lambda: [store.parties(lv.list_id) for lv in keep], repeat)
    snapshot = Snapshot.bundled()
    bundled = timed(lambda: [snapshot.load(m.list_id) for m in snapshot.versions()], repeat)
    bundled_n = sum(m.count for m in snapshot.versions())
    head = (
        "| list | parties | parse s | parties/s | floor s (tokenise only) | parse ÷ floor |"
        " FtM build s | FtM ÷ parse |\n|---|---|---|---|---|---|---|---|"
    )
    all_row = row(
        "**all current lists** (SDN 2024-05-03, non-SDN, CSL, UN, DPL)",
        int(total["parties"]),
        total["parse"],
        total["floor"],
        total["ftm"],
    )
    return "\n".join(
        [
            "# Benchmarks: list parsing (`lists`)",
            "",
            f"Command: `python -m bench.lists_parse --repeat {repeat}` "
            f"(median of {repeat} runs; FtM build once)",
            f"Date: {datetime.now(UTC).date().isoformat()}; machine: {machine()}.",
            "",
            head,
            *rows,
            all_row,
            "",
            "Store and snapshot (same current lists):",
            "",
            f"- commit to the list store (validate, encode, zstd, atomic swap): {commit:.2f} s "
            f"for {total['parties']:,} parties",
            f"- read back from the store: {read:.2f} s",
            f"- load the bundled snapshot ({bundled_n:,} parties, 3 lists): {bundled:.2f} s",
            "",
            "Reading: *floor* is csv.reader/lxml alone, so *parse ÷ floor* is what "
            "interpretation costs on top of tokenising; *FtM ÷ parse* compares building "
            "followthemoney entities for the same parties with our whole parse.",
            "",
            "Against the product's index-build target (≤ 30 s for all bundled lists), parsing "
            "every current shared list is the *all current lists* row; screening normally "
            "starts from the store or the bundled snapshot instead (the last two lines), "
            "which skips parsing. Absolute times move with the machine's load (see the load "
            "average above); the ratios are the comparable figures.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", type=Path, help="Also write the markdown to this file.")
    args = parser.parse_args()
    text = run(args.repeat)
    print(text)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
