from __future__ import annotations

import pytest

from dualuse.controls.chart import parse_columns, parse_destination_rule, parse_scope


@pytest.mark.parametrize(
    ("eccn", "control", "scope", "complete"),
    [
        ("3A090", "RS applies to 3A090.a", ("3A090.a",), True),
        ("4A003", "NS applies to 4A003.b, .c, and .z.1", ("4A003.b", "4A003.c", "4A003.z.1"), True),
        (
            "3A001",
            "RS applies to 3A001.z.1.a, z.2.a, z.3.a, z.4.a",
            ("3A001.z.1.a", "3A001.z.2.a", "3A001.z.3.a", "3A001.z.4.a"),
            True,
        ),
        (
            "1C351",
            "CB applies to items controlled by 1C351.d.15 and .16",
            ("1C351.d.15", "1C351.d.16"),
            True,
        ),
        (
            "1C010",
            "NP applies to 1C010.a (aramid “fibrous or filamentary materials”, b (carbon "
            "“fibrous and filamentary materials”), and e.1 for ...",
            ("1C010.a", "1C010.b", "1C010.e.1"),
            False,
        ),
        (
            "4A003",
            "CC applies to “digital computers” for computerized finger-print equipment",
            (),
            False,
        ),
        ("4E091", "RS applies entire entry", None, True),
        ("6A991", "Russian industry sector sanctions apply to entire entry", None, True),
    ],
)
def test_parse_scope(
    eccn: str, control: str, scope: tuple[str, ...] | None, complete: bool
) -> None:
    parsed = parse_scope(eccn, control)
    assert (parsed.refs, parsed.complete) == (scope, complete)


@pytest.mark.parametrize(
    ("eccn", "control", "excluded"),
    [
        # another ECCN in the list: which of this entry's paragraphs it means is not read
        (
            "1E607",
            "NS applies to entire entry, except “technology” for 1C607.a.10, .a.11, .a.12, "
            "and .a.14 and for 1D607 “software” therefor",
            (),
        ),
        # ".d" is taken out too, but the first item carries a condition on other ECCNs
        (
            "0A509",
            "NS applies to entire entry except 0A509.a for items for ECCN 0A502 or ECCN "
            "0A508, and 0A509.d",
            (),
        ),
        # bare letters ("e and f") and a Note are not read
        (
            "1B001",
            "MT applies to entire entry, except 1B001.d.4, e and f. Note: MT applies to "
            "equipment in 1B001.d that meet or exceed the parameters of 1B101",
            (),
        ),
        ("9D515", "NS applies to entire entry except 9D515.x and y", ()),
        (
            "2B004",
            "NP applies to entire entry, except 2B004.b.3 and presses with maximum working "
            "pressures below 69 MPa",
            (),
        ),
    ],
)
def test_except_lists_not_fully_read_stay_partial(
    eccn: str, control: str, excluded: tuple[str, ...]
) -> None:
    """A misread exception list could answer "yes" or "no" for a paragraph the text
    takes out or keeps: such lists stay partial (answered "unknown")."""
    parsed = parse_scope(eccn, control)
    assert parsed.refs is None and not parsed.complete
    assert parsed.excluded == excluded and parsed.excluded_if == ()


@pytest.mark.parametrize(
    ("eccn", "control", "excluded", "excluded_if"),
    [
        ("9A990", "AT applies to entire entry except 9A990.a", ("9A990.a",), ()),
        ("0A501", "NS applies to entire entry except 0A501.y", ("0A501.y",), ()),
        ("9A012", "NS applies to entire entry, except .a.1", ("9A012.a.1",), ()),
        (
            "9A610",
            "NS applies to entire entry except: 9A610.b; parts and components controlled in "
            "9A610.x if being exported or reexported for use in an aircraft controlled in "
            "9A610.b; and 9A610.y",
            ("9A610.b", "9A610.y"),
            ("9A610.x",),
        ),
    ],
)
def test_parse_scope_except_lists(
    eccn: str, control: str, excluded: tuple[str, ...], excluded_if: tuple[str, ...]
) -> None:
    """Issue 15 §2: "entire entry except ..." is read, not left as unreadable text."""
    parsed = parse_scope(eccn, control)
    assert parsed.refs is None and parsed.complete
    assert (parsed.excluded, parsed.excluded_if) == (excluded, excluded_if)


def test_columns() -> None:
    assert parse_columns("NS", "NS Column 1.") == ("NS 1",)
    assert parse_columns("AT", "Column 1.") == ("AT 1",)
    assert parse_columns("CB", "CB applies to entire entry CB Column 2.") == ("CB 2",)
    assert parse_columns("UN", "See § 746.1(b) for UN controls.") == ()


def test_destination_rules() -> None:
    b = parse_destination_rule(
        "RS",
        "To or within the United Arab Emirates or destinations specified in Country Groups D:1, "
        "D:4, and D:5 of supplement no. 1 to part 740 of the EAR, excluding any destination also "
        "specified in Country Groups A:5 or A:6.",
    )
    assert (b.kind, b.countries, b.groups, b.excluded_groups) == (
        "listed",
        {"ae"},
        {"D:1", "D:4", "D:5"},
        {"A:5", "A:6"},
    )
    c = parse_destination_rule(
        "RS",
        "To or within Macau or a destination specified in Country Group D:5 of supplement no. 1 "
        "to part 740 of the EAR.",
    )
    assert (c.kind, c.countries, c.groups) == ("listed", {"mo"}, {"D:5"})
    assert (
        parse_destination_rule("RS", "To or within any destination worldwide.").kind == "worldwide"
    )
    cc = parse_destination_rule(
        "CC", "A license is required for ALL destinations, except Canada, regardless of end use."
    )
    assert (cc.kind, cc.excluded_countries) == ("worldwide", {"ca"})
    assert parse_destination_rule(
        "RS", "China, Russia, or Venezuela (see § 742.6(a)(7))."
    ).countries == {"cn", "ru", "ve"}
    assert parse_destination_rule("UN", "See § 746.1(b) for UN controls.").kind == "un"
    assert parse_destination_rule("EI", "Refer to § 742.15 of the EAR.").kind == "unread"
    assert parse_destination_rule("NP", "N/A.").kind == "none"
