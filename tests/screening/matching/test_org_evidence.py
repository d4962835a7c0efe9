"""Evidence in organisation names (issue 17): explanations say which words of the
listed name agreed, distinctive or generic, and matches resting on near misses of
short words are lowered."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.names import NameType, analyze_name
from dualuse.screening.matching import DEFAULT_ALGORITHM, Screener, build_index, compare_names
from dualuse.screening.matching.org_evidence import agreement, near_misses
from tests.screening.matching.test_compare import _party

T = DEFAULT_ALGORITHM.THRESHOLD
ORG = NameType.ORGANIZATION


def test_the_explanation_says_which_words_agreed_and_which_were_generic() -> None:
    screener = Screener(build_index([_party("GLOBAL INVESTMENT GROUP LLC")]))
    response = screener.screen(
        ScreeningQuery(name="Global Investment Group", type=PartyType.ORGANIZATION)
    )
    (result,) = response.matches
    detail = next(e.description for e in result.explanation if e.feature == "name_match")
    assert "agreed distinctive: none" in detail
    assert "agreed generic: GLOBAL, INVESTMENT, GROUP" in detail


def test_the_explanation_shows_an_acronym_as_initials() -> None:
    scored = compare_names(
        analyze_name("IBM", ORG), analyze_name("INTERNATIONAL BUSINESS MACHINES", ORG)
    )
    assert scored.score < T
    assert agreement(scored) == (
        "agreed distinctive: none; agreed generic: IBM~INTERNATIONAL BUSINESS MACHINES (initials)"
    )


def test_the_explanation_names_the_distinctive_words() -> None:
    scored = compare_names(
        analyze_name("Golden Star Group", ORG), analyze_name("GOLDEN STAR GROUP LTD", ORG)
    )
    assert agreement(scored).startswith("agreed distinctive: GOLDEN, STAR;")
    assert "agreed generic: GROUP" in agreement(scored)


@given(st.sampled_from(["argan", "nidec", "safran", "inditex", "siltronic", "sovcombank"]))
def test_a_near_miss_is_one_edit_or_a_sound_away_and_short(word: str) -> None:
    typo = word[0] + word[2] + word[1] + word[3:]  # two letters swapped
    scored = compare_names(analyze_name(typo, ORG), analyze_name(word.upper(), ORG))
    missed = near_misses(scored)
    assert missed == ([f"{typo.upper()}~{word.upper()}"] if len(word) < 9 else [])
    exact = compare_names(analyze_name(word, ORG), analyze_name(word.upper(), ORG))
    assert near_misses(exact) == []
