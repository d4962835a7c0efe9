"""Names written "Short (Long form)" or "Long form (SHORT)" read as two names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.screening.lists.name_parts import defined_acronyms, name_parts


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


@pytest.mark.parametrize(
    ("listed", "part"),
    [
        ("OJSC BELAZ - MANAGEMENT COMPANY OF HOLDING BELAZ-HOLDING", "OJSC BELAZ"),
        ("OAO BELAZ - UPRAVLYAYUSHCHAYA KOMPANIYA KHOLDINGA BELAZ-KHOLDING", "OAO BELAZ"),
        ("AAT BELAZ - KIRUYUCHAYA KAMPANIYA KHOLDYNGU BELAZ-KHOLDYNG", "AAT BELAZ"),
        ("OAO INTEGRAL - MANAGEMENT HOLDING COMPANY INTEGRAL", "OAO INTEGRAL"),
        ("AAT INTEHRAL - KIRUIUCHAIA KAMPANIIA KHOLDYNGU INTEHRAL", "AAT INTEHRAL"),
        (
            "OPEN JOINT STOCK COMPANY MINSK AUTOMOBILE PLANT - MANAGEMENT COMPANY OF "
            "HOLDING BELAVTOMAZ",
            "OPEN JOINT STOCK COMPANY MINSK AUTOMOBILE PLANT",
        ),
    ],
)
def test_a_dash_before_the_partys_role_in_its_group_gives_the_name_before_it(
    listed: str, part: str
) -> None:
    assert name_parts(listed) == (part,)


@pytest.mark.parametrize(
    "listed",
    [
        "AKTSIONERNOE OBSHCHESTVO 'TRANSNEFT - SIBIR'",  # the parent's name first
        "RUSSIAN ACADEMY OF SCIENCES - ALEXANDR MIKHAILOVICH PROKHOROV GENERAL PHYSICS INSTITUTE",
        "HOTEL CASA GRANDE - SARAJEVO, BOSNIA AND HERZEGOVINA",  # a name two bodies share
        "NRC KURCHATOV INSTITUTE - VIAM",
        "KT - UNMANNED SYSTEMS",
        "JSC AGAT - ELECTROMECHANICAL PLANT",
        "- MANAGEMENT COMPANY OF HOLDING X",  # nothing before the dash
        "OJSC - MANAGEMENT COMPANY OF HOLDING X",  # only a legal form before it
    ],
)
def test_other_dashes_are_left_whole(listed: str) -> None:
    assert name_parts(listed) == ()


ACADEMY = [
    "Chinese Academy of Engineering Physics",
    "Ninth Academy",
    "Southwest Institute of Nuclear Physics and Chemistry (a.k.a., China Academy of "
    "Engineering Physics (CAEP)'s 902 Institute)",
]


def test_an_acronym_a_record_defines_for_its_own_party_is_an_alias() -> None:
    # "China" is the listed "Chinese": a country and its adjective read alike
    assert defined_acronyms(ACADEMY) == ("CAEP",)
    # legal forms left out: the name that defines it is the party's own
    assert defined_acronyms(["Petersburg Electronic Company (PEC), LLC"]) == ("PEC",)


@pytest.mark.parametrize(
    "names",
    [
        # the acronym of the parent, on the academy's own record
        ["China Aerospace Science and Industry Corporation (CASIC) 3rd Academy"],
        # the acronym of the corps, on the Qods Force's record
        ["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE", "QODS FORCE"],
        # initials that do not spell it
        ["Ninth Academy (CAEP)"],
        # already a name of the record
        ["Atomic Energy Organization of Iran (AEOI)", "AEOI"],
        # the acronym of a legal form
        ["Joint Stock Company (JSC) NIIME"],
        # the long form is the academy's, but this record is another body's
        ACADEMY[2:],
    ],
)
def test_an_acronym_of_another_body_or_already_given_is_not(names: list[str]) -> None:
    assert defined_acronyms(names) == ()


@given(st.permutations([*ACADEMY, "Petersburg Electronic Company (PEC), LLC", "X (Y) Z"]))
def test_defined_acronyms_are_written_in_parentheses_and_do_not_depend_on_order(
    names: list[str],
) -> None:
    found = defined_acronyms(names)
    assert set(found) == {"CAEP", "PEC"}
    assert all(any(f"({a})" in n for n in names) for a in found)


@given(st.lists(st.text(max_size=60), max_size=5))
def test_defined_acronyms_are_total_and_never_repeat_a_name(names: list[str]) -> None:
    found = defined_acronyms(names)
    given_names = {n.strip().casefold() for n in names}
    assert all(a.casefold() not in given_names for a in found)
    assert all(any(f"({a})" in n for n in names) for a in found)
