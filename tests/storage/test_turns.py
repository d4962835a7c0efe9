"""Writers to one SQLite file take turns: one at a time, in the order they came."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from dualuse.storage.db import make_engine
from dualuse.storage.turns import writer_turn


def test_one_writer_at_a_time_in_arrival_order(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    turns = writer_turn(engine)
    waiting = turns._waiting  # type: ignore[attr-defined]
    order: list[int] = []
    inside = [0]
    worst = [0]

    def writer(n: int) -> None:
        with turns:
            inside[0] += 1
            worst[0] = max(worst[0], inside[0])
            order.append(n)
            time.sleep(0.002)
            inside[0] -= 1

    threads = []
    with turns:  # hold the turn while eight writers queue up, one after another
        for n in range(8):
            thread = threading.Thread(target=writer, args=(n,))
            thread.start()
            threads.append(thread)
            deadline = time.monotonic() + 10
            while len(waiting) <= n and time.monotonic() < deadline:
                time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    assert order == list(range(8))
    assert worst[0] == 1
    with turns:  # free again afterwards
        pass


def test_other_databases_need_no_turns(tmp_path: Path) -> None:
    memory = make_engine("sqlite://")
    with writer_turn(memory), writer_turn(memory):  # a null context: it never blocks
        pass
