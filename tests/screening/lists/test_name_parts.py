"""Names written "Short (Long form)" or "Long form (SHORT)" read as two names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.screening.lists.name_parts import name_parts


@pytest.mark.parametrize(
    ("listed", "parts"),
    [
        (
            "Rostec (Russian Technologies State Corporation)",
            ("Rostec", "Russian Technologies State Corporation"),
        ),
        (
            "Semiconductor Manufacturing International Corporation (SMIC)",
            ("Semiconductor Manufacturing International Corporation", "SMIC"),
        ),
        (
            "Atomic Energy Organization of Iran (AEOI)",
            ("Atomic Energy Organization of Iran", "AEOI"),
        ),
        ("Federal Security Service (FSB)", ("Federal Security Service", "FSB")),
        ("Huawei Technologies Co., Ltd. (Huawei)", ("Huawei Technologies Co., Ltd.", "Huawei")),
        ("OAI (OPTICAL ASSOCIATES, INC)", ("OAI", "OPTICAL ASSOCIATES, INC")),
        ("SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)", ("SEMICONDUCTOR SYSTEMS INTL., INC.", "SSI")),
        ("KOLOKOL (AKA: ALDRICH AMES)", ("KOLOKOL", "ALDRICH AMES")),
        (
            "LTS Holding Limited (f.k.a. IPP-International Petroleum Products Ltd.)",
            ("LTS Holding Limited", "IPP-International Petroleum Products Ltd."),
        ),
        ("Luo Dongmei (PRC national)", ("Luo Dongmei",)),
        ("SAIED SHAHSAVARANI (PRESIDENT OF TAK COMPONENTS)", ("SAIED SHAHSAVARANI",)),
        (
            "AVIC Flight Automatic Control Research Institute (FACRI)",
            ("AVIC Flight Automatic Control Research Institute", "FACRI"),
        ),
        (
            "Almo Aero (Dart Aviation Technics) (IEAS)",
            ("IEAS", "Almo Aero", "Dart Aviation Technics"),
        ),
    ],
)
def test_a_trailing_parenthesis_that_is_a_name_gives_both_names(
    listed: str, parts: tuple[str, ...]
) -> None:
    assert name_parts(listed) == parts


@pytest.mark.parametrize(
    "listed",
    [
        "PJSC VTB BANK (KIEV)",  # a place
        "China Unicom (Hong Kong) Limited",  # not trailing
        "Corad Technology Ltd. (Shenzhen)",  # a city, in mixed case
        "GAZPROMBANK (SWITZERLAND) LTD",
        "VIC DEL INC. (OFF SHORE)",
        "IMAM KHOMEINI RELIEF COMMITTEE (LEBANON BRANCH)",  # another body
        "Guangzhou Hongyu Technology Co., Ltd. (a subordinate institute of CETC-7)",
        "SHERKATE BASARGANI PETROCHEMIE (SAHAMI KHASS)",  # a legal form
        "Moselectronproekt (JSC)",
        "United Electronics Group Co. Ltd. (United)",  # a generic word
        "GE SONG TAO (GE)",  # two capitals in a name written in capitals
        # the acronym names the parent inside the name, not the institute
        "20th Research Institute of China Electronic Technology Group Corp (CETC)",
        "A.A. Kharkevich Institute for Information Transmission Problems, Russian Academy of "
        "Sciences (RAS)",
        "Department of Atomic Energy facilities: Nuclear reactors (excluding Kundankulam 1 and 2)",
        "ROSTEC",
        "(SEAN) NAGHIBI",
        # a person's nationality ends the reading: the name stays as listed
        "Kim Sang-ch'o'l (Kim Sang Chang Chol) (DPRK national)",
    ],
)
def test_qualifiers_places_and_other_bodies_are_not_names(listed: str) -> None:
    assert name_parts(listed) == ()


@given(st.text(max_size=80))
def test_total_and_never_returns_the_input_or_a_parenthesis(text: str) -> None:
    parts = name_parts(text)
    assert text not in parts
    assert all("(" not in p and ")" not in p and p.strip() for p in parts)
