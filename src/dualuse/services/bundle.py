"""Build the screening index shipped in the package, so the first screen on a fresh
install loads an index (a fraction of a second) instead of building one.

Run ``python -m dualuse.services.bundle`` after the bundled list snapshot or the index
format changes; a test rebuilds the index from the snapshot and checks that the shipped
one is identical, so a stale shipped index cannot go unnoticed.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory

from dualuse.files import atomic_write_bytes, atomic_write_text
from dualuse.screening.matching import build_index
from dualuse.services.lists import current_lists
from dualuse.services.screening import BUNDLED_INDEX, BUNDLED_INDEX_META
from dualuse.settings import Settings

PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data" / "lists"


def build_bundled_index(out_dir: Path = PACKAGE_DATA) -> tuple[Path, str]:
    """Build the index for the bundled snapshot alone; write it compressed to ``out_dir``."""
    with TemporaryDirectory() as tmp:
        lists = current_lists(Settings(home=Path(tmp) / "empty-home"))
        fingerprint = lists.fingerprint
        index = build_index(lists.parties(), version=fingerprint)
        plain = Path(tmp) / "index.npz"
        index.save(plain)
        packed = Path(tmp) / "packed.npz"
        with (
            zipfile.ZipFile(plain) as zin,
            zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout,
        ):
            for item in sorted(zin.infolist(), key=lambda i: i.filename):
                info = zipfile.ZipInfo(item.filename, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, zin.read(item.filename))
        target = out_dir / BUNDLED_INDEX
        atomic_write_bytes(target, packed.read_bytes())
    meta = out_dir / BUNDLED_INDEX_META
    atomic_write_text(
        meta,
        json.dumps(
            {
                "fingerprint": fingerprint,
                "lists": [f"{v.list_id} {v.version}" for v in lists.versions],
                "parties": len(index),
            },
            indent=2,
        )
        + "\n",
    )
    for shipped in (target, meta):
        shipped.chmod(0o644)  # package data: readable by every user of an installation
    return target, fingerprint


if __name__ == "__main__":
    path, fp = build_bundled_index()
    print(f"wrote {path} ({path.stat().st_size:,} bytes) for lists {fp[:12]}")
