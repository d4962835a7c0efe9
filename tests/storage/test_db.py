from __future__ import annotations

import os
import stat
from pathlib import Path

from dualuse.storage import audit
from dualuse.storage.db import make_engine


def test_the_sqlite_file_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dualuse.db"
    old = os.umask(0o022)  # the common default, which would give 0644
    try:
        engine = make_engine(f"sqlite:///{path}")
        with engine.connect():  # holds the WAL and shared-memory files open
            audit.append(engine, actor="t", action="a", subject="s")
            files = [p for p in path.parent.iterdir() if p.name.startswith("dualuse.db")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    finally:
        os.umask(old)
    assert {"dualuse.db", "dualuse.db-wal", "dualuse.db-shm"} <= set(modes)
    assert modes == dict.fromkeys(modes, 0o600), {k: oct(v) for k, v in modes.items()}


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    make_engine(f"sqlite:///{path}").dispose()
    path.chmod(0o640)  # an owner's deliberate choice (e.g. a group of auditors)
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
