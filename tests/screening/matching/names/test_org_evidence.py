"""Organisation evidence (issue 17 §1, issue 15 §1): the false-alert classes a real
company name met and the short names of listed bodies that were missed, one test
per class. Query names are real index constituents (pytickersymbols) or the names
people use for a listed body; listed names are real CSL / SDN entries, as the
bundled lists hold them."""

from __future__ import annotations

import pytest

from dualuse.model.party import NameKind, Party, PartyName, PartyType, Provenance
from dualuse.model.screening import MatchResult, ScreeningQuery
from dualuse.reference.names import NameType, analyze_name
from dualuse.screening.matching import DEFAULT_ALGORITHM, Screener, build_index, compare_names
from dualuse.screening.matching.names.org_evidence import short_agreement

T = DEFAULT_ALGORITHM.THRESHOLD
ORG = NameType.ORGANIZATION


def _party(pid: str, names: list[str], countries: tuple[str, ...] = ()) -> Party:
    return Party(
        id=pid,
        type=PartyType.ORGANIZATION,
        names=tuple(
            PartyName(n, NameKind.NAME if i == 0 else NameKind.ALIAS) for i, n in enumerate(names)
        ),
        countries=countries,
        provenance=Provenance("us_csl", "2026-07-31", "https://example.invalid", pid),
    )


# real CSL entries (2026-07-31): a long name and the short name the list gives
NSK = ["LIMITED LIABILITY COMPANY NATSIONALNAYA SURMYANAYA KOMPANIYA", "OOO NSK"]
NEC = [
    "JOINT STOCK COMPANY NATIONAL ENGINEERING CORPORATION",
    "AKTSIONERNOE OBSHCHESTVO NATSIONALNAYA INZHINIRINGOVAYA KORPORATSIYA",
    "JSC NEC",
]
FSB = ["Federal Security Service (FSB)", "Federal Security Service", "FSB"]
DJI = ["DJI", "SZ DJI Technology Co., Ltd.", "Da-Jiang Innovations"]


def screen(
    query: str, parties: list[Party], *, kind: PartyType | None = None, **extra: str
) -> list[MatchResult]:
    screener = Screener(build_index(parties))
    return list(screener.screen(ScreeningQuery(name=query, type=kind, **extra)).matches)


@pytest.mark.parametrize(
    ("query", "names", "words"),
    [
        ("NSK Ltd.", NSK, "NSK"),  # the Japanese bearing maker
        ("NEC", NEC, "NEC"),  # the Japanese electronics maker
        ("H&M", ["HIZBUL MUJAHIDEEN", "HM"], "HM"),  # two letters, however written
    ],
)
def test_a_short_company_name_alone_is_no_alert(query: str, names: list[str], words: str) -> None:
    (result,) = screen(query, [_party("x", names)], kind=PartyType.ORGANIZATION)
    assert not result.match
    assert result.score >= T - 0.2  # still in the licence review band
    (short,) = [e for e in result.explanation if e.feature == "short_company_name"]
    assert short.description == f"only {words!r} agreed: a short company name"


def test_a_country_confirms_a_short_company_name() -> None:
    (result,) = screen(
        "NSK Ltd.", [_party("x", NSK, ("ru",))], kind=PartyType.ORGANIZATION, country="ru"
    )
    assert result.match
    assert not [e for e in result.explanation if e.feature == "short_company_name"]


@pytest.mark.parametrize(("query", "names"), [("FSB", FSB), ("DJI", DJI)])
def test_a_bare_acronym_the_list_gives_still_matches(query: str, names: list[str]) -> None:
    (result,) = screen(query, [_party("x", names)])
    assert result.match and result.score == 1.0


def test_short_agreement_counts_letters_not_words() -> None:
    def agreed(query: str, listed: str) -> str | None:
        return short_agreement(compare_names(analyze_name(query, ORG), analyze_name(listed, ORG)))

    assert agreed("NSK Ltd.", "OOO NSK") == "NSK"
    assert agreed("FSB", "FSB") is None  # no legal form: a bare acronym
    assert agreed("NSK Bearings Ltd.", "NSK BEARINGS LLC") is None


