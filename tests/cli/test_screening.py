import csv
import json
from pathlib import Path

from dualuse.settings import Settings
from tests.helpers import run_cli


def test_screen_json_has_the_documented_fields(screening_settings: Settings) -> None:
    result = run_cli(
        [
            "--home",
            str(screening_settings.home),
            "screen",
            "Gazprom Neft",
            "--type",
            "organization",
            "--json",
        ],
        check=True,
    )
    payload = json.loads(result.stdout)
    best = payload["matches"][0]
    for key in ("score", "match", "list", "entry_id", "name", "explanation"):
        assert key in best
    assert best["match"] is True
    assert 0.0 <= best["score"] <= 1.0
    scores = [m["score"] for m in payload["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert {"feature", "weight", "query_value", "candidate_value"} <= set(best["explanation"][0])


def test_screen_rejects_bad_input_clearly(screening_settings: Settings) -> None:
    home = ["--home", str(screening_settings.home)]
    bad_dob = run_cli([*home, "screen", "X Y", "--dob", "1990-13-01"])
    assert bad_dob.returncode == 2
    assert "month 13 is out of range" in bad_dob.stderr
    empty = run_cli([*home, "screen", "   "])
    assert empty.returncode == 2
    assert "name is empty" in empty.stderr
    bad_threshold = run_cli([*home, "screen", "X Y", "--threshold", "1.5"])
    assert bad_threshold.returncode == 2
    assert "threshold 1.5 is not in [0, 1]" in bad_threshold.stderr
    for result in (bad_dob, empty, bad_threshold):
        assert "Traceback" not in result.stderr


def test_screen_file_end_to_end(screening_settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name,country\nc1,Gazprom Neft,RU\nc2,Margarethe Quellenbrunner,DE\nc3,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = run_cli(
        [
            "--home",
            str(screening_settings.home),
            "screen-file",
            str(source),
            "-o",
            str(out),
            "--workers",
            "1",
        ],
        check=True,
    )
    assert "3 rows screened" in result.stderr
    assert "row 3" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["id"], r["match"]) for r in rows] == [("c1", "true"), ("c2", "false"), ("c3", "")]


def test_screen_file_without_name_column(screening_settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,fullname\n1,x\n", encoding="utf-8")
    result = run_cli(
        [
            "--home",
            str(screening_settings.home),
            "screen-file",
            str(source),
            "-o",
            str(tmp_path / "out.csv"),
        ]
    )
    assert result.returncode == 2
    assert "no 'name' column" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_screen_spark_refuses_a_conf_that_is_not_key_value(
    screening_settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name\nRosneft\n", encoding="utf-8")
    result = run_cli(
        [
            "--home",
            str(screening_settings.home),
            "screen-spark",
            str(source),
            str(tmp_path / "out"),
            "--conf",
            "spark.executor.memory",
        ]
    )
    assert result.returncode == 2
    assert "is not key=value" in result.stderr
    assert not (tmp_path / "out").exists()
