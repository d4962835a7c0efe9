"""Typos inside legal-form words are repaired before legal forms are recognised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from dualuse.reference.names import NameType, TokenKind, analyze_name
from dualuse.reference.names.legal_typos import LEGAL_FORM_WORDS, repair_legal_word


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("limted", "limited"),
        ("limitted", "limited"),
        ("compny", "company"),
        ("compnay", "company"),
        ("obshchesvto", "obshchestvo"),
        ("otvetstvenostyu", "otvetstvennostyu"),
        ("corporaton", "corporation"),
    ],
)
def test_a_misspelt_legal_form_word_is_repaired(typo: str, word: str) -> None:
    assert repair_legal_word(typo) == word


@pytest.mark.parametrize("word", ["publix", "society", "compaq", "limiter5", "sanaya", "lim"])
def test_other_words_stay(word: str) -> None:
    assert repair_legal_word(word) == word


@pytest.mark.parametrize(
    "name",
    [
        "EKO SHIPPING LIMTED LIABILITY COMPANY",
        "LIMITED LIABILITY COMPNY EKO SHIPPING",
        "AKTSIONERNOE OBSHCHESVTO EKO SHIPPING",
        "EKO SHIPPING COMPANY LIMMITED",
    ],
)
def test_a_misspelt_legal_form_is_a_legal_form(name: str) -> None:
    form = analyze_name(name, NameType.ORGANIZATION)
    assert [
        t for t, k in zip(form.tokens, form.kinds, strict=True) if k is not TokenKind.LEGAL
    ] == [
        "eko",
        "shipping",
    ]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14))
def test_a_repair_is_a_known_word_within_its_budget(word: str) -> None:
    repaired = repair_legal_word(word)
    if repaired == word:
        return
    assert repaired in LEGAL_FORM_WORDS
    assert len(word) >= 6 and repaired[0] == word[0]
    assert OSA.distance(word, repaired) <= (1 if min(len(word), len(repaired)) < 10 else 2)
