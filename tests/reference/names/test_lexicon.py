"""The name lexicon (rigour's name data as a table) and the script rules that use it."""

from __future__ import annotations

import numpy as np

from dualuse.reference.names import NameType, analyze_name, romanization_key
from dualuse.reference.names.lexicon import (
    ORGANIZATION,
    PERSON,
    HashedLexicon,
    default_lexicon,
    form_keys,
)


def test_form_keys_join_words_and_fold_latin() -> None:
    assert form_keys("Jong-un") == {"jongun"}
    assert form_keys("Muḥammad") == {"muḥammad", "muhammad"}
    assert form_keys("محمد") == {"محمد"}
    assert form_keys("  ") == set()


def test_spellings_across_scripts_share_symbols() -> None:
    lexicon = default_lexicon()
    latin = lexicon.lookup("mohammed", PERSON)
    assert latin & lexicon.lookup("محمد", PERSON)
    assert latin & lexicon.lookup("muhammad", PERSON)
    assert lexicon.lookup("山田", PERSON) & lexicon.lookup("yamada", PERSON)
    assert "NICK:BILL" in lexicon.lookup("bill", PERSON)
    assert lexicon.lookup("trading", ORGANIZATION) and not lexicon.lookup("trading", PERSON)


def test_one_han_character_keeps_only_its_own_readings() -> None:
    lexicon = default_lexicon()
    li = lexicon.lookup("李", PERSON)
    assert li & lexicon.lookup("li", PERSON)
    assert not li & lexicon.lookup("momo", PERSON)  # a Japanese reading of 李


def test_subset_round_trips_through_arrays() -> None:
    lexicon = default_lexicon()
    wanted = lexicon.lookup("mohammed", PERSON) | lexicon.lookup("bill", PERSON)
    subset = lexicon.subset(wanted)
    assert len(subset) < len(lexicon)
    again = HashedLexicon.from_arrays(subset.arrays("x_"), "x_")
    for word in ("محمد", "mohammed", "bill", "мохаммед"):
        assert again.lookup(word, PERSON) == lexicon.lookup(word, PERSON) & wanted
    assert again.lookup("putin", PERSON) == frozenset()
    assert all(isinstance(a, np.ndarray) for a in subset.arrays("x_").values())


def test_korean_and_han_names_split_as_written() -> None:
    assert analyze_name("정식 김", NameType.PERSON).tokens == ("jongsik", "kim")
    assert analyze_name("성훈 이", NameType.PERSON).tokens == ("songhun", "lee")
    assert analyze_name("김정은", NameType.PERSON).tokens == ("kim", "jongun")
    assert analyze_name("习近平", NameType.PERSON).tokens == ("xi", "jinping")
    kanji = analyze_name("山田太郎", NameType.PERSON)
    assert kanji.tokens == ("shantian", "tailang") and all(kanji.symbols)
    assert len(analyze_name("华盛顿", NameType.PERSON).tokens) == 1  # a foreign name, whole
    # syllables are names, never particles or initials
    assert set(analyze_name("彬 李", NameType.PERSON).kinds) == {
        analyze_name("李", NameType.PERSON).kinds[0]
    }


def test_romanisation_keys() -> None:
    assert romanization_key("jong", True) == romanization_key("chong", True)
    assert romanization_key("jeong", True) == romanization_key("jong", True)
    assert romanization_key("pak", True) == romanization_key("bak", True)
    assert romanization_key("zhang", False) == romanization_key("chang", False)
    assert romanization_key("xi", False) == romanization_key("hsi", False)
    assert romanization_key("wang", False) != romanization_key("yang", False)
    assert romanization_key("jing", False) != romanization_key("qing", False)


def test_cjk_names_across_romanisations() -> None:
    from dualuse.screening.matching import DEFAULT_ALGORITHM, compare_names

    def score(a: str, b: str) -> float:
        person = NameType.PERSON
        return compare_names(analyze_name(a, person), analyze_name(b, person)).score

    for native, latin in (
        ("习近平", "Xi Jinping"),
        ("习近平", "Xi Jin-ping"),
        ("习近平", "XiJinping"),
        ("习近平", "Jinping Xi"),
        ("毛泽东", "Mao Tse-tung"),
        ("김정은", "Kim Jong Un"),
        ("김정은", "Kim Jeong-eun"),
        ("이명박", "Lee Myung-bak"),
        ("정식 김", "KIM, Jong Sik"),
        ("やまだ たろう", "Yamada Taro"),
        ("山田太郎", "Yamada Taro"),
        ("조지 워싱턴", "George Washington"),
    ):
        assert score(native, latin) >= DEFAULT_ALGORITHM.THRESHOLD, (native, latin)
    different = (("王林", "Yang Lin"), ("林 王", "Lian Yang"), ("성훈 이", "RI, Chun Song"))
    for native, latin in different:
        assert score(native, latin) < DEFAULT_ALGORITHM.THRESHOLD, (native, latin)
