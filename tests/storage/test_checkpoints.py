"""Signed checkpoints catch what the chain alone cannot: each attack below leaves a chain
that verifies on its own, and each is caught by the checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update

from dualuse.errors import InputError, IntegrityError
from dualuse.storage import audit, checkpoints
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import Signer


@pytest.fixture
def logged(db_url: str) -> Engine:
    engine = make_engine(db_url)
    for i in range(6):
        audit.append(
            engine, actor="alice", action="screen.decide", subject=f"case:{i}", payload={"i": i}
        )
    return engine


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return checkpoints.load_signer(tmp_path / "keys" / "checkpoint.pem", create=True)


def rewrite_from(engine: Engine, seq: int, payload: str) -> None:
    """An attacker with write access: change record ``seq`` and recompute every later hash."""
    log = audit.audit_log
    with engine.begin() as conn:
        rows = conn.execute(select(log).where(log.c.seq >= seq).order_by(log.c.seq)).all()
        prev = conn.execute(select(log.c.hash).where(log.c.seq == seq - 1)).scalar()
        prev = prev or audit.GENESIS
        for row in rows:
            text = payload if row.seq == seq else row.payload
            digest = audit._digest(row.seq, row.at, row.actor, row.action, row.subject, text, prev)
            conn.execute(
                update(log)
                .where(log.c.seq == row.seq)
                .values(payload=text, prev_hash=prev, hash=digest)
            )
            prev = digest


def test_an_intact_log_passes_and_may_grow(logged: Engine, signer: Signer) -> None:
    signed = checkpoints.take(logged, signer)
    assert signed.count == 6 and signed.head_hash == audit.head(logged)[1]
    assert checkpoints.check(logged, signed, signer.public) == 6
    audit.append(logged, actor="bob", action="x", subject="later")
    assert checkpoints.check(logged, signed, signer.public) == 7


def test_deleting_the_last_records_is_caught(logged: Engine, signer: Signer) -> None:
    signed = checkpoints.take(logged, signer)
    with logged.begin() as conn:
        conn.execute(delete(audit.audit_log).where(audit.audit_log.c.seq > 4))
    assert audit.verify_chain(logged) == 4  # the chain alone sees nothing wrong
    with pytest.raises(IntegrityError, match="records 5 to 6 were deleted"):
        checkpoints.check(logged, signed, signer.public)


def test_deleting_every_record_is_caught(logged: Engine, signer: Signer) -> None:
    signed = checkpoints.take(logged, signer)
    with logged.begin() as conn:
        conn.execute(delete(audit.audit_log))
    assert audit.verify_chain(logged) == 0
    with pytest.raises(IntegrityError, match=r"0 records, but .* signed 6: records 1 to 6 were"):
        checkpoints.check(logged, signed, signer.public)


def test_truncating_and_appending_again_is_caught(logged: Engine, signer: Signer) -> None:
    signed = checkpoints.take(logged, signer)
    with logged.begin() as conn:
        conn.execute(delete(audit.audit_log).where(audit.audit_log.c.seq > 3))
    for i in range(3):
        audit.append(logged, actor="mallory", action="x", subject=f"fake:{i}")
    assert audit.verify_chain(logged) == 6
    with pytest.raises(IntegrityError, match="record 6 is not the one"):
        checkpoints.check(logged, signed, signer.public)


def test_rewriting_a_record_and_recomputing_the_chain_is_caught(
    logged: Engine, signer: Signer
) -> None:
    signed = checkpoints.take(logged, signer)
    rewrite_from(logged, 2, '{"i": 1, "verdict": "clear"}')
    assert audit.verify_chain(logged) == 6
    with pytest.raises(IntegrityError, match="rewritten at or before record 6"):
        checkpoints.check(logged, signed, signer.public)


def test_a_forged_or_foreign_checkpoint_is_refused(
    logged: Engine, signer: Signer, tmp_path: Path
) -> None:
    path = tmp_path / "cp.json"
    checkpoints.write(checkpoints.take(logged, signer), path)
    raw = json.loads(path.read_text())
    raw["count"] = 4  # to cover a truncation to 4 records
    path.write_text(json.dumps(raw))
    with pytest.raises(IntegrityError, match="does not verify"):
        checkpoints.check(logged, checkpoints.read(path), signer.public)
    other = Signer.generate()
    with pytest.raises(IntegrityError, match="signed by key"):
        checkpoints.check(logged, checkpoints.take(logged, other), signer.public)


def test_a_broken_chain_is_not_signed(logged: Engine, signer: Signer) -> None:
    with logged.begin() as conn:
        conn.execute(update(audit.audit_log).where(audit.audit_log.c.seq == 3).values(payload="{}"))
    with pytest.raises(IntegrityError, match="record 3 was altered"):
        checkpoints.take(logged, signer)


def test_key_file_is_private_and_reloads(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    first = checkpoints.load_signer(path, create=True)
    assert path.stat().st_mode & 0o777 == 0o600
    assert checkpoints.load_signer(path).kid == first.kid
    with pytest.raises(InputError, match="no checkpoint key"):
        checkpoints.load_signer(tmp_path / "missing.pem")


@pytest.mark.parametrize(
    "text", ["", "[]", '{"format": "other"}', '{"format": "dualuse-audit-checkpoint/1"}']
)
def test_a_malformed_file_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError):
        checkpoints.Checkpoint.parse(text, source="cp.json")
