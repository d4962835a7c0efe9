from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.helpers import run_cli


def test_checkpoint_then_truncation_is_caught(tmp_path: Path) -> None:
    env = {"DUALUSE_HOME": str(tmp_path / "home")}
    for name in ("a", "b", "c"):
        assert run_cli(["keys", "create", name], env=env).returncode == 0
    cp = tmp_path / "elsewhere" / "cp.json"
    made = run_cli(["audit", "checkpoint", str(cp)], env=env)
    assert made.returncode == 0, made.stderr
    signed = json.loads(cp.read_text())
    assert signed["count"] == 3 and len(signed["signature"]) > 80
    key = tmp_path / "home" / "audit" / "checkpoint-key.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    ok = run_cli(["audit", "verify", "--checkpoint", str(cp)], env=env)
    assert ok.returncode == 0 and "4 records" in ok.stderr, ok.stderr  # + the checkpoint's own

    with sqlite3.connect(tmp_path / "home" / "dualuse.db") as db:
        db.execute("DELETE FROM audit_log WHERE seq >= 3")
    assert run_cli(["audit", "verify"], env=env).returncode == 0  # the chain alone: no sign
    caught = run_cli(["audit", "verify", "--checkpoint", str(cp)], env=env)
    assert caught.returncode == 2 and "record 3 was deleted" in caught.stderr
    assert "Traceback" not in caught.stderr


def test_openapi_prints_the_spec(tmp_path: Path) -> None:
    r = run_cli(["openapi"], env={"DUALUSE_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    spec = json.loads(r.stdout)
    assert "/v1/screen" in spec["paths"] and "/v1/audit/verify" in spec["paths"]
