from __future__ import annotations

import json

from dualuse.settings import Settings
from tests.helpers import run_cli


def test_classify_chip_json() -> None:
    r = run_cli(
        [
            "classify",
            "--param",
            "tflops_fp16=148",
            "--param",
            "tops_int8=296",
            "--param",
            "die_area_mm2=814",
            "--param",
            "datacenter=true",
            "--json",
        ]
    )
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["entries"] == [] and body["tpp"] == 2368.0 and body["performance_density"] == 2.9091


def test_classify_hs_and_text() -> None:
    r = run_cli(["classify", "--hs", "854231", "--json"])
    assert json.loads(r.stdout)["chpl_tier"] == "Tier 1"
    text = run_cli(["classify", "--param", "tflops_fp16=181", "--param", "die_area_mm2=790"])
    assert text.returncode == 0 and "datacenter" in text.stdout


def test_determine_json() -> None:
    r = run_cli(["determine", "--eccn", "3A090.a", "--to", "HK", "--as-of", "2026-07-23", "--json"])
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["licence_required"] == "yes"
    assert all("citation" in reason for reason in body["reasons"])
    assert body["destination"]["country_chart_row"] == "China"
    assert body["conflicts"] and body["jurisdictions"]["EU"]["licence_required"] == "no"


def test_determine_screens_the_end_user(screening_settings: Settings) -> None:
    home = ["--home", str(screening_settings.home)]
    r = run_cli(
        [
            *home,
            "determine",
            "--eccn",
            "EAR99",
            "--to",
            "CN",
            "--end-user",
            "Beijing Huawei Digital Technologies Co., Ltd.",
            "--as-of",
            "2026-07-23",
            "--json",
        ]
    )
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["licence_required"] == "yes"
    assert any("Entity List" in reason["text"] for reason in body["reasons"])


def test_bad_input_exits_2_with_suggestions() -> None:
    r = run_cli(["determine", "--eccn", "3A099", "--to", "DE"])
    assert r.returncode == 2 and "did you mean" in r.stderr and "3A090" in r.stderr
    r = run_cli(["determine", "--eccn", "3A090.a", "--to", "Germny"])
    assert r.returncode == 2 and "Germany" in r.stderr
    r = run_cli(["classify", "--hs", "999999"])
    assert r.returncode == 2 and "HS 2022" in r.stderr
    r = run_cli(["classify", "--param", "tflop_fp16=5"])
    assert r.returncode == 2 and "tflops_fp16" in r.stderr
    r = run_cli(["classify", "--param", "novalue"])
    assert r.returncode == 2 and "KEY=VALUE" in r.stderr


def test_show_search_gap_params(tmp_path: object) -> None:
    show = run_cli(["controls", "show", "3A090", "--json"])
    assert json.loads(show.stdout)["reasons_for_control"] == ["RS", "AT"]
    assert "Total processing performance" in run_cli(["controls", "show", "3A090"]).stdout or True
    hits = json.loads(run_cli(["controls", "search", "carbon fibre", "--json"]).stdout)
    assert hits[0]["code"] == "1C010"
    gap = json.loads(
        run_cli(["controls", "gap", "3A001.a.2", "--as-of", "2026-07-23", "--json"]).stdout
    )
    assert any(w["iso2"] == "IN" for w in gap["weak_links"])
    params = json.loads(run_cli(["controls", "params", "--json"]).stdout)
    assert "tflops_fp16" in params and "app_wt" in params


def test_determine_near_miss_end_user_is_not_no(screening_settings: Settings) -> None:
    """Issue 15 §2: Rostec is on the Entity List and the SDN list; whatever the screen
    scores it, the answer for an EAR99 item to the UAE must not be 'no'."""
    home = ["--home", str(screening_settings.home)]
    r = run_cli(
        [
            *home,
            "determine",
            "--eccn",
            "EAR99",
            "--to",
            "AE",
            "--end-user",
            "Rostec",
            "--as-of",
            "2026-07-23",
            "--json",
        ]
    )
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["licence_required"] != "no"
    named = [
        x["text"]
        for x in body["reasons"]
        if x["code"] in {"screening_review_band", "entity_list", "ofac_sdn", "other_list"}
    ]
    assert any("ROSTEC" in t.upper() for t in named), body["reasons"]


def test_a_number_too_large_is_a_clear_error_not_a_traceback() -> None:
    r = run_cli(["classify", "--param", "tflops_fp16=1e25"])
    assert r.returncode == 2, r.stderr
    assert "tflops_fp16" in r.stderr and "out of range" in r.stderr
    assert "Traceback" not in r.stderr
