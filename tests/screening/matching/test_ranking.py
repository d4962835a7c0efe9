"""A query of one distinctive word ranks the parties that hold it exactly above those
that hold only a typo of it; scores stay as they are."""

from __future__ import annotations

from dualuse.model.party import NameKind, Party, PartyName, PartyType, Provenance
from dualuse.model.screening import ScreeningQuery
from dualuse.reference.names import analyze_name
from dualuse.screening.matching import Screener, build_index
from dualuse.screening.matching.ranking import sole_word


def _party(entry: str, *names: str) -> Party:
    return Party(
        id=f"test:{entry}",
        type=PartyType.ORGANIZATION,
        names=tuple(
            PartyName(n, NameKind.NAME if i == 0 else NameKind.ALIAS) for i, n in enumerate(names)
        ),
        provenance=Provenance("test", "2026-01-01", "https://example.org", entry),
        programs=("TEST",),
    )


# the OFAC SDN entries (2024-05-03) of the case the issue reports: a refinery named
# by its distinctive word, and a different company one letter away
REFINERY = _party(
    "29797",
    "IMAM KHOMEINI SHAZAND OIL REFINING COMPANY",
    "IMAM KHOMEINI ZHAZAND OIL REFINING",
)
PETROCHEMICAL = _party("15956", "SHAZAND PETROCHEMICAL COMPANY")
SYZRAN = _party("18290", "OJSC SYZRAN REFINERY", "SYZRAN REFINERY")
SOURAN = _party("30464", "SOURAN COMPANY", "SORAN COMPANY")


# other parties, so that words are about as rare as on the real lists (retrieval
# weighs a word by its rarity among the index's names)
FILLER = [_party(f"f{i}", f"Filler{i} Trading") for i in range(3000)]


def test_the_exact_word_ranks_above_a_typo_of_it() -> None:
    index = build_index([PETROCHEMICAL, REFINERY, SYZRAN, SOURAN, *FILLER], version="t")
    screener = Screener(index)
    zhazand = screener.screen(ScreeningQuery(name="ZHAZAND"))
    assert [m.entry_id for m in zhazand.matches][:2] == ["29797", "15956"]
    # the typo-grade hit is still shown (since the company false-alert work, a short
    # near-miss word also lowers its score, so score and rank now agree here)
    scores = {m.entry_id: m.score for m in zhazand.matches}
    assert scores["15956"] > 0
    syzran = screener.screen(ScreeningQuery(name="Syzran"))
    assert syzran.matches[0].entry_id == "18290"


def test_without_an_exact_holder_the_order_is_by_score() -> None:
    index = build_index([PETROCHEMICAL, SOURAN, *FILLER], version="t")
    matches = Screener(index).screen(ScreeningQuery(name="ZHAZAND")).matches
    assert [m.entry_id for m in matches] == ["15956"]


def test_two_distinctive_words_are_ranked_by_score_alone() -> None:
    index = build_index([PETROCHEMICAL, REFINERY, *FILLER], version="t")
    matches = Screener(index).screen(ScreeningQuery(name="Zhazand Petrochemical")).matches
    assert matches[0].entry_id == "15956"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_the_sole_word_ignores_legal_forms_and_generic_words() -> None:
    assert sole_word((analyze_name("Rostec State Corporation"),)) == "rostec"
    assert sole_word((analyze_name("Kalashnikov Concern LLC"),)) == "kalashnikov"
    assert sole_word((analyze_name("Gazprom Neft"),)) is None


def test_a_match_is_never_ranked_below_a_party_under_the_threshold() -> None:
    # a long name holds the word exactly but scores under the threshold; a party
    # listed by a typo-grade variant alone is a match, and an alert is never shown
    # below a non-alert (a long word: short near-miss words no longer match firms)
    exact = _party("x", "KHORRAMSHAHR PETROCHEMICAL REFINING AND SHIPPING COMPANY")
    variant = _party("v", "KHORAMSHAHR")
    index = build_index([exact, variant, *FILLER], version="t")
    matches = Screener(index).screen(ScreeningQuery(name="KHORRAMSHAHR")).matches
    assert sole_word((analyze_name("KHORRAMSHAHR"),)) == "khorramshahr"
    assert [(m.entry_id, m.match) for m in matches] == [("v", True), ("x", False)]
