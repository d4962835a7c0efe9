"""The real ``dualuse`` command in a subprocess: the acceptance interface of issue 4 and
the device-registry workflow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dualuse.tracking.wondernetwork import Matrix, read_matrix
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def matrix(shared_data: Path) -> Matrix:
    folder = shared_data / "geo" / "wondernetwork"
    return read_matrix(
        (folder / "servers-2020-07-19.csv").read_text(encoding="utf-8"),
        (folder / "pings-2020-07-19-2020-07-20-grouped.csv").read_text(encoding="utf-8"),
    )


def write_measurements(matrix: Matrix, name: str, path: Path, extra: str = "") -> Path:
    device = next(s.id for s in matrix.servers.values() if s.name == name)
    rows = sorted(
        (r, k) for k in matrix.servers if k != device and (r := matrix.rtt(device, k)) is not None
    )
    lines = ["landmark_lat,landmark_lon,rtt_ms"]
    lines += [f"{matrix.servers[k].lat},{matrix.servers[k].lon},{r}" for r, k in rows[:50]]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def env(tmp_path: Path) -> dict[str, str]:
    return {"DUALUSE_HOME": str(tmp_path / "home")}


def test_locate_json_acceptance(matrix: Matrix, tmp_path: Path) -> None:
    csv = write_measurements(matrix, "Singapore", tmp_path / "sg.csv")
    secure = run_cli(["locate", str(csv), "--json"], env=env(tmp_path))
    assert secure.returncode == 0, secure.stderr
    out = json.loads(secure.stdout)
    assert {"possible_countries", "region_km2"} <= set(out)
    assert "SG" in out["possible_countries"] and "CN" not in out["possible_countries"]
    assert all(len(c) == 2 and c.isupper() for c in out["possible_countries"])
    fibre = json.loads(
        run_cli(["locate", str(csv), "--bound", "fibre", "--json"], env=env(tmp_path)).stdout
    )
    assert 0 < fibre["region_km2"] < out["region_km2"]
    text = run_cli(
        ["locate", str(csv), "--prohibit", "CN,RU", "--claimed", "1.29,103.85"], env=env(tmp_path)
    )
    assert "proven_outside" in text.stdout


def test_locate_bad_input_never_crashes(matrix: Matrix, tmp_path: Path) -> None:
    csv = write_measurements(
        matrix, "Frankfurt", tmp_path / "fra.csv", "NaN,8,1\n10,10,-4\n95,0,3\n"
    )
    result = run_cli(["locate", str(csv), "--json"], env=env(tmp_path))
    assert result.returncode == 0
    out = json.loads(result.stdout)
    assert [r["row"] for r in out["rejected_rows"]] == [52, 53, 54]
    assert "row 53: rtt_ms -4.0 is negative" in result.stderr
    strict = run_cli(["locate", str(csv), "--strict"], env=env(tmp_path))
    assert strict.returncode == 2 and "bad row" in strict.stderr
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text("landmark_lat,landmark_lon,rtt_ms\nnan,nan,nan\n", encoding="utf-8")
    assert run_cli(["locate", str(only_bad)], env=env(tmp_path)).returncode == 2
    columns = tmp_path / "cols.csv"
    columns.write_text("lat,lon,rtt\n1,2,3\n", encoding="utf-8")
    wrong = run_cli(["locate", str(columns)], env=env(tmp_path))
    assert (
        wrong.returncode == 2
        and "missing column" in wrong.stderr
        and "Traceback" not in wrong.stderr
    )
    assert run_cli(["locate", str(tmp_path / "none.csv")], env=env(tmp_path)).returncode == 2
    assert run_cli(["locate", str(csv), "--bound", "warp"], env=env(tmp_path)).returncode == 2
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert run_cli(["locate", str(binary)], env=env(tmp_path)).returncode == 2


def test_locate_writes_a_map(matrix: Matrix, tmp_path: Path) -> None:
    csv = write_measurements(matrix, "Tokyo", tmp_path / "tokyo.csv")
    png, page = tmp_path / "map.png", tmp_path / "map.html"
    assert run_cli(["locate", str(csv), "--map", str(png)], env=env(tmp_path)).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run_cli(["locate", str(csv), "--map", str(page)], env=env(tmp_path)).returncode == 0
    assert '<path id="region"' in page.read_text(encoding="utf-8")


def test_registry_and_simulator_in_process(tmp_path: Path) -> None:
    e = env(tmp_path)
    lm_key, dev_key = tmp_path / "lm.pem", tmp_path / "dev.pem"
    added = run_cli(
        [
            "tracking",
            "landmarks",
            "add",
            "fra",
            "--lat",
            "50.11",
            "--lon",
            "8.68",
            "--key-out",
            str(lm_key),
        ],
        env=e,
    )
    assert added.returncode == 0, added.stderr
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "landmark_a,landmark_b,rtt_ms\nfra,elsewhere,3.0\nfra,fra,nan\n", encoding="utf-8"
    )
    calibrated = run_cli(["tracking", "landmarks", "calibrate", str(pairs)], env=e)
    assert calibrated.returncode == 0 and json.loads(calibrated.stdout) == {"fra": None}
    enrolled = run_cli(
        [
            "tracking",
            "enrol",
            "--serial",
            "SN9",
            "--model",
            "H100",
            "--eccn",
            "3A090",
            "--licence",
            "D1",
            "--end-user",
            "ACME GmbH",
            "--prohibited",
            "CN,RU,IR",
            "--permitted",
            "DE,site:50.1,8.7,100",
            "--key-out",
            str(dev_key),
        ],
        env=e,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    device_id = json.loads(enrolled.stdout)["device_id"]
    assert oct(dev_key.stat().st_mode)[-3:] == "600"
    simulate = ["tracking", "simulate", device_id, "--device-key", str(dev_key), "--at", "50.0,8.5",
                "--landmark", f"fra,50.11,8.68,{lm_key}"]  # fmt: skip
    sim = run_cli([*simulate, "--cycles", "2"], env=e)
    assert sim.returncode == 0, sim.stderr
    assert "device works" in sim.stderr
    fleet = json.loads(run_cli(["tracking", "fleet", "--json"], env=e).stdout)
    assert fleet[0]["last_verdict"] == "proven_outside" and fleet[0]["lease_active"]
    history = json.loads(run_cli(["tracking", "history", device_id], env=e).stdout)
    assert len(history["evidence"]) == 2 and len(history["leases"]) == 2
    plot = tmp_path / "h.png"
    assert run_cli(["tracking", "plot", device_id, "--out", str(plot)], env=e).returncode == 0
    assert plot.stat().st_size > 1000
    assert (
        run_cli(["tracking", "map", device_id, "--out", str(tmp_path / "m.png")], env=e).returncode
        == 0
    )
    blocked = run_cli(
        ["tracking", "override", device_id, "--block", "--reason", "inquiry", "--hours", "1"], env=e
    )
    assert blocked.returncode == 0
    denied = run_cli(simulate, env=e)
    assert denied.returncode == 2 and "lease lapsed" in denied.stderr
    assert run_cli(["audit", "verify"], env=e).returncode == 0


def test_inspect_shows_the_json_form(tmp_path: Path) -> None:
    from dualuse.tracking.claims import EvidenceClaims, b64
    from dualuse.tracking.cose import sign1
    from dualuse.tracking.keys import Signer

    signer = Signer.generate()
    token = sign1(EvidenceClaims(b"n" * 16, b"\x01" + bytes(16), 1.7e9, 3).encode(), signer)
    (tmp_path / "t.b64").write_text(b64(token), encoding="ascii")
    (tmp_path / "k.pem").write_text(signer.public.pem(), encoding="ascii")
    out = run_cli(
        ["tracking", "inspect", str(tmp_path / "t.b64"), "--verify-key", str(tmp_path / "k.pem")]
    )
    data = json.loads(out.stdout)
    assert data["alg"] == "EDDSA" and data["verified"] is True and data["claims"]["bootcount"] == 3
    assert out.returncode == 0
    (tmp_path / "other.pem").write_text(Signer.generate().public.pem(), encoding="ascii")
    failed = run_cli(
        [
            "tracking",
            "inspect",
            str(tmp_path / "t.b64"),
            "--verify-key",
            str(tmp_path / "other.pem"),
        ]
    )
    assert json.loads(failed.stdout)["verified"] is False
    assert failed.returncode == 1
    assert "does not verify" in failed.stderr
    (tmp_path / "bad").write_bytes(b"\x84\x40\xa0\x40")
    bad = run_cli(["tracking", "inspect", str(tmp_path / "bad")])
    assert bad.returncode == 2 and "error:" in bad.stderr


def test_enrol_refuses_a_device_id_no_route_can_serve(tmp_path: Path) -> None:
    e = env(tmp_path)
    args = ["tracking", "enrol", "--serial", "S", "--model", "M", "--eccn", "3A090"]
    args += ["--licence", "L", "--end-user", "E", "--prohibited", "CN"]
    args += ["--key-out", str(tmp_path / "k.pem"), "--device-id", "../../x"]
    refused = run_cli(args, env=e)
    assert refused.returncode == 2
    assert "device id '../../x'" in refused.stderr and "Traceback" not in refused.stderr
    assert json.loads(run_cli(["tracking", "fleet", "--json"], env=e).stdout) == []