def test_one_common_word_is_no_whole_name() -> None:
    # real: The Bancorp, Inc. (S&P 600); BANCORP is an alias of BANCO CORPORATIVO SA
    scored = compare_names(analyze_name("The Bancorp, Inc.", ORG), analyze_name("BANCORP", ORG))
    assert scored.score <= 0.5
    assert "whole name agrees" not in scored.describe()
    # two words agreeing word for word still are the whole name
    assert (
        compare_names(
            analyze_name("General Technology Ltd", ORG),
            analyze_name("GENERAL TECHNOLOGY LIMITED", ORG),
        ).score
        >= T
    )


def test_a_generic_word_translated_is_still_generic() -> None:
    # "National" (generic) and "NACIONAL" share only SYMBOL:NATL; "Bank" and
    # "BANCO" only DOMAIN:BANK: a kind of body named twice, not one body
    scored = compare_names(
        analyze_name("National Bank Holdings Corporation", ORG), analyze_name("BANCO NACIONAL", ORG)
    )
    assert scored.score <= 0.5
    assert "agreed distinctive: none" in scored.describe()


@pytest.mark.parametrize(
    ("query", "right", "other"),
    [
        ("SenseTime", ["Sensetime Group Limited", "Sensetime Group Ltd"], None),
        ("Inspur", ["INSPUR GROUP CO., LTD."], ["Inspur Software Co., Ltd.", "Inspur Software"]),
    ],
)
def test_a_listed_group_word_the_query_lacks_costs_little(
    query: str, right: list[str], other: list[str] | None
) -> None:
    parties = [_party("right", right)] + ([_party("other", other)] if other else [])
    results = screen(query, parties)
    assert results[0].party_id.endswith("right") and results[0].match


@pytest.mark.parametrize(
    ("query", "listed"),
    [("Megvii", "Megvii Technology Limited"), ("Dahua", "Dahua Technology")],
)
def test_a_coined_name_outweighs_a_missing_generic_word(query: str, listed: str) -> None:
    # real CSL entries; "Megvii" and "Dahua" are no English words: one body bears each
    assert screen(query, [_party("x", [listed])])[0].match


@pytest.mark.parametrize(
    ("query", "listed"),
    [("Alphabet", "ALPHABET INTERNATIONAL DMCC"), ("AEON", "LLC AEON DEVELOPMENT")],
)
def test_a_known_word_does_not(query: str, listed: str) -> None:
    # real: Alphabet Inc. (NASDAQ 100), AEON Co. (NIKKEI 225); firms by the dozen bear them
    assert not screen(query, [_party("x", [listed])], kind=PartyType.ORGANIZATION)[0].match


def test_known_english_words_are_data_with_their_source() -> None:
    from dualuse.reference.names.common_words import ENGLISH_WORDS_FILE, coined, english_words

    assert {"alphabet", "phoenix", "experian"} <= english_words()
    assert coined("megvii") and not coined("aeon") and not coined("nsk")
    assert ENGLISH_WORDS_FILE.is_file()


def test_an_untyped_single_word_meets_a_listed_organisation_by_its_symbol() -> None:
    # real: OFAC SDN / CSL "HIZBALLAH"; the other parties name other bodies
    parties = [
        _party("right", ["HIZBALLAH", "PARTY OF GOD", "LEBANESE HEZBOLLAH"]),
        _party("other", ["KATA'IB HIZBALLAH", "KATA'IB HEZBOLLAH"]),
    ]
    results = screen("Hezbollah", parties)
    assert results[0].party_id.endswith("right") and results[0].match


def test_the_acronym_of_a_body_that_is_no_company_still_matches() -> None:
    # real: UN "ALLIED DEMOCRATIC FORCES" a.k.a. ADF (an armed group: no legal form
    # in any of its names); "ADF LTD" is the UN benchmark's legal-form perturbation
    (result,) = screen("ADF LTD", [_party("x", ["ALLIED DEMOCRATIC FORCES", "ADF"])])
    assert result.match
