"""Company names (issue 17): real company names that are not listed stay under the
threshold against listed organisations whose names only look alike, and listed
names with ordinary damage are still found. Query names are real index
constituents (pytickersymbols); listed names are real CSL entries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.model.party import NameKind, Party, PartyName, PartyType, Provenance
from dualuse.model.screening import MatchResult, ScreeningQuery
from dualuse.reference.names import NameForm, NameType, TokenKind, analyze_name
from dualuse.reference.names.common_words import common_org_words
from dualuse.screening.matching import DEFAULT_ALGORITHM, Screener, build_index, compare_names

T = DEFAULT_ALGORITHM.THRESHOLD
ORG = NameType.ORGANIZATION


def score(query: str, listed: str) -> float:
    return compare_names(analyze_name(query, ORG), analyze_name(listed, ORG)).score


LOOK_ALIKES = [
    # a short name is no acronym or abbreviation of another
    ("MLP SE", "W & M Limited Partnership"),  # "MLP" is not "M" + "LP"
    ("NTN Corporation", "NEWTON TRADING FZE"),
    ("HSBC", "HSC"),
    ("AENA", "ANA"),
    ("Altria", "OOO ATRI"),
    ("BASF", "JSC BAF"),
    ("SiTime", "LIMITED LIABILITY COMPANY STM"),
    # common words alone carry no match
    ("Handelsbanken", "BANCO"),  # only the concept "bank" is shared
    ("Bank Energy Partners", "ENERGY BANK JSC"),
    ("Deutsche Bank", "DEUTSCHE BANK FOR TRADE"),
    ("American Energy Partners", "AMERICAN ENERGY LLC"),
    ("Trust Bank Properties", "TRUST BANK LLC"),
    # words one side lacks lower a firm name's match
    ("Alphabet Inc.", "ALPHABET INTERNATIONAL DMCC"),
    ("Target Corporation", "TARGET ELECTRONICS"),
    ("Noble Corporation", "NOBLE SHIPPING CO LTD"),
    ("Dana Incorporated", "DANA HOLDINGS LIMITED"),
    ("Schneider Electric", "Schneider GMBH"),
    # firm names that only sound alike
    ("Zoetis", "SOTIS"),
    ("Denso", "DENISE COMPANY"),
    ("Steris", "SIDERUS"),
]


@pytest.mark.parametrize(("query", "listed"), LOOK_ALIKES)
def test_a_real_company_name_is_not_a_look_alike_listed_name(query: str, listed: str) -> None:
    assert score(query, listed) < T


def screen(query: str, listed: str) -> list[MatchResult]:
    screener = Screener(build_index([_party(listed)]))
    return list(screener.screen(ScreeningQuery(name=query, type=PartyType.ORGANIZATION)).matches)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Argan", "ARGON"),
        ("Nidec", "NIOEC"),
        ("Viad", "VIAND"),
        ("Safran", "SAIRAN"),
        ("Inditex", "INDUITEX LTDA."),
        ("KBC Bank", "OOO KBK BANK"),
        ("Element Solutions", "ELEMENTO SOLUTIONS LIMITED"),
        ("Siltronic", "SUNTRONIC F.Z.E."),
        ("Radian Group", "RODINA GROUP"),
        ("Hitachi", "Hitech Corporation"),
    ],
)
def test_a_short_distinctive_word_one_edit_away_is_another_firm(query: str, listed: str) -> None:
    (result,) = screen(query, listed)
    assert not result.match
    (weak,) = [e for e in result.explanation if e.feature == "weak_organization_evidence"]
    assert weak.description.startswith("only near misses agreed: ")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Sovkombank", "SOVCOMBANK"),
        ("Rosatom Mikroelectronics", "ROSATOM MICROELECTRONICS JSC"),
        ("Deutsche Bank's AG", "DEUTSCHE BANK AG"),
    ],
)
def test_a_long_distinctive_word_with_a_typo_is_still_found(query: str, listed: str) -> None:
    assert screen(query, listed)[0].match


def test_common_words_are_data_with_their_source() -> None:
    words = common_org_words()
    assert {"energy", "bank", "bancorp"} <= words
    from dualuse.reference.names.common_words import COMMON_WORDS_FILE

    header = [line for line in COMMON_WORDS_FILE.read_text().splitlines() if line.startswith("#")]
    assert any("pytickersymbols" in line for line in header)
    assert any("bench/company_words.py" in line for line in header)


def test_two_distinctive_words_outweigh_a_missing_generic_one() -> None:
    assert score("HAIGE GUANGZHOU", "Guangzhou Haige Communication Group Co., Ltd.") >= T


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("GENERAL TECHNOLOGY LTD", "GENERAL TECHNOLOGY LIMITED"),
        ("general technology", "GENERAL TECHNOLOGY LIMITED"),
        ("EKO SHIPPING LIMTED LIABILITY COMPANY", "EKO SHIPPING LIMITED LIABILITY COMPANY"),
        ("LIMITED LIABILITY COMPNY ALGORITM", "LIMITED LIABILITY COMPANY ALGORITM"),
        ("AKTSIONERNOE OBSHCHESVTO ACHIMGAZ", "AKTSIONERNOE OBSHCHESTVO ACHIMGAZ"),
        ("JOINT STOCK COPMANY ALFA-BANK", "JOINT STOCK COMPANY ALFA-BANK"),
        ("Payandan Compaany", "PAYANDAN COMPANY"),
        ("Energy Bank", "ENERGY BANK JSC"),
        ("group grand limited s a de c v", "GROUP GRAND LIMITED, S.A. DE C.V."),
        (
            "TECNOLOGIA OPTIMA CORPORATIVA S DE R L DE C V",
            "TECNOLOGIA OPTIMA CORPORATIVA S. DE R.L. DE C.V.",
        ),
    ],
)
def test_damaged_listed_names_are_found(query: str, listed: str) -> None:
    assert score(query, listed) >= T


def _party(name: str) -> Party:
    return Party(
        id="x",
        type=PartyType.ORGANIZATION,
        names=(PartyName(name, NameKind.NAME),),
        provenance=Provenance("us_csl", "2026-07-31", "https://example.invalid", "x"),
    )


_WORDS = st.sampled_from(
    ["energy", "bank", "trust", "global", "group", "golden", "orion", "vostok", "petro", "ltd"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=4), st.lists(_WORDS, min_size=1, max_size=4))
def test_firm_name_scores_stay_in_range_and_an_identical_name_agrees_fully(
    query: list[str], listed: list[str]
) -> None:
    value = score(" ".join(query), " ".join(listed))
    assert 0.0 <= value <= 1.0
    same = " ".join(listed)
    form = analyze_name(same, ORG)
    words = [t for t, k in zip(form.tokens, form.kinds, strict=True) if k is not TokenKind.LEGAL]
    if len(words) >= 2 or (words and _distinctive(form, words[0])):
        assert score(same, same) >= T
    elif words:
        # one generic or common word alone ("BANCORP", "ENERGY") names many bodies
        assert score(same, same) <= 0.5


def _distinctive(form: NameForm, word: str) -> bool:
    kind = form.kinds[form.tokens.index(word)]
    return kind is TokenKind.NAME and word not in common_org_words()
