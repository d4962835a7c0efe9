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
    bad_list = run_cli([*home, "screen", "Gazprom Neft", "--list", "ofac_sdn", "--json"])
    assert bad_list.returncode == 2
    assert "unknown list 'ofac_sdn'" in bad_list.stderr
    assert "us_csl, us_ofac_cons, us_ofac_sdn" in bad_list.stderr
    assert bad_list.stdout == ""
    empty = run_cli([*home, "screen", "   "])
    assert empty.returncode == 2
    assert "name is empty" in empty.stderr
    bad_threshold = run_cli([*home, "screen", "X Y", "--threshold", "1.5"])
    assert bad_threshold.returncode == 2
    assert "threshold 1.5 is not in [0, 1]" in bad_threshold.stderr
    for result in (bad_list, empty, bad_threshold):
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


def test_a_bad_date_is_a_warning_and_the_name_is_screened(screening_settings: Settings) -> None:
    home = ["--home", str(screening_settings.home)]
    for dob, problem in (("1990-13-01", "month 13"), ("1952-02-30", "February 1952 has 29")):
        result = run_cli([*home, "screen", "Gazprom Neft", "--dob", dob, "--json"], check=True)
        payload = json.loads(result.stdout)
        assert payload["match"] is True
        assert payload["query"]["birth_date"] is None
        assert any(problem in w and "screened without it" in w for w in payload["warnings"])
    unpadded = run_cli([*home, "screen", "Gazprom Neft", "--dob", "1969-7-16", "--json"])
    assert json.loads(unpadded.stdout)["query"]["birth_date"] == "1969-07-16"


def test_usage_errors_are_one_message_and_exit_2(tmp_path: Path) -> None:
    home = ["--home", str(tmp_path)]
    cases = [
        (["screen", "X", "--limit", "abc"], "Invalid value for '--limit'"),
        (["screen-file", "in.csv"], "Missing option '-o' / '--output'"),
        (["screen-file"], "Missing argument"),
        (["screen", "X", "--bogus"], "No such option: --bogus"),
        (["no-such-command"], "No such command"),
    ]
    for args, message in cases:
        result = run_cli([*home, *args])
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_screen_file_checks_paths_before_screening(
    screening_settings: Settings, tmp_path: Path
) -> None:
    home = ["--home", str(screening_settings.home)]
    source = tmp_path / "in.csv"
    source.write_text("id,name\n1,Gazprom Neft\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    twice = tmp_path / "twice.csv"
    twice.write_text("name,id,NAME\nGazprom Neft,1,x\n", encoding="utf-8")
    cases = [
        (tmp_path / "missing.csv", tmp_path / "out.csv", "input file not found"),
        (source, tmp_path / "folder", "output is a directory"),
        (source, source, "is the input file"),
        (twice, tmp_path / "out.csv", "column 'name' appears 2 times"),
    ]
    for in_path, out_path, message in cases:
        result = run_cli([*home, "screen-file", str(in_path), "-o", str(out_path)])
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert "screening" not in result.stderr  # refused before the progress bar
    assert source.read_text(encoding="utf-8") == "id,name\n1,Gazprom Neft\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "in.csv", "twice.csv"]


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
