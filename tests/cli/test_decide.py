"""``dualuse decide`` and ``decide-file`` in a real subprocess (issue 12 §9): the JSON
contract, input order, malformed orders failing with every path named, the readable
answer, and a file decided in parallel."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tests.helpers import run_cli

ORDERS = Path(__file__).parents[1] / "decisions" / "orders"


def _order(name: str) -> dict[str, object]:
    return dict(json.loads((ORDERS / f"{name}.json").read_text(encoding="utf-8"))["order"])


def _jsonl(path: Path, orders: Sequence[object]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in orders), encoding="utf-8")
    return path


def test_decide_json_lines_in_input_order(tmp_path: Path) -> None:
    names = [
        "05_ear99_mcu_via_uae_to_kyrgyzstan",
        "07_cuba_destination",
        "01_distributor_not_listed",
    ]
    path = _jsonl(tmp_path / "orders.jsonl", [_order(n) for n in names])
    r = run_cli(["--home", str(tmp_path / "home"), "decide", str(path), "--json"])
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["verdict"] for o in out] == ["review", "prohibited", "clear"]
    assert [o["id"] for o in out] == ["PO-2026-0042", "PO-2026-0107", "PO-2026-0101"]
    assert all(reason["citation"]["source"] for o in out for reason in o["reasons"])


def test_decide_one_pretty_printed_order_readable(tmp_path: Path) -> None:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(_order("03_embargoed_transit"), indent=2), encoding="utf-8")
    r = run_cli(["--home", str(tmp_path / "home"), "decide", str(path)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("PO-2026-0103: PROHIBITED")
    assert "embargo.transit" in r.stdout and "15 CFR 746.7" in r.stdout


def test_malformed_order_exits_non_zero_naming_every_path(tmp_path: Path) -> None:
    bad = {"id": "PO-X", "route": {"transit": ["AE"]}, "parties": [{"role": "byer", "name": "A"}],
           "items": [{"line": 1, "eccn": "3A099"}]}  # fmt: skip
    path = _jsonl(tmp_path / "orders.jsonl", [_order("01_distributor_not_listed"), bad])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    r = run_cli(["--home", str(tmp_path / "home"), "decide", str(path), "--json"])
    assert r.returncode == 2
    for text in ("route.destination: missing", "parties[0].role", "did you mean buyer",
                 "items[0].eccn", "line 3"):  # fmt: skip
        assert text in r.stderr, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x.get("verdict", x.get("error")) for x in lines] == [
        "clear",
        "invalid order",
        "invalid order",
    ]
    assert "Traceback" not in r.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    r = run_cli(["--home", str(tmp_path / "home"), "decide", str(tmp_path / "none.json")])
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr


def test_decide_file_parallel_keeps_order_and_errors_in_place(tmp_path: Path) -> None:
    names = sorted(p.stem for p in ORDERS.glob("*.json"))
    orders: list[dict[str, object]] = [_order(n) for n in names] * 3
    orders.insert(7, {"id": "BAD-1", "route": {}})
    path = _jsonl(tmp_path / "orders.jsonl", orders)
    out = tmp_path / "out.jsonl"
    r = run_cli(["--home", str(tmp_path / "home"), "decide-file", str(path), "-o", str(out),
                 "--workers", "2", "--chunk-size", "4"])  # fmt: skip
    assert r.returncode == 0, r.stderr
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(got) == len(orders)
    assert got[7]["error"] == "invalid order" and got[7]["id"] == "BAD-1"
    ids = [o.get("id") for o in got]
    assert ids == [o["id"] for o in orders]
    assert "1 could not be read" in r.stderr
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_decide_replay_same_and_changed(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    path = _jsonl(tmp_path / "orders.jsonl", [_order("10_bakery_buys_gnss")])
    recorded = run_cli(["--home", home, "decide", str(path), "--json"])
    assert recorded.returncode == 0, recorded.stderr
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text(recorded.stdout, encoding="utf-8")
    same = run_cli(["--home", home, "decide-replay", str(decisions), "--json"])
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["same_verdict"] is True
    off = {"DUALUSE_DECISIONS_DISABLED_RULES": "bis_kyc.business_mismatch,bis_kyc.cash_payment,"
           "fincen_bis.chpl_transshipment"}  # fmt: skip
    changed = run_cli(["--home", home, "decide-replay", str(decisions)], env=off)
    assert changed.returncode == 1
    assert "review -> clear" in changed.stdout and "versions.rules" in changed.stdout
    decisions.write_text("{}\n", encoding="utf-8")
    bad = run_cli(["--home", home, "decide-replay", str(decisions)])
    assert bad.returncode == 2 and "line 1" in bad.stderr and "Traceback" not in bad.stderr
