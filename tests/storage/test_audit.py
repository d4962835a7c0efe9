import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from dualuse.errors import IntegrityError
from dualuse.storage import audit
from dualuse.storage.db import make_engine


def test_chain_verifies_and_detects_tampering(db_url: str) -> None:
    engine = make_engine(db_url)
    for i in range(5):
        audit.append(
            engine,
            actor="alice",
            action="screen.decide",
            subject=f"case:{i}",
            payload={"verdict": "clear", "i": i},
        )
    assert audit.verify_chain(engine) == 5
    seq, digest = audit.head(engine)
    assert seq == 5 and len(digest) == 64

    with engine.begin() as conn:
        conn.execute(
            update(audit.audit_log)
            .where(audit.audit_log.c.seq == 3)
            .values(payload='{"verdict": "block", "i": 2}')
        )
    with pytest.raises(IntegrityError, match="record 3 was altered"):
        audit.verify_chain(engine)


def test_deleting_a_record_breaks_the_chain(db_url: str) -> None:
    engine = make_engine(db_url)
    for i in range(3):
        audit.append(engine, actor="bob", action="x", subject="s", payload={"i": i})
    with engine.begin() as conn:
        conn.execute(audit.audit_log.delete().where(audit.audit_log.c.seq == 2))
    with pytest.raises(IntegrityError, match="record 2 is missing"):
        audit.verify_chain(engine)


def test_filters(db_url: str) -> None:
    engine = make_engine(db_url)
    audit.append(engine, actor="a", action="one", subject="s1")
    audit.append(engine, actor="a", action="two", subject="s2")
    assert [r.action for r in audit.records(engine, subject="s2")] == ["two"]


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.text(max_size=20), st.text(max_size=50), max_size=5))
def test_any_payload_round_trips_and_verifies(
    tmp_path_factory: pytest.TempPathFactory, payload: dict[str, str]
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('a') / 'a.db'}")
    record = audit.append(engine, actor="p", action="a", subject="s", payload=payload)
    assert record.payload == payload
    assert audit.verify_chain(engine) == 1
